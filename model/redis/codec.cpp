// RESP2 codec over hiredis 0.14's reader and formatter, building Reply trees directly.
#include "codec.h"

#include <hiredis/hiredis.h>
#include <hiredis/read.h>

#include <vector>

namespace vigil {

QByteArray Reply::errorCode() const
{
    if (type != Type::Error)
        return {};
    const qsizetype space = string.indexOf(' ');
    return space < 0 ? string : string.left(space);
}

Reply Reply::error(const QByteArray &message, bool isLocal)
{
    Reply r;
    r.type = Type::Error;
    r.local = isLocal;
    r.string = message;
    return r;
}

Reply Reply::status(const QByteArray &text)
{
    Reply r;
    r.type = Type::Status;
    r.string = text;
    return r;
}

Reply Reply::bulk(const QByteArray &text)
{
    Reply r;
    r.type = Type::String;
    r.string = text;
    return r;
}

namespace {

// hiredis calls these while it parses. A nested value lives inside its parent's element vector,
// which is sized once by createArray, so the pointers handed back stay valid; only the root is
// heap-allocated and only the root is ever passed to freeObject.
ReplyDecoder::Budget *budgetOf(const redisReadTask *task)
{
    return static_cast<ReplyDecoder::Budget *>(task->privdata);
}

Reply *slotFor(const redisReadTask *task)
{
    if (task->parent) {
        auto *parent = static_cast<Reply *>(task->parent->obj);
        return &parent->elements[size_t(task->idx)];
    }
    return new Reply;
}

// A callback returning null makes hiredis stop with an error; next() reports the budget's reason.
void *createString(const redisReadTask *task, char *str, size_t len)
{
    if (!budgetOf(task)->charge(qint64(len), 0))
        return nullptr;
    Reply *r = slotFor(task);
    switch (task->type) {
    case REDIS_REPLY_ERROR: r->type = Reply::Type::Error; break;
    case REDIS_REPLY_STATUS: r->type = Reply::Type::Status; break;
    default: r->type = Reply::Type::String; break;
    }
    r->string = QByteArray(str, qsizetype(len));
    return r;
}

void *createArray(const redisReadTask *task, int elements)
{
    if (!budgetOf(task)->charge(qint64(elements) * qint64(sizeof(Reply)), elements))
        return nullptr;
    Reply *r = slotFor(task);
    r->type = Reply::Type::Array;
    r->elements.resize(size_t(elements));
    return r;
}

void *createInteger(const redisReadTask *task, long long value)
{
    Reply *r = slotFor(task);
    r->type = Reply::Type::Integer;
    r->integer = value;
    return r;
}

void *createNil(const redisReadTask *task)
{
    Reply *r = slotFor(task);
    r->type = Reply::Type::Nil;
    return r;
}

void freeObject(void *obj)
{
    delete static_cast<Reply *>(obj);
}

redisReplyObjectFunctions replyFunctions = {createString, createArray, createInteger, createNil, freeObject};

} // namespace

QByteArray encodeCommand(const QList<QByteArray> &argv)
{
    std::vector<const char *> args;
    std::vector<size_t> lens;
    args.reserve(size_t(argv.size()));
    lens.reserve(size_t(argv.size()));
    for (const QByteArray &a : argv) {
        args.push_back(a.constData());
        lens.push_back(size_t(a.size()));
    }
    char *out = nullptr;
    const int n = redisFormatCommandArgv(&out, int(argv.size()), args.data(), lens.data());
    if (n < 0 || !out)
        return {};
    QByteArray encoded(out, n);
    redisFreeCommand(out);
    return encoded;
}

void ReplyDecoder::ReaderDeleter::operator()(redisReader *r) const
{
    redisReaderFree(r);
}

bool ReplyDecoder::Budget::charge(qint64 moreBytes, qint64 moreElements)
{
    if (!exceeded.isEmpty())
        return false;
    if (moreElements > 0 && elements + moreElements > limits.maxElements) {
        exceeded = QStringLiteral("a reply announced %1 elements, more than the %2 allowed").arg(elements + moreElements).arg(limits.maxElements);
        return false;
    }
    if (bytes + moreBytes > limits.maxBytes) {
        exceeded = QStringLiteral("a reply needs %1 bytes, more than the %2 allowed").arg(bytes + moreBytes).arg(limits.maxBytes);
        return false;
    }
    bytes += moreBytes;
    elements += moreElements;
    return true;
}

ReplyDecoder::ReplyDecoder(ReplyLimits limits)
{
    m_budget.limits = limits;
    reset();
}

ReplyDecoder::~ReplyDecoder() = default;

void ReplyDecoder::reset()
{
    m_reader.reset(redisReaderCreateWithFunctions(&replyFunctions));
    // Keep a buffer of up to 1 MiB between reads (pub/sub floods reuse it instead of reallocating);
    // a larger one, left by a large reply, is freed once empty.
    m_reader->maxbuf = 1 << 20;
    m_reader->privdata = &m_budget;
    m_budget.bytes = 0;
    m_budget.elements = 0;
    m_budget.exceeded.clear();
    m_error.clear();
}

bool ReplyDecoder::feed(const char *data, qsizetype size)
{
    if (redisReaderFeed(m_reader.get(), data, size_t(size)) != REDIS_OK) {
        m_error = QString::fromUtf8(m_reader->errstr);
        return false;
    }
    return true;
}

ReplyDecoder::Status ReplyDecoder::next(Reply *out)
{
    void *obj = nullptr;
    if (redisReaderGetReply(m_reader.get(), &obj) != REDIS_OK) {
        m_error = m_budget.exceeded.isEmpty() ? QString::fromUtf8(m_reader->errstr) : m_budget.exceeded;
        return Status::ProtocolError;
    }
    if (!obj)
        return checkIncomplete() ? Status::Incomplete : Status::ProtocolError;
    m_budget.bytes = 0;
    m_budget.elements = 0;
    std::unique_ptr<Reply> reply(static_cast<Reply *>(obj));
    *out = std::move(*reply);
    return Status::Ok;
}

bool ReplyDecoder::checkIncomplete()
{
    // What waits in the buffer belongs to the reply being decoded: complete ones were taken.
    const redisReader *r = m_reader.get();
    qint64 buffered = qint64(r->len - r->pos);
    // A bulk string is refused on its announced length, before its bytes arrive. The reader has
    // consumed the '$' and stands on the length when the string is incomplete.
    if (r->ridx >= 0 && r->rstack[r->ridx].type == REDIS_REPLY_STRING && buffered > 0) {
        const char *p = r->buf + r->pos;
        const char *end = r->buf + r->len;
        qint64 announced = 0;
        bool digits = false;
        for (; p < end && *p >= '0' && *p <= '9' && announced <= m_budget.limits.maxBytes; ++p, digits = true)
            announced = announced * 10 + (*p - '0');
        if (digits)
            buffered = std::max(buffered, announced);
    }
    if (m_budget.bytes + buffered <= m_budget.limits.maxBytes)
        return true;
    m_error = QStringLiteral("a reply needs more than the %1 bytes allowed").arg(m_budget.limits.maxBytes);
    return false;
}

} // namespace vigil
