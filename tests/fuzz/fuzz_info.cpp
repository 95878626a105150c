// Fuzz target: INFO text (and CLUSTER INFO, which has its format) into fields and a snapshot.
#include "fuzzinput.h"

#include "topology/infoparser.h"

#include <QSet>

#include <cstdlib>

using namespace vigil;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = fuzz::bytes(data, size);
    const QHash<QString, QString> fields = parseInfoFields(input);
    // The snapshot lists the same lines, a name given twice each time.
    const QList<std::pair<QString, QString>> list = parseInfo(input).fieldList();
    QSet<QString> names;
    for (const auto &field : list)
        names.insert(field.first);
    if (names.size() != fields.size() || list.size() < fields.size())
        std::abort();
    ReplicaEntry entry;
    parseReplicaEntry(QString::fromUtf8(input), &entry);
    return 0;
}
