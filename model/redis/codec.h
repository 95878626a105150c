// RESP2 codec over hiredis: its incremental reader decodes replies, its formatter encodes commands.
#pragma once

#include "reply.h"

#include <QByteArray>
#include <QList>
#include <memory>
#include <optional>

struct redisReader;

namespace vigil {

// Encodes one command as a RESP multi-bulk request.
QByteArray encodeCommand(const QList<QByteArray> &argv);

class ReplyDecoder final
{
public:
    ReplyDecoder();
    ~ReplyDecoder();
    ReplyDecoder(const ReplyDecoder &) = delete;
    ReplyDecoder &operator=(const ReplyDecoder &) = delete;

    enum class Status { Ok, Incomplete, ProtocolError };

    // Appends received bytes; returns false (and sets errorString()) if the reader refuses them.
    bool feed(const char *data, qsizetype size);
    bool feed(const QByteArray &data) { return feed(data.constData(), data.size()); }
    // Takes the next complete reply into *out.
    Status next(Reply *out);
    QString errorString() const { return m_error; }
    // Forgets buffered bytes and any error: for a new connection.
    void reset();

private:
    struct ReaderDeleter { void operator()(redisReader *r) const; };
    std::unique_ptr<redisReader, ReaderDeleter> m_reader;
    QString m_error;
};

} // namespace vigil
