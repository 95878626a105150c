// A decoded RESP2 reply: a small value tree owned by value.
#pragma once

#include <QByteArray>
#include <QString>
#include <vector>

namespace vigil {

struct Reply
{
    enum class Type : quint8 { Nil, String, Status, Error, Integer, Array };

    Type type = Type::Nil;
    // Set on replies the client made up itself (timeout, connection lost), never on server replies.
    bool local = false;
    // A local error for a command that never left this client (not connected, or still queued
    // when the connection failed): the server cannot have run it.
    bool unsent = false;
    qint64 integer = 0;
    QByteArray string; // bulk string, status or error text
    std::vector<Reply> elements;

    bool isNil() const { return type == Type::Nil; }
    bool isError() const { return type == Type::Error; }
    bool isArray() const { return type == Type::Array; }
    bool isString() const { return type == Type::String || type == Type::Status; }
    bool isInteger() const { return type == Type::Integer; }

    QString text() const { return QString::fromUtf8(string); }
    // The first word of an error reply ("WRONGPASS", "NOPERM", "ERR"...).
    QByteArray errorCode() const;

    static Reply error(const QByteArray &message, bool local = true);
    static Reply status(const QByteArray &text);
    static Reply bulk(const QByteArray &text);
};

} // namespace vigil
