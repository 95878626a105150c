// Fuzz target: a Redis URI as a user types it; a parsed URI printed and parsed again is the same.
#include "fuzzinput.h"

#include "redis/uri.h"

#include <cstdlib>

using namespace vigil;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(fuzz::bytes(data, size));
    QString error;
    const std::optional<RedisUri> uri = parseRedisUri(text, &error);
    if (!uri)
        return 0;
    const std::optional<RedisUri> again = parseRedisUri(uri->toFullString());
    if (!again || again->toFullString() != uri->toFullString())
        std::abort();
    uri->toDisplayString();
    return 0;
}
