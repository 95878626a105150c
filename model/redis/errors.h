// Why a Redis connection or command failed, in words an operator can act on.
#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace vigil {

enum class ErrorKind {
    None,
    Refused, // nothing listens there
    HostNotFound,
    Timeout,    // connect or reply overdue: a hung server or a black-holed network
    Closed,     // the peer closed the connection
    Tls,        // handshake or certificate verification failed
    Protocol,   // the peer does not speak RESP
    NoAuth,     // the server wants a password and none was given
    WrongPass,  // AUTH refused
    NoPerm,     // ACL forbids a command
    Denied,     // the server refuses this client outright (protected mode)
    Loading,    // the server is loading its dataset
    MasterDown, // a replica refuses reads while its link is down
    ReadOnly,   // a write sent to a replica
    Server,     // any other error reply
    Socket,     // any other local socket failure
};

// A stable lowercase word for the journal's data and for tests ("refused", "timeout", ...).
QString errorKindName(ErrorKind kind);

// Classifies an error reply by its first word (WRONGPASS, NOPERM, LOADING...).
ErrorKind classifyServerError(const QByteArray &message);

} // namespace vigil

Q_DECLARE_METATYPE(vigil::ErrorKind)
