// Golden files.
#include "golden.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

#include <algorithm>

namespace vigil::test {

QByteArray readData(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool matchesGolden(const QString &path, const QByteArray &actual, QString *why)
{
    if (qEnvironmentVariableIsSet("VIGIL_UPDATE_GOLDEN")) {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(actual) == actual.size();
    }
    const QByteArray expected = readData(path);
    if (expected == actual)
        return true;
    const QList<QByteArray> a = actual.split('\n'), b = expected.split('\n');
    for (qsizetype i = 0; i < std::max(a.size(), b.size()); ++i)
        if (a.value(i) != b.value(i)) {
            *why = QStringLiteral("%1 line %2:\n  got      %3\n  expected %4")
                       .arg(path)
                       .arg(i + 1)
                       .arg(QString::fromUtf8(a.value(i)), QString::fromUtf8(b.value(i)));
            break;
        }
    return false;
}

Event eventFromExportLine(const QByteArray &line, qint64 id)
{
    const QJsonObject o = QJsonDocument::fromJson(line).object();
    Event e;
    e.id = id;
    e.time = QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs).toUTC();
    e.kind = o.value(QStringLiteral("kind")).toString();
    parseSeverity(o.value(QStringLiteral("severity")).toString(), &e.severity);
    e.source = o.value(QStringLiteral("source")).toString();
    e.message = o.value(QStringLiteral("message")).toString();
    e.data = o.value(QStringLiteral("data")).toObject();
    return e;
}

} // namespace vigil::test
