// Promotion on real servers: zero acknowledged writes lost under a concurrent writer with FAILOVER
// and through Sentinel (with `vigil promote --yes`, journalled), SENTINEL FAILOVER alone as the
// reference, rollback when the candidate hangs, forced promotion after a SIGKILL, a cluster
// failover, and the checks that refuse (lag, priority 0, a missing ACL permission).
#include "actions/promotion.h"
#include "monitor/monitor.h"
#include "monitor/topologygraph.h"
#include "redisfixture.h"
#include "vigilprocess.h"
#include "sandbox/counterwriter.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

namespace {

// The lines of a run that say what went wrong.
QByteArray explain(const VigilRun &run)
{
    QStringList lines;
    for (const QString &line : run.output.split(QLatin1Char('\n')))
        if (line.contains(QStringLiteral("FAIL")) || line.contains(QStringLiteral("vigil:")) || line.contains(QStringLiteral("WARN")))
            lines << line;
    return QStringLiteral("exit %1: %2").arg(run.exitCode).arg(lines.join(QStringLiteral(" | "))).toUtf8();
}

} // namespace

class TestPromotion : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RedisFixture> m_redis;
    QTemporaryDir m_dir;

    bool linkUp(int replica) { return m_redis->linkUp(replica); }
    bool isMaster(int node) { return m_redis->isMaster(node); }
    qint64 counter(int node) { return m_redis->command(node, {"GET", "counter"}).string.toLongLong(); }

    // A master and `replicas` replicas, all linked; optionally `sentinels` sentinels on group `group`.
    using Group = RedisFixture::Group;
    Group startGroup(const QString &name, int replicas, int sentinels, const QStringList &extra = {})
    {
        return m_redis->startGroup(name, replicas, sentinels, 2000, extra);
    }
    bool groupReady(const Group &g) { return m_redis->groupReady(g); }

    // Every live cluster node sees node `id` as a replica (so the primaries would vote for it).
    bool everyoneAgreesOn(const QList<int> &nodes, const QByteArray &id)
    {
        return std::all_of(nodes.begin(), nodes.end(), [&](int n) {
            if (!m_redis->topology().isRunning(n))
                return true;
            for (const QByteArray &line : m_redis->command(n, {"CLUSTER", "NODES"}).string.split('\n'))
                if (line.startsWith(id))
                    return line.contains("slave");
            return false;
        });
    }

    // Starts the writer and lets it get going.
    static bool startWriting(CounterWriter &writer)
    {
        writer.start();
        return spinUntil([&writer] { return writer.acknowledged() > 1000; }, 5000);
    }

    // A monitor (without heartbeats) that has found `g` and seen its master's view of the replicas.
    std::unique_ptr<Monitor> watch(const Group &g)
    {
        auto monitor = std::make_unique<Monitor>(nullptr);
        HeartbeatOptions none;
        none.channels.clear();
        none.patterns.clear();
        monitor->setHeartbeatOptions(none);
        monitor->setPollInterval(200);
        monitor->setTargets({m_redis->options(g.master)});
        monitor->start();
        const qsizetype nodes = 1 + g.replicas.size();
        spinUntil([&] { return monitor->isSettled() && monitor->targetCount() == nodes; }, 5000);
        QTest::qWait(500); // a poll of the master after its replicas were found
        return monitor;
    }

    // One line per path for docs/performance.md: writes, loss, promotion and pause times.
    static void report(const char *path, qint64 acked, qint64 held, const VigilRun &run, const CounterWriter &writer)
    {
        static const QRegularExpression line(QStringLiteral("is the new master \\(.*\\)"));
        qInfo("PROMOTION %s: %lld acknowledged, %lld lost; %s (longest gap between acknowledgements %lld ms); writer stopped by: %s", path, acked,
              std::max<qint64>(0, acked - held), qPrintable(line.match(run.output).captured(0)), writer.longestGapMs(),
              qPrintable(writer.stopReason()));
        for (const QString &l : run.output.split(QLatin1Char('\n')))
            if (l.startsWith(QLatin1Char('[')) || l.contains(QStringLiteral("caught up")))
                qInfo("  %s", qPrintable(l));
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString missing = vigilTestMissing(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        m_redis = std::make_unique<RedisFixture>();
    }

    void cleanupTestCase() { m_redis.reset(); }

    // Plain replication, by hand (the default) and with FAILOVER TO (6.2+, --path failover): zero
    // acknowledged writes lost; the journal has the story.
    void switchoverLosesNothing_data()
    {
        QTest::addColumn<bool>("byHand");
        QTest::newRow("FAILOVER") << false;
        QTest::newRow("by hand") << true;
    }

    void switchoverLosesNothing()
    {
        QFETCH(bool, byHand);
        const QString name = byHand ? QStringLiteral("bh") : QStringLiteral("fo");
        const Group g = startGroup(name, 2, 0);
        QTRY_VERIFY_WITH_TIMEOUT(groupReady(g), 30000);
        CounterWriter writer(m_redis->options(g.master), "counter");
        QVERIFY(startWriting(writer));
        const QString journal = m_dir.filePath(name + QStringLiteral(".sqlite"));
        const QString candidate = m_redis->uri(g.replicas[0]).address();
        QStringList args{
            QStringLiteral("promote"), QStringLiteral("--connect"), m_redis->uri(g.master).toFullString(), QStringLiteral("--candidate"), candidate,
            QStringLiteral("--yes"),   QStringLiteral("--reason"),  QStringLiteral("test switchover"),     QStringLiteral("--journal"),   journal};
        args << QStringLiteral("--path") << (byHand ? QStringLiteral("by-hand") : QStringLiteral("failover"));
        const VigilRun run = runVigil(args);
        QVERIFY2(run.exitCode == 0, explain(run).constData());
        QVERIFY2(run.output.contains(byHand ? QStringLiteral("by switchover-by-hand") : QStringLiteral("by failover")), qPrintable(run.output));
        QVERIFY(spinUntil([&writer] { return !writer.isRunning(); }, 10000)); // refused (-READONLY) or cut off by the demotion
        const qint64 acked = writer.acknowledged();
        const qint64 held = counter(g.replicas[0]);
        report(byHand ? "by hand" : "FAILOVER", acked, held, run, writer);
        QVERIFY(acked > 1000);
        QVERIFY2(held >= acked, qPrintable(QStringLiteral("lost %1 of %2").arg(acked - held).arg(acked)));
        QVERIFY(isMaster(g.replicas[0]));
        QTRY_VERIFY_WITH_TIMEOUT(!isMaster(g.master), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->command(g.replicas[1], {"INFO", "replication"})
                                     .string.contains(QByteArray(QByteArray("master_port:") + QByteArray::number(m_redis->port(g.replicas[0])))),
                                 5000);

        const QList<Event> events = journalEvents(journal, QStringLiteral("action.promote"));
        QVERIFY(events.size() >= 3);
        QCOMPARE(events.first().kind, QStringLiteral("action.promote.requested"));
        QCOMPARE(events.first().data.value(QStringLiteral("reason")).toString(), QStringLiteral("test switchover"));
        QVERIFY(!events.first().data.value(QStringLiteral("operator")).toString().isEmpty());
        QVERIFY(events.first().data.value(QStringLiteral("plan")).toArray().size() >= 4);
        QCOMPARE(events.last().kind, QStringLiteral("action.promote.succeeded"));
        QVERIFY(events.last().data.value(QStringLiteral("total_ms")).toInteger() >= 0);
        QVERIFY(events.last().data.contains(QStringLiteral("write_pause_ms")));
        int steps = 0;
        for (const Event &e : events)
            steps += e.kind == QLatin1String("action.promote.step") ? 1 : 0;
        QCOMPARE(steps, events.first().data.value(QStringLiteral("plan")).toArray().size());
    }

    // Under Sentinel, with the master up: zero acknowledged writes lost, and the sentinels agree.
    void sentinelSwitchoverLosesNothing()
    {
        const QString name = QStringLiteral("sw");
        const Group g = startGroup(name, 2, 3);
        QTRY_VERIFY_WITH_TIMEOUT(groupReady(g), 30000);
        CounterWriter writer(m_redis->options(g.master), "counter");
        QVERIFY(startWriting(writer));
        const QString journal = m_dir.filePath(QStringLiteral("sentinel.sqlite"));
        const QString candidate = m_redis->uri(g.replicas[1]).address();
        const VigilRun run = runVigil({QStringLiteral("promote"), QStringLiteral("--sentinel"), m_redis->uri(g.sentinels[0]).toFullString(),
                                       QStringLiteral("--master"), name, QStringLiteral("--candidate"), candidate, QStringLiteral("--yes"),
                                       QStringLiteral("--accept-warnings"), QStringLiteral("--journal"), journal});
        QVERIFY2(run.exitCode == 0, explain(run).constData());
        QVERIFY2(run.output.contains(QStringLiteral("by sentinel-switchover")), qPrintable(run.output));
        QVERIFY(spinUntil([&writer] { return !writer.isRunning(); }, 10000));
        const qint64 acked = writer.acknowledged();
        const qint64 held = counter(g.replicas[1]);
        report("Sentinel", acked, held, run, writer);
        QVERIFY2(held >= acked, qPrintable(QStringLiteral("lost %1 of %2").arg(acked - held).arg(acked)));
        for (int s : g.sentinels) {
            const Reply addr = m_redis->command(s, {"SENTINEL", "GET-MASTER-ADDR-BY-NAME", name.toUtf8()});
            QCOMPARE(addr.elements.at(1).string.toInt(), int(m_redis->port(g.replicas[1])));
        }
        // The other replica's priority is back to what it was.
        QCOMPARE(m_redis->command(g.replicas[0], {"CONFIG", "GET", "replica-priority"}).elements.at(1).string, QByteArray("100"));
        // Sentinel must not fight back: still the same master a while later.
        QTest::qWait(3000);
        QVERIFY(isMaster(g.replicas[1]));
        QVERIFY(!isMaster(g.master));
        QCOMPARE(journalEvents(journal, QStringLiteral("action.promote.succeeded")).size(), 1);
        // A planned switchover pages nobody: Sentinel's switch, the clients it kills and the role
        // changes are what the operator asked for.
        for (const Event &e : journalEvents(journal))
            QVERIFY2(e.severity != Severity::Critical, qPrintable(e.kind + QLatin1Char(' ') + e.message));
        QVERIFY(!journalEvents(journal, QStringLiteral("sentinel.+switch-master")).isEmpty());
    }

    // The reference: SENTINEL FAILOVER on a healthy master, with nothing else, under the same writer.
    void sentinelFailoverReference()
    {
        const QString name = QStringLiteral("ref");
        const Group g = startGroup(name, 2, 3);
        QTRY_VERIFY_WITH_TIMEOUT(groupReady(g), 30000);
        CounterWriter writer(m_redis->options(g.master), "counter");
        QVERIFY(startWriting(writer));
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(m_redis->command(g.sentinels[0], {"SENTINEL", "FAILOVER", name.toUtf8()}).string, QByteArray("OK"));
        int promoted = -1;
        QVERIFY(spinUntil([&] { return (promoted = isMaster(g.replicas[0]) ? g.replicas[0]
                                            : isMaster(g.replicas[1])      ? g.replicas[1]
                                                                           : -1)
                                    >= 0; },
                          20000));
        const qint64 promotedMs = clock.elapsed();
        // Sentinel converts the old master only later; the writer keeps writing there until then.
        QVERIFY(spinUntil([&writer] { return !writer.isRunning(); }, 30000));
        const qint64 acked = writer.acknowledged();
        const qint64 held = counter(promoted);
        qInfo("PROMOTION SENTINEL FAILOVER alone (reference): %lld acknowledged, %lld held by the new master, %lld lost (%.0f %%); "
              "new master after %lld ms; writer stopped after %lld ms by: %s",
              acked, held, acked - held, acked ? 100.0 * double(acked - held) / double(acked) : 0.0, promotedMs, clock.elapsed(),
              qPrintable(writer.stopReason()));
        QVERIFY(acked > 0);
    }

    // A candidate that cannot catch up (SIGSTOPped): the action fails, writes are unpaused, the old
    // master is still master, and the writer goes on.
    void rollbackWhenTheCandidateHangs()
    {
        const Group g = startGroup(QStringLiteral("rb"), 1, 0);
        QTRY_VERIFY_WITH_TIMEOUT(groupReady(g), 30000);
        const auto watching = watch(g);
        Monitor &monitor = *watching;
        QCOMPARE(monitor.targetCount(), 2);
        PromotionRequest request;
        request.candidate = m_redis->uri(g.replicas[0]).address();
        request.catchUpTimeoutMs = 1500;
        const PromotionPlan plan = planPromotion(buildTopologyGraph(monitor.status()), request);
        QVERIFY2(!plan.blocked(), qPrintable(plan.summary));
        QCOMPARE(plan.path, PromotionPath::ByHand);
        PromotionEngine engine(plan, request, [&monitor](const QString &a) { return monitor.connectionOptions(a); });
        QList<Event> events;
        engine.setEventSink([&events](const Event &e) { events << e; });
        bool quiet = false;
        engine.setQuietHook([&quiet](bool on) { quiet = on; });
        PromotionResult result;
        bool done = false;
        connect(&engine, &PromotionEngine::finished, &engine, [&](const PromotionResult &r) {
            result = r;
            done = true;
        });

        CounterWriter writer(m_redis->options(g.master), "counter");
        QVERIFY(startWriting(writer));
        m_redis->topology().suspend(g.replicas[0]);
        engine.execute(true);
        QVERIFY(quiet);
        QVERIFY(spinUntil([&done] { return done; }, 10000));
        m_redis->topology().resume(g.replicas[0]);
        QCOMPARE(result.outcome, PromotionResult::Outcome::Failed);
        QVERIFY2(result.rollback.contains(QStringLiteral("writes unpaused")), qPrintable(result.rollback));
        QVERIFY2(result.rollback.contains(QStringLiteral("still master")), qPrintable(result.rollback));
        QVERIFY(!quiet);
        QVERIFY(isMaster(g.master));
        const qint64 before = writer.acknowledged();
        QVERIFY(spinUntil([&] { return writer.acknowledged() > before + 1000; }, 5000));
        QVERIFY(writer.isRunning());
        writer.stop();
        QCOMPARE(events.last().kind, QStringLiteral("action.promote.failed"));
        QCOMPARE(events.last().data.value(QStringLiteral("past_point_of_no_return")).toBool(), false);
        monitor.stop();
    }

    // The operator stops it before the point of no return: rolled back, nothing changed.
    void abortBeforeThePointOfNoReturn()
    {
        const Group g = startGroup(QStringLiteral("ab"), 1, 0);
        QTRY_VERIFY_WITH_TIMEOUT(groupReady(g), 30000);
        const auto watching = watch(g);
        Monitor &monitor = *watching;
        QCOMPARE(monitor.targetCount(), 2);
        PromotionRequest request;
        request.candidate = m_redis->uri(g.replicas[0]).address();
        PromotionEngine engine(planPromotion(buildTopologyGraph(monitor.status()), request), request,
                               [&monitor](const QString &a) { return monitor.connectionOptions(a); });
        QList<Event> events;
        engine.setEventSink([&events](const Event &e) { events << e; });
        PromotionResult result;
        bool done = false;
        connect(&engine, &PromotionEngine::finished, &engine, [&](const PromotionResult &r) {
            result = r;
            done = true;
        });
        engine.execute(true);
        QVERIFY(engine.abort()); // step 1 (CLIENT PAUSE) is under way; the abort takes effect after it
        QTRY_VERIFY_WITH_TIMEOUT(done, 5000);
        QCOMPARE(result.outcome, PromotionResult::Outcome::Aborted);
        QVERIFY2(result.rollback.contains(QStringLiteral("writes unpaused")), qPrintable(result.rollback));
        QVERIFY(isMaster(g.master));
        QVERIFY(!isMaster(g.replicas[0]));
        QVERIFY(!engine.abort()); // over
        QCOMPARE(events.last().kind, QStringLiteral("action.promote.aborted"));
        // Writes go through again.
        QCOMPARE(m_redis->command(g.master, {"SET", "after-abort", "1"}).string, QByteArray("OK"));
        monitor.stop();
    }

    // The master is SIGKILLed: --force promotes the candidate and re-points the other replica.
    void forcedAfterMasterKill()
    {
        const Group g = startGroup(QStringLiteral("fk"), 2, 0);
        QTRY_VERIFY_WITH_TIMEOUT(groupReady(g), 30000);
        m_redis->topology().kill(g.master);
        const QString candidate = m_redis->uri(g.replicas[0]).address();
        // The dead master cannot name its replicas any more: both are given.
        const QStringList base{QStringLiteral("promote"),
                               QStringLiteral("--connect"),
                               m_redis->uri(g.replicas[0]).toFullString(),
                               QStringLiteral("--connect"),
                               m_redis->uri(g.replicas[1]).toFullString(),
                               QStringLiteral("--candidate"),
                               candidate,
                               QStringLiteral("--journal"),
                               m_dir.filePath(QStringLiteral("forced.sqlite"))};
        // Without --force: refused, the master is needed for a coordinated switchover.
        VigilRun run = runVigil(base + QStringList{QStringLiteral("--yes")});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.output.contains(QStringLiteral("use --force")), qPrintable(run.output));
        // Ranked the way Sentinel would: equal priority and offset, so the smaller run id decides;
        // whichever it is, the check says so.
        run = runVigil(base + QStringList{QStringLiteral("--force"), QStringLiteral("--dry-run"), QStringLiteral("--accept-warnings")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.output.contains(QRegularExpression(QStringLiteral("(PASS|WARNING)\\s+best candidate"))), qPrintable(run.output));
        run = runVigil(base + QStringList{QStringLiteral("--force"), QStringLiteral("--accept-warnings"), QStringLiteral("--yes")});
        QVERIFY2(run.exitCode == 0, explain(run).constData());
        QVERIFY2(run.output.contains(QStringLiteral("by forced")), qPrintable(run.output));
        // The master died before Vigil ever saw it: its last offset, and so the gap, are unknown.
        QVERIFY2(run.output.contains(QStringLiteral("Expected data loss: unknown")), qPrintable(run.output));
        QVERIFY(isMaster(g.replicas[0]));
        QTRY_VERIFY_WITH_TIMEOUT(linkUp(g.replicas[1]), 5000);
        QVERIFY(m_redis->command(g.replicas[1], {"INFO", "replication"})
                    .string.contains(QByteArray(QByteArray("master_port:") + QByteArray::number(m_redis->port(g.replicas[0])))));
    }

    // Under Sentinel, the master SIGKILLed before Sentinel acts (its down-after is a minute): --force
    // has Sentinel fail over to the chosen replica, the other replica made unelectable meanwhile.
    void forcedThroughSentinel()
    {
        const QString name = QStringLiteral("fs");
        const Group g = m_redis->startGroup(name, 2, 3, 60'000);
        QTRY_VERIFY_WITH_TIMEOUT(groupReady(g), 30000);
        m_redis->topology().kill(g.master);
        const QString candidate = m_redis->uri(g.replicas[1]).address();
        const VigilRun run = runVigil({QStringLiteral("promote"), QStringLiteral("--sentinel"), m_redis->uri(g.sentinels[0]).toFullString(),
                                       QStringLiteral("--master"), name, QStringLiteral("--candidate"), candidate, QStringLiteral("--force"),
                                       QStringLiteral("--accept-warnings"), QStringLiteral("--yes"), QStringLiteral("--journal"),
                                       m_dir.filePath(QStringLiteral("forced-sentinel.sqlite"))});
        QVERIFY2(run.exitCode == 0, explain(run).constData());
        QVERIFY2(run.output.contains(QStringLiteral("by forced-sentinel")), qPrintable(run.output));
        QVERIFY(isMaster(g.replicas[1]));
        for (int s : g.sentinels)
            QCOMPARE(m_redis->command(s, {"SENTINEL", "GET-MASTER-ADDR-BY-NAME", name.toUtf8()}).elements.at(1).string.toInt(),
                     int(m_redis->port(g.replicas[1])));
        QCOMPARE(m_redis->command(g.replicas[0], {"CONFIG", "GET", "replica-priority"}).elements.at(1).string, QByteArray("100"));
        for (int s : g.sentinels)
            m_redis->topology().kill(s);
    }

    // Redis Cluster: CLUSTER FAILOVER on a replica, its primary becomes its replica.
    void clusterFailover()
    {
        QString error;
        const QList<int> nodes = m_redis->topology().buildCluster(3, 1, &error, 60000);
        QVERIFY2(nodes.size() == 6, qPrintable(error));
        // Every node must know every other before a manual failover can win its election.
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(nodes.begin(), nodes.end(),
                                             [this](int n) {
                                                 const QByteArray info = m_redis->command(n, {"CLUSTER", "INFO"}).string;
                                                 return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:6");
                                             }),
                                 15000);
        int replica = -1;
        for (int n : nodes)
            if (!isMaster(n))
                replica = n;
        QVERIFY(replica >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(linkUp(replica), 10000);
        // Right after the cluster is made, some primaries still see the replica as a master and
        // would refuse their votes (the "cluster view" pre-flight check fails then): wait until all agree.
        QTRY_VERIFY_WITH_TIMEOUT(everyoneAgreesOn(nodes, m_redis->command(replica, {"CLUSTER", "MYID"}).string), 20000);
        const VigilRun run =
            runVigil({QStringLiteral("promote"), QStringLiteral("--connect"), m_redis->uri(nodes.first()).toFullString(),
                      QStringLiteral("--candidate"), m_redis->uri(replica).address(), QStringLiteral("--yes"), QStringLiteral("--accept-warnings"),
                      QStringLiteral("--journal"), m_dir.filePath(QStringLiteral("cluster.sqlite"))});
        QVERIFY2(run.exitCode == 0, explain(run).constData());
        QVERIFY2(run.output.contains(QStringLiteral("by cluster-failover")), qPrintable(run.output));
        QVERIFY(isMaster(replica));

        // Its old primary is now a replica: kill the new primary, and promote the old one with
        // FORCE (the cluster's own timeout is far away: nothing else would act for a while).
        int old = -1;
        for (int n : nodes)
            if (n != replica
                && m_redis->command(n, {"INFO", "replication"})
                       .string.contains(QByteArray(QByteArray("master_port:") + QByteArray::number(m_redis->port(replica)))))
                old = n;
        QVERIFY(old >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(linkUp(old), 10000);
        int seed = -1;
        for (int n : nodes)
            if (n != replica && n != old)
                seed = n;
        QTRY_VERIFY_WITH_TIMEOUT(everyoneAgreesOn(nodes, m_redis->command(old, {"CLUSTER", "MYID"}).string), 20000);
        m_redis->topology().kill(replica);
        const VigilRun forced =
            runVigil({QStringLiteral("promote"), QStringLiteral("--connect"), m_redis->uri(seed).toFullString(), QStringLiteral("--candidate"),
                      m_redis->uri(old).address(), QStringLiteral("--force"), QStringLiteral("--yes"), QStringLiteral("--accept-warnings"),
                      QStringLiteral("--journal"), m_dir.filePath(QStringLiteral("cluster.sqlite"))});
        QVERIFY2(forced.exitCode == 0, explain(forced).constData());
        QVERIFY2(forced.output.contains(QStringLiteral("by cluster-failover-force")), qPrintable(forced.output));
        QVERIFY(isMaster(old));
        for (int n : nodes)
            m_redis->topology().kill(n);
    }

    // Checks that refuse, each with its reason.
    void refusals()
    {
        // Priority 0 under Sentinel.
        const QString name = QStringLiteral("pz");
        const Group g = startGroup(name, 1, 1);
        QTRY_VERIFY_WITH_TIMEOUT(groupReady(g), 30000);
        QCOMPARE(m_redis->command(g.replicas[0], {"CONFIG", "SET", "replica-priority", "0"}).string, QByteArray("OK"));
        VigilRun run = runVigil({QStringLiteral("promote"), QStringLiteral("--sentinel"), m_redis->uri(g.sentinels[0]).toFullString(),
                                 QStringLiteral("--candidate"), m_redis->uri(g.replicas[0]).address(), QStringLiteral("--dry-run")});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.output.contains(QRegularExpression(QStringLiteral("FAIL\\s+candidate electable\\s+replica-priority 0"))),
                 qPrintable(run.output));

        // A user who may not run REPLICAOF.
        const QStringList acl{QStringLiteral("user ops on >opspw ~* &* +@all -replicaof -slaveof")};
        const Group a = startGroup(QStringLiteral("acl"), 1, 0, acl);
        QTRY_VERIFY_WITH_TIMEOUT(groupReady(a), 30000);
        RedisUri ops = m_redis->uri(a.master);
        ops.user = QStringLiteral("ops");
        ops.password = QStringLiteral("opspw");
        run = runVigil({QStringLiteral("promote"), QStringLiteral("--connect"), ops.toFullString(), QStringLiteral("--candidate"),
                        m_redis->uri(a.replicas[0]).address(), QStringLiteral("--dry-run")});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.output.contains(QRegularExpression(QStringLiteral("FAIL\\s+permission: REPLICAOF NO ONE .*replicaof"))), qPrintable(run.output));
        QVERIFY(!run.output.contains(QStringLiteral("opspw")));

        // A lagging candidate (the master's view, as the monitor keeps it).
        TargetStatus master, replica;
        master.address = QStringLiteral("10.0.0.1:6379");
        replica.address = QStringLiteral("10.0.0.2:6379");
        master.connected = replica.connected = true;
        auto m = std::make_shared<InfoSnapshot>();
        m->role = InfoSnapshot::Role::Master;
        m->version = QStringLiteral("7.0.15");
        m->masterReplOffset = 50'000'000;
        m->replicas = {ReplicaEntry{QStringLiteral("10.0.0.2"), 6379, QStringLiteral("online"), 47'000'000, 12}};
        auto r = std::make_shared<InfoSnapshot>();
        r->role = InfoSnapshot::Role::Replica;
        r->masterHost = QStringLiteral("10.0.0.1");
        r->masterPort = 6379;
        r->linkStatus = QStringLiteral("up");
        r->tcpPort = 6379;
        r->replicaOffset = 47'000'000;
        master.info = m;
        replica.info = r;
        PromotionRequest request;
        request.candidate = replica.address;
        const PromotionPlan plan = planPromotion(buildTopologyGraph({master, replica}), request);
        QVERIFY(plan.blocked());
        QStringList failed;
        for (const PreflightCheck &c : plan.checks)
            if (c.result == PreflightCheck::Result::Fail)
                failed << c.id;
        QCOMPARE(failed, (QStringList{QStringLiteral("byte-gap"), QStringLiteral("lag")}));
    }
};

QTEST_GUILESS_MAIN(TestPromotion)
#include "tst_promotion.moc"
