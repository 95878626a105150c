// Accrual failure detector over a node's learned inter-arrival times (phi accrual with a floor on
// the deviation and a hard silence bound).
#pragma once

#include <QtGlobal>

#include <vector>

namespace vigil {

struct DetectorSettings
{
    double suspectPhi = 3.0;      // suspect when phi reaches this
    double downPhi = 8.0;         // down when phi reaches this
    double minStdFraction = 0.10; // deviation floor, as a fraction of the mean interval
    qint64 minStdUs = 5'000;      // absolute deviation floor
    double hardBoundFactor = 2.0; // down after this many mean intervals whatever phi says
    int window = 200;             // inter-arrival samples kept
    int minSamples = 3;           // below this the announced (or default) interval is used
    qint64 defaultIntervalUs = 1'000'000;

    // Flap damping: this many alarms (a node going suspect or down) within the window make a node
    // "flapping"; its state changes are then summarised instead of journalled one by one until it
    // has raised no alarm for the steady period.
    int flapAlarms = 3;
    qint64 flapWindowUs = 60'000'000;
    qint64 steadyUs = 60'000'000;
};

// The inter-arrival distribution of one node and the silences it makes suspicious.
class IntervalDetector
{
public:
    explicit IntervalDetector(const DetectorSettings *settings);

    // An announced interval seeds the distribution until enough samples are learned; a change of
    // announcement by more than a factor of 1.5 starts learning afresh.
    void announce(qint64 intervalUs);
    void addInterval(qint64 intervalUs);
    void reset();

    qint64 meanUs() const;
    qint64 stdUs() const;          // learned standard deviation (0 before samples)
    qint64 effectiveStdUs() const; // with the floor applied
    int samples() const { return int(m_count); }

    double phi(qint64 silenceUs) const;
    qint64 suspectAfterUs() const;
    qint64 downAfterUs() const;

private:
    qint64 afterPhi(double threshold) const;

    const DetectorSettings *m_settings;
    std::vector<qint64> m_ring;
    size_t m_next = 0;
    size_t m_count = 0;
    double m_sum = 0;
    double m_sumSquares = 0;
    qint64 m_announcedUs = 0;
};

// phi = -log10(1 - F(x)) for a normal distribution, stable far into the tail.
double phiNormal(double x, double mean, double stddev);
// The z-score at which phi reaches `phi` (inverse of the above for mean 0, deviation 1).
double zForPhi(double phi);

} // namespace vigil
