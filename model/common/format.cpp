// Quantities for people.
#include "format.h"

#include <cstdlib>

namespace vigil {

QString humanBytes(qint64 bytes)
{
    if (bytes < 0)
        return QStringLiteral("?");
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KiB").arg(double(bytes) / 1024.0, 0, 'f', 1);
    if (bytes < 1024LL * 1024 * 1024)
        return QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
    return QStringLiteral("%1 GiB").arg(double(bytes) / (1024.0 * 1024.0 * 1024.0), 0, 'f', 2);
}

QString humanAge(qint64 seconds)
{
    if (seconds < 0)
        return QStringLiteral("?");
    if (seconds < 90)
        return QStringLiteral("%1 s ago").arg(seconds);
    if (seconds < 90 * 60)
        return QStringLiteral("%1 min ago").arg(seconds / 60);
    if (seconds < 36 * 3600)
        return QStringLiteral("%1 h ago").arg(seconds / 3600);
    return QStringLiteral("%1 d ago").arg(seconds / 86400);
}

QString formatMicros(qint64 us)
{
    if (us < 0)
        return QStringLiteral("\u2014");
    if (us < 1000)
        return QStringLiteral("%1 \u00b5s").arg(us);
    if (us < 995'000) // what would print as "1000.0 ms" reads better as "1.00 s"
        return QStringLiteral("%1 ms").arg(double(us) / 1000.0, 0, 'f', us < 10'000 ? 2 : 1);
    return QStringLiteral("%1 s").arg(double(us) / 1e6, 0, 'f', 2);
}

QString formatDuration(qint64 ms)
{
    if (ms < 60'000)
        return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
    if (ms < 3'600'000)
        return QStringLiteral("%1 min %2 s").arg(ms / 60'000).arg(ms / 1000 % 60);
    return QStringLiteral("%1 h %2 min").arg(ms / 3'600'000).arg(ms / 60'000 % 60);
}

QString formatOffset(qint64 ms)
{
    const qint64 a = std::abs(ms);
    return QStringLiteral("T%1%2:%3.%4")
        .arg(ms < 0 ? QLatin1Char('-') : QLatin1Char('+'))
        .arg(a / 60000, 2, 10, QLatin1Char('0'))
        .arg(a / 1000 % 60, 2, 10, QLatin1Char('0'))
        .arg(a % 1000, 3, 10, QLatin1Char('0'));
}

} // namespace vigil
