// Target options and time arguments of the command line.
#include "targets.h"

#include <QRegularExpression>

#include <limits>

namespace vigil {

namespace {

bool build(const TargetArguments &args, const QStringList &uris, const QString &option, QList<ConnectionOptions> *out, QString *error)
{
    out->clear();
    for (const QString &text : uris) {
        QString why;
        auto uri = parseRedisUri(text, &why);
        if (!uri || (option == QLatin1String("--sentinel") && uri->db != 0)) {
            if (error)
                *error = QStringLiteral("%1: %2").arg(option, uri ? QStringLiteral("a sentinel has no database number") : why);
            return false;
        }
        if (uri->password.isEmpty() && !args.password.isEmpty())
            uri->password = args.password;
        applyPasswordFromEnvironment(*uri);
        ConnectionOptions options;
        options.uri = *uri;
        options.tls = args.tls;
        options.replyLimits = args.replyLimits;
        out->append(options);
    }
    return true;
}

} // namespace

bool buildTargets(const TargetArguments &args, QList<ConnectionOptions> *out, QString *error)
{
    return build(args, args.connect, QStringLiteral("--connect"), out, error);
}

bool buildSentinelTargets(const TargetArguments &args, QList<ConnectionOptions> *out, QString *error)
{
    return build(args, args.sentinel, QStringLiteral("--sentinel"), out, error);
}

qint64 parseDurationMs(const QString &text)
{
    static const QRegularExpression duration(QStringLiteral("^(\\d{1,9})(ms|s|m|h|d)$"));
    const auto m = duration.match(text.trimmed());
    if (!m.hasMatch())
        return -1;
    const qint64 n = m.captured(1).toLongLong();
    const QString unit = m.captured(2);
    const qint64 scale = unit == QLatin1String("ms") ? 1
        : unit == QLatin1String("s")                 ? 1000
        : unit == QLatin1String("m")                 ? 60'000
        : unit == QLatin1String("h")                 ? 3'600'000
                                                     : 86'400'000;
    return n * scale;
}

qint64 parseByteSize(const QString &text)
{
    static const QRegularExpression size(QStringLiteral("^(\\d{1,15})([kKmMgG]?)[bB]?$"));
    const auto m = size.match(text.trimmed());
    if (!m.hasMatch())
        return -1;
    const qint64 n = m.captured(1).toLongLong();
    const QString unit = m.captured(2).toLower();
    const int shift = unit == QLatin1String("k") ? 10 : unit == QLatin1String("m") ? 20 : unit == QLatin1String("g") ? 30 : 0;
    if (n > (std::numeric_limits<qint64>::max() >> shift))
        return -1;
    return n << shift;
}

QDateTime parseTimeArgument(const QString &text, const QDateTime &now)
{
    const QString t = text.trimmed();
    static const QRegularExpression relative(QStringLiteral("^-(\\d+)([smhd])$"));
    if (const auto m = relative.match(t); m.hasMatch()) {
        // At most ten thousand years back: beyond it (or beyond a 64-bit count) it is no time.
        constexpr qint64 kMaxSeconds = qint64(10'000) * 366 * 86400;
        bool ok = false;
        const qint64 n = m.captured(1).toLongLong(&ok);
        const QChar unit = m.captured(2).at(0);
        const qint64 scale = unit == QLatin1Char('s') ? 1 : unit == QLatin1Char('m') ? 60 : unit == QLatin1Char('h') ? 3600 : 86400;
        if (!ok || n > kMaxSeconds / scale)
            return {};
        return now.toUTC().addSecs(-n * scale);
    }
    QDateTime dt = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!dt.isValid())
        dt = QDateTime::fromString(t, Qt::ISODate);
    if (!dt.isValid()) {
        const QDate date = QDate::fromString(t, Qt::ISODate);
        if (date.isValid())
            dt = QDateTime(date, QTime(0, 0), Qt::UTC);
    }
    if (!dt.isValid())
        return {};
    // A time without a zone is taken as UTC, like the journal's own times.
    if (dt.timeSpec() == Qt::LocalTime)
        dt.setTimeSpec(Qt::UTC);
    return dt.toUTC();
}

} // namespace vigil
