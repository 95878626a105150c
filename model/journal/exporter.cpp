// Event exports: JSON Lines and CSV.
#include "exporter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QFile>
#include <QFileInfo>
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
    return csvField(formatTime(e.time).toUtf8()) + ',' + csvField(e.kind.toUtf8()) + ',' + csvField(severityName(e.severity).toUtf8()) + ','
        + csvField(e.source.toUtf8()) + ',' + csvField(e.message.toUtf8()) + ',' + csvField(QJsonDocument(e.data).toJson(QJsonDocument::Compact));
}

EventWriter::EventWriter(QIODevice *out, ExportFormat format)
    : m_out(out)
    , m_format(format)
{
}

bool EventWriter::put(const QByteArray &bytes)
{
    if (!m_error.isEmpty())
        return false;
    if (m_out->write(bytes) == bytes.size())
        return true;
    m_error = QStringLiteral("write failed: %1").arg(m_out->errorString());
    return false;
}

bool EventWriter::write(const Event &e)
{
    if (!finish())
        return false;
    ++m_count;
    return put(m_format == ExportFormat::Csv ? QByteArray(eventToCsvRecord(e) + "\r\n") : QByteArray(eventToJsonLine(e) + '\n'));
}

bool EventWriter::finish()
{
    if (!m_started) {
        m_started = true;
        if (m_format == ExportFormat::Csv)
            put(csvHeader() + "\r\n");
    }
    return m_error.isEmpty();
}

bool writeEvents(QIODevice *out, ExportFormat format, const QList<Event> &events, QString *error)
{
    EventWriter writer(out, format);
    for (const Event &e : events)
        writer.write(e);
    if (writer.finish())
        return true;
    if (error)
        *error = writer.errorString();
    return false;
}

ExportFile::ExportFile(QString path)
    : m_path(std::move(path))
{
}

ExportFile::~ExportFile() = default; // an uncommitted QSaveFile discards its temporary file

bool ExportFile::open(QString *error)
{
    const QFileInfo info(m_path);
    m_inPlace = info.exists() && !info.isFile();
    if (m_inPlace)
        m_device = std::make_unique<QFile>(m_path);
    else
        m_device = std::make_unique<QSaveFile>(m_path);
    if (m_device->open(QIODevice::WriteOnly))
        return true;
    if (error)
        *error = QStringLiteral("cannot write %1: %2").arg(m_path, m_device->errorString());
    return false;
}

bool ExportFile::commit(QString *error)
{
    bool ok = false;
    if (m_inPlace) {
        ok = m_device->flush() && m_device->error() == QFileDevice::NoError;
        m_device->close();
        ok = ok && m_device->error() == QFileDevice::NoError;
    } else {
        ok = static_cast<QSaveFile *>(m_device.get())->commit();
    }
    if (!ok && error)
        *error = QStringLiteral("cannot write %1: %2").arg(m_path, m_device->errorString());
    return ok;
}

bool writeEventsToFile(const QString &path, ExportFormat format, const QList<Event> &events, QString *error)
{
    ExportFile out(path);
    if (!out.open(error))
        return false;
    QString why;
    if (!writeEvents(out.device(), format, events, &why)) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, why);
        return false;
    }
    return out.commit(error);
}

} // namespace vigil
