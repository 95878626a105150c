// Fuzz target: the RESP decoder fed the input in two pieces (split where its first byte says),
// and every reply it yields given to the reply parsers (ROLE, SENTINEL MASTER/REPLICAS/SENTINELS).
#include "fuzzinput.h"

#include "redis/codec.h"
#include "topology/roleparser.h"
#include "topology/sentinelparser.h"

using namespace vigil;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = fuzz::bytes(data, size);
    // Small limits, so that a reply announcing a huge size is refused as in production, fast.
    ReplyDecoder decoder(ReplyLimits{1 << 20, 10'000});
    const qsizetype cut = input.isEmpty() ? 0 : qsizetype(quint8(input.at(0))) % (input.size() + 1);
    for (const QByteArray &piece : {input.left(cut), input.mid(cut)}) {
        if (!decoder.feed(piece))
            return 0;
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
    return 0;
}
