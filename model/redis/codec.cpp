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
Reply *slotFor(const redisReadTask *task)
{
    if (task->parent) {
        auto *parent = static_cast<Reply *>(task->parent->obj);
        return &parent->elements[size_t(task->idx)];
    }
    return new Reply;
}

void *createString(const redisReadTask *task, char *str, size_t len)
{
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

ReplyDecoder::ReplyDecoder()
{
    reset();
}

ReplyDecoder::~ReplyDecoder() = default;

void ReplyDecoder::reset()
{
    m_reader.reset(redisReaderCreateWithFunctions(&replyFunctions));
    // Keep the buffer between reads: large pub/sub floods reuse it instead of reallocating.
    m_reader->maxbuf = 0;
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
        m_error = QString::fromUtf8(m_reader->errstr);
        return Status::ProtocolError;
    }
    if (!obj)
        return Status::Incomplete;
    std::unique_ptr<Reply> reply(static_cast<Reply *>(obj));
    *out = std::move(*reply);
    return Status::Ok;
}

} // namespace vigil
