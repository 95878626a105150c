// The truth during failures, on real servers: a reconnect is not an outage, beats belong to the
// server they were published on, a hung Redis pages nobody for its applications, a stale master
// that comes back after a failover is a split brain (with what it accepted and what its resync
// threw away), and publishers follow the master through Sentinel.
#include "actions/promotionplan.h"
#include "heartbeat/beatpublisher.h"
#include "journal/seriesstore.h"
#include "monitor/monitor.h"
#include "monitor/topologygraph.h"
#include "redisfixture.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

namespace {

// Everything a monitor raised, with the wall time it was raised at.
class Recorder
{
public:
    explicit Recorder(Monitor &monitor)
    {
        QObject::connect(&monitor, &Monitor::eventRaised, &m_context, [this](const Event &e) { events << e; });
        QObject::connect(monitor.heartbeats(), &HeartbeatService::updated, &m_context, [this](const HeartbeatUpdate &u) {
            for (const NodeStatus &n : u.nodes)
                nodes.insert(n.node, n);
        });
    }
    QList<Event> ofKind(const QString &kind, const QString &source = {}) const
    {
        QList<Event> list;
        for (const Event &e : events)
            if (e.kind == kind && (source.isEmpty() || e.source == source))
                list << e;
        return list;
    }
    int count(const QString &kind, const QString &source = {}) const { return int(ofKind(kind, source).size()); }
    NodeState state(const QString &node) const { return nodes.value(node).state; }
    QString carrier(const QString &node) const { return nodes.value(node).carrier; }
    void print() const
    {
        for (const Event &e : events)
            qInfo("%s %-28s %-8s %-22s %s", qPrintable(e.time.toString(QStringLiteral("hh:mm:ss.zzz"))), qPrintable(e.kind),
                  qPrintable(severityName(e.severity)), qPrintable(e.source), qPrintable(e.message));
    }

    QList<Event> events;
    QHash<QString, NodeStatus> nodes;

private:
    QObject m_context;
};

std::unique_ptr<BeatPublisher> publisher(const ConnectionOptions &target, const QString &node, int intervalMs,
                                         const QList<ConnectionOptions> &sentinels = {}, const QString &group = {})
{
    BeatPublisherOptions o;
    o.connection = target;
    o.connection.keepAliveIntervalMs = 0;
    o.sentinels = sentinels;
    o.masterName = group;
    o.node = node;
    o.intervalMs = intervalMs;
    auto p = std::make_unique<BeatPublisher>(o);
    p->start();
    return p;
}

} // namespace

// The first line where two texts differ, with its neighbours, to say how they differ.
QString firstDifference(const QByteArray &a, const QByteArray &b)
{
    const QList<QByteArray> la = a.split('\n'), lb = b.split('\n');
    for (qsizetype i = 0; i < std::max(la.size(), lb.size()); ++i)
        if (la.value(i) != lb.value(i))
            return QStringLiteral("line %1:\n%2\n  vs\n%3")
                .arg(i + 1)
                .arg(QString::fromUtf8(la.mid(std::max<qsizetype>(0, i - 6), 8).join('\n')),
                     QString::fromUtf8(lb.mid(std::max<qsizetype>(0, i - 6), 8).join('\n')));
    return {};
}

class TestFailures : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RedisFixture> m_redis;

    QList<ConnectionOptions> sentinelOptions(const QList<int> &sentinels) const
    {
        QList<ConnectionOptions> list;
        for (int s : sentinels)
            list << m_redis->options(s);
        return list;
    }

    void killAll(const QList<int> &nodes)
    {
        for (int n : nodes)
            m_redis->topology().kill(n);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString missing = RedisFixture::missing(true); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        m_redis = std::make_unique<RedisFixture>();
    }

    void cleanupTestCase() { m_redis.reset(); }

    // A connection the server closes and takes back at once is a reconnect (info); a killed server
    // refuses the reconnect and is unreachable (critical) within 100 ms.
    void reconnectIsNotAnOutage()
    {
        const int server = m_redis->startServer(QStringLiteral("kicked"));
        QVERIFY(server >= 0);
        const QString address = m_redis->uri(server).address();
        Monitor monitor(nullptr);
        Recorder rec(monitor);
        const auto explain = qScopeGuard([&rec] {
            if (QTest::currentTestFailed())
                rec.print();
        });
        monitor.setTargets({m_redis->options(server)});
        monitor.start();
        QTRY_VERIFY_WITH_TIMEOUT(monitor.connectedCount() == 1 && rec.count(QStringLiteral("monitor.baseline")) == 1, 5000);

        // What Sentinel does to a server it reconfigures.
        QVERIFY(m_redis->command(server, {"CLIENT", "KILL", "TYPE", "normal"}).isInteger());
        QTRY_VERIFY_WITH_TIMEOUT(rec.count(QStringLiteral("redis.reconnected"), address) >= 1, 3000);
        QTest::qWait(1500); // past the grace period: no outage may follow
        QCOMPARE(rec.count(QStringLiteral("redis.unreachable")), 0);
        const Event back = rec.ofKind(QStringLiteral("redis.reconnected")).first();
        QCOMPARE(back.severity, Severity::Info);
        QVERIFY(back.data.value(QStringLiteral("gap_ms")).toInteger() < 500);
        QVERIFY(monitor.statusOf(address)->connected);

        const qint64 killedAt = QDateTime::currentMSecsSinceEpoch();
        m_redis->topology().kill(server);
        QTRY_COMPARE_WITH_TIMEOUT(rec.count(QStringLiteral("redis.unreachable"), address), 1, 3000);
        const Event down = rec.ofKind(QStringLiteral("redis.unreachable")).first();
        QCOMPARE(down.severity, Severity::Critical);
        const qint64 after = down.time.toMSecsSinceEpoch() - killedAt;
        qInfo("unreachable %lld ms after SIGKILL", after);
        QVERIFY2(after <= 100, qPrintable(QString::number(after)));
        monitor.stop();
    }

    // Beats published on a master arrive through its replica too; they belong to the master. When it
    // is killed its nodes are unknown, never down, even with the replica still answering. When it
    // hangs, nobody is paged; a node that really stops behind a healthy master is down in time.
    void beatsBelongToTheirMaster()
    {
        const int master = m_redis->startServer(QStringLiteral("carrier-master"));
        const int replica = m_redis->startReplica(QStringLiteral("carrier-replica"), master);
        QVERIFY(master >= 0 && replica >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->linkUp(replica), 10000);
        const QString masterAddress = m_redis->uri(master).address();

        Monitor monitor(nullptr);
        Recorder rec(monitor);
        const auto explain = qScopeGuard([&rec] {
            if (QTest::currentTestFailed())
                rec.print();
        });
        // Given the replica only: the master is discovered, and still owns the beats.
        monitor.setTargets({m_redis->options(replica)});
        monitor.start();
        QTRY_VERIFY_WITH_TIMEOUT(monitor.connectedCount() == 2, 5000);
        auto fast = publisher(m_redis->options(master), QStringLiteral("fast"), 200);
        auto slow = publisher(m_redis->options(master), QStringLiteral("slow"), 1000);
        auto dying = publisher(m_redis->options(master), QStringLiteral("dying"), 200);
        QTRY_VERIFY_WITH_TIMEOUT(rec.carrier(QStringLiteral("fast")) == masterAddress && rec.carrier(QStringLiteral("slow")) == masterAddress
                                     && rec.carrier(QStringLiteral("dying")) == masterAddress,
                                 8000);
        QTest::qWait(3000); // the detectors learn the intervals

        // A real death behind a healthy master: down within the 200 ms bound (0.5 s) plus a round trip.
        const qint64 stoppedAt = QDateTime::currentMSecsSinceEpoch();
        dying->stop();
        QTRY_COMPARE_WITH_TIMEOUT(rec.count(QStringLiteral("heartbeat.down"), QStringLiteral("dying")), 1, 3000);
        const qint64 detected = rec.ofKind(QStringLiteral("heartbeat.down"), QStringLiteral("dying")).first().time.toMSecsSinceEpoch() - stoppedAt;
        qInfo("a stopped publisher is down %lld ms after its last beat was due", detected);
        QVERIFY2(detected <= 600, qPrintable(QString::number(detected)));

        // The master hangs: its nodes become unknown, nobody is paged.
        m_redis->topology().suspend(master);
        QTRY_VERIFY_WITH_TIMEOUT(rec.state(QStringLiteral("fast")) == NodeState::Unknown && rec.state(QStringLiteral("slow")) == NodeState::Unknown,
                                 6000);
        QTest::qWait(2000);
        m_redis->topology().resume(master);
        QTRY_VERIFY_WITH_TIMEOUT(rec.state(QStringLiteral("fast")) == NodeState::Up && rec.state(QStringLiteral("slow")) == NodeState::Up, 8000);

        // The master dies; the replica answers, but the beats were the master's.
        m_redis->topology().kill(master);
        QTRY_VERIFY_WITH_TIMEOUT(rec.state(QStringLiteral("fast")) == NodeState::Unknown && rec.state(QStringLiteral("slow")) == NodeState::Unknown,
                                 6000);
        QTest::qWait(1500);
        QCOMPARE(rec.count(QStringLiteral("heartbeat.down"), QStringLiteral("fast")), 0);
        QCOMPARE(rec.count(QStringLiteral("heartbeat.down"), QStringLiteral("slow")), 0);
        QCOMPARE(rec.count(QStringLiteral("heartbeat.suspect"), QStringLiteral("fast")), 0);
        QCOMPARE(rec.count(QStringLiteral("heartbeat.suspect"), QStringLiteral("slow")), 0);
        for (const Event &e : rec.ofKind(QStringLiteral("heartbeat.unknown")))
            QCOMPARE(e.data.value(QStringLiteral("carrier")).toString(), masterAddress);
        monitor.stop();
        killAll({replica});
    }

    // Two masters of one replication history without Sentinel: the one whose history the other
    // continues is stale. What it accepts is counted exactly, and what its resync discards is stated.
    void splitBrainInPlainReplication()
    {
        const int a = m_redis->startServer(QStringLiteral("plain-a"));
        const int b = m_redis->startReplica(QStringLiteral("plain-b"), a);
        QVERIFY(a >= 0 && b >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->linkUp(b), 10000);
        const QString stale = m_redis->uri(a).address();
        const QString promoted = m_redis->uri(b).address();
        Monitor monitor(nullptr);
        Recorder rec(monitor);
        const auto explain = qScopeGuard([&rec] {
            if (QTest::currentTestFailed())
                rec.print();
        });
        monitor.setPollInterval(300);
        monitor.setTargets({m_redis->options(a)});
        monitor.start();
        QTRY_VERIFY_WITH_TIMEOUT(monitor.isSettled() && monitor.connectedCount() == 2, 5000);

        QCOMPARE(m_redis->command(b, {"REPLICAOF", "NO", "ONE"}).string, QByteArray("OK"));
        const QByteArray value(1000, 'x');
        for (int i = 0; i < 20; ++i)
            QVERIFY(m_redis->command(a, {"SET", "k" + QByteArray::number(i), value}).isString());
        QTRY_COMPARE_WITH_TIMEOUT(rec.count(QStringLiteral("replication.split_brain"), stale), 1, 5000);
        const Event brain = rec.ofKind(QStringLiteral("replication.split_brain")).first();
        QCOMPARE(brain.severity, Severity::Critical);
        QCOMPARE(brain.data.value(QStringLiteral("master")).toString(), promoted);
        QVERIFY(brain.data.value(QStringLiteral("accepted_exact")).toBool());
        // 20 SETs of 1,000 bytes (and the SELECT before them) went to the stale master only.
        QTRY_VERIFY_WITH_TIMEOUT(monitor.snapshot(stale)->masterReplOffset - brain.data.value(QStringLiteral("diverged_at")).toInteger() >= 20'000,
                                 3000);
        const TopologyGraph graph = buildTopologyGraph(monitor.status());
        QCOMPARE(graph.groups(), QStringList{promoted});
        QVERIFY(graph.node(stale)->splitBrain);
        QCOMPARE(graph.node(stale)->master, promoted);
        QCOMPARE(assessServer(*graph.node(stale), {}).level, Health::Critical);

        QTest::qWait(700); // one more poll of the stale master's offset
        QCOMPARE(m_redis->command(a, {"REPLICAOF", "127.0.0.1", QByteArray::number(m_redis->port(b))}).string, QByteArray("OK"));
        QTRY_COMPARE_WITH_TIMEOUT(rec.count(QStringLiteral("replication.split_brain_ended"), stale), 1, 5000);
        const Event ended = rec.ofKind(QStringLiteral("replication.split_brain_ended")).first();
        QCOMPARE(ended.data.value(QStringLiteral("outcome")).toString(), QStringLiteral("converted"));
        QVERIFY2(ended.data.value(QStringLiteral("discarded_bytes")).toInteger() >= 20'000, qPrintable(ended.message));
        QVERIFY(ended.message.contains(QStringLiteral("discarded")));
        monitor.stop();
        killAll({a, b});
    }

    // The demo's worst case: the master hangs, Sentinel promotes a replica, the old master comes
    // back and takes writes until Sentinel converts it. Applications following Sentinel (BeatPublisher
    // and vigil-beat --sentinel) move to the new master; their nodes are never paged down.
    void zombieMasterUnderSentinel()
    {
        const RedisFixture::Group group = m_redis->startGroup(QStringLiteral("zg"), 2, 3, 1000);
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->groupReady(group), 30000);
        const QList<int> sentinels = group.sentinels;
        const QList<int> servers{group.master, group.replicas[0], group.replicas[1]};
        const int master = group.master;
        const QString oldMaster = m_redis->uri(master).address();

        Monitor monitor(nullptr);
        Recorder rec(monitor);
        const auto explain = qScopeGuard([&rec] {
            if (QTest::currentTestFailed())
                rec.print();
        });
        monitor.setSentinels(sentinelOptions(sentinels), {QStringLiteral("zg")});
        monitor.start();
        QTRY_VERIFY_WITH_TIMEOUT(monitor.isSettled() && monitor.targetCount() == 6 && monitor.connectedCount() == 6, 10000);

        auto app = publisher(m_redis->options(master), QStringLiteral("app"), 200, sentinelOptions(sentinels), QStringLiteral("zg"));
        QProcess beat;
        beat.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        const QString beatBinary = qEnvironmentVariable("VIGIL_BEAT_BINARY");
        if (!beatBinary.isEmpty())
            beat.start(beatBinary,
                       {QStringLiteral("--sentinel"), m_redis->uri(sentinels[1]).toFullString(), QStringLiteral("--sentinel"),
                        m_redis->uri(sentinels[2]).toFullString(), QStringLiteral("--master"), QStringLiteral("zg"), QStringLiteral("--node"),
                        QStringLiteral("beat-cli"), QStringLiteral("--quiet")});
        QTRY_VERIFY_WITH_TIMEOUT(rec.state(QStringLiteral("app")) == NodeState::Up && rec.carrier(QStringLiteral("app")) == oldMaster, 8000);
        if (!beatBinary.isEmpty())
            QTRY_COMPARE_WITH_TIMEOUT(rec.carrier(QStringLiteral("beat-cli")), oldMaster, 15000); // a process to start
        QTest::qWait(2000);

        m_redis->topology().suspend(master);
        QTRY_COMPARE_WITH_TIMEOUT(rec.count(QStringLiteral("sentinel.+switch-master")), 1, 20000);
        const QString newMaster = rec.ofKind(QStringLiteral("sentinel.+switch-master")).first().data.value(QStringLiteral("new_master")).toString();
        QVERIFY(newMaster != oldMaster && !newMaster.isEmpty());
        // The applications follow the new master, and their nodes are up again through it.
        QTRY_COMPARE_WITH_TIMEOUT(app->target(), newMaster, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(rec.state(QStringLiteral("app")) == NodeState::Up && rec.carrier(QStringLiteral("app")) == newMaster, 8000);
        if (!beatBinary.isEmpty())
            QTRY_VERIFY_WITH_TIMEOUT(rec.state(QStringLiteral("beat-cli")) == NodeState::Up && rec.carrier(QStringLiteral("beat-cli")) == newMaster,
                                     8000);

        // The old master comes back, still a master, and a client writes to it.
        m_redis->topology().resume(master);
        const QByteArray value(500, 'z');
        for (int i = 0; i < 10; ++i)
            m_redis->command(master, {"SET", "lost" + QByteArray::number(i), value});
        QTRY_COMPARE_WITH_TIMEOUT(rec.count(QStringLiteral("replication.split_brain"), oldMaster), 1, 8000);
        const Event brain = rec.ofKind(QStringLiteral("replication.split_brain"), oldMaster).first();
        QCOMPARE(brain.data.value(QStringLiteral("master")).toString(), newMaster);
        QCOMPARE(brain.data.value(QStringLiteral("named_by_kind")).toString(), QStringLiteral("sentinels"));
        QCOMPARE(rec.count(QStringLiteral("replication.split_brain")), 1);
        QVERIFY(brain.data.value(QStringLiteral("accepted_bytes")).toInteger() > 0);
        QVERIFY(brain.data.value(QStringLiteral("clients")).toInteger() >= 1);
        {
            // Drawn inside its group, under the master the sentinels name, as a split brain; the
            // promote checks warn of it.
            const TopologyGraph graph = buildTopologyGraph(monitor.status());
            QCOMPARE(graph.groups().size(), 1);
            QVERIFY(graph.node(oldMaster) && graph.node(oldMaster)->splitBrain);
            QCOMPARE(graph.splitBrains().size(), 1);
            PromotionRequest request;
            request.candidate = m_redis->uri(servers[m_redis->uri(servers[1]).address() == newMaster ? 2 : 1]).address();
            const PromotionPlan plan = planPromotion(graph, request);
            const auto check = std::find_if(plan.checks.cbegin(), plan.checks.cend(),
                                            [](const PreflightCheck &c) { return c.name == QLatin1String("no split brain"); });
            QVERIFY(check != plan.checks.cend());
            QCOMPARE(check->result, PreflightCheck::Result::Warn);
            QVERIFY(check->detail.contains(oldMaster));
        }
        // vigil status says so too.
        if (const QString vigil = qEnvironmentVariable("VIGIL_BINARY"); !vigil.isEmpty()) {
            QByteArray out;
            QCOMPARE(runProcess(vigil,
                                {QStringLiteral("status"), QStringLiteral("--json"), QStringLiteral("--sentinel"),
                                 m_redis->uri(sentinels[0]).toFullString(), QStringLiteral("--master"), QStringLiteral("zg")},
                                &out),
                     0);
            const QJsonArray brains = QJsonDocument::fromJson(out).object().value(QStringLiteral("split_brains")).toArray();
            QCOMPARE(brains.size(), 1);
            QCOMPARE(brains.first().toObject().value(QStringLiteral("stale_master")).toString(), oldMaster);
        }
        // Sentinel converts it (its INFO period for that instance is 10 s); the resync discards the writes.
        QTRY_COMPARE_WITH_TIMEOUT(rec.count(QStringLiteral("replication.split_brain_ended"), oldMaster), 1, 25000);
        const Event ended = rec.ofKind(QStringLiteral("replication.split_brain_ended")).first();
        QCOMPARE(ended.data.value(QStringLiteral("outcome")).toString(), QStringLiteral("converted"));
        QVERIFY2(ended.data.value(QStringLiteral("discarded_bytes")).toInteger() >= 5000, qPrintable(ended.message));
        // The failover in one line, with its phases.
        QCOMPARE(rec.count(QStringLiteral("sentinel.failover")), 1);
        const Event failover = rec.ofKind(QStringLiteral("sentinel.failover")).first();
        QCOMPARE(failover.data.value(QStringLiteral("old_master")).toString(), oldMaster);
        QCOMPARE(failover.data.value(QStringLiteral("new_master")).toString(), newMaster);
        QVERIFY(failover.data.value(QStringLiteral("completed")).toBool());
        QVERIFY(failover.data.value(QStringLiteral("phases")).toArray().size() >= 5);
        // Every problem raised names the group it concerns, whatever its source (a server, a
        // sentinel, a heartbeat node), so that it can be grouped from the journal alone.
        for (const Event &e : std::as_const(rec.events))
            if (e.severity != Severity::Info && !e.kind.startsWith(QLatin1String("monitor.")))
                QVERIFY2(e.data.value(QStringLiteral("scope")).toString() == QLatin1String("sentinel:zg"),
                         qPrintable(e.kind + QLatin1Char(' ') + e.source + QLatin1Char(' ') + e.data.value(QStringLiteral("scope")).toString()));
        QTest::qWait(1000);
        // Nobody paged for the applications: the master hung, they did not.
        QCOMPARE(rec.count(QStringLiteral("heartbeat.down")), 0);
        {
            const TopologyGraph graph = buildTopologyGraph(monitor.status());
            QCOMPARE(graph.groups(), QStringList{newMaster});
        }

        // The new master is killed: after Sentinel's next failover it stays in its group, as a former
        // master, unreachable, not a group of its own.
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->linkUp(master), 10000);
        const int newIndex = servers[m_redis->uri(servers[1]).address() == newMaster ? 1 : 2];
        m_redis->topology().kill(newIndex);
        QTRY_COMPARE_WITH_TIMEOUT(rec.count(QStringLiteral("sentinel.+switch-master")), 2, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(rec.state(QStringLiteral("app")) == NodeState::Up && rec.carrier(QStringLiteral("app")) != newMaster, 8000);
        QTest::qWait(1000);
        {
            const TopologyGraph graph = buildTopologyGraph(monitor.status());
            QCOMPARE(graph.groups().size(), 1);
            QVERIFY(graph.node(newMaster) && graph.node(newMaster)->staleMaster && !graph.node(newMaster)->reachable());
        }
        QCOMPARE(rec.count(QStringLiteral("heartbeat.down")), 0);
        app->stop();
        beat.terminate();
        beat.waitForFinished(5000);
        monitor.stop();
        killAll(sentinels + servers);
    }

    // A SIGKILLed Sentinel master under `vigil record`, failed over, then restarted: its journal
    // groups into one incident, resolved, whose root is the master becoming unreachable.
    void killedMasterIsOneIncident()
    {
        const QString vigil = qEnvironmentVariable("VIGIL_BINARY");
        if (vigil.isEmpty())
            QSKIP("VIGIL_BINARY not set (run through CTest)");
        const RedisFixture::Group group = m_redis->startGroup(QStringLiteral("ig"), 1, 3, 1000);
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->groupReady(group), 30000);
        const QString master = m_redis->uri(group.master).address();
        QTemporaryDir dir;
        const QString journal = dir.filePath(QStringLiteral("j.sqlite"));
        const QStringList grouping{QStringLiteral("--incident-gap"), QStringLiteral("30s"), QStringLiteral("--incident-quiet"), QStringLiteral("2s")};
        auto recorder = startRecorder(journal,
                                      QStringList{QStringLiteral("--sentinel"), m_redis->uri(group.sentinels[0]).toFullString(),
                                                  QStringLiteral("--master"), QStringLiteral("ig")}
                                          + grouping);
        auto has = [&journal](const QString &kind, const QString &source = {}) {
            const QList<Event> events = journalEvents(journal, kind);
            return std::any_of(events.cbegin(), events.cend(), [&](const Event &e) { return source.isEmpty() || e.source == source; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(has(QStringLiteral("monitor.baseline")), 20000);
        QTest::qWait(1500); // a poll after the baseline: every event from here on has its scope

        m_redis->topology().kill(group.master);
        QTRY_VERIFY_WITH_TIMEOUT(has(QStringLiteral("sentinel.failover")), 20000);
        QVERIFY2(m_redis->restart(group.master), qPrintable(m_redis->error()));
        QTRY_VERIFY_WITH_TIMEOUT(has(QStringLiteral("redis.reachable"), master), 20000);
        // Back as a master until Sentinel converts it (its INFO period for a replica is 10 s):
        // meanwhile Vigil may see a split brain, which ends with the conversion.
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->command(group.master, {"INFO", "replication"}).string.contains("role:slave"), 20000);
        QTest::qWait(4000);
        QVERIFY(stopRecorder(*recorder));

        {
            // What the recorder stored as it went, and the journal's events grouped afresh.
            QByteArray out, recomputed;
            QCOMPARE(runProcess(vigil, {QStringLiteral("incidents"), QStringLiteral("--journal"), journal, QStringLiteral("--json")}, &out), 0);
            QCOMPARE(runProcess(vigil,
                                QStringList{QStringLiteral("incidents"), QStringLiteral("--journal"), journal, QStringLiteral("--json")} + grouping,
                                &recomputed),
                     0);
            QVERIFY2(out == recomputed, qPrintable(firstDifference(out, recomputed)));
            const QJsonArray incidents = QJsonDocument::fromJson(out).array();
            QVERIFY2(incidents.size() == 1, out.constData());
            const QJsonObject incident = incidents.first().toObject();
            QCOMPARE(incident.value(QStringLiteral("scope")).toString(), QStringLiteral("sentinel:ig"));
            QVERIFY2(incident.value(QStringLiteral("state")).toString() == QLatin1String("resolved"), out.constData());
            const QJsonObject root = incident.value(QStringLiteral("root")).toObject();
            QCOMPARE(root.value(QStringLiteral("kind")).toString(), QStringLiteral("redis.unreachable"));
            QCOMPARE(root.value(QStringLiteral("source")).toString(), master);
            // The replica's link, Sentinel's steps and the failover are the outage's symptoms; what
            // follows from them (the restarted master's split brain and its conversion) leads back
            // to it.
            QSet<QString> symptoms;
            QHash<qint64, qint64> causeOf;
            const qint64 rootId = root.value(QStringLiteral("id")).toInteger();
            for (const QJsonValue &m : incident.value(QStringLiteral("members")).toArray())
                causeOf.insert(m.toObject().value(QStringLiteral("id")).toInteger(), m.toObject().value(QStringLiteral("cause")).toInteger(-1));
            for (const QJsonValue &m : incident.value(QStringLiteral("members")).toArray()) {
                if (m.toObject().value(QStringLiteral("role")).toString() != QLatin1String("symptom"))
                    continue;
                const qint64 cause = m.toObject().value(QStringLiteral("cause")).toInteger();
                if (cause == rootId)
                    symptoms.insert(m.toObject().value(QStringLiteral("kind")).toString());
                // However long the chain (a conversion follows the split brain that follows the
                // failover that follows Sentinel's steps): bounded only against a cycle.
                qint64 at = cause;
                for (qsizetype step = 0; step < causeOf.size() && at != rootId && at >= 0; ++step)
                    at = causeOf.value(at, -1);
                // What went wrong first: the whole incident may be cut short where it is printed.
                QVERIFY2(at == rootId,
                         qPrintable(QStringLiteral("symptom %1 %2 (cause %3) does not lead back to the root %4: %5")
                                        .arg(m.toObject().value(QStringLiteral("id")).toInteger())
                                        .arg(m.toObject().value(QStringLiteral("kind")).toString(),
                                             m.toObject().value(QStringLiteral("cause")).toVariant().toString())
                                        .arg(rootId)
                                        .arg(QString::fromUtf8(out))));
            }
            for (const char *kind : {"replication.link_down", "sentinel.+sdown", "sentinel.+odown", "sentinel.+switch-master", "sentinel.failover"})
                QVERIFY2(symptoms.contains(QLatin1String(kind)), qPrintable(QLatin1String(kind) + QLatin1Char(' ') + QString::fromUtf8(out)));
            QVERIFY(incident.value(QStringLiteral("title")).toString().contains(QStringLiteral("Sentinel promoted")));
        }
        // The series its charts are drawn from were kept: the master's round trip and memory
        // until it died, its replicas' byte lag.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<SeriesPoint> points;
        QString error;
        for (const char *metric : {"redis.rtt_ms", "redis.used_memory_bytes", "redis.ops_per_sec"}) {
            QVERIFY2(readSeries(journal, QLatin1String(metric), master, now - 600'000, now, &points, &error), qPrintable(error));
            QVERIFY2(points.size() >= 2, metric);
        }
        QVERIFY(readSeries(journal, QStringLiteral("replication.lag_bytes"), m_redis->uri(group.replicas.first()).address(), now - 600'000, now,
                           &points, &error));
        QVERIFY(!points.isEmpty());
        // And its report draws them: the timeline, then the round trips and the replica's lag on
        // the same axis, in one page that names no address.
        QByteArray html;
        QCOMPARE(runProcess(vigil,
                            {QStringLiteral("report"), QStringLiteral("last"), QStringLiteral("--journal"), journal, QStringLiteral("--format"),
                             QStringLiteral("html")},
                            &html),
                 0);
        QVERIFY2(html.count("<svg") >= 3, html.left(2000).constData());
        QVERIFY(html.contains("aria-label=\"RTT ms\"") && html.contains("aria-label=\"lag bytes\""));
        QVERIFY(!html.contains("http://") && !html.contains("https://"));
    }
};

QTEST_GUILESS_MAIN(TestFailures)
#include "tst_failures.moc"
