// Fuzz target: a heartbeat; the channel is the input's first line, the payload the rest. Both
// parsers (copying and in place) must agree.
#include "fuzzinput.h"

#include "heartbeat/beatparser.h"

#include <cstdlib>

using namespace vigil;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto [channel, payload] = fuzz::splitAt(fuzz::bytes(data, size), '\n');
    const BeatParse copied = parseBeat(channel, payload);
    const BeatParse inPlace = parseBeatInPlace(channel, payload);
    if (copied.error != inPlace.error
        || (copied.ok() && (copied.beat.node != inPlace.beat.node || copied.beat.seq != inPlace.beat.seq || copied.beat.epoch != inPlace.beat.epoch)))
        std::abort();
    isValidUtf8(payload.constData(), payload.size());
    return 0;
}
