// Benchmark: the detector's trade-off between detection time and false alarms, on an injected
// clock. For each beat interval and jitter: how long after the last beat a stopped node is
// declared down, and how many false downs and suspicions a healthy node raises per hour.
//
//   bench_detector [--runs N] [--hours H]
#include "heartbeat/tracker.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <algorithm>
#include <cstdio>
#include <random>

using namespace vigil;

namespace {

constexpr qint64 kMs = 1'000'000;

struct Sim
{
    HeartbeatTracker tracker;
    qint64 now = 0;
    int downs = 0;
    int suspects = 0;
    qint64 downAt = -1;

    Sim()
    {
        tracker.setEventSink([this](const Event &e) {
            if (e.kind == QLatin1String("heartbeat.down")) {
                ++downs;
                downAt = now;
            } else if (e.kind == QLatin1String("heartbeat.suspect")) {
                ++suspects;
            }
        });
    }
    void advanceTo(qint64 t)
    {
        // The service checks every 20 ms.
        while (now + 20 * kMs <= t) {
            now += 20 * kMs;
            tracker.check(now, now / kMs);
        }
        now = t;
    }
    void beat(qint64 seq, int intervalMs)
    {
        const QByteArray payload =
            QByteArrayLiteral("{\"node\":\"n\",\"seq\":") + QByteArray::number(seq) + ",\"interval_ms\":" + QByteArray::number(intervalMs) + '}';
        tracker.ingest(0, "heartbeat:n", payload, now, now / 1000);
    }
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Stops per case."), QStringLiteral("N"), QStringLiteral("200")});
    parser.addOption({QStringLiteral("hours"), QStringLiteral("Healthy hours per case."), QStringLiteral("H"), QStringLiteral("10")});
    parser.addHelpOption();
    parser.process(app);
    const int runs = parser.value(QStringLiteral("runs")).toInt();
    const int hours = parser.value(QStringLiteral("hours")).toInt();

    std::printf("detector trade-off (defaults: suspect phi %.0f, down phi %.0f, deviation floor %.0f%% of the interval, "
                "hard bound %.0fx the interval)\n",
                DetectorSettings{}.suspectPhi, DetectorSettings{}.downPhi, DetectorSettings{}.minStdFraction * 100,
                DetectorSettings{}.hardBoundFactor);
    std::printf("%-9s %-8s %14s %14s %14s %14s %16s\n", "interval", "jitter", "detect mean", "detect p99", "detect max", "false down/h",
                "false suspect/h");
    for (const int intervalMs : {1000, 200}) {
        for (const int jitterPct : {0, 10, 20, 30, 50}) {
            std::mt19937 rng(unsigned(intervalMs * 100 + jitterPct));
            std::uniform_real_distribution<double> jitter(1.0 - jitterPct / 100.0, 1.0 + jitterPct / 100.0);
            // Detection: learn for two minutes, stop, measure.
            std::vector<double> detect;
            for (int r = 0; r < runs; ++r) {
                Sim sim;
                qint64 t = qint64(std::uniform_real_distribution<double>(0, intervalMs)(rng) * double(kMs));
                qint64 seq = 0;
                while (t < 120'000 * kMs) {
                    sim.advanceTo(t);
                    sim.beat(++seq, intervalMs);
                    t += qint64(jitter(rng) * intervalMs * double(kMs));
                }
                const qint64 last = sim.now;
                sim.advanceTo(last + 20 * qint64(intervalMs) * kMs);
                if (sim.downAt > 0)
                    detect.push_back(double(sim.downAt - last) / double(kMs));
            }
            std::sort(detect.begin(), detect.end());
            double mean = 0;
            for (double d : detect)
                mean += d;
            mean /= double(std::max<size_t>(1, detect.size()));
            // False alarms: a healthy node for `hours` hours.
            Sim healthy;
            qint64 t = 0, seq = 0;
            while (t < qint64(hours) * 3600'000 * kMs) {
                healthy.advanceTo(t);
                healthy.beat(++seq, intervalMs);
                t += qint64(jitter(rng) * intervalMs * double(kMs));
            }
            std::printf("%6d ms  +/-%3d%%  %11.0f ms  %11.0f ms  %11.0f ms  %14.2f  %16.2f\n", intervalMs, jitterPct, mean,
                        detect.empty() ? 0 : detect[size_t(0.99 * double(detect.size() - 1))], detect.empty() ? 0 : detect.back(),
                        double(healthy.downs) / hours, double(healthy.suspects) / hours);
            std::fflush(stdout);
        }
    }
    return 0;
}
