// The monitor's events for real servers going up, down, hung, back, and refusing passwords.
#include "journal/journal.h"
#include "monitor/monitor.h"
#include "monitor/targetstatusmodel.h"
#include "redisfixture.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QJsonArray>
#include <QNetworkInterface>
#include <QTest>

#include <algorithm>

using namespace vigil;
using namespace vigil::test;

namespace {

QList<Event> ofKind(const QList<Event> &events, const QString &kind)
{
    QList<Event> out;
    for (const Event &e : events)
        if (e.kind == kind)
            out << e;
    return out;
}

} // namespace

class TestMonitor : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RedisFixture> m_redis;
    QList<Event> m_events;

    void collect(Monitor &monitor)
    {
        connect(&monitor, &Monitor::eventRaised, this, [this](const Event &e) { m_events << e; });
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString missing = RedisFixture::missing(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        m_redis = std::make_unique<RedisFixture>();
    }

    void init() { m_events.clear(); }
    void cleanupTestCase() { m_redis.reset(); }

    void lifecycleEventsInTheJournal()
    {
        const int a = m_redis->startServer(QStringLiteral("a"));
        const int b = m_redis->startServer(QStringLiteral("b"));
        QVERIFY(a >= 0 && b >= 0);
        QTemporaryDir dir;
        Journal journal;
        QVERIFY(journal.open(dir.filePath(QStringLiteral("j.sqlite"))));
        Monitor monitor(&journal);
        collect(monitor);
        monitor.setTargets({m_redis->options(a), m_redis->options(b)});
        TargetStatusModel statusModel;
        QAbstractItemModelTester tester(&statusModel, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&monitor, &Monitor::statusChanged, &statusModel, [&] { statusModel.update(monitor.status()); });
        monitor.start();
        QTRY_COMPARE(monitor.connectedCount(), 2);
        // statusChanged tells a burst of changes together, within kStatusChangedEveryMs.
        QTRY_COMPARE_WITH_TIMEOUT(statusModel.rowCount(), 2, 1000);
        QTRY_VERIFY_WITH_TIMEOUT(statusModel.index(0, 0).data(TargetStatusModel::ConnectedRole).toBool(), 1000);
        QCOMPARE(m_events.first().kind, QStringLiteral("monitor.started"));
        // The start is one baseline event; reaching each server for the first time is part of it.
        QTRY_COMPARE_WITH_TIMEOUT(ofKind(m_events, QStringLiteral("monitor.baseline")).size(), 1, 5000);
        QCOMPARE(ofKind(m_events, QStringLiteral("monitor.baseline")).first().data.value(QStringLiteral("reachable")).toInt(), 2);
        QCOMPARE(ofKind(m_events, QStringLiteral("redis.reachable")).size(), 0);

        // Killed: seen at once, one event, critical.
        m_redis->topology().kill(a);
        const QDateTime killedAt = QDateTime::currentDateTimeUtc();
        QTRY_COMPARE(ofKind(m_events, QStringLiteral("redis.unreachable")).size(), 1);
        const Event down = ofKind(m_events, QStringLiteral("redis.unreachable")).first();
        QCOMPARE(down.source, m_redis->uri(a).address());
        QCOMPARE(down.severity, Severity::Critical);
        QCOMPARE(down.data.value(QStringLiteral("reason")).toString(), QStringLiteral("closed"));
        QVERIFY2(killedAt.msecsTo(down.time) < 100, qPrintable(QString::number(killedAt.msecsTo(down.time))));
        QCOMPARE(monitor.connectedCount(), 1);
        statusModel.update(monitor.status());
        QCOMPARE(statusModel.index(0, TargetStatusModel::StateColumn).data().toString(), QStringLiteral("disconnected"));

        // Reconnect attempts that fail do not flood the journal.
        QTest::qWait(700);
        QCOMPARE(ofKind(m_events, QStringLiteral("redis.unreachable")).size(), 1);

        // Back: connected again.
        QVERIFY(m_redis->restart(a));
        QTRY_COMPARE_WITH_TIMEOUT(ofKind(m_events, QStringLiteral("redis.reachable")).size(), 1, 10000);
        QVERIFY(ofKind(m_events, QStringLiteral("redis.reachable")).last().data.value(QStringLiteral("reconnect")).toBool());

        monitor.stop();
        QCOMPARE(m_events.last().kind, QStringLiteral("monitor.stopped"));
        journal.close();
        const QList<Event> stored = journal.query({});
        QCOMPARE(stored.size(), m_events.size());
        for (int i = 0; i < stored.size(); ++i)
            QCOMPARE(stored[i].kind, m_events[i].kind);
    }

    // A poll of Redis 7 is one INFO command with every section (the first one, before the version
    // is known, one command per section): a fleet's servers answer a sixth as many commands.
    void onePollOneInfoCommand()
    {
        const int a = m_redis->startServer(QStringLiteral("one-info"));
        QVERIFY(a >= 0);
        Monitor monitor(nullptr);
        monitor.setTargets({m_redis->options(a)});
        int polls = 0;
        connect(&monitor, &Monitor::polled, this, [&polls] { ++polls; });
        monitor.start();
        QTRY_VERIFY_WITH_TIMEOUT(polls >= 4, 10000);
        monitor.stop();
        const Reply stats = m_redis->command(a, {"INFO", "commandstats"});
        QVERIFY(stats.isString());
        const qsizetype at = stats.string.indexOf("cmdstat_info:calls=");
        QVERIFY(at >= 0);
        const int calls = stats.string.mid(at + 19, stats.string.indexOf(',', at) - at - 19).toInt();
        // Six for the first poll, one for each after it; this INFO commandstats is not counted yet.
        QCOMPARE(calls, 6 + (polls - 1));
        // Every section is there all the same.
        const InfoSnapshot *snapshot = monitor.snapshot(m_redis->uri(a).address());
        QVERIFY(snapshot);
        for (const char *field :
             {"redis_version:", "role:", "rdb_last_save_time:", "connected_clients:", "used_memory:", "total_connections_received:"})
            QVERIFY2(snapshot->raw.contains(field), field);
    }

    // The Targets dialog's change while running: nodes that stay keep their connection and state
    // (a dead one is not reported again, the last INFO is kept), a sentinel can be added with its
    // group, nodes found only through a removed target go, and the change is journalled.
    void changingTargetsKeepsWhatStays()
    {
        const int a = m_redis->startServer(QStringLiteral("keep-a"));
        const int r = m_redis->startReplica(QStringLiteral("keep-r"), a);
        const int dead = m_redis->startServer(QStringLiteral("keep-dead"));
        const int c = m_redis->startServer(QStringLiteral("keep-c"));
        QVERIFY(a >= 0 && r >= 0 && dead >= 0 && c >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->command(r, {"INFO", "replication"}).string.contains("master_link_status:up"), 10000);
        const QString deadAddress = m_redis->uri(dead).address();
        const QString replica = m_redis->uri(r).address();
        Monitor monitor(nullptr);
        collect(monitor);
        monitor.setPollInterval(200);
        monitor.setTargets({m_redis->options(a), m_redis->options(dead)});
        monitor.start();
        QTRY_VERIFY_WITH_TIMEOUT(monitor.connectedCount() == 3 && monitor.statusOf(replica), 5000);
        m_redis->topology().kill(dead);
        QTRY_COMPARE_WITH_TIMEOUT(ofKind(m_events, QStringLiteral("redis.unreachable")).size(), 1, 3000);
        const auto info = monitor.statusOf(m_redis->uri(a).address())->info;
        QVERIFY(info);

        TargetSet wanted = monitor.targetSet();
        QCOMPARE(wanted.servers.size(), 2);
        wanted.servers << m_redis->options(c);
        monitor.changeTargets(wanted);
        // What stayed kept its state: A's last INFO (the same snapshot, not a fresh start), the
        // replica found through A, the dead one's outage.
        QCOMPARE(monitor.statusOf(m_redis->uri(a).address())->info, info);
        QVERIFY(monitor.statusOf(m_redis->uri(a).address())->connected);
        QTRY_VERIFY_WITH_TIMEOUT(monitor.statusOf(m_redis->uri(c).address()) && monitor.statusOf(m_redis->uri(c).address())->connected, 5000);
        QVERIFY(monitor.statusOf(replica));
        QTest::qWait(600);
        QCOMPARE(ofKind(m_events, QStringLiteral("redis.unreachable")).size(), 1);
        const QList<Event> changed = ofKind(m_events, QStringLiteral("monitor.targets_changed"));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().data.value(QStringLiteral("added")).toArray().size(), 1);
        QCOMPARE(changed.first().data.value(QStringLiteral("removed")).toArray().size(), 0);

        // A goes: the replica found only through it goes too; the dead one stays, still not re-reported.
        wanted.servers.removeFirst();
        monitor.changeTargets(wanted);
        QVERIFY(!monitor.statusOf(m_redis->uri(a).address()));
        QVERIFY(!monitor.statusOf(replica));
        QVERIFY(monitor.statusOf(deadAddress));
        QCOMPARE(monitor.targetCount(), 2);
        QCOMPARE(ofKind(m_events, QStringLiteral("monitor.targets_changed")).last().data.value(QStringLiteral("removed")).toArray().size(), 1);
        QTest::qWait(600);
        QCOMPARE(ofKind(m_events, QStringLiteral("redis.unreachable")).size(), 1);
        monitor.stop();
        m_redis->topology().kill(a);
        m_redis->topology().kill(r);
        m_redis->topology().kill(c);
    }

    void hungServerWithinThreeSeconds()
    {
        const int node = m_redis->startServer(QStringLiteral("sleepy"));
        QVERIFY(node >= 0);
        Monitor monitor(nullptr);
        collect(monitor);
        monitor.setTargets({m_redis->options(node)});
        monitor.start();
        QTRY_COMPARE(monitor.connectedCount(), 1);
        m_redis->topology().suspend(node);
        const QDateTime stoppedAt = QDateTime::currentDateTimeUtc();
        QTRY_COMPARE_WITH_TIMEOUT(ofKind(m_events, QStringLiteral("redis.unreachable")).size(), 1, 5000);
        const Event down = ofKind(m_events, QStringLiteral("redis.unreachable")).first();
        m_redis->topology().resume(node);
        QCOMPARE(down.data.value(QStringLiteral("reason")).toString(), QStringLiteral("timeout"));
        QVERIFY2(stoppedAt.msecsTo(down.time) <= 3000, qPrintable(QString::number(stoppedAt.msecsTo(down.time))));
        // Resumed: the monitor reconnects by itself.
        QTRY_COMPARE_WITH_TIMEOUT(ofKind(m_events, QStringLiteral("redis.reachable")).size(), 1, 10000);
    }

    void authFailureIsOneEvent()
    {
        const int node = m_redis->startServer(QStringLiteral("locked"), {QStringLiteral("requirepass rightpw")});
        QVERIFY(node >= 0);
        ConnectionOptions wrong = m_redis->options(node);
        wrong.uri.password = QStringLiteral("wrongpw");
        ConnectionOptions none = m_redis->options(node);
        Monitor monitor(nullptr);
        collect(monitor);
        monitor.setTargets({wrong, none});
        monitor.start();
        QTRY_COMPARE(ofKind(m_events, QStringLiteral("redis.auth_failed")).size(), 2);
        QTest::qWait(1500); // several reconnect attempts
        const QList<Event> failures = ofKind(m_events, QStringLiteral("redis.auth_failed"));
        QCOMPARE(failures.size(), 2);
        QCOMPARE(ofKind(m_events, QStringLiteral("redis.unreachable")).size(), 0);
        QSet<QString> reasons;
        for (const Event &e : failures) {
            reasons << e.data.value(QStringLiteral("reason")).toString();
            QCOMPARE(e.severity, Severity::Critical);
            QVERIFY(!e.message.contains(QStringLiteral("wrongpw")));
            QVERIFY(!QJsonDocument(e.data).toJson().contains("wrongpw"));
            // A missing password says where one can come from.
            if (e.data.value(QStringLiteral("reason")).toString() == QLatin1String("noauth"))
                QVERIFY2(e.message.contains(QStringLiteral("REDISCLI_AUTH")) && e.message.contains(QStringLiteral("--askpass")),
                         qPrintable(e.message));
        }
        QCOMPARE(reasons, (QSet<QString>{QStringLiteral("wrongpass"), QStringLiteral("noauth")}));
        QCOMPARE(monitor.connectedCount(), 0);
    }

    // A server in protected mode (no password) answers a client from another address with DENIED
    // and closes: one clear critical, not an endless reachable/unreachable see-saw.
    void protectedModeIsOneClearEvent()
    {
        QString address;
        for (const QHostAddress &a : QNetworkInterface::allAddresses())
            if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback() && !a.isLinkLocal())
                address = a.toString();
        if (address.isEmpty())
            QSKIP("this machine has no address but loopback, and protected mode admits loopback clients");
        const int node = m_redis->startServer(QStringLiteral("protected"),
                                              {QStringLiteral("bind 127.0.0.1 %1").arg(address), QStringLiteral("protected-mode yes")});
        QVERIFY(node >= 0);
        ConnectionOptions elsewhere = m_redis->options(node);
        elsewhere.uri.host = address;
        Monitor monitor(nullptr);
        collect(monitor);
        monitor.setTargets({elsewhere});
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(ofKind(m_events, QStringLiteral("redis.auth_failed")).size(), 1, 5000);
        QTest::qWait(2500); // several reconnect attempts
        QCOMPARE(ofKind(m_events, QStringLiteral("redis.auth_failed")).size(), 1);
        const Event denied = ofKind(m_events, QStringLiteral("redis.auth_failed")).first();
        QCOMPARE(denied.data.value(QStringLiteral("reason")).toString(), QStringLiteral("denied"));
        QVERIFY2(denied.message.contains(QStringLiteral("protected-mode")), qPrintable(denied.message));
        QCOMPARE(ofKind(m_events, QStringLiteral("redis.unreachable")).size(), 0);
        QCOMPARE(ofKind(m_events, QStringLiteral("redis.reachable")).size(), 0);
        QCOMPARE(ofKind(m_events, QStringLiteral("redis.reconnected")).size(), 0);
        QCOMPARE(monitor.connectedCount(), 0);
    }

    void pollingRaisesTopologyEvents()
    {
        const int master = m_redis->startServer(QStringLiteral("poll-master"));
        QVERIFY(master >= 0);
        const int replica = m_redis->startReplica(QStringLiteral("poll-replica"), master);
        QVERIFY(replica >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->command(replica, {"INFO", "replication"}).string.contains("master_link_status:up"), 10000);
        Monitor monitor(nullptr);
        collect(monitor);
        monitor.setPollInterval(200);
        monitor.setTargets({m_redis->options(master), m_redis->options(replica)});
        monitor.start();
        const QString masterAddress = m_redis->uri(master).address();
        const QString replicaAddress = m_redis->uri(replica).address();
        QTRY_VERIFY_WITH_TIMEOUT(monitor.snapshot(masterAddress) && monitor.snapshot(replicaAddress), 5000);
        QVERIFY(monitor.snapshot(masterAddress)->isMaster());
        QCOMPARE(monitor.snapshot(masterAddress)->replicas.size(), 1);
        QVERIFY(monitor.snapshot(replicaAddress)->isReplica());
        QCOMPARE(monitor.status().at(1).role, QStringLiteral("replica"));

        // The master dies: the replica's link goes down, seen by the next poll of the replica.
        m_redis->topology().kill(master);
        QTRY_COMPARE_WITH_TIMEOUT(ofKind(m_events, QStringLiteral("replication.link_down")).size(), 1, 5000);
        QCOMPARE(ofKind(m_events, QStringLiteral("replication.link_down")).first().source, m_redis->uri(replica).address());
        // It comes back with a new run id: restarted, and the link is up again.
        QVERIFY(m_redis->restart(master));
        QTRY_COMPARE_WITH_TIMEOUT(ofKind(m_events, QStringLiteral("redis.restarted")).size(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(ofKind(m_events, QStringLiteral("replication.link_up")).size(), 1, 15000);

        // The replica is promoted by hand: its role changed, and the master lost a replica (it may
        // have lost and regained it once already, while it restarted).
        QTRY_VERIFY_WITH_TIMEOUT(monitor.snapshot(masterAddress)->replicas.size() == 1, 10000);
        const qsizetype removedBefore = ofKind(m_events, QStringLiteral("replication.replica_removed")).size();
        QCOMPARE(m_redis->command(replica, {"REPLICAOF", "NO", "ONE"}).string, QByteArray("OK"));
        QTRY_COMPARE_WITH_TIMEOUT(ofKind(m_events, QStringLiteral("redis.role_changed")).size(), 1, 5000);
        const Event role = ofKind(m_events, QStringLiteral("redis.role_changed")).first();
        QCOMPARE(role.data.value(QStringLiteral("from")).toString(), QStringLiteral("replica"));
        QCOMPARE(role.data.value(QStringLiteral("to")).toString(), QStringLiteral("master"));
        QTRY_COMPARE_WITH_TIMEOUT(ofKind(m_events, QStringLiteral("replication.replica_removed")).size(), removedBefore + 1, 5000);
        QCOMPARE(ofKind(m_events, QStringLiteral("replication.replica_removed")).last().data.value(QStringLiteral("replica")).toString(),
                 m_redis->uri(replica).address());

        // A snapshot on request: bgsave started and done.
        auto savesOf = [&](const QString &source) {
            int n = 0;
            for (const Event &e : ofKind(m_events, QStringLiteral("persistence.bgsave_ok")))
                n += e.source == source ? 1 : 0;
            return n;
        };
        const int savesBefore = savesOf(m_redis->uri(master).address());
        QVERIFY(m_redis->command(master, {"BGSAVE"}).isString());
        QTRY_COMPARE_WITH_TIMEOUT(savesOf(m_redis->uri(master).address()), savesBefore + 1, 10000);
    }

    // A fleet's polls are spread over the interval: each server still answers once a round, but a
    // tenth of them at a time, not all in one burst that the event loop reads in one pass.
    void aFleetsPollsAreSpreadOverTheRound()
    {
        constexpr int kServers = 110;
        QList<ConnectionOptions> targets;
        QList<int> started;
        for (int i = 0; i < kServers; ++i) {
            const int s = m_redis->startServer(QStringLiteral("fleet-%1").arg(i), {QStringLiteral("hz 1")});
            QVERIFY2(s >= 0, qPrintable(m_redis->error()));
            started << s;
            targets << m_redis->options(s);
        }
        Monitor monitor(nullptr);
        monitor.setTargets(targets);
        QElapsedTimer clock;
        QHash<QString, QList<qint64>> answers;
        connect(&monitor, &Monitor::polled, this, [&](const QString &address) { answers[address] << clock.elapsed(); });
        clock.start();
        monitor.start();
        // Every server answered once, then three rounds more.
        QTRY_COMPARE_WITH_TIMEOUT(answers.size(), kServers, 20000);
        const qint64 from = clock.elapsed();
        QTest::qWait(3000);
        const qint64 to = clock.elapsed();
        monitor.stop();
        for (const int s : std::as_const(started))
            m_redis->topology().kill(s);

        std::vector<qint64> window;
        for (auto it = answers.cbegin(); it != answers.cend(); ++it) {
            const auto inWindow = std::count_if(it.value().cbegin(), it.value().cend(), [&](qint64 at) { return at >= from && at < to; });
            // One a second; a round's slice started late under load may put one on either side.
            QVERIFY2(inWindow >= 2 && inWindow <= 4, qPrintable(QStringLiteral("%1 answered %2 times in 3 s").arg(it.key()).arg(inWindow)));
            for (const qint64 at : it.value())
                if (at >= from && at < to)
                    window.push_back(at);
        }
        // The most answers within any 50 ms: a slice is 11 servers; all at once would be 110.
        std::sort(window.begin(), window.end());
        size_t most = 0;
        for (size_t i = 0, j = 0; i < window.size(); ++i) {
            while (window[i] - window[j] >= 50)
                ++j;
            most = std::max(most, i - j + 1);
        }
        QVERIFY2(most <= 40, qPrintable(QStringLiteral("%1 answers within 50 ms").arg(most)));
    }

    void unreachableFromTheStart()
    {
        ConnectionOptions nowhere;
        nowhere.uri.port = m_redis->topology().freePort();
        Monitor monitor(nullptr);
        collect(monitor);
        monitor.setTargets({nowhere});
        monitor.start();
        QTRY_COMPARE(ofKind(m_events, QStringLiteral("redis.unreachable")).size(), 1);
        const Event e = ofKind(m_events, QStringLiteral("redis.unreachable")).first();
        QCOMPARE(e.severity, Severity::Warning);
        QCOMPARE(e.data.value(QStringLiteral("reason")).toString(), QStringLiteral("refused"));
        QVERIFY(e.message.startsWith(QStringLiteral("cannot connect")));
    }
};

QTEST_GUILESS_MAIN(TestMonitor)
#include "tst_monitor.moc"
