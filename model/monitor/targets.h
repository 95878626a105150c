// Turning the command line's target options into connection options.
#pragma once

#include "redis/connection.h"

#include <QDateTime>
#include <QStringList>

namespace vigil {

struct TargetArguments
{
    QStringList connect;     // --connect URIs, in order
    QStringList sentinel;    // --sentinel URIs, in order
    TlsOptions tls;          // --tls-ca, --tls-cert, --tls-key, --tls-insecure
    QString password;        // from --askpass; applies to URIs without one
    ReplyLimits replyLimits; // --max-reply-size
};

// Parses a duration such as "500ms", "30s", "5m", "2h" or "1d" into milliseconds; -1 when it is not one.
qint64 parseDurationMs(const QString &text);

// Parses a size such as "512M", "64k", "1G" or a plain number of bytes; -1 when it is not one.
qint64 parseByteSize(const QString &text);

// Parses every URI and applies TLS options and passwords (URI, then --askpass, then REDISCLI_AUTH).
// On failure returns false and sets *error to a one-line message naming the bad argument.
bool buildTargets(const TargetArguments &args, QList<ConnectionOptions> *out, QString *error);
// The same for the --sentinel URIs (a database number is refused: sentinels have none).
bool buildSentinelTargets(const TargetArguments &args, QList<ConnectionOptions> *out, QString *error);

// Parses a time argument: ISO 8601 ("2026-11-26T04:12:13Z", a date alone, or without zone = UTC)
// or relative to `now`: "-15m", "-2h", "-30s", "-1d". Returns an invalid QDateTime on failure.
QDateTime parseTimeArgument(const QString &text, const QDateTime &now = QDateTime::currentDateTimeUtc());

} // namespace vigil
