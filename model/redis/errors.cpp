// Error kinds and their classification from Redis error replies.
#include "errors.h"

namespace vigil {

QString errorKindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::None: return QStringLiteral("none");
    case ErrorKind::Refused: return QStringLiteral("refused");
    case ErrorKind::HostNotFound: return QStringLiteral("host_not_found");
    case ErrorKind::Timeout: return QStringLiteral("timeout");
    case ErrorKind::Closed: return QStringLiteral("closed");
    case ErrorKind::Tls: return QStringLiteral("tls");
    case ErrorKind::Protocol: return QStringLiteral("protocol");
    case ErrorKind::NoAuth: return QStringLiteral("noauth");
    case ErrorKind::WrongPass: return QStringLiteral("wrongpass");
    case ErrorKind::NoPerm: return QStringLiteral("noperm");
    case ErrorKind::Denied: return QStringLiteral("denied");
    case ErrorKind::Loading: return QStringLiteral("loading");
    case ErrorKind::MasterDown: return QStringLiteral("masterdown");
    case ErrorKind::ReadOnly: return QStringLiteral("readonly");
    case ErrorKind::Server: return QStringLiteral("server");
    case ErrorKind::Socket: return QStringLiteral("socket");
    }
    return QStringLiteral("unknown");
}

ErrorKind classifyServerError(const QByteArray &message)
{
    const qsizetype space = message.indexOf(' ');
    const QByteArray code = space < 0 ? message : message.left(space);
    if (code == "NOAUTH")
        return ErrorKind::NoAuth;
    if (code == "WRONGPASS")
        return ErrorKind::WrongPass;
    // Servers before ACLs (and requirepass mismatches on some versions) answer with ERR.
    if (code == "ERR" && (message.contains("invalid password") || message.contains("invalid username-password")))
        return ErrorKind::WrongPass;
    if (code == "NOPERM")
        return ErrorKind::NoPerm;
    // A server in protected mode answers a client from elsewhere with this, then closes.
    if (code == "DENIED")
        return ErrorKind::Denied;
    if (code == "LOADING")
        return ErrorKind::Loading;
    if (code == "MASTERDOWN")
        return ErrorKind::MasterDown;
    if (code == "READONLY")
        return ErrorKind::ReadOnly;
    return ErrorKind::Server;
}

} // namespace vigil
