// Target addresses: redis://, rediss:// and unix:// URIs.
#include "uri.h"

#include <QUrl>
#include <QUrlQuery>

#include <algorithm>

namespace vigil {

namespace {

std::optional<RedisUri> fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

QString bracketed(const QString &host)
{
    return host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
}

QString userInfo(const RedisUri &uri, bool withPassword)
{
    if (uri.user.isEmpty() && uri.password.isEmpty())
        return {};
    QString info = QString::fromUtf8(QUrl::toPercentEncoding(uri.user));
    if (withPassword && !uri.password.isEmpty())
        info += QLatin1Char(':') + QString::fromUtf8(QUrl::toPercentEncoding(uri.password));
    return info.isEmpty() ? QString() : info + QLatin1Char('@');
}

QString format(const RedisUri &uri, bool withPassword)
{
    if (uri.isUnix()) {
        // Percent-encoded as it is parsed decoded: a path with '%', '?' or a control character reads back the same.
        QString s = QStringLiteral("unix://") + userInfo(uri, withPassword) + QString::fromUtf8(QUrl::toPercentEncoding(uri.path, "/"));
        if (uri.db != 0)
            s += QStringLiteral("?db=") + QString::number(uri.db);
        return s;
    }
    QString s = (uri.isTls() ? QStringLiteral("rediss://") : QStringLiteral("redis://")) + userInfo(uri, withPassword) + bracketed(uri.host)
        + QLatin1Char(':') + QString::number(uri.port);
    if (uri.db != 0)
        s += QLatin1Char('/') + QString::number(uri.db);
    return s;
}

} // namespace

bool splitHostPort(const QString &address, QString *host, quint16 *port)
{
    const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    bool ok = false;
    const uint p = address.mid(colon + 1).toUInt(&ok);
    if (!ok || p == 0 || p > 65535)
        return false;
    QString h = address.left(colon);
    if (h.startsWith(QLatin1Char('[')) && h.endsWith(QLatin1Char(']')))
        h = h.mid(1, h.size() - 2);
    if (h.isEmpty())
        return false;
    *host = h;
    *port = quint16(p);
    return true;
}

QString formatHostPort(const QString &host, quint16 port)
{
    return bracketed(host) + QLatin1Char(':') + QString::number(port);
}

quint16 parsePort(QStringView text)
{
    bool ok = false;
    const uint v = text.toUInt(&ok);
    return ok && v > 0 && v <= 65535 ? quint16(v) : 0;
}

QString RedisUri::address() const
{
    return isUnix() ? path : formatHostPort(host, port);
}

QString RedisUri::toDisplayString() const
{
    return format(*this, false);
}

QString RedisUri::toFullString() const
{
    return format(*this, true);
}

namespace {

// A Unicode noncharacter (U+FDD0..U+FDEF, U+nFFFE, U+nFFFF) reads in raw but not percent-encoded
// (Qt decodes it to U+FFFD): such a URI would not read back as it prints.
bool hasNonCharacter(const QString &text)
{
    const QList<uint> codePoints = text.toUcs4();
    return std::any_of(codePoints.cbegin(), codePoints.cend(), [](uint c) { return QChar::isNonCharacter(c); });
}

std::optional<RedisUri> parseRedisUriUnredacted(const QString &text, QString *error)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return fail(error, QStringLiteral("empty URI"));

    // A bare "host:port" is accepted as redis://host:port, as operators type it.
    QString input = trimmed;
    if (!input.contains(QStringLiteral("://")))
        input.prepend(QStringLiteral("redis://"));

    const QUrl url(input, QUrl::StrictMode);
    if (!url.isValid())
        return fail(error, QStringLiteral("invalid URI '%1': %2").arg(trimmed, url.errorString()));

    RedisUri uri;
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("redis"))
        uri.scheme = RedisUri::Scheme::Tcp;
    else if (scheme == QLatin1String("rediss"))
        uri.scheme = RedisUri::Scheme::Tls;
    else if (scheme == QLatin1String("unix"))
        uri.scheme = RedisUri::Scheme::Unix;
    else
        return fail(error, QStringLiteral("unsupported scheme '%1' in '%2' (use redis://, rediss:// or unix://)").arg(url.scheme(), trimmed));

    uri.user = url.userName(QUrl::FullyDecoded);
    uri.password = url.password(QUrl::FullyDecoded);
    if (hasNonCharacter(trimmed))
        return fail(error, QStringLiteral("URI '%1' holds a Unicode noncharacter").arg(trimmed));

    if (uri.isUnix()) {
        uri.path = url.path(QUrl::FullyDecoded);
        if (uri.path.isEmpty() || !uri.path.startsWith(QLatin1Char('/')))
            return fail(error, QStringLiteral("unix URI '%1' needs an absolute socket path").arg(trimmed));
        if (!url.host().isEmpty())
            return fail(error, QStringLiteral("unix URI '%1' must not name a host (use unix:///path)").arg(trimmed));
        const QString db = QUrlQuery(url).queryItemValue(QStringLiteral("db"));
        if (!db.isEmpty()) {
            bool ok = false;
            uri.db = db.toInt(&ok);
            if (!ok || uri.db < 0)
                return fail(error, QStringLiteral("invalid database '%1' in '%2'").arg(db, trimmed));
        }
        uri.host.clear();
        uri.port = 0;
        return uri;
    }

    uri.host = url.host(QUrl::FullyDecoded);
    if (uri.host.isEmpty())
        return fail(error, QStringLiteral("URI '%1' names no host").arg(trimmed));
    const int port = url.port(6379);
    if (port <= 0 || port > 65535)
        return fail(error, QStringLiteral("invalid port in '%1'").arg(trimmed));
    uri.port = quint16(port);

    QString path = url.path(QUrl::FullyDecoded);
    if (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    if (!path.isEmpty()) {
        bool ok = false;
        uri.db = path.toInt(&ok);
        if (!ok || uri.db < 0)
            return fail(error, QStringLiteral("invalid database '%1' in '%2'").arg(path, trimmed));
    }
    return uri;
}

// The password of "scheme://user:password@host..." as typed (between the first ':' of the user
// part and the last '@': a password may hold '/' or '@' when it was not percent-encoded), empty
// when there is none.
QString typedPassword(const QString &text)
{
    const qsizetype scheme = text.indexOf(QStringLiteral("://"));
    const qsizetype from = scheme < 0 ? 0 : scheme + 3;
    const qsizetype at = text.lastIndexOf(QLatin1Char('@'));
    if (at < from)
        return {};
    const qsizetype colon = text.indexOf(QLatin1Char(':'), from);
    if (colon < 0 || colon > at)
        return {};
    return text.mid(colon + 1, at - colon - 1);
}

} // namespace

std::optional<RedisUri> parseRedisUri(const QString &text, QString *error)
{
    QString why;
    auto uri = parseRedisUriUnredacted(text, &why);
    // A message quotes the URI (and Qt's own quotes it too): never with its password.
    if (const QString password = typedPassword(text.trimmed()); !password.isEmpty()) {
        why.replace(QLatin1Char(':') + password + QLatin1Char('@'), QStringLiteral(":***@"));
        // Quoted on its own (Qt quotes the part it could not parse): a short one would match too
        // much, and cannot be told from the rest of the message.
        if (password.size() >= 4)
            why.replace(password, QStringLiteral("***"));
    }
    if (!uri && error)
        *error = why;
    return uri;
}

void applyPasswordFromEnvironment(RedisUri &uri)
{
    if (!uri.password.isEmpty())
        return;
    const QByteArray env = qgetenv("REDISCLI_AUTH");
    if (!env.isEmpty())
        uri.password = QString::fromUtf8(env);
}

} // namespace vigil
