// Target addresses: redis://, rediss:// and unix:// URIs, parsed and printed without secrets.
#pragma once

#include <QString>
#include <optional>

namespace vigil {

struct RedisUri
{
    enum class Scheme { Tcp, Tls, Unix };

    Scheme scheme = Scheme::Tcp;
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    QString path;     // Unix socket path
    QString user;     // ACL user; empty means the default user
    QString password; // never persisted or printed
    int db = 0;

    bool isUnix() const { return scheme == Scheme::Unix; }
    bool isTls() const { return scheme == Scheme::Tls; }

    // "host:port" or the socket path: the `source` of journal events.
    QString address() const;
    // The URI without the password (the user stays), for settings, logs and the journal.
    QString toDisplayString() const;
    // The URI with the password, for handing the target to a child process.
    QString toFullString() const;

    friend bool operator==(const RedisUri &, const RedisUri &) = default;
};

// Parses a URI; on failure returns nullopt and sets *error to a one-line reason.
std::optional<RedisUri> parseRedisUri(const QString &text, QString *error = nullptr);

// Splits "host:port" (as address() prints it: IPv6 hosts in brackets, or bare as INFO lists them)
// into the host without brackets and the port; false unless the port is 1..65535 and a host is there.
bool splitHostPort(const QString &address, QString *host, quint16 *port);

// "host:port" with an IPv6 host in brackets: the one spelling of an address everywhere, so that a
// node INFO names as "::1" and port 6380 is the node a URI names as "[::1]:6380".
QString formatHostPort(const QString &host, quint16 port);
// A TCP port from text: 1..65535, else 0.
quint16 parsePort(QStringView text);

// Applies REDISCLI_AUTH (as redis-cli does) when the URI carries no password.
void applyPasswordFromEnvironment(RedisUri &uri);

} // namespace vigil
