// Discovery against real servers: replication trees found from any node, one server reached under
// two names counted once, a Sentinel-managed group and its failover in the journal of
// `vigil record`, and a Redis Cluster in `vigil status --json`.
#include "monitor/monitor.h"
#include "monitor/topologygraph.h"
#include "redisfixture.h"
#include "vigilprocess.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

namespace {

QList<Event> ofKind(const QList<Event> &events, const QString &kind, const QString &source = {})
{
    QList<Event> list;
    for (const Event &e : events)
        if (e.kind == kind && (source.isEmpty() || e.source == source))
            list << e;
    return list;
}

QSet<QString> addresses(const QList<TargetStatus> &nodes)
{
    QSet<QString> set;
    for (const TargetStatus &n : nodes)
        set.insert(n.address);
    return set;
}

} // namespace

class TestDiscovery : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RedisFixture> m_redis;
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString missing = vigilTestMissing(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        m_redis = std::make_unique<RedisFixture>();
    }

    void cleanupTestCase() { m_redis.reset(); }

    // master <- r1 <- r2: given any one of them, all three are found and arranged as a chain.
    void chainedReplicationFromAnyNode()
    {
        const int master = m_redis->startServer(QStringLiteral("chain-master"));
        const int r1 = m_redis->startReplica(QStringLiteral("chain-r1"), master);
        const int r2 = m_redis->startReplica(QStringLiteral("chain-r2"), r1);
        QVERIFY(master >= 0 && r1 >= 0 && r2 >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->linkUp(r1) && m_redis->linkUp(r2), 10000);
        const QSet<QString> all{m_redis->uri(master).address(), m_redis->uri(r1).address(), m_redis->uri(r2).address()};

        for (const int seed : {r2, master}) {
            Monitor monitor(nullptr);
            QList<Event> events;
            connect(&monitor, &Monitor::eventRaised, &monitor, [&events](const Event &e) { events << e; });
            monitor.setPollInterval(200);
            monitor.setTargets({m_redis->options(seed)});
            monitor.start();
            QTRY_VERIFY_WITH_TIMEOUT(monitor.isSettled() && addresses(monitor.status()) == all, 5000);
            // What was found at the start is one baseline event, not an event per node.
            QTRY_COMPARE_WITH_TIMEOUT(ofKind(events, QStringLiteral("monitor.baseline")).size(), 1, 5000);
            QCOMPARE(ofKind(events, QStringLiteral("monitor.node_discovered")).size(), 0);
            QCOMPARE(ofKind(events, QStringLiteral("redis.reachable")).size(), 0);
            const Event baseline = ofKind(events, QStringLiteral("monitor.baseline")).first();
            QCOMPARE(baseline.data.value(QStringLiteral("discovered")).toInt(), 2);
            QCOMPARE(baseline.data.value(QStringLiteral("reachable")).toInt(), 3);
            // The middle node is found through the seed in both directions.
            QString middleVia;
            for (const QJsonValue &v : baseline.data.value(QStringLiteral("servers")).toArray())
                if (v.toObject().value(QStringLiteral("address")).toString() == m_redis->uri(r1).address())
                    middleVia = v.toObject().value(QStringLiteral("via")).toString();
            QCOMPARE(middleVia, m_redis->uri(seed).address());

            const TopologyGraph graph = buildTopologyGraph(monitor.status());
            QCOMPARE(graph.groups(), QStringList{m_redis->uri(master).address()});
            QCOMPARE(graph.servers.size(), 3);
            QCOMPARE(graph.servers[1].status.address, m_redis->uri(r1).address());
            QCOMPARE(graph.servers[1].depth, 1);
            QCOMPARE(graph.servers[2].status.address, m_redis->uri(r2).address());
            QCOMPARE(graph.servers[2].depth, 2);
            QCOMPARE(graph.servers[2].master, m_redis->uri(r1).address());
            QVERIFY(graph.servers[2].lagBytes >= 0);   // r1's view of r2
            QVERIFY(graph.servers[1].lagSeconds >= 0); // the master's view of r1
            monitor.stop();
        }
        m_redis->topology().kill(r2);
        m_redis->topology().kill(r1);
        m_redis->topology().kill(master);
    }

    // Given as localhost, found again as 127.0.0.1 through its replica: one node, two names.
    void oneServerUnderTwoNames()
    {
        const int master = m_redis->startServer(QStringLiteral("alias-master"));
        const int replica = m_redis->startReplica(QStringLiteral("alias-replica"), master);
        QVERIFY(master >= 0 && replica >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->linkUp(replica), 10000);
        ConnectionOptions seed = m_redis->options(master);
        seed.uri.host = QStringLiteral("localhost");
        Monitor monitor(nullptr);
        monitor.setPollInterval(200);
        monitor.setTargets({seed});
        monitor.start();
        QTRY_VERIFY_WITH_TIMEOUT(
            monitor.isSettled() && monitor.status().size() == 2 && monitor.status().first().aliases.contains(m_redis->uri(master).address()), 5000);
        QCOMPARE(monitor.status().first().address, QStringLiteral("localhost:%1").arg(m_redis->port(master)));
        QCOMPARE(monitor.targetCount(), 2);
        // The replica's master is the seed, under either name.
        const TopologyGraph graph = buildTopologyGraph(monitor.status());
        QCOMPARE(graph.groups().size(), 1);
        QCOMPARE(graph.servers[1].master, seed.uri.address());
        QVERIFY(graph.servers[1].masterKnown);
        monitor.stop();
        m_redis->topology().kill(replica);
        m_redis->topology().kill(master);
    }

    // A master, two replicas and three sentinels, given only one sentinel. `vigil status` sees all
    // six and the sentinels' view; a SIGKILL of the master while `vigil record` runs is journalled:
    // the master unreachable within 100 ms, one +sdown, +odown and +switch-master for the group, and
    // the promoted replica's role change.
    void sentinelGroupAndFailover()
    {
        const int master = m_redis->startServer(QStringLiteral("sg-master"));
        const int r1 = m_redis->startReplica(QStringLiteral("sg-r1"), master);
        const int r2 = m_redis->startReplica(QStringLiteral("sg-r2"), master);
        QVERIFY(master >= 0 && r1 >= 0 && r2 >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->linkUp(r1) && m_redis->linkUp(r2), 10000);
        QList<int> sentinels;
        for (int i = 1; i <= 3; ++i) {
            const int s = m_redis->startSentinel(QStringLiteral("sg-sentinel-%1").arg(i), QStringLiteral("sg"), master, 2,
                                                 {QStringLiteral("sentinel down-after-milliseconds sg 1000")});
            QVERIFY2(s >= 0, qPrintable(m_redis->error()));
            sentinels << s;
        }
        // The sentinels find each other through hello messages (every 2 s).
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->command(sentinels[0], {"SENTINEL", "MASTER", "sg"}).elements.size() > 0
                                     && m_redis->command(sentinels[0], {"SENTINEL", "SENTINELS", "sg"}).elements.size() == 2
                                     && m_redis->command(sentinels[0], {"SENTINEL", "REPLICAS", "sg"}).elements.size() == 2,
                                 20000);
        const QString sentinelUri = m_redis->uri(sentinels[0]).toFullString();

        // Changing the targets while polls and discovery are in flight (the GUI's Targets dialog)
        // drops what was found and starts again, without tripping over the replies still coming.
        {
            Monitor monitor(nullptr);
            monitor.setPollInterval(100);
            monitor.setSentinels({m_redis->options(sentinels[0])}, {QStringLiteral("sg")});
            monitor.start();
            for (int i = 0; i < 12; ++i) {
                QTest::qWait(15 * (i % 4));
                if (i % 2)
                    monitor.setSentinels({m_redis->options(sentinels[i % 3])}, {QStringLiteral("sg")});
                else
                    monitor.setTargets({m_redis->options(i % 4 ? r1 : master)});
            }
            QTRY_VERIFY_WITH_TIMEOUT(monitor.isSettled() && monitor.targetCount() == 6, 10000);
            monitor.stop();
        }

        QByteArray out;
        QCOMPARE(runProcess(qEnvironmentVariable("VIGIL_BINARY"),
                            {QStringLiteral("status"), QStringLiteral("--json"), QStringLiteral("--sentinel"), sentinelUri,
                             QStringLiteral("--master"), QStringLiteral("sg")},
                            &out),
                 0);
        const QJsonObject status = QJsonDocument::fromJson(out).object();
        const QJsonArray nodes = status.value(QStringLiteral("nodes")).toArray();
        QCOMPARE(nodes.size(), 3);
        for (const QJsonValue &v : nodes) {
            const QJsonObject n = v.toObject();
            const int index = n.value(QStringLiteral("address")).toString() == m_redis->uri(master).address() ? master
                : n.value(QStringLiteral("address")).toString() == m_redis->uri(r1).address()                 ? r1
                                                                                                              : r2;
            QCOMPARE(n.value(QStringLiteral("address")).toString(), m_redis->uri(index).address());
            // What INFO says on the node itself.
            const QByteArray info = m_redis->command(index, {"INFO", "replication"}).string;
            QVERIFY(info.contains(index == master ? QByteArray("role:master") : QByteArray("role:slave")));
            QCOMPARE(n.value(QStringLiteral("role")).toString(), index == master ? QStringLiteral("master") : QStringLiteral("replica"));
            if (index != master) {
                QCOMPARE(n.value(QStringLiteral("master")).toString(), m_redis->uri(master).address());
                QCOMPARE(n.value(QStringLiteral("link_status")).toString(), QStringLiteral("up"));
                QVERIFY(n.value(QStringLiteral("lag_bytes")).isDouble());
            }
            QVERIFY(n.value(QStringLiteral("last_save_time")).isNull());
        }
        const QJsonArray sentinelView = status.value(QStringLiteral("sentinels")).toArray();
        QCOMPARE(sentinelView.size(), 3);
        for (const QJsonValue &v : sentinelView) {
            const QJsonObject group = v.toObject().value(QStringLiteral("masters")).toArray().first().toObject();
            QCOMPARE(group.value(QStringLiteral("name")).toString(), QStringLiteral("sg"));
            QCOMPARE(group.value(QStringLiteral("address")).toString(), m_redis->uri(master).address());
            QCOMPARE(group.value(QStringLiteral("quorum")).toInt(), 2);
            QCOMPARE(group.value(QStringLiteral("o_down")).toBool(), false);
        }

        const QString journal = m_dir.filePath(QStringLiteral("failover.sqlite"));
        auto recorder = startRecorder(
            journal, {QStringLiteral("--quiet"), QStringLiteral("--sentinel"), sentinelUri, QStringLiteral("--master"), QStringLiteral("sg")});
        // Every node found and reached: the given sentinel, two more sentinels and three servers.
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("monitor.baseline")).size(), 1, 15000);
        {
            const Event baseline = journalEvents(journal, QStringLiteral("monitor.baseline")).first();
            QCOMPARE(baseline.data.value(QStringLiteral("reachable")).toInt(), 6);
            QCOMPARE(baseline.data.value(QStringLiteral("discovered")).toInt(), 5);
            QCOMPARE(baseline.data.value(QStringLiteral("servers")).toArray().size(), 3);
            QCOMPARE(baseline.data.value(QStringLiteral("sentinels")).toArray().size(), 3);
            QVERIFY(baseline.data.value(QStringLiteral("unreachable")).toArray().isEmpty());
        }

        const QString masterAddress = m_redis->uri(master).address();
        const qint64 killedAt = QDateTime::currentMSecsSinceEpoch();
        m_redis->topology().kill(master);
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("sentinel.+switch-master")).size(), 1, 20000);
        const Event switched = journalEvents(journal, QStringLiteral("sentinel.+switch-master")).first();
        const QString promoted = switched.data.value(QStringLiteral("new_master")).toString();
        QVERIFY(promoted == m_redis->uri(r1).address() || promoted == m_redis->uri(r2).address());
        QCOMPARE(switched.data.value(QStringLiteral("old_master")).toString(), masterAddress);
        // The promoted replica's role change (on a loaded machine the other replica may also change
        // role and back, when Sentinel reconfigures it: only the promotion matters here).
        auto promotedToMaster = [&] {
            for (const Event &e : journalEvents(journal, QStringLiteral("redis.role_changed")))
                if (e.source == promoted && e.data.value(QStringLiteral("to")).toString() == QLatin1String("master"))
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(promotedToMaster(), 10000);
        // Let late sightings of the same events reach the journal before counting.
        QTest::qWait(3000);
        QVERIFY(stopRecorder(*recorder));

        const QList<Event> events = journalEvents(journal);
        const auto explain = qScopeGuard([&events] {
            if (QTest::currentTestFailed())
                for (const Event &e : events)
                    qInfo("%s %s %s %s", qPrintable(formatTime(e.time)), qPrintable(e.kind), qPrintable(e.source), qPrintable(e.message));
        });
        const QList<Event> down = ofKind(events, QStringLiteral("redis.unreachable"), masterAddress);
        QCOMPARE(down.size(), 1);
        const qint64 detectMs = down.first().time.toMSecsSinceEpoch() - killedAt;
        qInfo("master unreachable %lld ms after SIGKILL", detectMs);
        QVERIFY2(detectMs <= 100, qPrintable(QString::number(detectMs)));
        // About the killed master. (With a down-after of 1 s a sentinel sometimes also finds the new
        // master unanswering for a second right after its promotion, which kills its clients: that
        // +sdown is about another instance, and true.)
        auto masterEvents = [&](const QString &kind) {
            QList<Event> list;
            for (const Event &e : ofKind(events, kind))
                if (e.data.value(QStringLiteral("instance_type")).toString() == QLatin1String("master")
                    && e.data.value(QStringLiteral("master_name")).toString() == QLatin1String("sg")
                    && e.data.value(QStringLiteral("instance")).toString() == masterAddress)
                    list << e;
            return list;
        };
        QCOMPARE(masterEvents(QStringLiteral("sentinel.+sdown")).size(), 1);
        QCOMPARE(masterEvents(QStringLiteral("sentinel.+odown")).size(), 1);
        QCOMPARE(std::count_if(events.cbegin(), events.cend(),
                               [&](const Event &e) {
                                   return e.kind == QLatin1String("sentinel.+switch-master")
                                       && e.data.value(QStringLiteral("old_master")).toString() == masterAddress;
                               }),
                 1);
        // Every sentinel saw the +sdown; the journal holds it once, naming them all.
        QCOMPARE(masterEvents(QStringLiteral("sentinel.+sdown")).first().data.value(QStringLiteral("sentinels")).toArray().size(), 3);
        QVERIFY(switched.data.value(QStringLiteral("sentinels")).toArray().size() >= 2);
        for (const Event &e : ofKind(events, QStringLiteral("redis.role_changed")))
            qInfo("role change: %s %s -> %s", qPrintable(e.source), qPrintable(e.data.value(QStringLiteral("from")).toString()),
                  qPrintable(e.data.value(QStringLiteral("to")).toString()));
        // In order: unreachable, +sdown, +odown, +switch-master.
        QVERIFY(down.first().time <= masterEvents(QStringLiteral("sentinel.+sdown")).first().time);
        QVERIFY(masterEvents(QStringLiteral("sentinel.+sdown")).first().time <= masterEvents(QStringLiteral("sentinel.+odown")).first().time);
        QVERIFY(masterEvents(QStringLiteral("sentinel.+odown")).first().time <= switched.time);
        for (int s : sentinels)
            m_redis->topology().kill(s);
        m_redis->topology().kill(r1);
        m_redis->topology().kill(r2);
    }

    // Three primaries with a replica each: `vigil status --json` lists all six with their shard roles;
    // a killed primary is marked failed, and its replica takes over, in the monitor's events.
    void redisCluster()
    {
        QString error;
        const QList<int> nodes = m_redis->topology().buildCluster(3, 1, &error, 1000);
        QVERIFY2(nodes.size() == 6, qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->command(nodes.first(), {"CLUSTER", "INFO"}).string.contains("cluster_state:ok"), 10000);
        // Settled: the view `vigil status` reads (the last node's) gives every node the role the node
        // itself has. With a 1 s node timeout, a loaded machine can fail a primary over while the
        // cluster forms; the two disagree until that is done.
        auto settled = [&] {
            const QByteArray view = m_redis->command(nodes.last(), {"CLUSTER", "NODES"}).string;
            for (int node : nodes) {
                const Reply role = m_redis->command(node, {"ROLE"});
                if (!role.isArray() || role.elements.empty())
                    return false;
                const QByteArray port = ':' + QByteArray::number(m_redis->port(node)) + '@';
                const qsizetype at = view.indexOf(port);
                const QByteArray line = at < 0 ? QByteArray() : view.mid(at, view.indexOf('\n', at) - at);
                const bool primary = role.elements[0].string == "master";
                if (line.isEmpty() || line.contains(primary ? "slave" : "master") || line.contains("fail"))
                    return false;
            }
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 20000);
        QByteArray out;
        QCOMPARE(
            runProcess(qEnvironmentVariable("VIGIL_BINARY"),
                       {QStringLiteral("status"), QStringLiteral("--json"), QStringLiteral("--connect"), m_redis->uri(nodes.last()).toFullString()},
                       &out),
            0);
        const QJsonObject status = QJsonDocument::fromJson(out).object();
        const QJsonArray listed = status.value(QStringLiteral("nodes")).toArray();
        QCOMPARE(listed.size(), 6);
        int primaries = 0, replicas = 0;
        for (const QJsonValue &v : listed) {
            const QJsonObject n = v.toObject();
            const QJsonObject cluster = n.value(QStringLiteral("cluster")).toObject();
            QVERIFY(n.value(QStringLiteral("reachable")).toBool());
            if (cluster.value(QStringLiteral("role")).toString() == QLatin1String("primary")) {
                ++primaries;
                QCOMPARE(n.value(QStringLiteral("role")).toString(), QStringLiteral("master"));
                QVERIFY(!cluster.value(QStringLiteral("slots")).toString().isEmpty());
            } else {
                ++replicas;
                QCOMPARE(cluster.value(QStringLiteral("role")).toString(), QStringLiteral("replica"));
                QCOMPARE(n.value(QStringLiteral("role")).toString(), QStringLiteral("replica"));
            }
        }
        QCOMPARE(primaries, 3);
        QCOMPARE(replicas, 3);
        const QJsonObject cluster = status.value(QStringLiteral("cluster")).toObject();
        QCOMPARE(cluster.value(QStringLiteral("state")).toString(), QStringLiteral("ok"));
        QCOMPARE(cluster.value(QStringLiteral("shards")).toArray().size(), 3);
        int slots = 0;
        for (const QJsonValue &shard : cluster.value(QStringLiteral("shards")).toArray()) {
            slots += shard.toObject().value(QStringLiteral("slot_count")).toInt();
            QCOMPARE(shard.toObject().value(QStringLiteral("replicas")).toArray().size(), 1);
        }
        QCOMPARE(slots, 16384);

        // A primary dies: marked failed, and its replica is promoted.
        Monitor monitor(nullptr);
        QList<Event> events;
        connect(&monitor, &Monitor::eventRaised, &monitor, [&events](const Event &e) { events << e; });
        monitor.setPollInterval(200);
        monitor.setTargets({m_redis->options(nodes.first())});
        monitor.start();
        QTRY_VERIFY_WITH_TIMEOUT(monitor.isSettled() && monitor.targetCount() == 6 && monitor.clusterView(), 5000);
        int victim = -1;
        for (int n : nodes)
            if (n != nodes.first() && m_redis->command(n, {"INFO", "replication"}).string.contains("role:master"))
                victim = n;
        QVERIFY(victim >= 0);
        m_redis->topology().kill(victim);
        const QString victimAddress = m_redis->uri(victim).address();
        QTRY_VERIFY_WITH_TIMEOUT(!ofKind(events, QStringLiteral("cluster.node_failed")).isEmpty(), 15000);
        QCOMPARE(ofKind(events, QStringLiteral("cluster.node_failed")).first().data.value(QStringLiteral("node")).toString(), victimAddress);
        QTRY_VERIFY_WITH_TIMEOUT(!ofKind(events, QStringLiteral("cluster.role_changed")).isEmpty(), 15000);
        QCOMPARE(ofKind(events, QStringLiteral("cluster.role_changed")).first().data.value(QStringLiteral("to")).toString(),
                 QStringLiteral("primary"));
        monitor.stop();
        for (int n : nodes)
            m_redis->topology().kill(n);
    }
};

QTEST_GUILESS_MAIN(TestDiscovery)
#include "tst_discovery.moc"
