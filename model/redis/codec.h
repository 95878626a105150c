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

// What one reply may announce and hold before the decoder refuses it, as Redis bounds what it parses
// (proto-max-bulk-len 512 MB). Element slots count towards the bytes at their in-memory size.
struct ReplyLimits
{
    qint64 maxBytes = qint64(512) << 20; // strings, element slots and bytes buffered for the reply
    qint64 maxElements = 16 << 20;       // array elements in the whole reply, nested ones included
};

class ReplyDecoder final
{
public:
    explicit ReplyDecoder(ReplyLimits limits = {});
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
    const ReplyLimits &limits() const { return m_budget.limits; }

    // What the reply being decoded holds so far; the reader's callbacks charge it.
    struct Budget
    {
        ReplyLimits limits;
        qint64 bytes = 0;
        qint64 elements = 0;
        QString exceeded; // why the reply was refused, once it was
        bool charge(qint64 bytes, qint64 elements);
    };

private:
    bool checkIncomplete();

    struct ReaderDeleter
    {
        void operator()(redisReader *r) const;
    };
    std::unique_ptr<redisReader, ReaderDeleter> m_reader;
    Budget m_budget;
    QString m_error;
};

} // namespace vigil
