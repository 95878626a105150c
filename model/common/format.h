// How quantities read in Vigil's tables, messages and reports: sizes, durations, ages, round
// trips and offsets from an incident's start. One home, so that a number reads the same everywhere.
#pragma once

#include <QString>

namespace vigil {

// "512 B", "1.5 KiB", "12.0 MiB"; "?" for a negative (unknown) size.
QString humanBytes(qint64 bytes);
// "42 s ago", "5 min ago", "3 h ago", "2 d ago".
QString humanAge(qint64 seconds);
// "1.2 ms", "850 µs", "—".
QString formatMicros(qint64 us);
// "14.2 s", "3 min 5 s", "2 h 10 min"
QString formatDuration(qint64 ms);
// "T+01:02.345" for 62.345 s after an incident's start, "T-00:01.000" for a second before it.
QString formatOffset(qint64 ms);

} // namespace vigil
