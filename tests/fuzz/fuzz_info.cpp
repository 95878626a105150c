// Fuzz target: INFO text (and CLUSTER INFO, which has its format) into fields and a snapshot.
#include "fuzzinput.h"

#include "topology/infoparser.h"

using namespace vigil;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = fuzz::bytes(data, size);
    parseInfoFields(input);
    parseInfo(input);
    ReplicaEntry entry;
    parseReplicaEntry(QString::fromUtf8(input), &entry);
    return 0;
}
