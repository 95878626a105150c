// The heartbeat tracker and its failure detector on an injected clock: detection bounds, no false
// alarms under jitter, duplicates, gaps, restarts, unobservable nodes, malformed beats, latency.
#include "heartbeat/tracker.h"

#include <QTest>

#include <random>

using namespace vigil;

namespace {

constexpr qint64 kMs = 1'000'000; // nanoseconds
constexpr qint64 kEpochMs = 1'764'130'000'000;

// Drives a tracker through simulated time, checking it every 10 ms as the service does.
class Sim
{
public:
    explicit Sim(DetectorSettings settings = {})
        : tracker(settings)
    {
        tracker.setEventSink([this](const Event &e) { events << e; });
        tracker.setCarrierAddress(0, QStringLiteral("127.0.0.1:6379"));
        tracker.setCarrierAddress(1, QStringLiteral("127.0.0.1:6380"));
    }

    void advanceTo(qint64 ns)
    {
        while (now + 10 * kMs <= ns) {
            now += 10 * kMs;
            tracker.check(now, wall());
        }
        now = ns;
        tracker.check(now, wall());
    }
    qint64 wall() const { return kEpochMs + now / kMs; }
    void beat(const QByteArray &payload, const QByteArray &channel = "heartbeat", int carrier = 0)
    {
        tracker.ingest(carrier, channel, payload, now, wall() * 1000);
    }
    QByteArray json(const char *node, qint64 seq, int intervalMs, qint64 latencyMs = 1) const
    {
        const double ts = double(wall() - latencyMs) / 1000.0;
        return QStringLiteral(R"({"node":"%1","seq":%2,"ts":%3,"interval_ms":%4})")
            .arg(QLatin1String(node))
            .arg(seq)
            .arg(ts, 0, 'f', 3)
            .arg(intervalMs)
            .toUtf8();
    }
    QList<Event> ofKind(const QString &kind) const
    {
        QList<Event> out;
        for (const Event &e : events)
            if (e.kind == kind)
                out << e;
        return out;
    }

    HeartbeatTracker tracker;
    QList<Event> events;
    qint64 now = 0;
};

} // namespace

class TestTracker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void phiMath()
    {
        QCOMPARE(phiNormal(0, 0, 1), std::log10(2.0));
        QVERIFY(std::abs(zForPhi(8) - 5.612) < 0.01);
        QVERIFY(std::abs(zForPhi(3) - 3.090) < 0.01);
        // Monotonic and finite far into the tail.
        double last = 0;
        for (double z = -3; z < 60; z += 0.5) {
            const double phi = phiNormal(z, 0, 1);
            QVERIFY(std::isfinite(phi));
            QVERIFY(phi >= last);
            last = phi;
        }
    }

    void detectionBounds_data()
    {
        QTest::addColumn<int>("intervalMs");
        QTest::addColumn<bool>("announced");
        QTest::addColumn<int>("boundMs");
        QTest::newRow("1 s plain") << 1000 << false << 2000;
        QTest::newRow("1 s json") << 1000 << true << 2000;
        QTest::newRow("200 ms json") << 200 << true << 500;
        QTest::newRow("200 ms learned") << 200 << false << 500;
    }

    void detectionBounds()
    {
        QFETCH(int, intervalMs);
        QFETCH(bool, announced);
        QFETCH(int, boundMs);
        Sim sim;
        qint64 seq = 0;
        for (int i = 0; i < 60; ++i) {
            sim.advanceTo(qint64(i) * intervalMs * kMs);
            sim.beat(announced ? sim.json("n", ++seq, intervalMs) : QByteArray("alive"), announced ? "heartbeat:n" : "n");
        }
        const qint64 lastBeat = sim.now;
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.up")).size(), 1);
        sim.advanceTo(lastBeat + 5000 * kMs);
        const auto down = sim.ofKind(QStringLiteral("heartbeat.down"));
        QCOMPARE(down.size(), 1);
        const qint64 detectedMs = down.first().time.toMSecsSinceEpoch() - (kEpochMs + lastBeat / kMs);
        QVERIFY2(detectedMs <= boundMs, qPrintable(QString::number(detectedMs)));
        QVERIFY2(detectedMs > intervalMs, qPrintable(QString::number(detectedMs)));
        // Suspicion comes first.
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.suspect")).size(), 1);
        QVERIFY(sim.ofKind(QStringLiteral("heartbeat.suspect")).first().time < down.first().time);
        QCOMPARE(down.first().severity, Severity::Critical);
        QVERIFY(down.first().message.startsWith(QStringLiteral("no heartbeat for")));
        QVERIFY(down.first().data.value(QStringLiteral("phi")).toDouble() >= 8.0
                || down.first().data.value(QStringLiteral("silence_ms")).toInt() >= 2 * intervalMs - 20);

        // Recovery reports the outage.
        sim.beat(announced ? sim.json("n", ++seq, intervalMs) : QByteArray("alive"), announced ? "heartbeat:n" : "n");
        const auto up = sim.ofKind(QStringLiteral("heartbeat.up"));
        QCOMPARE(up.size(), 2);
        QCOMPARE(up.last().data.value(QStringLiteral("from")).toString(), QStringLiteral("down"));
        QCOMPARE(up.last().data.value(QStringLiteral("outage_ms")).toInteger(), 5000);
    }

    void noFalseAlarmsUnderJitter_data()
    {
        QTest::addColumn<int>("intervalMs");
        QTest::addColumn<bool>("announced");
        QTest::newRow("1 s") << 1000 << true;
        QTest::newRow("1 s plain") << 1000 << false;
        QTest::newRow("200 ms") << 200 << true;
    }

    void noFalseAlarmsUnderJitter()
    {
        QFETCH(int, intervalMs);
        QFETCH(bool, announced);
        for (unsigned seed : {1u, 2u, 3u}) {
            Sim sim;
            std::mt19937 rng(seed);
            std::uniform_real_distribution<double> jitter(0.8, 1.2);
            qint64 t = 0;
            qint64 seq = 0;
            while (t < 10LL * 60 * 1000 * kMs) { // ten minutes
                sim.advanceTo(t);
                sim.beat(announced ? sim.json("j", ++seq, intervalMs) : QByteArray("alive"), "heartbeat:j");
                t += qint64(jitter(rng) * intervalMs * double(kMs));
            }
            QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.down")).size(), 0);
            QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.suspect")).size(), 0);
            QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.up")).size(), 1);
        }
    }

    void duplicatesFromSeveralCarriers()
    {
        Sim sim;
        for (int i = 1; i <= 20; ++i) {
            sim.advanceTo(qint64(i) * 1000 * kMs);
            const QByteArray beat = sim.json("d", i, 1000);
            sim.beat(beat, "heartbeat:d", 0);
            sim.advanceTo(sim.now + 2 * kMs); // the replica delivers its copy 2 ms later
            sim.beat(beat, "heartbeat:d", 1);
            sim.beat("alive", "p", 0);
            sim.beat("alive", "p", 1);
        }
        QCOMPARE(sim.tracker.duplicateCount(), 40);
        const auto status = sim.tracker.status(sim.now);
        QCOMPARE(status.size(), 2);
        for (const NodeStatus &s : status) {
            QCOMPARE(s.beats, 20);
            QVERIFY2(std::abs(s.meanIntervalUs - 1'000'000) < 5000, qPrintable(QString::number(s.meanIntervalUs)));
            QCOMPARE(s.carrier, QStringLiteral("127.0.0.1:6379"));
        }
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.lost")).size(), 0);
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.restarted")).size(), 0);
    }

    void gapsAndRestarts()
    {
        Sim sim;
        qint64 t = 0;
        auto beat = [&](qint64 seq) {
            t += 1000 * kMs;
            sim.advanceTo(t);
            sim.beat(sim.json("g", seq, 1000), "heartbeat:g");
        };
        for (qint64 s : {1, 2, 3, 7, 8, 10, 11})
            beat(s);
        // The first gap is reported at once; the next is held back by the rate limit.
        auto lost = sim.ofKind(QStringLiteral("heartbeat.lost"));
        QCOMPARE(lost.size(), 1);
        QCOMPARE(lost.first().data.value(QStringLiteral("lost")).toInt(), 3);
        QCOMPARE(lost.first().data.value(QStringLiteral("first_seq")).toInt(), 4);
        QCOMPARE(lost.first().data.value(QStringLiteral("last_seq")).toInt(), 6);
        for (qint64 s = 12; s < 80; ++s)
            beat(s);
        lost = sim.ofKind(QStringLiteral("heartbeat.lost"));
        QCOMPARE(lost.size(), 2);
        QCOMPARE(lost.last().data.value(QStringLiteral("lost")).toInt(), 1);
        QCOMPARE(lost.last().data.value(QStringLiteral("total_lost")).toInt(), 4);
        QCOMPARE(sim.tracker.status(sim.now).first().lost, 4);

        beat(1); // the publisher restarted
        const auto restarted = sim.ofKind(QStringLiteral("heartbeat.restarted"));
        QCOMPARE(restarted.size(), 1);
        QCOMPARE(restarted.first().data.value(QStringLiteral("from_seq")).toInt(), 79);
        QCOMPARE(restarted.first().data.value(QStringLiteral("to_seq")).toInt(), 1);
        beat(2);
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.restarted")).size(), 1);
        QCOMPARE(sim.tracker.status(sim.now).first().restarts, 1);
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.down")).size(), 0);
    }

    // A publisher whose seq goes back on every beat (two publishers sharing a name) once raised a
    // heartbeat.restarted per beat: now one a minute, counting the rest.
    void restartsAreRateLimited()
    {
        Sim sim;
        qint64 t = 0;
        for (int i = 0; i < 200; ++i) {
            t += 1000 * kMs;
            sim.advanceTo(t);
            sim.beat(sim.json("twin", i % 2 == 0 ? 1000 - i : 10 + i, 1000), "heartbeat:twin");
        }
        const auto restarted = sim.ofKind(QStringLiteral("heartbeat.restarted"));
        QVERIFY2(restarted.size() >= 3 && restarted.size() <= 5, qPrintable(QString::number(restarted.size())));
        QVERIFY(restarted.last().data.value(QStringLiteral("suppressed")).toInt() > 20);
        QVERIFY(restarted.last().message.contains(QStringLiteral("more resets")));
        QVERIFY(sim.tracker.status(sim.now).first().restarts > 90);
    }

    // Sequence numbers at the edges of what JSON carries exactly: jumps are counter resets, not
    // billions of lost beats (the running total once overflowed to a negative number).
    void extremeSequenceJumps()
    {
        Sim sim;
        qint64 t = 0;
        const qint64 values[] = {-9'000'000'000'000'000, 9'000'000'000'000'000, -9'000'000'000'000'000, 0, 9'000'000'000'000'000, 1, 2, 5};
        for (int round = 0; round < 50; ++round)
            for (qint64 seq : values) {
                t += 1000 * kMs;
                sim.advanceTo(t);
                sim.beat(sim.json("edge", seq, 1000), "heartbeat:edge");
            }
        const NodeStatus s = sim.tracker.status(sim.now).first();
        QVERIFY(s.lost >= 0 && s.lost < 1000);
        for (const Event &e : sim.ofKind(QStringLiteral("heartbeat.lost"))) {
            QVERIFY(e.data.value(QStringLiteral("total_lost")).toDouble() >= 0);
            QVERIFY(e.data.value(QStringLiteral("lost")).toDouble() <= HeartbeatTracker::kMaxCountedGap);
        }
        const auto restarted = sim.ofKind(QStringLiteral("heartbeat.restarted"));
        QVERIFY(!restarted.isEmpty());
        QVERIFY(std::any_of(restarted.begin(), restarted.end(), [](const Event &e) { return e.data.value(QStringLiteral("jump")).toBool(); }));
    }

    // A flood of random names (945,000 once took 3.2 GB) meets a limit with one event; names that
    // beat once and fell silent are forgotten; a node that beats steadily is never forgotten.
    void nodeNamesAreBounded()
    {
        Sim sim;
        sim.tracker.setMaxNodes(100);
        qint64 t = 0;
        for (int i = 0; i < 5; ++i) {
            t += 1000 * kMs;
            sim.advanceTo(t);
            sim.beat(sim.json("steady", i + 1, 1000), "heartbeat:steady");
        }
        for (int i = 0; i < 1000; ++i)
            sim.beat(QStringLiteral("alive").toUtf8(), QStringLiteral("heartbeat:random-%1").arg(i).toUtf8());
        QCOMPARE(sim.tracker.nodeCount(), 100);
        QCOMPARE(sim.tracker.refusedNodeCount(), qint64(901));
        const auto capped = sim.ofKind(QStringLiteral("heartbeat.nodes_capped"));
        QCOMPARE(capped.size(), 1);
        QCOMPARE(capped.first().data.value(QStringLiteral("limit")).toInt(), 100);
        // A minute later the one-off names are forgotten; the steady node (silent too now) stays.
        t += HeartbeatTracker::kForgetAfterNs + 10'000 * kMs;
        sim.advanceTo(t);
        QCOMPARE(sim.tracker.nodeCount(), 1);
        QCOMPARE(sim.tracker.status(sim.now).first().node, QStringLiteral("steady"));
        sim.beat(QStringLiteral("alive").toUtf8(), QByteArrayLiteral("heartbeat:newcomer"));
        QCOMPARE(sim.tracker.nodeCount(), 2);
    }

    void unreachableCarrierMeansUnknown()
    {
        Sim sim;
        for (int i = 0; i < 10; ++i) {
            sim.advanceTo(qint64(i) * 1000 * kMs);
            sim.beat("alive", "api", 0);
        }
        sim.tracker.setCarrierReachable(0, false, sim.now, sim.wall());
        sim.advanceTo(sim.now + 10'000 * kMs);
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.down")).size(), 0);
        const auto unknown = sim.ofKind(QStringLiteral("heartbeat.unknown"));
        QCOMPARE(unknown.size(), 1);
        QVERIFY(unknown.first().message.contains(QStringLiteral("unreachable")));
        QCOMPARE(sim.tracker.status(sim.now).first().state, NodeState::Unknown);

        // The carrier is back but the node stays silent: now it is down.
        sim.tracker.setCarrierReachable(0, true, sim.now, sim.wall());
        sim.advanceTo(sim.now + 1000 * kMs);
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.down")).size(), 0);
        sim.advanceTo(sim.now + 2000 * kMs);
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.down")).size(), 1);
        sim.beat("alive", "api", 0);
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.up")).last().data.value(QStringLiteral("outage_ms")).toInteger(), 13000);
    }

    void unknownThenBackWithBeats()
    {
        Sim sim;
        for (int i = 0; i < 10; ++i) {
            sim.advanceTo(qint64(i) * 1000 * kMs);
            sim.beat("alive", "api", 0);
        }
        sim.tracker.setCarrierReachable(0, false, sim.now, sim.wall());
        sim.advanceTo(sim.now + 5000 * kMs);
        sim.tracker.setCarrierReachable(0, true, sim.now, sim.wall());
        sim.advanceTo(sim.now + 300 * kMs);
        sim.beat("alive", "api", 0);
        const auto up = sim.ofKind(QStringLiteral("heartbeat.up"));
        QCOMPARE(up.size(), 2);
        QCOMPARE(up.last().data.value(QStringLiteral("from")).toString(), QStringLiteral("unknown"));
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.down")).size(), 0);
    }

    void malformedIsCountedAndRateLimited()
    {
        Sim sim;
        for (int i = 0; i < 100; ++i) {
            sim.advanceTo(qint64(i) * 100 * kMs);
            sim.beat("{not json", "heartbeat:bad");
            sim.beat(sim.json("ok", i + 1, 100), "heartbeat:ok");
        }
        QCOMPARE(sim.tracker.malformedCount(), 100);
        auto malformed = sim.ofKind(QStringLiteral("heartbeat.malformed"));
        QCOMPARE(malformed.size(), 1);
        QCOMPARE(malformed.first().source, QStringLiteral("heartbeat:bad"));
        QCOMPARE(malformed.first().data.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_json"));
        QCOMPARE(malformed.first().data.value(QStringLiteral("excerpt")).toString(), QStringLiteral("{not json"));
        sim.advanceTo(sim.now + 61'000 * kMs);
        sim.beat("[1]", "heartbeat:bad");
        malformed = sim.ofKind(QStringLiteral("heartbeat.malformed"));
        QCOMPARE(malformed.size(), 2);
        QCOMPARE(malformed.last().data.value(QStringLiteral("count")).toInt(), 100);
        QCOMPARE(malformed.last().data.value(QStringLiteral("total")).toInt(), 101);
        // The healthy node never noticed.
        QCOMPARE(sim.tracker.nodeCount(), 1);
        QCOMPARE(sim.tracker.status(sim.now).first().beats, 100);
    }

    void latencyAndClockSkew()
    {
        Sim sim;
        for (int i = 1; i <= 50; ++i) {
            sim.advanceTo(qint64(i) * 1000 * kMs);
            sim.beat(sim.json("lat", i, 1000, i % 10 == 0 ? 40 : 3), "heartbeat:lat");
        }
        NodeStatus s = sim.tracker.status(sim.now).first();
        QCOMPARE(s.latencyP50Us, 3000);
        QCOMPARE(s.latencyP99Us, 40000);
        QVERIFY(!s.clockSkew);
        const auto samples = sim.tracker.takeSamples();
        QCOMPARE(samples.size(), 50);
        QCOMPARE(samples.last().latencyUs, 40000);
        QVERIFY(sim.tracker.takeSamples().isEmpty());

        // A sender whose clock runs 5 s ahead.
        sim.advanceTo(sim.now + 1000 * kMs);
        sim.beat(sim.json("lat", 51, 1000, -5000), "heartbeat:lat");
        s = sim.tracker.status(sim.now).first();
        QVERIFY(s.clockSkew);
        QCOMPARE(s.latencyP50Us, -1);
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.clock_skew")).size(), 1);
        QVERIFY(sim.tracker.takeSamples().isEmpty()); // nothing to chart
    }

    void transitionsForCharts()
    {
        Sim sim;
        for (int i = 0; i < 5; ++i) {
            sim.advanceTo(qint64(i) * 1000 * kMs);
            sim.beat("alive", "t");
        }
        sim.advanceTo(sim.now + 3000 * kMs);
        sim.beat("alive", "t");
        const auto transitions = sim.tracker.takeTransitions();
        QList<NodeState> states;
        for (const auto &t : transitions)
            states << t.state;
        QCOMPARE(states, (QList<NodeState>{NodeState::Up, NodeState::Suspect, NodeState::Down, NodeState::Up}));
    }

    void flappingIsSummarised()
    {
        Sim sim;
        qint64 t = 0;
        auto beatFor = [&](int seconds) {
            for (int i = 0; i < seconds; ++i) {
                sim.advanceTo(t);
                sim.beat("alive", "flappy");
                t += 1000 * kMs;
            }
        };
        beatFor(10);
        for (int cycle = 0; cycle < 6; ++cycle) {
            t += 2500 * kMs; // silent for 3.5 s in all: down each time
            beatFor(5);
        }
        // Three alarms made it flapping; the rest were summarised.
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.flapping")).size(), 1);
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.suspect")).size(), 2);
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.down")).size(), 2);
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.up")).size(), 3); // first beat and two recoveries
        QVERIFY(sim.tracker.status(sim.now).first().flapping);
        const auto flapTransitions = sim.tracker.takeTransitions();
        int bands = 0;
        for (const auto &tr : flapTransitions)
            bands += tr.flapping ? 1 : 0;
        QCOMPARE(bands, 1);

        // A steady minute ends it.
        beatFor(65);
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.steady")).size(), 1);
        QVERIFY(sim.ofKind(QStringLiteral("heartbeat.steady")).first().data.value(QStringLiteral("alarms")).toInt() >= 6);
        QVERIFY(!sim.tracker.status(sim.now).first().flapping);
        const auto after = sim.tracker.takeTransitions();
        QCOMPARE(after.size(), 1);
        QVERIFY(after.first().flapping);
        QCOMPARE(after.first().state, NodeState::Up);

        // Flapping that ends by staying down is reported as down.
        beatFor(1);
        for (int cycle = 0; cycle < 3; ++cycle) {
            t += 2500 * kMs;
            beatFor(3);
        }
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.flapping")).size(), 2);
        const int downs = int(sim.ofKind(QStringLiteral("heartbeat.down")).size());
        sim.advanceTo(t + 70'000 * kMs);
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.down")).size(), downs + 1);
        QVERIFY(sim.ofKind(QStringLiteral("heartbeat.down")).last().message.startsWith(QStringLiteral("still down after")));
    }

    void quietPeriodPagesNobody()
    {
        Sim sim;
        for (int i = 0; i < 10; ++i) {
            sim.advanceTo(qint64(i) * 200 * kMs);
            sim.beat(sim.json("q", i + 1, 200), "heartbeat:q");
        }
        sim.tracker.setQuietPeriod(true);
        sim.advanceTo(sim.now + 600 * kMs);
        sim.tracker.setQuietPeriod(false);
        sim.beat(sim.json("q", 11, 200), "heartbeat:q");
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.down")).size(), 0);
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.suspect")).size(), 0);
        // The silence is annotated once, as information.
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.paused")).size(), 1);
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.paused")).first().severity, Severity::Info);
    }
    // Beats published on a master arrive through its replica too (first, sometimes): the node
    // belongs to the master, and is unknown, not down, when the master is gone.
    void beatsBelongToTheServerTheyWerePublishedOn()
    {
        Sim sim;
        sim.tracker.setCarrierUpstream(1, 0); // carrier 1 replicates from carrier 0
        for (int i = 0; i < 10; ++i) {
            sim.advanceTo(qint64(i) * 200 * kMs);
            sim.beat(sim.json("w", i + 1, 200), "heartbeat:w", 1); // the replica's copy first
            sim.beat(sim.json("w", i + 1, 200), "heartbeat:w", 0);
        }
        QCOMPARE(sim.tracker.status(sim.now).first().carrier, QStringLiteral("127.0.0.1:6379"));
        // The master dies; the replica is still reachable.
        sim.tracker.setCarrierReachable(0, false, sim.now, sim.wall());
        sim.advanceTo(sim.now + 3000 * kMs);
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.down")).size(), 0);
        QCOMPARE(sim.ofKind(QStringLiteral("heartbeat.unknown")).size(), 1);
        QCOMPARE(sim.tracker.status(sim.now).first().state, NodeState::Unknown);

        // The master's subscription is restored just after a beat was published: that beat comes
        // through the replica only. The node still belongs to the master.
        Sim race;
        race.tracker.setCarrierUpstream(1, 0);
        for (int i = 0; i < 10; ++i) {
            race.advanceTo(qint64(i) * 200 * kMs);
            race.beat(race.json("w", i + 1, 200), "heartbeat:w", 0);
            race.beat(race.json("w", i + 1, 200), "heartbeat:w", 1);
        }
        race.tracker.setCarrierReachable(0, false, race.now, race.wall());
        race.advanceTo(race.now + 1000 * kMs);
        race.tracker.setCarrierReachable(0, true, race.now, race.wall());
        race.beat(race.json("w", 11, 200), "heartbeat:w", 1);
        QCOMPARE(race.tracker.status(race.now).first().carrier, QStringLiteral("127.0.0.1:6379"));
        race.tracker.setCarrierReachable(0, false, race.now, race.wall()); // and now it dies
        race.advanceTo(race.now + 3000 * kMs);
        QCOMPARE(race.tracker.status(race.now).first().state, NodeState::Unknown);

        // Published on the replica alone (no copy through the master): the replica's node.
        Sim own;
        own.tracker.setCarrierUpstream(1, 0);
        for (int i = 0; i < 5; ++i) {
            own.advanceTo(qint64(i) * 200 * kMs);
            own.beat(own.json("r", i + 1, 200), "heartbeat:r", 1);
        }
        QCOMPARE(own.tracker.status(own.now).first().carrier, QStringLiteral("127.0.0.1:6380"));
    }

    // With a probe, silence is judged only after the carrier answered a round trip sent after the
    // node's last beat: answered, the node is down one round trip later at most; unanswered, the
    // carrier is hung and its nodes are unknown, with no suspect or down journalled.
    void carrierIsAskedBeforeANodeIsDown()
    {
        Sim sim;
        QList<int> probes;
        sim.tracker.setProbe([&probes](int carrier) { probes << carrier; });
        for (int i = 0; i < 20; ++i) {
            sim.advanceTo(qint64(i) * 200 * kMs);
            sim.beat(sim.json("a", i + 1, 200), "heartbeat:a");
            sim.beat(sim.json("b", i + 1, 200), "heartbeat:b");
        }
        const qint64 last = sim.now;
        // The carrier answers each probe 1 ms later; node "a" stops, "b" goes on.
        qint64 answered = 0;
        for (qint64 t = last; t < last + 2000 * kMs; t += 10 * kMs) {
            if ((t - last) % (200 * kMs) == 0 && t > last)
                sim.beat(sim.json("b", 20 + (t - last) / (200 * kMs), 200), "heartbeat:b");
            sim.advanceTo(t);
            if (!probes.isEmpty() && answered < probes.size()) {
                sim.advanceTo(t + 1 * kMs);
                sim.tracker.probeAnswered(probes.last(), sim.now, sim.wall());
                answered = probes.size();
            }
        }
        const auto down = sim.ofKind(QStringLiteral("heartbeat.down"));
        QCOMPARE(down.size(), 1);
        QCOMPARE(down.first().source, QStringLiteral("a"));
        QVERIFY(!probes.isEmpty());
        const qint64 detectMs = down.first().time.toMSecsSinceEpoch() - (kEpochMs + last / kMs);
        QVERIFY2(detectMs <= 500 + 10, qPrintable(QString::number(detectMs)));

        // Now the carrier hangs: "b" falls silent too, and the probe is never answered.
        Sim hung;
        QList<int> asked;
        hung.tracker.setProbe([&asked](int carrier) { asked << carrier; });
        for (int i = 0; i < 20; ++i) {
            hung.advanceTo(qint64(i) * 200 * kMs);
            hung.beat(hung.json("x", i + 1, 200), "heartbeat:x");
            hung.beat(hung.json("y", i + 1, 1000), "heartbeat:y");
        }
        hung.advanceTo(hung.now + 1500 * kMs);
        QCOMPARE(asked.size(), 1); // one probe for the carrier, however many nodes wait on it
        QCOMPARE(hung.ofKind(QStringLiteral("heartbeat.down")).size(), 0);
        QCOMPARE(hung.ofKind(QStringLiteral("heartbeat.suspect")).size(), 0);
        hung.tracker.probeFailed(0, hung.now, hung.wall());
        hung.advanceTo(hung.now + 3000 * kMs);
        QCOMPARE(hung.ofKind(QStringLiteral("heartbeat.down")).size(), 0);
        QCOMPARE(hung.ofKind(QStringLiteral("heartbeat.unknown")).size(), 2);
        QCOMPARE(hung.ofKind(QStringLiteral("heartbeat.unknown")).first().data.value(QStringLiteral("carrier_state")).toString(),
                 QStringLiteral("hung"));
    }

    // heartbeat.lost is stamped when the gap ended, even when rate limiting journals it later.
    void lostIsStampedWhenTheGapEnded()
    {
        Sim sim;
        sim.beat(sim.json("g", 1, 1000), "heartbeat:g");
        sim.advanceTo(1000 * kMs);
        sim.beat(sim.json("g", 3, 1000), "heartbeat:g"); // seq 2 lost: reported now
        sim.advanceTo(2000 * kMs);
        const qint64 gapEnded = sim.wall();
        sim.beat(sim.json("g", 5, 1000), "heartbeat:g"); // seq 4 lost: reported a minute after the first
        for (int i = 6; i < 75; ++i) {
            sim.advanceTo(qint64(i - 3) * 1000 * kMs);
            sim.beat(sim.json("g", i, 1000), "heartbeat:g");
        }
        const auto lost = sim.ofKind(QStringLiteral("heartbeat.lost"));
        QCOMPARE(lost.size(), 2);
        QCOMPARE(lost.last().time.toMSecsSinceEpoch(), gapEnded);
    }
};

QTEST_APPLESS_MAIN(TestTracker)
#include "tst_tracker.moc"
