// Heartbeat payload parser: a strict, allocation-light JSON reader for one flat-ish object.
// QJsonDocument would do, at several times the cost per beat; beats arrive up to a million a second.
#include "beatparser.h"

#include <charconv>
#include <cstring>
#include <cmath>

namespace vigil {

QString beatErrorName(BeatError error)
{
    switch (error) {
    case BeatError::None: return QStringLiteral("none");
    case BeatError::TooLarge: return QStringLiteral("too_large");
    case BeatError::InvalidUtf8: return QStringLiteral("invalid_utf8");
    case BeatError::InvalidJson: return QStringLiteral("invalid_json");
    case BeatError::NotAnObject: return QStringLiteral("not_an_object");
    case BeatError::BadField: return QStringLiteral("bad_field");
    }
    return QStringLiteral("unknown");
}

bool isValidUtf8(const char *data, qsizetype size)
{
    const auto *s = reinterpret_cast<const unsigned char *>(data);
    const auto *end = s + size;
    while (s < end) {
        if (*s < 0x80) {
            ++s;
            continue;
        }
        int n;
        unsigned cp;
        if ((*s & 0xE0) == 0xC0) {
            n = 1;
            cp = *s & 0x1F;
        } else if ((*s & 0xF0) == 0xE0) {
            n = 2;
            cp = *s & 0x0F;
        } else if ((*s & 0xF8) == 0xF0) {
            n = 3;
            cp = *s & 0x07;
        } else {
            return false;
        }
        if (end - s <= n)
            return false;
        for (int i = 1; i <= n; ++i) {
            if ((s[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i] & 0x3F);
        }
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        s += n + 1;
    }
    return true;
}

namespace {

enum class Kind { String, Number, True, False, Null, Object, Array };

class JsonReader
{
public:
    JsonReader(const char *begin, const char *end)
        : m_p(begin)
        , m_end(end)
    {
    }

    bool failed() const { return m_failed; }
    QString error() const { return m_error; }

    void skipWs()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
            ++m_p;
    }
    bool atEnd()
    {
        skipWs();
        return m_p == m_end;
    }
    bool consume(char c)
    {
        skipWs();
        if (m_p < m_end && *m_p == c) {
            ++m_p;
            return true;
        }
        return false;
    }
    char peek()
    {
        skipWs();
        return m_p < m_end ? *m_p : '\0';
    }

    // Reads a string; decodes it into *out when out is given. Strings without escapes are
    // handed out as raw data pointing into the payload (no copy).
    bool readString(QByteArray *out)
    {
        if (!consume('"'))
            return fail("expected a string");
        const char *start = m_p;
        // Fast path: no escapes.
        while (m_p < m_end && *m_p != '"' && *m_p != '\\') {
            if (static_cast<unsigned char>(*m_p) < 0x20)
                return fail("control character in a string");
            ++m_p;
        }
        if (m_p < m_end && *m_p == '"') {
            if (out)
                *out = QByteArray::fromRawData(start, m_p - start);
            ++m_p;
            return true;
        }
        QByteArray decoded(start, m_p - start);
        while (m_p < m_end && *m_p != '"') {
            const char c = *m_p++;
            if (static_cast<unsigned char>(c) < 0x20)
                return fail("control character in a string");
            if (c != '\\') {
                decoded += c;
                continue;
            }
            if (m_p >= m_end)
                return fail("unterminated escape");
            const char e = *m_p++;
            switch (e) {
            case '"': decoded += '"'; break;
            case '\\': decoded += '\\'; break;
            case '/': decoded += '/'; break;
            case 'b': decoded += '\b'; break;
            case 'f': decoded += '\f'; break;
            case 'n': decoded += '\n'; break;
            case 'r': decoded += '\r'; break;
            case 't': decoded += '\t'; break;
            case 'u': {
                unsigned cp = 0;
                if (!readHex4(&cp))
                    return false;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    unsigned low = 0;
                    if (m_end - m_p < 2 || m_p[0] != '\\' || m_p[1] != 'u')
                        return fail("lone surrogate in a string");
                    m_p += 2;
                    if (!readHex4(&low) || low < 0xDC00 || low > 0xDFFF)
                        return fail("bad surrogate pair in a string");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return fail("lone surrogate in a string");
                }
                appendUtf8(decoded, cp);
                break;
            }
            default: return fail("bad escape in a string");
            }
        }
        if (m_p >= m_end)
            return fail("unterminated string");
        ++m_p;
        if (out)
            *out = decoded;
        return true;
    }

    bool readNumber(double *out)
    {
        skipWs();
        const char *start = m_p;
        if (m_p < m_end && *m_p == '-')
            ++m_p;
        if (m_p >= m_end || !isDigit(*m_p))
            return fail("bad number");
        if (*m_p == '0')
            ++m_p;
        else
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        if (m_p < m_end && *m_p == '.') {
            ++m_p;
            if (m_p >= m_end || !isDigit(*m_p))
                return fail("bad number");
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            ++m_p;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (m_p >= m_end || !isDigit(*m_p))
                return fail("bad number");
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        }
        if (out) {
            double v = 0;
            const auto r = std::from_chars(start, m_p, v);
            if (r.ec != std::errc() || !std::isfinite(v))
                return fail("number out of range");
            *out = v;
        }
        return true;
    }

    // Validates (and skips) any value; returns its kind.
    bool skipValue(Kind *kind, int depth = 0)
    {
        if (depth > 64)
            return fail("nested too deeply");
        switch (peek()) {
        case '"': *kind = Kind::String; return readString(nullptr);
        case '{': {
            *kind = Kind::Object;
            consume('{');
            if (consume('}'))
                return true;
            do {
                Kind k;
                if (!readString(nullptr) || !expect(':') || !skipValue(&k, depth + 1))
                    return false;
            } while (consume(','));
            return expect('}');
        }
        case '[': {
            *kind = Kind::Array;
            consume('[');
            if (consume(']'))
                return true;
            do {
                Kind k;
                if (!skipValue(&k, depth + 1))
                    return false;
            } while (consume(','));
            return expect(']');
        }
        case 't': *kind = Kind::True; return literal("true");
        case 'f': *kind = Kind::False; return literal("false");
        case 'n': *kind = Kind::Null; return literal("null");
        default: *kind = Kind::Number; return readNumber(nullptr);
        }
    }

    bool expect(char c)
    {
        if (consume(c))
            return true;
        return fail(QStringLiteral("expected '%1'").arg(QLatin1Char(c)));
    }

    bool fail(const QString &why)
    {
        if (!m_failed) {
            m_failed = true;
            m_error = why;
        }
        return false;
    }
    bool fail(const char *why) { return fail(QString::fromLatin1(why)); }

private:
    static bool isDigit(char c) { return c >= '0' && c <= '9'; }

    bool literal(const char *word)
    {
        const qsizetype n = qsizetype(std::strlen(word));
        if (m_end - m_p < n || std::memcmp(m_p, word, size_t(n)) != 0)
            return fail("bad literal");
        m_p += n;
        return true;
    }

    bool readHex4(unsigned *out)
    {
        if (m_end - m_p < 4)
            return fail("bad \\u escape");
        unsigned v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = *m_p++;
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= unsigned(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= unsigned(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v |= unsigned(c - 'A' + 10);
            else
                return fail("bad \\u escape");
        }
        *out = v;
        return true;
    }

    static void appendUtf8(QByteArray &s, unsigned cp)
    {
        if (cp < 0x80) {
            s += char(cp);
        } else if (cp < 0x800) {
            s += char(0xC0 | (cp >> 6));
            s += char(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            s += char(0xE0 | (cp >> 12));
            s += char(0x80 | ((cp >> 6) & 0x3F));
            s += char(0x80 | (cp & 0x3F));
        } else {
            s += char(0xF0 | (cp >> 18));
            s += char(0x80 | ((cp >> 12) & 0x3F));
            s += char(0x80 | ((cp >> 6) & 0x3F));
            s += char(0x80 | (cp & 0x3F));
        }
    }

    const char *m_p;
    const char *m_end;
    bool m_failed = false;
    QString m_error;
};

BeatParse malformed(BeatError error, const QString &detail)
{
    BeatParse r;
    r.error = error;
    r.detail = detail;
    return r;
}

bool startsLikeJson(const QByteArray &payload)
{
    for (char c : payload) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        return c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n';
    }
    return false;
}

} // namespace

BeatField beatFieldKind(QByteArrayView key)
{
    if (key == "node" || key == "role" || key == "service")
        return BeatField::Text;
    if (key == "seq" || key == "ts" || key == "interval_ms" || key == "epoch")
        return BeatField::Number;
    return BeatField::Other;
}

void applyBeatText(QByteArrayView key, const QByteArray &value, Beat *beat)
{
    if (key == "node") {
        if (!value.isEmpty())
            beat->node = value;
    } else if (key == "role") {
        beat->role = value;
    } else if (key == "service") {
        beat->service = value;
    }
}

const char *applyBeatNumber(QByteArrayView key, double value, Beat *beat)
{
    if (key == "seq") {
        if (value != std::floor(value) || std::fabs(value) > 9.0e15)
            return "must be an integer";
        beat->seq = qint64(value);
        beat->hasSeq = true;
    } else if (key == "epoch") {
        // The lease holder's fencing token: it only grows.
        if (value != std::floor(value) || value < 0 || value > 9.0e15)
            return "must be a non-negative integer";
        beat->epoch = qint64(value);
    } else if (key == "ts") {
        // Seconds or milliseconds since 1970, before the year 5000: anything larger (1e308) is no
        // time and would overflow the latency arithmetic.
        constexpr double kLatestSeconds = 95'617'584'000.0;
        const double seconds = value > 1e12 ? value / 1000.0 : value;
        if (value <= 0 || seconds > kLatestSeconds)
            return "must be a Unix time in seconds or milliseconds";
        beat->ts = seconds;
        beat->hasTs = true;
    } else if (key == "interval_ms") {
        if (value < 1 || value > 86'400'000)
            return "must be between 1 and 86400000";
        beat->intervalMs = int(value);
    }
    return nullptr;
}

BeatParse parseBeat(const QByteArray &channel, const QByteArray &payload)
{
    BeatParse r = parseBeatInPlace(channel, payload);
    // Own the bytes: the caller may keep the result longer than the payload.
    r.beat.node = QByteArray(r.beat.node.constData(), r.beat.node.size());
    r.beat.role = QByteArray(r.beat.role.constData(), r.beat.role.size());
    r.beat.service = QByteArray(r.beat.service.constData(), r.beat.service.size());
    return r;
}

BeatParse parseBeatInPlace(const QByteArray &channel, const QByteArray &payload)
{
    if (payload.size() > kMaxBeatPayload)
        return malformed(BeatError::TooLarge, QStringLiteral("payload of %1 bytes exceeds %2").arg(payload.size()).arg(kMaxBeatPayload));
    if (!isValidUtf8(payload.constData(), payload.size()))
        return malformed(BeatError::InvalidUtf8, QStringLiteral("payload is not valid UTF-8"));

    BeatParse result;
    Beat &beat = result.beat;
    beat.node = channel;
    if (!startsLikeJson(payload))
        return result; // plain text, as in PUBLISH heartbeat alive

    JsonReader reader(payload.constData(), payload.constData() + payload.size());
    if (reader.peek() != '{') {
        // Valid JSON that is not an object is malformed; anything else that merely starts like
        // JSON (a plain "2026 ok" or "true story") is plain text.
        Kind kind;
        if (reader.skipValue(&kind) && reader.atEnd())
            return malformed(BeatError::NotAnObject, QStringLiteral("JSON payload is not an object"));
        return result;
    }

    beat.json = true;
    // A field of the wrong type or range makes the beat malformed, but only once the whole payload
    // is known to be JSON: otherwise it is invalid JSON, whatever came first.
    QString badField;
    reader.consume('{');
    if (!reader.consume('}')) {
        do {
            QByteArray key;
            if (!reader.readString(&key) || !reader.expect(':'))
                break;
            // Notes the first bad field and skips the value; false when even that fails.
            auto bad = [&](const char *why) {
                if (badField.isEmpty())
                    badField = QStringLiteral("\"%1\" %2").arg(QString::fromUtf8(key), QLatin1String(why));
                Kind kind;
                return reader.skipValue(&kind);
            };
            const char next = reader.peek();
            const BeatField field = beatFieldKind(key);
            if (field == BeatField::Text) {
                if (next != '"') {
                    if (!bad("must be a string"))
                        break;
                    continue;
                }
                QByteArray value;
                if (!reader.readString(&value))
                    break;
                applyBeatText(key, value, &beat);
            } else if (field == BeatField::Number) {
                if (next != '-' && (next < '0' || next > '9')) {
                    if (!bad("must be a number"))
                        break;
                    continue;
                }
                double value = 0;
                if (!reader.readNumber(&value))
                    break;
                // The value is read: what is wrong with it is only noted.
                if (const char *why = applyBeatNumber(key, value, &beat); why && badField.isEmpty())
                    badField = QStringLiteral("\"%1\" %2").arg(QString::fromUtf8(key), QLatin1String(why));
            } else {
                Kind kind; // unknown keys are kept in the payload and ignored
                if (!reader.skipValue(&kind))
                    break;
            }
        } while (reader.consume(','));
        if (!reader.failed())
            reader.expect('}');
    }
    if (!reader.failed() && !reader.atEnd())
        reader.fail("trailing characters after the object");
    if (reader.failed())
        return malformed(BeatError::InvalidJson, QStringLiteral("invalid JSON: %1").arg(reader.error()));
    if (!badField.isEmpty())
        return malformed(BeatError::BadField, badField);
    return result;
}

} // namespace vigil
