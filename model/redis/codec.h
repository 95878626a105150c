// RESP2 codec over hiredis: its incremental reader decodes replies, its formatter encodes commands.
#pragma once

#include "reply.h"

#include <QByteArray>
#include <QByteArrayView>
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

// The extent of the first RESP2 value in `data`, found without decoding it.
struct ReplyScan
{
    qsizetype length = 0; // of the whole value once complete; 0 while more bytes are needed
    QString error;        // set when the bytes cannot be RESP2 within `limits`
};

// Finds where each reply ends as its bytes arrive, resuming where it stopped: a reply that comes in
// many pieces is scanned once, not once per piece. Checks what the reply announces against the
// limits (lengths, element counts, nesting) before its bytes arrive.
class ReplyScanner final
{
public:
    explicit ReplyScanner(ReplyLimits limits = {})
        : m_limits(limits)
    {
    }
    // `data` holds the reply's bytes from its start: those scanned before and more. Once complete
    // (or refused), the next call scans a new reply.
    ReplyScan scan(const char *data, qsizetype size);
    // In the middle of no reply.
    bool isIdle() const { return m_pos == 0; }
    void reset();

private:
    static constexpr int kMaxDepth = 8; // arrays within arrays, as deep as hiredis 0.14 decodes
    ReplyLimits m_limits;
    qsizetype m_pos = 0;      // the first byte not yet taken, from the reply's start
    qsizetype m_lineSeen = 0; // how far the incomplete line at m_pos was searched for its end
    int m_depth = 0;
    qint64 m_remaining[kMaxDepth + 1] = {1}; // values still to come at each depth; depth 0 is the reply
    qint64 m_elements = 0;
    qint64 m_slotBytes = 0;
};

// The same for one reply at once.
ReplyScan scanReply(const char *data, qsizetype size, const ReplyLimits &limits);

// A pub/sub delivery read in place: the parts point into the bytes scanned.
struct PushMessage
{
    QByteArrayView channel;
    QByteArrayView pattern; // empty for a SUBSCRIBE delivery
    QByteArrayView payload;
};
// When `data` starts with a complete `message` or `pmessage` frame of bulk strings, its length,
// with its parts in *out; 0 when the bytes so far may still become one; -1 when they are anything
// else (to be decoded as a reply). What it accepts, ReplyDecoder decodes to the same parts.
qsizetype scanPushMessage(const char *data, qsizetype size, const ReplyLimits &limits, PushMessage *out);

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
    // Holds no byte of a reply not yet taken.
    bool isIdle() const;
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
