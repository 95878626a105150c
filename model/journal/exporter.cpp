// Event exports: JSON Lines and CSV.
#include "exporter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace vigil {

namespace {

QByteArray jsonString(const QString &s)
{
    // QJsonDocument escapes exactly as JSON requires; strip the array brackets around it.
    const QByteArray wrapped = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

QByteArray csvField(const QByteArray &field)
{
    if (!field.contains(',') && !field.contains('"') && !field.contains('\n') && !field.contains('\r'))
        return field;
    QByteArray quoted = field;
    quoted.replace("\"", "\"\"");
    return '"' + quoted + '"';
}

} // namespace

QByteArray eventToJsonLine(const Event &e)
{
    QByteArray line;
    line.reserve(160 + e.message.size());
    line += "{\"time\":" + jsonString(formatTime(e.time));
    line += ",\"kind\":" + jsonString(e.kind);
    line += ",\"severity\":" + jsonString(severityName(e.severity));
    line += ",\"source\":" + jsonString(e.source);
    line += ",\"message\":" + jsonString(e.message);
    line += ",\"data\":" + QJsonDocument(e.data).toJson(QJsonDocument::Compact);
    line += '}';
    return line;
}

QByteArray csvHeader()
{
    return QByteArrayLiteral("time,kind,severity,source,message,data");
}

QByteArray eventToCsvRecord(const Event &e)
{
    return csvField(formatTime(e.time).toUtf8()) + ',' + csvField(e.kind.toUtf8()) + ','
           + csvField(severityName(e.severity).toUtf8()) + ',' + csvField(e.source.toUtf8()) + ','
           + csvField(e.message.toUtf8()) + ',' + csvField(QJsonDocument(e.data).toJson(QJsonDocument::Compact));
}

bool writeEvents(QIODevice *out, ExportFormat format, const QList<Event> &events, QString *error)
{
    auto put = [&](const QByteArray &bytes) {
        if (out->write(bytes) == bytes.size())
            return true;
        if (error)
            *error = QStringLiteral("write failed: %1").arg(out->errorString());
        return false;
    };
    if (format == ExportFormat::Csv && !put(csvHeader() + "\r\n"))
        return false;
    for (const Event &e : events) {
        const QByteArray record = format == ExportFormat::Csv ? QByteArray(eventToCsvRecord(e) + "\r\n")
                                                              : QByteArray(eventToJsonLine(e) + '\n');
        if (!put(record))
            return false;
    }
    return true;
}

bool writeEventsToFile(const QString &path, ExportFormat format, const QList<Event> &events, QString *error)
{
    QSaveFile out(path);
    QString why;
    if (!out.open(QIODevice::WriteOnly) || !writeEvents(&out, format, events, &why) || !out.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, why.isEmpty() ? out.errorString() : why);
        return false;
    }
    return true;
}

} // namespace vigil
