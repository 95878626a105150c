// Benchmark: the in-process cost of one heartbeat (parse + track + detect), on one core; then
// Vigil's beat parser beside simdjson's (built with libsimdjson-dev): the time per beat on the
// same payloads, and the verdicts of both on the fuzzing seeds and thousands of mutations of them.
//
//   bench_heartbeat [--beats N]
#include "heartbeat/beatparser.h"
#include "heartbeat/tracker.h"
#ifdef VIGIL_HAVE_SIMDJSON
#include "simdjsonbeat.h"
#endif

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMap>

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

#ifdef VIGIL_HAVE_SIMDJSON
// What a parse says, to compare two parsers by.
QByteArray verdict(const BeatParse &p)
{
    if (!p.ok())
        return beatErrorName(p.error).toUtf8();
    const Beat &b = p.beat;
    return "ok node=" + b.node + " json=" + QByteArray::number(b.json) + " seq=" + (b.hasSeq ? QByteArray::number(b.seq) : "-")
        + " ts=" + (b.hasTs ? QByteArray::number(b.ts, 'g', 17) : "-") + " interval=" + QByteArray::number(b.intervalMs) + " role=" + b.role
        + " service=" + b.service + " epoch=" + QByteArray::number(b.epoch);
}

// The seeds of fuzz_beat (channel, newline, payload) and, for each, every truncation and every
// byte replaced by each of a few characters that matter to JSON.
QList<std::pair<QByteArray, QByteArray>> parityCorpus()
{
    QList<std::pair<QByteArray, QByteArray>> seeds;
    const QDir dir(QStringLiteral(VIGIL_SOURCE_DIR "/tests/fuzz/seeds/beat"));
    for (const QString &name : dir.entryList(QDir::Files)) {
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray all = f.readAll();
        const qsizetype nl = all.indexOf('\n');
        seeds.append({all.left(nl), all.mid(nl + 1)});
    }
    seeds.append({QByteArrayLiteral("c"), QByteArray(R"({"node":"a","x":123456789012345678901234})")});
    seeds.append({QByteArrayLiteral("c"), QByteArray(R"({"seq":"x","y":tru})")});
    seeds.append({QByteArrayLiteral("c"), QByteArray(R"({"seq":1e400})")});
    QList<std::pair<QByteArray, QByteArray>> corpus = seeds;
    const QByteArray specials("\"\\{}[],:0-.e xnt\x01\xff");
    for (const auto &[channel, payload] : std::as_const(seeds)) {
        for (qsizetype n = 0; n < payload.size(); ++n)
            corpus.append({channel, payload.left(n)});
        for (qsizetype i = 0; i < payload.size(); ++i)
            for (char c : specials) {
                QByteArray mutated = payload;
                mutated[i] = c;
                corpus.append({channel, mutated});
            }
    }
    return corpus;
}

void compareWithSimdjson(qint64 iterations)
{
    bench::SimdjsonBeatParser simdjson;
    struct Payload
    {
        const char *name;
        QByteArray channel, payload;
    };
    const QList<Payload> payloads{
        {"contract example", "heartbeat:api-1", R"({"node":"api-1","seq":42,"ts":1764130333.123,"interval_ms":1000,"role":"primary"})"},
        {"with service, epoch, extras", "heartbeat:api-1",
         R"({"node":"api-1","seq":42,"ts":1764130333.123456,"interval_ms":1000,"role":"primary","service":"orders","epoch":7,)"
         R"("host":"10.0.0.12","pid":4242,"version":"2.14.1","tags":["eu-west-1","blue"],"load":{"cpu":0.42,"rss_mb":812}})"},
        {"plain", "heartbeat:api-1", "alive"},
    };
    std::printf("\nbeat parsers, one core, in place (%lld parses each):\n", static_cast<long long>(iterations));
    std::printf("%-30s %7s %14s %14s %8s\n", "payload", "bytes", "vigil ns", "simdjson ns", "ratio");
    for (const Payload &p : payloads) {
        qint64 ok = 0;
        QElapsedTimer clock;
        clock.start();
        for (qint64 i = 0; i < iterations; ++i)
            ok += parseBeatInPlace(p.channel, p.payload).ok() ? 1 : 0;
        const double ours = double(clock.nsecsElapsed()) / double(iterations);
        clock.restart();
        for (qint64 i = 0; i < iterations; ++i)
            ok += simdjson.parse(p.channel, p.payload).ok() ? 1 : 0;
        const double theirs = double(clock.nsecsElapsed()) / double(iterations);
        if (ok != 2 * iterations) {
            std::fprintf(stderr, "bench_heartbeat: a parser refused the %s payload\n", p.name);
            std::exit(1);
        }
        std::printf("%-30s %7lld %14.0f %14.0f %8.2f\n", p.name, static_cast<long long>(p.payload.size()), ours, theirs, theirs / ours);
    }

    const QList<std::pair<QByteArray, QByteArray>> corpus = parityCorpus();
    QMap<QByteArray, std::pair<int, QByteArray>> differences; // "ours -> theirs" kinds: count, an example
    int same = 0;
    for (const auto &[channel, payload] : corpus) {
        const QByteArray ours = verdict(parseBeatInPlace(channel, payload));
        const QByteArray theirs = verdict(simdjson.parse(channel, payload));
        if (ours == theirs) {
            ++same;
            continue;
        }
        auto &d = differences[ours.left(ours.indexOf(' ') < 0 ? ours.size() : ours.indexOf(' ')) + " -> "
                              + theirs.left(theirs.indexOf(' ') < 0 ? theirs.size() : theirs.indexOf(' '))];
        const QByteArray example = payload.left(120).toPercentEncoding(" {}[]\":,.-+");
        if (d.first++ < 20 && !d.second.contains(example) && d.second.count('|') < 3)
            d.second += (d.second.isEmpty() ? "" : " | ") + example;
    }
    std::printf("verdicts on %lld payloads (the fuzzing seeds, their truncations and byte mutations): %d the same\n",
                static_cast<long long>(corpus.size()), same);
    for (auto it = differences.cbegin(); it != differences.cend(); ++it)
        std::printf("  vigil %s (simdjson): %d, e.g. %s\n", it.key().constData(), it.value().first, it.value().second.constData());
}
#endif

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
#ifdef VIGIL_HAVE_SIMDJSON
    compareWithSimdjson(std::min<qint64>(beats, 2'000'000));
#else
    std::printf("simdjson comparison not built (libsimdjson-dev missing)\n");
#endif
    return 0;
}
