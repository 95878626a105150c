// Benchmark: memory of the latency history (and the tracker) for many nodes over a long run.
// Feeds the beats of N nodes at 1 Hz for H simulated hours, as the heartbeat service would, and
// prints the history's own count of bytes and the process's RSS as it goes.
//
//   bench_history [--nodes N] [--hours H]
#include "benchutil.h"
#include "heartbeat/latencyhistory.h"
#include "heartbeat/tracker.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>

#include <cstdio>
#include <unistd.h>

using namespace vigil;
using vigil::bench::rssMb;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("nodes"), QStringLiteral("Nodes."), QStringLiteral("N"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("hours"), QStringLiteral("Simulated hours."), QStringLiteral("H"), QStringLiteral("24")});
    parser.addHelpOption();
    parser.process(app);
    const int nodes = parser.value(QStringLiteral("nodes")).toInt();
    const int hours = parser.value(QStringLiteral("hours")).toInt();

    const double rssStart = rssMb();
    HeartbeatTracker tracker;
    tracker.setEventSink([](const Event &) {});
    LatencyHistory history;
    QList<QByteArray> channels;
    for (int n = 0; n < nodes; ++n)
        channels << QByteArrayLiteral("heartbeat:node-") + QByteArray::number(n);

    std::printf("latency history: %d nodes beating JSON at 1 Hz for %d simulated hours\n", nodes, hours);
    std::printf("%6s %12s %12s %14s %12s %10s\n", "hour", "raw", "buckets", "history MB", "RSS MB", "wall s");
    QElapsedTimer wall;
    wall.start();
    const qint64 wallUs0 = 1'764'130'000'000'000LL;
    qint64 nowNs = 0;
    for (qint64 second = 1; second <= qint64(hours) * 3600; ++second) {
        for (int n = 0; n < nodes; ++n) {
            nowNs = second * 1'000'000'000LL + qint64(n) * (1'000'000'000LL / nodes);
            const qint64 wallUs = wallUs0 + nowNs / 1000;
            const qint64 sentUs = wallUs - 300 - (n % 50) * 10;
            const QByteArray payload = QByteArrayLiteral("{\"seq\":") + QByteArray::number(second)
                + ",\"ts\":" + QByteArray::number(sentUs / 1'000'000) + '.' + QByteArray::number(sentUs % 1'000'000).rightJustified(6, '0')
                + ",\"interval_ms\":1000}";
            tracker.ingest(0, channels.at(n), payload, nowNs, wallUs);
        }
        if (second % 1 == 0) {
            tracker.check(nowNs, (wallUs0 + nowNs / 1000) / 1000);
            history.add(tracker.takeSamples());
            history.addTransitions(tracker.takeTransitions());
        }
        if (second % 3600 == 0 && (second / 3600 == 1 || second / 3600 % 6 == 0 || second / 3600 == hours)) {
            std::printf("%6lld %12lld %12lld %14.1f %12.1f %10.1f\n", static_cast<long long>(second / 3600),
                        static_cast<long long>(history.rawCount()), static_cast<long long>(history.bucketCount()),
                        double(history.memoryBytes()) / 1e6, rssMb() - rssStart, double(wall.elapsed()) / 1000.0);
            std::fflush(stdout);
        }
    }
    return 0;
}
