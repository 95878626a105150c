// Fuzz target: a Sentinel pub/sub event; the channel is the input up to its first tab, the payload
// the rest (the format of tests/data/sentinel/events-*.txt).
#include "fuzzinput.h"

#include "topology/sentinelparser.h"

using namespace vigil;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto [channel, payload] = fuzz::splitAt(fuzz::bytes(data, size), '\t');
    const SentinelEvent event = parseSentinelEvent(channel, payload);
    event.severity();
    return 0;
}
