// Heartbeats end to end on real servers: `vigil record` watching a classic plain publisher and
// vigil-beat, detection bounds, unobservable nodes, duplicates through replicas, malformed beats.
#include "heartbeat/beatpublisher.h"
#include "heartbeat/heartbeatservice.h"
#include "journal/journal.h"
#include "redisfixture.h"

#include <QJsonArray>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace vigil;
using namespace vigil::test;

class TestHeartbeats : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RedisFixture> m_redis;
    QTemporaryDir m_dir;
    QString m_vigil;
    QString m_beat;

    std::unique_ptr<QProcess> start(const QString &program, const QStringList &args)
    {
        auto p = std::make_unique<QProcess>();
        p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p->start(program, args);
        p->waitForStarted();
        return p;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_vigil = qEnvironmentVariable("VIGIL_BINARY");
        m_beat = qEnvironmentVariable("VIGIL_BEAT_BINARY");
        if (m_vigil.isEmpty() || m_beat.isEmpty())
            QSKIP("VIGIL_BINARY / VIGIL_BEAT_BINARY not set (run through CTest)");
        if (const QString missing = RedisFixture::missing(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        m_redis = std::make_unique<RedisFixture>();
    }

    void cleanupTestCase() { m_redis.reset(); }

    void classicPublisherAndVigilBeat()
    {
        const int node = m_redis->startServer(QStringLiteral("beats"));
        QVERIFY(node >= 0);
        const QString uri = m_redis->uri(node).toFullString();
        const QString journal = m_dir.filePath(QStringLiteral("beats.sqlite"));
        auto recorder = startRecorder(journal, {QStringLiteral("--quiet"), QStringLiteral("--connect"), uri});
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("monitor.baseline")).size(), 1, 5000);

        // The recipe: PUBLISH heartbeat alive every second.
        auto classic = start(m_beat,
                             {QStringLiteral("--connect"), uri, QStringLiteral("--node"), QStringLiteral("heartbeat"), QStringLiteral("--channel"),
                              QStringLiteral("heartbeat"), QStringLiteral("--format"), QStringLiteral("plain"), QStringLiteral("--quiet")});
        // And a modern publisher at 200 ms.
        auto fast = start(m_beat,
                          {QStringLiteral("--connect"), uri, QStringLiteral("--node"), QStringLiteral("api-1"), QStringLiteral("--interval-ms"),
                           QStringLiteral("200"), QStringLiteral("--quiet")});
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("heartbeat.up")).size(), 2, 5000);
        QSet<QString> sources;
        for (const Event &e : journalEvents(journal, QStringLiteral("heartbeat.up")))
            sources << e.source;
        QCOMPARE(sources, (QSet<QString>{QStringLiteral("heartbeat"), QStringLiteral("api-1")}));

        QTest::qWait(5000); // learn the intervals
        QCOMPARE(journalEvents(journal, QStringLiteral("heartbeat.down")).size(), 0);

        ::kill(pid_t(classic->processId()), SIGKILL);
        const QDateTime classicKilled = QDateTime::currentDateTimeUtc();
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("heartbeat.down")).size(), 1, 5000);
        const Event down = journalEvents(journal, QStringLiteral("heartbeat.down")).first();
        QCOMPARE(down.source, QStringLiteral("heartbeat"));
        QVERIFY2(down.data.value(QStringLiteral("silence_ms")).toInt() <= 2000,
                 qPrintable(QString::number(down.data.value(QStringLiteral("silence_ms")).toInt())));
        QVERIFY(classicKilled.msecsTo(down.time) <= 2000);

        ::kill(pid_t(fast->processId()), SIGKILL);
        const QDateTime fastKilled = QDateTime::currentDateTimeUtc();
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("heartbeat.down")).size(), 2, 5000);
        const Event fastDown = journalEvents(journal, QStringLiteral("heartbeat.down")).last();
        QCOMPARE(fastDown.source, QStringLiteral("api-1"));
        QVERIFY2(fastDown.data.value(QStringLiteral("silence_ms")).toInt() <= 500,
                 qPrintable(QString::number(fastDown.data.value(QStringLiteral("silence_ms")).toInt())));
        QVERIFY(fastKilled.msecsTo(fastDown.time) <= 500);

        // Restarted publisher: back up, and its sequence going back is a restart.
        auto again = start(m_beat,
                           {QStringLiteral("--connect"), uri, QStringLiteral("--node"), QStringLiteral("api-1"), QStringLiteral("--interval-ms"),
                            QStringLiteral("200"), QStringLiteral("--quiet")});
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("heartbeat.up")).size(), 3, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("heartbeat.restarted")).size(), 1, 5000);
        QVERIFY(journalEvents(journal, QStringLiteral("heartbeat.up")).last().data.value(QStringLiteral("outage_ms")).toInt() > 0);
        // The Redis server restarts under a publisher and the recorder: both reconnect by themselves
        // and the node comes back. A fresh node, so that earlier alarms cannot make it flap.
        auto survivor =
            start(m_beat, {QStringLiteral("--connect"), uri, QStringLiteral("--node"), QStringLiteral("survivor"), QStringLiteral("--quiet")});
        auto upsOf = [&](const QString &source) {
            int n = 0;
            for (const Event &e : journalEvents(journal, QStringLiteral("heartbeat.up")))
                n += e.source == source ? 1 : 0;
            return n;
        };
        QTRY_COMPARE_WITH_TIMEOUT(upsOf(QStringLiteral("survivor")), 1, 5000);
        QTest::qWait(3000);
        // Down long enough to be seen (a restart within a beat interval passes unnoticed).
        m_redis->topology().kill(node);
        QTest::qWait(2500);
        QVERIFY(m_redis->restart(node));
        QTRY_COMPARE_WITH_TIMEOUT(upsOf(QStringLiteral("survivor")), 2, 15000);
        QCOMPARE(survivor->state(), QProcess::Running);
        ::kill(pid_t(survivor->processId()), SIGTERM);
        QVERIFY(survivor->waitForFinished(5000));
        QCOMPARE(survivor->exitCode(), 0);

        ::kill(pid_t(again->processId()), SIGTERM);
        QVERIFY(again->waitForFinished(5000));
        QCOMPARE(again->exitCode(), 0);
        QVERIFY(stopRecorder(*recorder));
    }

    // A service of two vigil-beat processes (a JSON primary and standby) and one of plain nodes
    // grouped with --service, under `vigil record`: the primary killed is the service down, the
    // standby beating as primary is a takeover with its gap, and with no standby left the service
    // is degraded; the plain group's primary killed and its other node beating take it over.
    void servicesUnderRecord()
    {
        const int node = m_redis->startServer(QStringLiteral("services"));
        QVERIFY(node >= 0);
        const QString uri = m_redis->uri(node).toFullString();
        const QString journal = m_dir.filePath(QStringLiteral("services.sqlite"));
        auto member = [&](const QString &name, const QString &role) {
            return start(m_beat,
                         {QStringLiteral("--connect"), uri, QStringLiteral("--node"), name, QStringLiteral("--service"), QStringLiteral("orders"),
                          QStringLiteral("--role"), role, QStringLiteral("--interval-ms"), QStringLiteral("200"), QStringLiteral("--quiet")});
        };
        auto plain = [&](const QString &name) {
            return start(m_beat,
                         {QStringLiteral("--connect"), uri, QStringLiteral("--node"), name, QStringLiteral("--format"), QStringLiteral("plain"),
                          QStringLiteral("--interval-ms"), QStringLiteral("200"), QStringLiteral("--quiet")});
        };
        auto primary = member(QStringLiteral("orders-1"), QStringLiteral("primary"));
        auto standby = member(QStringLiteral("orders-2"), QStringLiteral("standby"));
        auto billing1 = plain(QStringLiteral("billing-1"));
        // The members beat before Vigil starts: a service is judged a few seconds after its start,
        // and members that start later (slow in a sanitizer build) would truly be missing then.
        auto publishers = [&] {
            int n = 0;
            for (const QByteArray &client : m_redis->command(node, {"CLIENT", "LIST"}).string.split('\n'))
                n += client.contains("cmd=") && !client.contains("cmd=client") ? 1 : 0; // not this question's connection
            return n;
        };
        QTRY_VERIFY_WITH_TIMEOUT(publishers() >= 3, 15000);
        auto recorder = startRecorder(journal,
                                      {QStringLiteral("--quiet"), QStringLiteral("--connect"), uri, QStringLiteral("--service"),
                                       QStringLiteral("billing=heartbeat:billing-1,heartbeat:billing-2")});
        // Beating at the start, they are in the baseline (no heartbeat.up).
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("monitor.baseline")).size(), 1, 10000);
        QCOMPARE(journalEvents(journal, QStringLiteral("monitor.baseline")).first().data.value(QStringLiteral("heartbeat_nodes")).toArray().size(),
                 3);
        QTest::qWait(3000); // learn the intervals; healthy from the start says nothing
        {
            QStringList said;
            for (const Event &e : journalEvents(journal))
                if (e.kind.startsWith(QLatin1String("service.")) || e.severity != Severity::Info)
                    said << e.kind + QLatin1Char(' ') + e.source + QLatin1String(": ") + e.message;
            QVERIFY2(journalEvents(journal, QStringLiteral("service.")).isEmpty(), qPrintable(said.join(QLatin1Char('\n'))));
        }

        ::kill(pid_t(primary->processId()), SIGKILL);
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("service.down")).size(), 1, 5000);
        const Event down = journalEvents(journal, QStringLiteral("service.down")).first();
        QCOMPARE(down.source, QStringLiteral("service orders"));
        QCOMPARE(down.severity, Severity::Critical);
        // The service's events have the scope of the server its beats come through.
        QCOMPARE(down.data.value(QStringLiteral("scope")).toString(), QStringLiteral("replication:") + m_redis->uri(node).address());
        const QDateTime downAt = QDateTime::currentDateTimeUtc();
        ::kill(pid_t(standby->processId()), SIGTERM);
        QVERIFY(standby->waitForFinished(5000));
        auto promoted = member(QStringLiteral("orders-2"), QStringLiteral("primary"));
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("service.takeover")).size(), 1, 5000);
        const Event takeover = journalEvents(journal, QStringLiteral("service.takeover")).first();
        QCOMPARE(takeover.data.value(QStringLiteral("from")).toString(), QStringLiteral("orders-1"));
        QCOMPARE(takeover.data.value(QStringLiteral("to")).toString(), QStringLiteral("orders-2"));
        const qint64 gap = takeover.data.value(QStringLiteral("gap_ms")).toInteger();
        QVERIFY2(gap > 0 && gap < 10'000 && gap >= downAt.msecsTo(takeover.time) - 1000, qPrintable(QString::number(gap)));
        QCOMPARE(takeover.data.value(QStringLiteral("clock")).toString(), QStringLiteral("sender")); // one machine, one clock
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("service.degraded")).size(), 1, 5000);

        // The plain group: its beating node is its primary; killed, the other takes over.
        ::kill(pid_t(billing1->processId()), SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("service.down")).size() == 2, 5000);
        QCOMPARE(journalEvents(journal, QStringLiteral("service.down")).last().source, QStringLiteral("service billing"));
        auto billing2 = plain(QStringLiteral("billing-2"));
        QTRY_VERIFY_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("service.takeover")).size() == 2, 5000);
        const Event plainTakeover = journalEvents(journal, QStringLiteral("service.takeover")).last();
        QCOMPARE(plainTakeover.data.value(QStringLiteral("to")).toString(), QStringLiteral("heartbeat:billing-2")); // a plain node is its channel
        QCOMPARE(plainTakeover.data.value(QStringLiteral("clock")).toString(), QStringLiteral("arrival"));
        // No split brain anywhere: never two claims at once.
        QCOMPARE(journalEvents(journal, QStringLiteral("service.split_brain")).size(), 0);
        for (auto *p : {promoted.get(), billing2.get()}) {
            ::kill(pid_t(p->processId()), SIGTERM);
            QVERIFY(p->waitForFinished(5000));
        }
        QVERIFY(stopRecorder(*recorder));
    }

    void serviceSeesThroughReplicasOnceAndKnowsWhenItIsBlind()
    {
        const int master = m_redis->startServer(QStringLiteral("hb-master"));
        QVERIFY(master >= 0);
        const int replica = m_redis->startReplica(QStringLiteral("hb-replica"), master);
        QVERIFY(replica >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->command(replica, {"INFO", "replication"}).string.contains("master_link_status:up"), 10000);

        HeartbeatService service;
        QList<Event> events;
        connect(&service, &HeartbeatService::eventRaised, this, [&](const Event &e) { events << e; });
        HeartbeatUpdate last;
        connect(&service, &HeartbeatService::updated, this, [&](const HeartbeatUpdate &u) { last = u; });
        // What the monitor learns from INFO: the replica replicates from the master, so the beats
        // that arrive through both were published on the master.
        service.start({m_redis->options(master), m_redis->options(replica)}, {});
        service.setCarrierUpstream(m_redis->uri(replica).address(), m_redis->uri(master).address());

        BeatPublisherOptions options;
        options.connection = m_redis->options(master);
        options.node = QStringLiteral("svc");
        options.intervalMs = 100;
        BeatPublisher publisher(options);
        publisher.start();
        // Once both subscriptions deliver (the first copy from the replica is a duplicate)...
        QTRY_VERIFY_WITH_TIMEOUT(last.duplicates > 0, 10000);
        const qint64 beats0 = last.beats, duplicates0 = last.duplicates;
        QTRY_VERIFY_WITH_TIMEOUT(last.beats >= beats0 + 30, 10000);
        // ...every beat reaches us twice (master and replica) and is counted once.
        const qint64 beats = last.beats - beats0, duplicates = last.duplicates - duplicates0;
        QVERIFY2(std::abs(beats - duplicates) <= 2, qPrintable(QStringLiteral("%1 beats, %2 copies").arg(beats).arg(duplicates)));
        QCOMPARE(last.nodes.size(), 1);
        QCOMPARE(last.nodes.first().lost, 0);
        QVERIFY(std::abs(last.nodes.first().meanIntervalUs - 100'000) < 20'000);
        QVERIFY(last.nodes.first().latencyP50Us >= 0);

        // Malformed beats on the same channels change nothing for the node.
        m_redis->command(master, {"PUBLISH", "heartbeat:svc", "{broken"});
        m_redis->command(master, {"PUBLISH", "heartbeat", QByteArray(70 * 1024, 'x')});
        QTRY_VERIFY_WITH_TIMEOUT(last.malformed >= 2, 3000);

        // The master dies: the beats stop and so does our view of them. Unknown, not down, although
        // the replica still answers.
        m_redis->topology().kill(master);
        auto kinds = [&] {
            QStringList k;
            for (const Event &e : events)
                k << e.kind;
            return k;
        };
        const auto explain = qScopeGuard([&] {
            if (QTest::currentTestFailed())
                for (const Event &e : events)
                    qInfo("%s %s %s %s", qPrintable(formatTime(e.time)), qPrintable(e.kind), qPrintable(e.source), qPrintable(e.message));
        });
        QTRY_VERIFY_WITH_TIMEOUT(kinds().contains(QStringLiteral("heartbeat.unknown")), 3000);
        QVERIFY(!kinds().contains(QStringLiteral("heartbeat.down")));
        service.stop();
        QCOMPARE(kinds().count(QStringLiteral("heartbeat.malformed")), 2);
        QCOMPARE(kinds().count(QStringLiteral("heartbeat.up")), 1);
    }
};

QTEST_GUILESS_MAIN(TestHeartbeats)
#include "tst_heartbeats.moc"
