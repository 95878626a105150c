// Heartbeat payloads: plain text ("alive", the node is the channel) or a JSON object
// {"node","seq","ts","interval_ms","role","service","epoch"}; anything else is a malformed beat.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace vigil {

// Payloads above this size are malformed.
constexpr qsizetype kMaxBeatPayload = 64 * 1024;

struct Beat
{
    QByteArray node; // UTF-8; the channel name when the payload names none
    qint64 seq = 0;
    bool hasSeq = false;
    double ts = 0; // sender's Unix time in seconds (converted from ms when above 1e12)
    bool hasTs = false;
    int intervalMs = 0; // announced period; 0 when not announced
    QByteArray role;
    QByteArray service; // the service the node beats for; empty when it names none
    qint64 epoch = -1;  // a primary's fencing token; -1 when the beat carries none
    bool json = false;
};

enum class BeatError { None, TooLarge, InvalidUtf8, InvalidJson, NotAnObject, BadField };

struct BeatParse
{
    Beat beat;
    BeatError error = BeatError::None;
    QString detail; // what is wrong, for heartbeat.malformed

    bool ok() const { return error == BeatError::None; }
};

// A stable word per error, for event data ("too_large", "invalid_json"...).
QString beatErrorName(BeatError error);

BeatParse parseBeat(const QByteArray &channel, const QByteArray &payload);

// The same without copying: node, role and service may point into `channel` and `payload` (raw data), so
// the result must not outlive them. For the ingest path, which runs a million times a second.
BeatParse parseBeatInPlace(const QByteArray &channel, const QByteArray &payload);

// The contract's fields, for any reader of it: the kind of value a key takes, and the rules for
// it. A value that fits is stored into `beat`; one that does not is left out, and why is returned
// ("must be an integer"); null when it fits.
enum class BeatField { Other, Text, Number };
BeatField beatFieldKind(QByteArrayView key);
void applyBeatText(QByteArrayView key, const QByteArray &value, Beat *beat);
const char *applyBeatNumber(QByteArrayView key, double value, Beat *beat);

// True when `data` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool isValidUtf8(const char *data, qsizetype size);

} // namespace vigil
