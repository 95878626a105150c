// The heartbeat contract read with simdjson (its DOM parser, which validates the whole document),
// for bench_heartbeat to weigh against Vigil's own parser (heartbeat/beatparser.cpp): the same
// rules, field by field. Only the benchmark uses it.
#pragma once

#include "heartbeat/beatparser.h"

#include <simdjson.h>

#include <cmath>
#include <cstring>
#include <vector>

namespace vigil::bench {

class SimdjsonBeatParser
{
public:
    SimdjsonBeatParser()
        : m_padded(size_t(kMaxBeatPayload) + simdjson::SIMDJSON_PADDING)
    {
        // Nesting as deep as Vigil's parser takes (an object, and 65 levels in a value).
        if (m_parser.allocate(size_t(kMaxBeatPayload), 66) != simdjson::SUCCESS)
            qFatal("simdjson: cannot allocate its parser");
    }

    // Like parseBeatInPlace: node, role and service point into `channel`, `payload` or the
    // parser's own string buffer, valid until the next call.
    BeatParse parse(const QByteArray &channel, const QByteArray &payload)
    {
        BeatParse result;
        if (payload.size() > kMaxBeatPayload)
            return malformed(BeatError::TooLarge, QStringLiteral("payload of %1 bytes exceeds %2").arg(payload.size()).arg(kMaxBeatPayload));
        if (!simdjson::validate_utf8(payload.constData(), size_t(payload.size())))
            return malformed(BeatError::InvalidUtf8, QStringLiteral("payload is not valid UTF-8"));
        Beat &beat = result.beat;
        beat.node = channel;
        const char first = firstNonSpace(payload);
        if (!startsLikeJson(first))
            return result;
        // simdjson reads up to SIMDJSON_PADDING bytes past the end: the payload is copied into a
        // padded buffer of the parser's own (a read buffer with that slack would spare the copy).
        std::memcpy(m_padded.data(), payload.constData(), size_t(payload.size()));
        simdjson::dom::element doc;
        if (const auto error = m_parser.parse(m_padded.data(), size_t(payload.size()), false).get(doc)) {
            // As Vigil's parser: what starts like an object is a malformed beat, anything else
            // that merely starts like JSON is plain text.
            if (first == '{')
                return malformed(BeatError::InvalidJson, QStringLiteral("invalid JSON: %1").arg(QLatin1String(simdjson::error_message(error))));
            return result;
        }
        simdjson::dom::object object;
        if (doc.get_object().get(object))
            return malformed(BeatError::NotAnObject, QStringLiteral("JSON payload is not an object"));
        beat.json = true;
        for (const simdjson::dom::key_value_pair field : object) {
            const std::string_view key = field.key;
            auto badField = [&](const char *why) {
                return malformed(BeatError::BadField,
                                 QStringLiteral("\"%1\" %2").arg(QString::fromUtf8(key.data(), qsizetype(key.size())), QLatin1String(why)));
            };
            const QByteArrayView name(key.data(), qsizetype(key.size()));
            const BeatField kind = beatFieldKind(name);
            if (kind == BeatField::Text) {
                std::string_view text;
                if (field.value.get_string().get(text))
                    return badField("must be a string");
                applyBeatText(name, QByteArray::fromRawData(text.data(), qsizetype(text.size())), &beat);
            } else if (kind == BeatField::Number) {
                double value = 0;
                if (!field.value.is_number() || field.value.get_double().get(value))
                    return badField("must be a number");
                if (const char *why = applyBeatNumber(name, value, &beat))
                    return badField(why);
            }
        }
        return result;
    }

private:
    static BeatParse malformed(BeatError error, const QString &detail)
    {
        BeatParse r;
        r.error = error;
        r.detail = detail;
        return r;
    }
    static char firstNonSpace(const QByteArray &payload)
    {
        for (char c : payload)
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                return c;
        return '\0';
    }
    static bool startsLikeJson(char c)
    {
        return c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n';
    }

    simdjson::dom::parser m_parser;
    std::vector<char> m_padded;
};

} // namespace vigil::bench
