// Fuzz target: the RESP decoder fed the input in two pieces (split where its first byte says),
// and every reply it yields given to the reply parsers (ROLE, SENTINEL MASTER/REPLICAS/SENTINELS).
// Then the framing the connection uses, against the decoder: each reply the scanner finds whole
// (resumed after the same split) decodes from exactly its bytes, and each delivery read in place
// has the parts the decoder finds.
#include "fuzzinput.h"

#include "redis/codec.h"
#include "topology/roleparser.h"
#include "topology/sentinelparser.h"

#include <algorithm>
#include <cstdlib>

using namespace vigil;

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

void checkFraming(const QByteArray &input, qsizetype cut, const ReplyLimits &limits)
{
    ReplyScanner scanner(limits);
    qsizetype at = 0;
    while (at < input.size()) {
        const char *data = input.constData() + at;
        const qsizetype size = input.size() - at;
        // Resumed: first up to the cut, then all of it; the same as one scan.
        const ReplyScan first = scanner.scan(data, std::clamp<qsizetype>(cut - at, 0, size));
        const ReplyScan scan = first.length > 0 || !first.error.isEmpty() ? first : scanner.scan(data, size);
        const ReplyScan once = scanReply(data, size, limits);
        require(scan.length == once.length && scan.error.isEmpty() == once.error.isEmpty());
        if (scan.length > 0 || !scan.error.isEmpty())
            require(scanner.isIdle());
        if (scan.length == 0)
            return;
        ReplyDecoder decoder(limits);
        require(decoder.feed(data, scan.length));
        Reply reply;
        const ReplyDecoder::Status status = decoder.next(&reply);
        // The decoder may refuse what the scanner framed (a bad integer), never want more.
        require(status != ReplyDecoder::Status::Incomplete);
        if (status == ReplyDecoder::Status::Ok)
            require(decoder.isIdle());
        PushMessage push;
        const qsizetype pushed = scanPushMessage(data, size, limits, &push);
        if (pushed > 0) {
            require(pushed == scan.length && status == ReplyDecoder::Status::Ok);
            const bool pattern = reply.elements.size() == 4;
            require(reply.isArray() && (pattern || reply.elements.size() == 3));
            require(push.channel == QByteArrayView(reply.elements[pattern ? 2 : 1].string));
            require(push.pattern == (pattern ? QByteArrayView(reply.elements[1].string) : QByteArrayView()));
            require(push.payload == QByteArrayView(reply.elements.back().string));
        }
        at += scan.length;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = fuzz::bytes(data, size);
    // Small limits, so that a reply announcing a huge size is refused as in production, fast.
    const ReplyLimits limits{1 << 20, 10'000};
    ReplyDecoder decoder(limits);
    const qsizetype cut = input.isEmpty() ? 0 : qsizetype(quint8(input.at(0))) % (input.size() + 1);
    for (const QByteArray &piece : {input.left(cut), input.mid(cut)}) {
        if (!decoder.feed(piece))
            break;
        for (;;) {
            Reply reply;
            if (decoder.next(&reply) != ReplyDecoder::Status::Ok)
                break;
            RoleInfo role;
            parseRole(reply, &role);
            parseFieldArray(reply);
            SentinelInstance instance;
            parseSentinelInstance(reply, &instance);
            parseSentinelInstances(reply);
        }
    }
    checkFraming(input, cut, limits);
    return 0;
}
