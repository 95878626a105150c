// Event exports: JSON Lines and CSV, exactly as the export contract defines them.
#pragma once

#include "event.h"

#include <QByteArray>
#include <QIODevice>

namespace vigil {

enum class ExportFormat { JsonLines, Csv };

// One JSON object, keys in contract order (time, kind, severity, source, message, data), no newline.
QByteArray eventToJsonLine(const Event &event);
// "time,kind,severity,source,message,data"
QByteArray csvHeader();
// One CSV record (RFC 4180 quoting), no line break.
QByteArray eventToCsvRecord(const Event &event);

// Writes the events (with the CSV header where it applies); false and *error on a write failure.
bool writeEvents(QIODevice *out, ExportFormat format, const QList<Event> &events, QString *error = nullptr);

// Writes the events to a file through a temporary one that is renamed at the end, so a failed
// export never leaves half a file; false and *error ("cannot write PATH: why") on failure.
bool writeEventsToFile(const QString &path, ExportFormat format, const QList<Event> &events, QString *error = nullptr);

} // namespace vigil
