// Benchmark: the in-process cost of one heartbeat (parse + track + detect), on one core.
//
//   bench_heartbeat [--beats N] [--nodes N]
#include "heartbeat/beatparser.h"
#include "heartbeat/tracker.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

using namespace vigil;

namespace {

struct Result
{
    double nsPerBeat = 0;
    double checkUs = 0;
};

// Feeds `beats` beats round-robin from `nodes` nodes; payloads are built outside the timed part.
Result run(qint64 beats, int nodes, bool json)
{
    HeartbeatTracker tracker;
    qint64 events = 0;
    tracker.setEventSink([&events](const Event &) { ++events; });
    QList<QByteArray> channels;
    for (int n = 0; n < nodes; ++n)
        channels << QByteArrayLiteral("heartbeat:node-") + QByteArray::number(n);

    const qint64 chunk = 100'000;
    QList<QByteArray> payloads(chunk);
    qint64 timedNs = 0;
    qint64 checkNs = 0;
    qint64 checks = 0;
    qint64 nowNs = 0;
    const qint64 stepNs = 1'000'000'000LL / nodes; // every node beats once a second
    const qint64 wallUs0 = 1'764'130'000'000'000LL;
    QElapsedTimer clock;
    for (qint64 done = 0; done < beats; done += chunk) {
        for (qint64 i = 0; i < chunk; ++i) {
            const qint64 k = done + i;
            const qint64 seq = k / nodes + 1;
            const qint64 tsUs = wallUs0 + (nowNs + i * stepNs) / 1000 - 300;
            payloads[i] = json ? QByteArrayLiteral("{\"node\":\"node-") + QByteArray::number(k % nodes) + "\",\"seq\":" + QByteArray::number(seq)
                    + ",\"ts\":" + QByteArray::number(tsUs / 1'000'000) + '.' + QByteArray::number(tsUs % 1'000'000).rightJustified(6, '0')
                    + ",\"interval_ms\":1000,\"role\":\"worker\"}"
                               : QByteArrayLiteral("alive");
        }
        clock.start();
        for (qint64 i = 0; i < chunk; ++i) {
            const qint64 k = done + i;
            nowNs += stepNs;
            tracker.ingest(0, channels.at(int(k % nodes)), payloads.at(i), nowNs, wallUs0 + nowNs / 1000);
            // The service checks every 20 ms of wall time; at a million beats a second that is
            // once per 20,000 beats.
            if (k % 20'000 == 19'999) {
                const qint64 before = clock.nsecsElapsed();
                tracker.check(nowNs, (wallUs0 + nowNs / 1000) / 1000);
                checkNs += clock.nsecsElapsed() - before;
                ++checks;
            }
        }
        timedNs += clock.nsecsElapsed();
        tracker.takeSamples(); // the service hands these to the views every 250 ms
    }
    if (tracker.nodeCount() != nodes || events < nodes) {
        std::fprintf(stderr, "bench_heartbeat: expected %d nodes, got %d\n", nodes, tracker.nodeCount());
        std::exit(1);
    }
    return {double(timedNs) / double(beats), checks ? double(checkNs) / double(checks) / 1000.0 : 0};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("beats"), QStringLiteral("Beats per case."), QStringLiteral("N"), QStringLiteral("5000000")});
    parser.addHelpOption();
    parser.process(app);
    const qint64 beats = parser.value(QStringLiteral("beats")).toLongLong();

    std::printf("heartbeat ingest, one core: parse + track + detect per beat (%lld beats per case)\n", static_cast<long long>(beats));
    std::printf("%-8s %7s %12s %14s %16s\n", "payload", "nodes", "ns/beat", "beats/s", "check() us");
    for (const bool json : {true, false}) {
        for (const int nodes : {1000, 10000}) {
            const Result r = run(beats, nodes, json);
            std::printf("%-8s %7d %12.0f %14.0f %16.1f\n", json ? "json" : "plain", nodes, r.nsPerBeat, 1e9 / r.nsPerBeat, r.checkUs);
            std::fflush(stdout);
        }
    }

    // The parser alone, on the contract's example beat.
    const QByteArray example(R"({"node":"api-1","seq":42,"ts":1764130333.123,"interval_ms":1000,"role":"primary"})");
    const QByteArray channel("heartbeat:api-1");
    QElapsedTimer clock;
    clock.start();
    qint64 ok = 0;
    for (qint64 i = 0; i < beats; ++i)
        ok += parseBeat(channel, example).ok() ? 1 : 0;
    const double parseNs = double(clock.nsecsElapsed()) / double(beats);
    std::printf("parseBeat alone (contract example): %.0f ns/beat (%lld parsed)\n", parseNs, static_cast<long long>(ok));
    return 0;
}
