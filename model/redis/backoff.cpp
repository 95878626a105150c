// Reconnect delays with exponential growth and jitter.
#include "backoff.h"

#include <QRandomGenerator>

#include <algorithm>

namespace vigil {

Backoff::Backoff(int minMs, int maxMs, std::function<double()> random)
    : m_minMs(std::max(1, minMs))
    , m_maxMs(std::max(m_minMs, maxMs))
    , m_random(random ? std::move(random) : [] { return QRandomGenerator::global()->generateDouble(); })
{
}

int Backoff::next()
{
    const int shift = std::min(m_attempt, 20);
    const qint64 step = std::min<qint64>(qint64(m_minMs) << shift, m_maxMs);
    ++m_attempt;
    const double half = double(step) / 2.0;
    return int(half + half * m_random());
}

} // namespace vigil
