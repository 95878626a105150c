// Accrual failure detector.
#include "detector.h"

#include <algorithm>
#include <cmath>

namespace vigil {

double phiNormal(double x, double mean, double stddev)
{
    if (stddev <= 0)
        return x > mean ? 1e9 : 0;
    const double z = (x - mean) / stddev;
    const double tail = 0.5 * std::erfc(z / std::sqrt(2.0));
    if (tail > 1e-300)
        return -std::log10(tail);
    // Asymptotic tail of the normal distribution: phi(z) ~ z^2/2 + log(z sqrt(2 pi)), in base 10.
    return (z * z / 2.0 + std::log(z * std::sqrt(2.0 * M_PI))) / std::log(10.0);
}

double zForPhi(double phi)
{
    double lo = -10, hi = 40;
    for (int i = 0; i < 100; ++i) {
        const double mid = (lo + hi) / 2;
        (phiNormal(mid, 0, 1) < phi ? lo : hi) = mid;
    }
    return hi;
}

IntervalDetector::IntervalDetector(const DetectorSettings *settings)
    : m_settings(settings)
    , m_ring(size_t(std::max(1, settings->window)), 0)
{
}

void IntervalDetector::reset()
{
    m_next = 0;
    m_count = 0;
    m_sum = 0;
    m_sumSquares = 0;
}

void IntervalDetector::announce(qint64 intervalUs)
{
    if (intervalUs <= 0 || intervalUs == m_announcedUs)
        return;
    if (m_announcedUs > 0) {
        const double ratio = double(intervalUs) / double(m_announcedUs);
        if (ratio > 1.5 || ratio < 1 / 1.5)
            reset();
    }
    m_announcedUs = intervalUs;
}

void IntervalDetector::addInterval(qint64 intervalUs)
{
    if (intervalUs <= 0)
        return;
    if (m_count == m_ring.size()) {
        const double old = double(m_ring[m_next]);
        m_sum -= old;
        m_sumSquares -= old * old;
    } else {
        ++m_count;
    }
    m_ring[m_next] = intervalUs;
    m_next = (m_next + 1) % m_ring.size();
    const double v = double(intervalUs);
    m_sum += v;
    m_sumSquares += v * v;
    // Running sums drift after millions of updates: recompute once per lap of the ring.
    if (m_next == 0) {
        m_sum = 0;
        m_sumSquares = 0;
        for (size_t i = 0; i < m_count; ++i) {
            const double s = double(m_ring[i]);
            m_sum += s;
            m_sumSquares += s * s;
        }
    }
}

qint64 IntervalDetector::meanUs() const
{
    if (int(m_count) < m_settings->minSamples)
        return m_announcedUs > 0 ? m_announcedUs : m_settings->defaultIntervalUs;
    return qint64(m_sum / double(m_count));
}

qint64 IntervalDetector::stdUs() const
{
    if (int(m_count) < m_settings->minSamples)
        return 0;
    const double mean = m_sum / double(m_count);
    const double variance = std::max(0.0, m_sumSquares / double(m_count) - mean * mean);
    return qint64(std::sqrt(variance));
}

qint64 IntervalDetector::effectiveStdUs() const
{
    const qint64 floor = std::max<qint64>(m_settings->minStdUs, qint64(m_settings->minStdFraction * double(meanUs())));
    return std::max(stdUs(), floor);
}

double IntervalDetector::phi(qint64 silenceUs) const
{
    return phiNormal(double(silenceUs), double(meanUs()), double(effectiveStdUs()));
}

qint64 IntervalDetector::afterPhi(double threshold) const
{
    // The inverse is a bisection: remember it for the two thresholds in use.
    thread_local double memoPhi[2] = {-1, -1};
    thread_local double memoZ[2] = {0, 0};
    thread_local int memoNext = 0;
    double z;
    if (memoPhi[0] == threshold) {
        z = memoZ[0];
    } else if (memoPhi[1] == threshold) {
        z = memoZ[1];
    } else {
        z = zForPhi(threshold);
        memoPhi[memoNext] = threshold;
        memoZ[memoNext] = z;
        memoNext ^= 1;
    }
    const qint64 mean = meanUs();
    const qint64 byPhi = mean + qint64(z * double(effectiveStdUs()));
    const qint64 hard = qint64(m_settings->hardBoundFactor * double(mean));
    return std::min(byPhi, hard);
}

qint64 IntervalDetector::suspectAfterUs() const
{
    return afterPhi(m_settings->suspectPhi);
}

qint64 IntervalDetector::downAfterUs() const
{
    return afterPhi(m_settings->downPhi);
}

} // namespace vigil
