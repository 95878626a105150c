// RESP2 codec over hiredis 0.14's reader and formatter, building Reply trees directly.
#include "codec.h"

#include <hiredis/hiredis.h>
#include <hiredis/read.h>

#include <algorithm>
#include <cstring>
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

// The line that starts at `p`: the position of its "\r\n", or null when it has not all arrived.
const char *lineEnd(const char *p, const char *end)
{
    while (p < end) {
        const auto *cr = static_cast<const char *>(std::memchr(p, '\r', size_t(end - p)));
        if (!cr || cr + 1 >= end)
            return nullptr;
        if (cr[1] == '\n')
            return cr;
        p = cr + 1;
    }
    return nullptr;
}

// A length or count as RESP writes it ("-1", "0", "42"); false for anything else, as hiredis
// refuses it: a sign without digits, "-0", a leading zero ("042").
bool parseLength(const char *p, const char *end, qint64 *out)
{
    const bool negative = p < end && *p == '-';
    if (negative)
        ++p;
    if (p == end || end - p > 18)
        return false;
    if (*p == '0' && (negative || end - p > 1))
        return false;
    qint64 v = 0;
    for (; p < end; ++p) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (*p - '0');
    }
    *out = negative ? -v : v;
    return true;
}

} // namespace

void ReplyScanner::reset()
{
    m_pos = 0;
    m_depth = 0;
    m_remaining[0] = 1;
    m_elements = 0;
    m_slotBytes = 0;
    m_lineSeen = 0;
}

ReplyScan ReplyScanner::scan(const char *data, qsizetype size)
{
    ReplyScan scan;
    auto refuse = [&](const QString &why) {
        reset();
        scan.error = why;
        return scan;
    };
    const char *const end = data + size;
    for (;;) {
        // A value is taken only once all of it is here; until then the scan stops before it.
        const char *p = data + m_pos;
        if (p >= end)
            return scan;
        const char type = *p;
        // A line still incomplete is searched on from where the last scan stopped.
        const char *cr = lineEnd(std::max(p + 1, data + m_lineSeen), end);
        if (!cr) {
            m_lineSeen = std::max<qsizetype>(m_pos + 1, size - 1); // its last byte may be the '\r'
            return scan;
        }
        m_lineSeen = 0;
        qint64 n = 0;
        switch (type) {
        case '+':
        case '-':
        case ':': p = cr + 2; break;
        case '$':
            if (!parseLength(p + 1, cr, &n) || n < -1)
                return refuse(QStringLiteral("bad bulk string length"));
            if (n > m_limits.maxBytes)
                return refuse(QStringLiteral("a reply announced a %1-byte string, more than the %2 allowed").arg(n).arg(m_limits.maxBytes));
            if (n >= 0 && end - (cr + 2) < n + 2)
                return scan;
            p = cr + 2 + (n < 0 ? 0 : n + 2);
            break;
        case '*':
            if (!parseLength(p + 1, cr, &n) || n < -1)
                return refuse(QStringLiteral("bad multi-bulk length"));
            if (m_depth >= kMaxDepth)
                return refuse(QStringLiteral("a reply nested deeper than %1 levels").arg(kMaxDepth));
            p = cr + 2;
            if (n > 0) {
                if (m_elements + n > m_limits.maxElements)
                    return refuse(
                        QStringLiteral("a reply announced %1 elements, more than the %2 allowed").arg(m_elements + n).arg(m_limits.maxElements));
                // As the decoder charges them: each element's slot, at its in-memory size.
                if (m_slotBytes + n * qint64(sizeof(Reply)) > m_limits.maxBytes)
                    return refuse(QStringLiteral("a reply needs %1 bytes, more than the %2 allowed")
                                      .arg(m_slotBytes + n * qint64(sizeof(Reply)))
                                      .arg(m_limits.maxBytes));
                m_slotBytes += n * qint64(sizeof(Reply));
                m_elements += n;
                m_remaining[++m_depth] = n;
                m_pos = p - data;
                continue; // its elements follow
            }
            break;
        default: return refuse(QStringLiteral("protocol error, got byte 0x%1 as reply type").arg(uint(uchar(type)), 2, 16, QLatin1Char('0')));
        }
        m_pos = p - data;
        // A value is complete: so are the arrays it completes.
        while (--m_remaining[m_depth] == 0) {
            if (m_depth == 0) {
                scan.length = m_pos;
                reset();
                return scan;
            }
            --m_depth;
        }
    }
}

ReplyScan scanReply(const char *data, qsizetype size, const ReplyLimits &limits)
{
    return ReplyScanner(limits).scan(data, size);
}

qsizetype scanPushMessage(const char *data, qsizetype size, const ReplyLimits &limits, PushMessage *out)
{
    static constexpr QByteArrayView kMessage("*3\r\n$7\r\nmessage\r\n");
    static constexpr QByteArrayView kPmessage("*4\r\n$8\r\npmessage\r\n");
    const QByteArrayView bytes(data, size);
    const bool pattern = size > 1 && data[1] == '4';
    const QByteArrayView header = pattern ? kPmessage : kMessage;
    if (!bytes.startsWith(header.first(std::min(size, header.size()))))
        return -1;
    if (size < header.size())
        return 0;
    const char *const end = data + size;
    const char *p = data + header.size();
    // One bulk string; false when it has not all arrived, `*bad` when it is not a bulk string.
    bool bad = false;
    auto bulk = [&](QByteArrayView *part) {
        if (p >= end)
            return false;
        if (*p != '$') {
            bad = true;
            return false;
        }
        const char *cr = lineEnd(p + 1, end);
        qint64 n = 0;
        if (!cr)
            return false;
        if (!parseLength(p + 1, cr, &n) || n < 0 || n > limits.maxBytes) {
            bad = true;
            return false;
        }
        if (end - (cr + 2) < n + 2)
            return false;
        *part = QByteArrayView(cr + 2, qsizetype(n));
        p = cr + 2 + n + 2;
        return true;
    };
    PushMessage m;
    const bool complete = pattern ? bulk(&m.pattern) && bulk(&m.channel) && bulk(&m.payload) : bulk(&m.channel) && bulk(&m.payload);
    if (bad || (complete && (p - data) > limits.maxBytes))
        return -1;
    if (!complete)
        return 0;
    *out = m;
    return p - data;
}

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

bool ReplyDecoder::isIdle() const
{
    return m_reader->pos == m_reader->len && m_reader->ridx < 0;
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
