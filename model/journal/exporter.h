// Event exports: JSON Lines and CSV, exactly as the export contract defines them.
#pragma once

#include "event.h"

#include <QByteArray>
#include <QFileDevice>
#include <QIODevice>

#include <memory>

namespace vigil {

enum class ExportFormat { JsonLines, Csv };

// One JSON object, keys in contract order (time, kind, severity, source, message, data), no newline.
QByteArray eventToJsonLine(const Event &event);
// "time,kind,severity,source,message,data"
QByteArray csvHeader();
// One CSV record (RFC 4180 quoting), no line break.
QByteArray eventToCsvRecord(const Event &event);

// Writes events one at a time (the CSV header first where it applies), so an export never holds
// the journal in memory. A write that fails is remembered: later writes do nothing.
class EventWriter
{
public:
    EventWriter(QIODevice *out, ExportFormat format);
    bool write(const Event &event);
    // Ends the output (writes the header of an empty CSV); false when any write failed.
    bool finish();
    qint64 count() const { return m_count; }
    QString errorString() const { return m_error; }

private:
    bool put(const QByteArray &bytes);

    QIODevice *m_out;
    ExportFormat m_format;
    bool m_started = false;
    qint64 m_count = 0;
    QString m_error;
};

// Writes the events (with the CSV header where it applies); false and *error on a write failure.
bool writeEvents(QIODevice *out, ExportFormat format, const QList<Event> &events, QString *error = nullptr);

// Where an export goes. A regular file is written through a temporary one renamed by commit(), so
// a failed export never leaves half a file; a device or a FIFO (/dev/stdout, a pipe) is written in
// place and never replaced. Every write error, the last flush's included, fails commit().
class ExportFile
{
public:
    explicit ExportFile(QString path);
    ~ExportFile();
    ExportFile(const ExportFile &) = delete;
    ExportFile &operator=(const ExportFile &) = delete;

    bool open(QString *error);
    QIODevice *device() const { return m_device.get(); }
    bool commit(QString *error);

private:
    QString m_path;
    std::unique_ptr<QFileDevice> m_device;
    bool m_inPlace = false;
};

// Writes the events to a file through a temporary one that is renamed at the end, so a failed
// export never leaves half a file; false and *error ("cannot write PATH: why") on failure.
bool writeEventsToFile(const QString &path, ExportFormat format, const QList<Event> &events, QString *error = nullptr);

} // namespace vigil
