// The fault matrix of the promotion engine, on real servers under a writer that counts its
// acknowledged writes and a probe that tries a write on every server (WriteProbe), for each path
// (by hand, FAILOVER, Sentinel, a cluster's CLUSTER FAILOVER): Vigil SIGKILLed at every step
// boundary (before each step that changes a server, its intent on disk, and right after it), then
// `vigil recover`; at every boundary (VIGIL_HOLD_AT), a server killed or stopped, a sentinel
// killed, the candidate or the old master cut off (NetworkLab); the candidate on a slow link
// (DelayRelay). After each: exactly one master among the action's servers, every other one its
// replica with the link up, replica-priority as it was, no acknowledged write lost, never two
// masters at once, save where Redis itself does otherwise, which each case names. Each case prints
// a MATRIX line (docs/testing.md quotes them).
//
// The whole matrix runs with `make test-faults` (VIGIL_FAULTS=all); the suite runs a smoke of it.
#include "redisfixture.h"
#include "delayrelay.h"
#include "sandbox/counterwriter.h"
#include "writeprobe.h"
#include "vigilprocess.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

namespace {

// The step kinds that change a server, per path, in plan order.
const QStringList kFailover{QStringLiteral("failover"), QStringLiteral("repoint")};
const QStringList kByHand{QStringLiteral("pause"), QStringLiteral("demote"), QStringLiteral("promote"), QStringLiteral("unpause"),
                          QStringLiteral("repoint")};
const QStringList kCluster{QStringLiteral("cluster-failover")};
const QStringList kSentinel{QStringLiteral("priority-zero"),     QStringLiteral("pause"),   QStringLiteral("demote"),
                            QStringLiteral("sentinel-failover"), QStringLiteral("unpause"), QStringLiteral("priority-restore")};
const std::pair<QString, QStringList> kPaths[] = {{QStringLiteral("by-hand"), kByHand},
                                                  {QStringLiteral("failover"), kFailover},
                                                  {QStringLiteral("sentinel"), kSentinel},
                                                  {QStringLiteral("cluster"), kCluster}};
// The smoke inside `make test`: the boundary with no master, one where Sentinel acts alone, and the cluster's.
const QStringList kSmoke{QStringLiteral("by-hand after:demote"), QStringLiteral("sentinel after:sentinel-failover"),
                         QStringLiteral("cluster after:cluster-failover")};

// The writer's counter, in the probe's hash slot: in a cluster, on the shard the probe tries.
const QByteArray kCounter = "{" + WriteProbe::key() + "}counter";

} // namespace

class TestFaults : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RedisFixture> m_redis;
    QTemporaryDir m_dir;

    QByteArray info(int node) { return m_redis->command(node, {"INFO", "replication"}).string; }

    void stopGroup(const RedisFixture::Group &g)
    {
        for (int n : g.replicas + g.sentinels + g.others + QList<int>{g.master})
            m_redis->topology().kill(n);
    }

    // A master with two replicas, watched by three sentinels for the Sentinel path; for the
    // cluster path, the shard with two replicas that holds the writer's key. With a lab, the
    // server at `placed` (0 the master, 1 the candidate) runs in its namespace.
    RedisFixture::Group startFor(const QString &path, const QString &name, const NetworkLab *lab = nullptr, int placed = -1)
    {
        if (path == QLatin1String("cluster"))
            return m_redis->startClusterShard(name, WriteProbe::key(), lab, placed);
        const int sentinels = path == QLatin1String("sentinel") ? 3 : 0;
        return lab ? m_redis->startGroupAcross(*lab, placed, name, 2, sentinels) : m_redis->startGroup(name, 2, sentinels);
    }

    // The one master among `servers` once every other follows it with the link up and that has
    // held for 3 s (a command queued on a stopped server, or a failover that Redis or Sentinel
    // still runs, may move it yet); -1 if that does not happen within `timeoutMs`.
    int settledMaster(const QList<int> &servers, int timeoutMs)
    {
        int master = -1;
        QElapsedTimer since;
        since.start();
        const bool held = spinUntil(
            [&] {
                QList<int> masters;
                for (int n : servers)
                    if (m_redis->isMaster(n))
                        masters << n;
                int now = masters.size() == 1 ? masters.first() : -1;
                for (int n : servers)
                    if (now >= 0 && n != now && !m_redis->follows(n, now))
                        now = -1;
                if (now != master) {
                    master = now;
                    since.restart();
                }
                return master >= 0 && since.elapsed() >= 3000;
            },
            timeoutMs);
        return held ? master : -1;
    }

    // A path's step boundaries: before the first step that changes a server, and after each.
    static QStringList boundaries(const QStringList &kinds)
    {
        QStringList points{QStringLiteral("before:") + kinds.first()};
        for (const QString &kind : kinds)
            points << QStringLiteral("after:") + kind;
        return points;
    }

    static bool wholeMatrix() { return qEnvironmentVariable("VIGIL_FAULTS") == QLatin1String("all"); }

    // `vigil promote` of `candidate` (an address) in group `g`, journalled to `journal`: through
    // Sentinel, over a cluster's primary (the cluster path is its only one), or with `--path path`
    // over the master.
    QStringList promoteArgs(const RedisFixture::Group &g, const QString &candidate, const QString &journal, const QString &path) const
    {
        QStringList args{QStringLiteral("promote"), QStringLiteral("--candidate"), candidate,
                         QStringLiteral("--yes"),   QStringLiteral("--journal"),   journal};
        if (path == QLatin1String("sentinel"))
            args << QStringLiteral("--sentinel") << m_redis->uri(g.sentinels[0]).toFullString();
        else if (path == QLatin1String("cluster"))
            args << QStringLiteral("--connect") << m_redis->uri(g.master).toFullString();
        else
            args << QStringLiteral("--connect") << m_redis->uri(g.master).toFullString() << QStringLiteral("--path") << path;
        return args;
    }

    // The environment that holds Vigil at `point` ("after:pause") for 1.5 s; through Sentinel for
    // 0.3 s, as its write pause is never renewed and lasts half of down-after-milliseconds (1 s).
    static QProcessEnvironment holdAt(const QString &path, const QString &point)
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("VIGIL_HOLD_AT"), point + (path == QLatin1String("sentinel") ? QStringLiteral("=300") : QStringLiteral("=1500")));
        return env;
    }

    // Tries a write on each server of the group every few milliseconds: two masters at once show.
    std::unique_ptr<WriteProbe> startProbe(const RedisFixture::Group &g)
    {
        QList<ConnectionOptions> servers{m_redis->options(g.master)};
        QStringList names{QStringLiteral("the old master")};
        for (int i = 0; i < g.replicas.size(); ++i) {
            servers << m_redis->options(g.replicas[i]);
            names << (i == 0 ? QStringLiteral("the candidate") : QStringLiteral("the other replica"));
        }
        auto probe = std::make_unique<WriteProbe>(servers, names);
        probe->start();
        return probe;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString missing = vigilTestMissing(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        m_redis = std::make_unique<RedisFixture>();
    }

    void cleanupTestCase() { m_redis.reset(); }

    void vigilKilled_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("point");
        const bool all = wholeMatrix();
        for (const auto &[path, kinds] : kPaths)
            for (const QString &kind : kinds)
                for (const char *when : {"before", "after"}) {
                    const QString point = QStringLiteral("%1:%2").arg(QLatin1String(when), kind);
                    const QString name = QStringLiteral("%1 %2").arg(path, point);
                    if (all || kSmoke.contains(name))
                        QTest::newRow(qPrintable(name)) << path << point;
                }
    }

    void vigilKilled()
    {
        QFETCH(QString, path);
        QFETCH(QString, point);
        static int serial = 0;
        const QString name = QStringLiteral("f%1").arg(++serial);
        const RedisFixture::Group g = startFor(path, name);
        QTRY_VERIFY2_WITH_TIMEOUT(m_redis->groupReady(g), qPrintable(m_redis->error()), 30000);
        QList<int> servers{g.master};
        servers << g.replicas;
        CounterWriter writer(m_redis->options(g.master), kCounter);
        writer.start();
        const auto probe = startProbe(g);
        QVERIFY(spinUntil([&writer] { return writer.acknowledged() > 1000; }, 5000));
        const QString journal = m_dir.filePath(name + QStringLiteral(".sqlite"));
        const QStringList args = promoteArgs(g, m_redis->uri(g.replicas[0]).address(), journal, path);
        const VigilRun killed = runVigil(args, crashAt(point));
        QVERIFY2(killed.crashed && !killed.timedOut, qPrintable(killed.output));
        int masters = 0;
        for (int n : servers)
            masters += m_redis->isMaster(n) ? 1 : 0;
        // The operator comes later than the write pause lasts (5 s): it has ended by itself.
        QTest::qWait(6000);

        const VigilRun recovered = runVigil({QStringLiteral("recover"), QStringLiteral("--journal"), journal, QStringLiteral("--yes")});
        QVERIFY2(recovered.exitCode == 0, qPrintable(recovered.output));
        const QList<Event> outcome = journalEvents(journal, QStringLiteral("action.promote.recovered"));
        QCOMPARE(outcome.size(), 1);
        QVERIFY(outcome.first().data.value(QStringLiteral("ok")).toBool());
        int kept = -1;
        for (int n : servers)
            if (m_redis->uri(n).address() == outcome.first().data.value(QStringLiteral("kept")).toString())
                kept = n;
        QVERIFY(kept >= 0);

        // One master, the others its replicas; the priorities as they were.
        for (int n : servers) {
            if (n == kept)
                QVERIFY(m_redis->isMaster(n));
            else
                QTRY_VERIFY2_WITH_TIMEOUT(m_redis->follows(n, kept), info(n).constData(), 10000);
            QCOMPARE(m_redis->replicaPriority(n), QByteArray("100"));
        }
        // Sentinel agrees, and does not move the master again.
        auto named = [&](int s) {
            const Reply r = m_redis->command(s, {"SENTINEL", "GET-MASTER-ADDR-BY-NAME", name.toUtf8()});
            return r.elements.size() == 2 ? r.elements[1].string.toInt() : -1;
        };
        for (int s : g.sentinels)
            QTRY_COMPARE_WITH_TIMEOUT(named(s), int(m_redis->port(kept)), 10000);
        // No acknowledged write lost: whatever the writer heard OK for is on the master kept.
        spinUntil([&writer] { return !writer.isRunning(); }, kept == g.master ? 500 : 6000);
        writer.stop();
        QTRY_VERIFY2_WITH_TIMEOUT(m_redis->command(kept, {"GET", kCounter}).string.toLongLong() >= writer.highestValue(),
                                  qPrintable(QStringLiteral("%1 of %2 acknowledged on the master kept; writer: %3; recovery:\n%4")
                                                 .arg(QString::fromUtf8(m_redis->command(kept, {"GET", kCounter}).string))
                                                 .arg(writer.highestValue())
                                                 .arg(writer.stopReason(), recovered.output)),
                                  5000);
        const qint64 held = m_redis->command(kept, {"GET", kCounter}).string.toLongLong();
        probe->stop();
        // The probe saw writes taken on both sides: its verdict is not empty-handed.
        QVERIFY(probe->accepted(0) > 0);
        QVERIFY(probe->accepted(kept == g.master ? 0 : 1) > 0);
        const QString twoMasters = probe->overlap();
        qInfo("MATRIX %s %s: masters after the kill %d; kept %s; %lld acknowledged, %lld lost; two masters at once: %s; writer: %s", qPrintable(path),
              qPrintable(point), masters, kept == g.master ? "the old master" : "the candidate", static_cast<long long>(writer.acknowledged()),
              static_cast<long long>(std::max<qint64>(0, writer.highestValue() - held)), twoMasters.isEmpty() ? "never" : qPrintable(twoMasters),
              qPrintable(writer.stopReason()));
        QVERIFY2(twoMasters.isEmpty(), qPrintable(twoMasters));
        stopGroup(g);
    }

    // A server fails while Vigil is held at a step boundary (VIGIL_HOLD_AT): the action must end
    // within its timeouts and say what it left (succeeded; failed and rolled back; or failed past
    // the point of no return, for `vigil recover`); never two masters at once; and whatever master
    // is left holds every write acknowledged. A stopped server is resumed once Vigil has ended; a
    // killed one stays dead (these servers keep no data on disk: restarted, it would be empty).
    void serverFails_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("point");
        const bool all = wholeMatrix();
        QList<QStringList> cases;
        for (const auto &[path, kinds] : kPaths) {
            QStringList faults{QStringLiteral("kill-candidate"), QStringLiteral("stop-candidate"), QStringLiteral("kill-master")};
            if (path == QLatin1String("sentinel"))
                faults << QStringLiteral("kill-sentinel") << QStringLiteral("kill-electing-sentinel");
            for (const QString &fault : faults)
                for (const QString &point : boundaries(kinds))
                    cases << QStringList{path, fault, point};
        }
        for (const QStringList &c : cases)
            if (all || c.join(QLatin1Char(' ')) == QLatin1String("sentinel kill-sentinel after:pause")
                || c.join(QLatin1Char(' ')) == QLatin1String("by-hand kill-candidate after:demote"))
                QTest::newRow(qPrintable(c.join(QLatin1Char(' ')))) << c[0] << c[1] << c[2];
    }

    void serverFails()
    {
        QFETCH(QString, path);
        QFETCH(QString, fault);
        QFETCH(QString, point);
        const bool sentinel = path == QLatin1String("sentinel");
        static int serial = 0;
        const QString name = QStringLiteral("s%1").arg(++serial);
        const RedisFixture::Group g = startFor(path, name);
        QTRY_VERIFY2_WITH_TIMEOUT(m_redis->groupReady(g), qPrintable(m_redis->error()), 30000);
        const int candidate = g.replicas[0];
        QList<int> servers{g.master};
        servers << g.replicas;
        CounterWriter writer(m_redis->options(g.master), kCounter);
        writer.start();
        const auto probe = startProbe(g);
        QVERIFY(spinUntil([&writer] { return writer.acknowledged() > 1000; }, 5000));
        const QString journal = m_dir.filePath(name + QStringLiteral(".sqlite"));
        const QStringList args = promoteArgs(g, m_redis->uri(candidate).address(), journal, path);
        VigilProcess vigil(args, holdAt(path, point));
        QVERIFY2(spinUntil([&] { return vigil.output().contains(QStringLiteral("held at ") + point); }, 60000), qPrintable(vigil.output()));
        if (fault == QLatin1String("kill-candidate"))
            m_redis->topology().kill(candidate);
        else if (fault == QLatin1String("stop-candidate"))
            m_redis->topology().suspend(candidate);
        else if (fault == QLatin1String("kill-master"))
            m_redis->topology().kill(g.master);
        else {
            // One that is not asked to fail over (the plan names that one), or that one.
            static const QRegularExpression elector(QStringLiteral("sentinel 127\\.0\\.0\\.1:(\\d+) +SENTINEL FAILOVER"));
            const int port = elector.match(vigil.output()).captured(1).toInt();
            QVERIFY2(port > 0, qPrintable(vigil.output()));
            for (int s : g.sentinels)
                if ((int(m_redis->port(s)) == port) == (fault == QLatin1String("kill-electing-sentinel"))) {
                    m_redis->topology().kill(s);
                    break;
                }
        }
        const VigilRun run = vigil.finish(90000);
        if (fault == QLatin1String("stop-candidate"))
            m_redis->topology().resume(candidate);
        QVERIFY2(!run.timedOut, qPrintable(run.output));
        const QList<Event> outcome = journalEvents(journal, QStringLiteral("action.promote."));
        QVERIFY(!outcome.isEmpty());
        const Event &last = outcome.last();
        const bool pastNoReturn = last.data.value(QStringLiteral("past_point_of_no_return")).toBool();
        if (last.kind == QLatin1String("action.promote.succeeded")) {
            QCOMPARE(run.exitCode, 0);
        } else {
            // It could not go on: it fails, and says what it rolled back or that it is past the point of no return.
            QCOMPARE(run.exitCode, 1);
            QCOMPARE(last.kind, QStringLiteral("action.promote.failed"));
            QVERIFY2(pastNoReturn || !last.data.value(QStringLiteral("rollback")).toString().isEmpty(), qPrintable(last.message));
        }
        if (fault == QLatin1String("kill-sentinel")) // two sentinels of three still agree
            QCOMPARE(last.kind, QStringLiteral("action.promote.succeeded"));

        // The roles settle: a resumed candidate rejoins, Sentinel finishes what it started.
        QList<int> running;
        for (int n : servers)
            if (m_redis->topology().isRunning(n))
                running << n;
        int kept = settledMaster(running, 20000);
        bool roles = kept >= 0;
        QString recovery = QStringLiteral("none");
        // Sentinel names a master that cannot serve: the candidate it was promoting when it died
        // (no master until Sentinel's failover-timeout, then it elects another replica), or the
        // new master, dead (Sentinel replaces it no sooner than twice failover-timeout after this
        // failover). Recovery waits a minute for Sentinel, then refuses and says why; for a dead
        // master the operator can force a promotion through Sentinel at once.
        const bool sentinelStuck = sentinel && !roles && !m_redis->topology().isRunning(candidate) && g.master >= 0 && !m_redis->isMaster(g.master);
        bool resolved = false; // by recovery or a forced promotion
        if (sentinelStuck) {
            const VigilRun recovered =
                runVigil({QStringLiteral("recover"), QStringLiteral("--journal"), journal, QStringLiteral("--yes")}, {}, 90000);
            const bool deadMaster = recovered.output.contains(QLatin1String("which does not answer"));
            // The candidate died once promoted, before Sentinel saw it: the sentinels still name the
            // old master, now its replica. Whether the candidate is dead or only cut off from Vigil
            // is the operator's to say.
            const bool silentCandidate = recovered.output.contains(QLatin1String("does not answer: Sentinel cannot be asked"));
            // (Or Sentinel has just elected another replica: recovery keeps it.)
            QVERIFY2(
                recovered.exitCode == 0
                    || (recovered.exitCode == 3 && (deadMaster || silentCandidate || recovered.output.contains(QLatin1String("not a master yet")))),
                qPrintable(recovered.output));
            recovery = QStringLiteral("vigil recover waits for Sentinel, refuses (exit %1)").arg(recovered.exitCode);
            if (recovered.exitCode == 0) {
                recovery = QStringLiteral("vigil recover keeps the master Sentinel elected");
                resolved = true;
                kept = settledMaster(running, 20000);
                roles = kept >= 0;
            } else if (silentCandidate) {
                // The operator, who knows the candidate is dead, keeps the master Sentinel names.
                const VigilRun keptOld = runVigil({QStringLiteral("recover"), QStringLiteral("--journal"), journal, QStringLiteral("--yes"),
                                                   QStringLiteral("--keep"), m_redis->uri(g.master).address()});
                QVERIFY2(keptOld.exitCode == 0, qPrintable(keptOld.output));
                recovery = QStringLiteral("vigil recover refuses while the candidate is silent; with --keep the old master, which Sentinel "
                                          "names, is master again");
                resolved = true;
                kept = settledMaster(running, 20000);
                roles = kept >= 0;
            } else if (deadMaster) {
                const VigilRun promoted =
                    runVigil({QStringLiteral("promote"), QStringLiteral("--sentinel"), m_redis->uri(g.sentinels[0]).toFullString(),
                              QStringLiteral("--candidate"), m_redis->uri(g.master).address(), QStringLiteral("--force"), QStringLiteral("--yes"),
                              QStringLiteral("--accept-warnings"), QStringLiteral("--journal"), journal});
                QVERIFY2(promoted.exitCode == 0, qPrintable(promoted.output));
                recovery += QStringLiteral("; the old master promoted through Sentinel (--force)");
                resolved = true;
                kept = settledMaster(running, 30000);
                roles = kept >= 0;
            } else {
                writer.stop();
                QVERIFY(m_redis->command(g.master, {"GET", kCounter}).string.toLongLong() >= writer.highestValue());
            }
        } else if (!roles && pastNoReturn) {
            // Left for recovery, as Vigil said; a dead server is the operator's to name.
            QStringList recover{QStringLiteral("recover"), QStringLiteral("--journal"), journal, QStringLiteral("--yes")};
            if (!m_redis->topology().isRunning(g.master) || !m_redis->topology().isRunning(candidate))
                recover << QStringLiteral("--keep") << m_redis->uri(m_redis->topology().isRunning(candidate) ? candidate : g.master).address();
            const VigilRun recovered = runVigil(recover);
            recovery = QStringLiteral("vigil recover, exit %1").arg(recovered.exitCode);
            QVERIFY2(recovered.exitCode == 0, qPrintable(recovered.output));
            kept = settledMaster(running, 20000);
            roles = kept >= 0;
        }
        QString keptName = QStringLiteral("none (no master left)");
        qint64 lost = 0;
        if (sentinelStuck && !resolved) {
            keptName = QStringLiteral("none until Sentinel's failover-timeout");
        } else if (roles) {
            keptName = kept == g.master ? QStringLiteral("the old master")
                : kept == candidate     ? QStringLiteral("the candidate")
                                        : QStringLiteral("the other replica");
            spinUntil([&writer] { return !writer.isRunning(); }, kept == g.master ? 500 : 6000);
            writer.stop();
            auto held = [&] { return m_redis->command(kept, {"GET", kCounter}).string.toLongLong(); };
            if (!spinUntil([&] { return held() >= writer.highestValue(); }, 5000)) {
                // Redis Cluster's own hazard: a candidate stopped right after it won its election
                // (before it said so) takes the shard when it resumes, discarding what its old
                // primary took once the manual failover's pause ended. Vigil must have warned.
                lost = writer.highestValue() - held();
                QVERIFY2(path == QLatin1String("cluster")
                             && last.data.value(QStringLiteral("rollback")).toString().contains(QLatin1String("won its election")),
                         qPrintable(QStringLiteral("%1 of %2 acknowledged on %3; writer: %4; vigil:\n%5")
                                        .arg(held())
                                        .arg(writer.highestValue())
                                        .arg(keptName, writer.stopReason(), run.output.right(1500))));
            }
        } else {
            // No master: only a killed master may leave none (promoting then is a forced
            // promotion, the operator's call), and what it acknowledged is on the candidate.
            QVERIFY2(fault == QLatin1String("kill-master"), QByteArray(info(g.master) + info(candidate)).constData());
            writer.stop();
            QVERIFY(m_redis->command(candidate, {"GET", kCounter}).string.toLongLong() >= writer.highestValue());
        }
        writer.stop();
        for (int n : servers)
            if (m_redis->topology().isRunning(n))
                QCOMPARE(m_redis->replicaPriority(n), QByteArray("100"));
        probe->stop();
        const QString twoMasters = probe->overlap();
        // Sentinel's own: the sentinel that led the failover killed before it told the others
        // (its hello, every 2 s): they still name the old master, see it report a replica's role,
        // and fail it over to a replica of their choosing while the candidate is master.
        const bool leaderLost = fault == QLatin1String("kill-electing-sentinel") && point.startsWith(QLatin1String("after:"))
            && kSentinel.indexOf(point.section(QLatin1Char(':'), 1)) >= kSentinel.indexOf(QStringLiteral("sentinel-failover"));
        qInfo("MATRIX %s %s %s: vigil exit %d, %s (%s; rollback: %s); recovery %s; kept %s; %lld acknowledged writes lost%s; two masters at once: "
              "%s%s; writer: %s",
              qPrintable(path), qPrintable(fault), qPrintable(point), run.exitCode, qPrintable(last.kind), qPrintable(last.message),
              qPrintable(last.data.value(QStringLiteral("rollback")).toString()), qPrintable(recovery), qPrintable(keptName),
              static_cast<long long>(lost), lost > 0 ? " (Redis Cluster's: the candidate took the shard when it resumed)" : "",
              twoMasters.isEmpty() ? "never" : qPrintable(twoMasters),
              leaderLost && !twoMasters.isEmpty() ? " (Sentinel's own: its leader died before telling the others)" : "",
              qPrintable(writer.stopReason()));
        if (leaderLost) {
            // Vigil asked once, and what followed was Sentinel's.
            int asked = 0;
            for (const Event &intent : journalEvents(journal, QStringLiteral("action.promote.intent")))
                asked += intent.data.value(QStringLiteral("kind")).toString() == QLatin1String("sentinel-failover") ? 1 : 0;
            QCOMPARE(asked, 1);
        } else {
            QVERIFY2(twoMasters.isEmpty(), qPrintable(twoMasters));
        }
        stopGroup(g);
    }

    // The candidate or the old master cut off from Vigil and from every other node (a network
    // namespace whose link drops every packet) while Vigil is held at a step boundary; the link
    // heals once Vigil has ended. Vigil must end within its timeouts and say what it left; once
    // healed (and recovered, if Vigil says the action is unfinished), one master, the others
    // following it, priorities as they were, and no acknowledged write lost.
    void partitioned_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("side");
        QTest::addColumn<QString>("point");
        const bool all = wholeMatrix();
        QList<QStringList> cases;
        for (const auto &[path, kinds] : kPaths)
            for (const char *side : {"candidate", "master"})
                for (const QString &point : boundaries(kinds))
                    cases << QStringList{path, QLatin1String(side), point};
        for (const QStringList &c : cases)
            if (all || c.join(QLatin1Char(' ')) == QLatin1String("by-hand candidate after:pause"))
                QTest::newRow(qPrintable(c.join(QLatin1Char(' ')))) << c[0] << c[1] << c[2];
    }

    void partitioned()
    {
        QFETCH(QString, path);
        QFETCH(QString, side);
        QFETCH(QString, point);
        NetworkLab lab;
        if (!lab.missing().isEmpty())
            QSKIP(qPrintable(lab.missing()));
        const bool sentinel = path == QLatin1String("sentinel");
        static int serial = 0;
        const QString name = QStringLiteral("p%1").arg(++serial);
        const RedisFixture::Group g = startFor(path, name, &lab, side == QLatin1String("master") ? 0 : 1);
        QTRY_VERIFY2_WITH_TIMEOUT(m_redis->groupReady(g), qPrintable(m_redis->error()), 30000);
        const int candidate = g.replicas[0];
        QList<int> servers{g.master};
        servers << g.replicas;
        CounterWriter writer(m_redis->options(g.master), kCounter);
        writer.start();
        const auto probe = startProbe(g);
        QVERIFY(spinUntil([&writer] { return writer.acknowledged() > 1000; }, 5000));
        const QString journal = m_dir.filePath(name + QStringLiteral(".sqlite"));
        const QStringList args = promoteArgs(g, m_redis->uri(candidate).address(), journal, path);
        VigilProcess vigil(args, holdAt(path, point));
        QVERIFY2(spinUntil([&] { return vigil.output().contains(QStringLiteral("held at ") + point); }, 60000), qPrintable(vigil.output()));
        QVERIFY(lab.partition());
        QElapsedTimer cutFor;
        cutFor.start();
        const VigilRun run = vigil.finish(120000);
        const qint64 endedAfter = cutFor.elapsed();
        const qint64 ackedWhileVigilRan = writer.highestValue();
        QVERIFY2(!run.timedOut, qPrintable(run.output));
        const QList<Event> events = journalEvents(journal, QStringLiteral("action.promote."));
        QVERIFY(!events.isEmpty());
        const Event last = events.last();
        // Vigil cannot reach every server: it cannot have verified the switchover.
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(last.kind, QStringLiteral("action.promote.failed"));
        QVERIFY2(!last.data.value(QStringLiteral("rollback")).toString().isEmpty()
                     || last.data.value(QStringLiteral("past_point_of_no_return")).toBool(),
                 qPrintable(last.message));

        // Healed, a while later (Sentinel sees the cut-off node again, links resume).
        QTest::qWait(3000);
        QVERIFY(lab.heal());
        QString recovery = QStringLiteral("none");
        // Past the point of no return the action stays unfinished: the operator is told to recover,
        // once the network is back. A replica whose sync was cut mid-way waits out repl-timeout
        // (60 s) before it connects again: the operator waits for the links too.
        if (last.data.value(QStringLiteral("past_point_of_no_return")).toBool()) {
            spinUntil([&] { return std::all_of(servers.begin(), servers.end(), [&](int n) { return m_redis->isMaster(n) || m_redis->linkUp(n); }); },
                      70000);
            const VigilRun recovered = runVigil({QStringLiteral("recover"), QStringLiteral("--journal"), journal, QStringLiteral("--yes")});
            qInfo("vigil recover said:\n%s", qPrintable(recovered.output));
            QVERIFY2(recovered.exitCode == 0, qPrintable(recovered.output));
            recovery = QStringLiteral("vigil recover");
        }
        // One master; the others its replicas; the priorities as they were.
        const int kept = settledMaster(servers, 40000);
        QVERIFY2(kept >= 0, QByteArray(info(g.master) + info(candidate)).constData());
        for (int n : servers)
            QCOMPARE(m_redis->replicaPriority(n), QByteArray("100"));
        spinUntil([&writer] { return !writer.isRunning(); }, kept == g.master ? 500 : 6000);
        writer.stop();
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->command(kept, {"GET", kCounter}).string.toLongLong() >= ackedWhileVigilRan, 5000);
        const qint64 held = m_redis->command(kept, {"GET", kCounter}).string.toLongLong();
        const qint64 lost = std::max<qint64>(0, writer.highestValue() - held);
        // The one case where Sentinel moves the master by itself: the old master, cut off from the
        // sentinels before Vigil demoted it, for longer than down-after-milliseconds, is failed
        // over without Vigil (it never asked). Healed, it takes writes until Sentinel turns it
        // into a replica; those are lost, as Redis documents for any partition of a master without
        // min-replicas-to-write. What was acknowledged while Vigil ran is never lost, here as
        // everywhere.
        probe->stop();
        const QString twoMasters = probe->overlap();
        const bool sentinelOnItsOwn = sentinel && side == QLatin1String("master")
            && kSentinel.indexOf(point.section(QLatin1Char(':'), 1)) < kSentinel.indexOf(QStringLiteral("demote"));
        // The same for a cluster primary cut off before the candidate could take over: the cluster
        // fails it over once cluster-node-timeout has passed, by whichever replica it elects.
        const bool clusterOnItsOwn =
            path == QLatin1String("cluster") && side == QLatin1String("master") && point.startsWith(QLatin1String("before:"));
        const bool onItsOwn = sentinelOnItsOwn || clusterOnItsOwn;
        if (sentinelOnItsOwn)
            for (const Event &intent : journalEvents(journal, QStringLiteral("action.promote.intent")))
                QVERIFY2(intent.data.value(QStringLiteral("kind")).toString() != QLatin1String("sentinel-failover"), qPrintable(intent.message));
        if (!onItsOwn)
            QCOMPARE(lost, 0);
        qInfo("MATRIX %s %s partitioned %s: vigil ended %lld ms after the cut, %s (%s; rollback: %s); after healing: recovery %s, kept %s; %lld "
              "acknowledged, %lld lost%s; two masters at once: %s; writer: %s",
              qPrintable(path), qPrintable(side), qPrintable(point), static_cast<long long>(endedAfter), qPrintable(last.kind),
              qPrintable(last.message), qPrintable(last.data.value(QStringLiteral("rollback")).toString()), qPrintable(recovery),
              kept == g.master        ? "the old master"
                  : kept == candidate ? "the candidate"
                                      : "the other replica",
              static_cast<long long>(writer.acknowledged()), static_cast<long long>(lost),
              onItsOwn && lost > 0 ? (sentinel ? " (after Vigil ended, to Sentinel's own failover)" : " (to the cluster's own failover)") : "",
              twoMasters.isEmpty() ? "never" : qPrintable(twoMasters), qPrintable(writer.stopReason()));
        if (!onItsOwn)
            QVERIFY2(twoMasters.isEmpty(), qPrintable(twoMasters));
        stopGroup(g);
    }

    // Through Sentinel the write pause is never renewed: Vigil held past it after the catch-up
    // must not demote the old master (writes resumed meanwhile would be lost). It fails, rolls
    // back, and Sentinel, whose master was paused for 1 s of its 2 s down-after, does nothing.
    void sentinelPauseRunsOut()
    {
        const RedisFixture::Group g = startFor(QStringLiteral("sentinel"), QStringLiteral("pause-runs-out"));
        QTRY_VERIFY2_WITH_TIMEOUT(m_redis->groupReady(g), qPrintable(m_redis->error()), 30000);
        CounterWriter writer(m_redis->options(g.master), kCounter);
        writer.start();
        const auto probe = startProbe(g);
        QVERIFY(spinUntil([&writer] { return writer.acknowledged() > 1000; }, 5000));
        const QString journal = m_dir.filePath(QStringLiteral("pause-runs-out.sqlite"));
        QProcessEnvironment env;
        env.insert(QStringLiteral("VIGIL_HOLD_AT"), QStringLiteral("after:wait-offset=1200"));
        const VigilRun run = runVigil(promoteArgs(g, m_redis->uri(g.replicas[0]).address(), journal, QStringLiteral("sentinel")), env);
        QCOMPARE(run.exitCode, 1);
        const Event last = journalEvents(journal, QStringLiteral("action.promote.")).last();
        QCOMPARE(last.kind, QStringLiteral("action.promote.failed"));
        QVERIFY2(last.message.contains(QLatin1String("too late to demote")), qPrintable(last.message));
        QVERIFY(!last.data.value(QStringLiteral("past_point_of_no_return")).toBool());
        // Sentinel would have failed it over by now (down-after 2 s): it is still the master.
        QTest::qWait(3000);
        QVERIFY(m_redis->isMaster(g.master));
        for (int r : g.replicas) {
            QVERIFY(m_redis->follows(r, g.master));
            QCOMPARE(m_redis->replicaPriority(r), QByteArray("100"));
        }
        QVERIFY(writer.isRunning());
        writer.stop();
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->command(g.master, {"GET", kCounter}).string.toLongLong() >= writer.highestValue(), 5000);
        probe->stop();
        QVERIFY2(probe->overlap().isEmpty(), qPrintable(probe->overlap()));
        qInfo("MATRIX sentinel held 1.2 s after the catch-up: %s; the old master kept, 0 lost, never two masters", qPrintable(last.message));
        stopGroup(g);
    }

    // The candidate on a slow link: Vigil, the old master, the other replica and the sentinels reach
    // it only through a relay that holds every byte 200 ms each way (its replica-announce-port is
    // the relay's). The switchover must still complete, slower, with nothing lost.
    void slowLink_data()
    {
        QTest::addColumn<QString>("path");
        const bool all = wholeMatrix();
        QTest::newRow("by-hand") << QStringLiteral("by-hand");
        if (all) {
            QTest::newRow("failover") << QStringLiteral("failover");
            QTest::newRow("sentinel") << QStringLiteral("sentinel");
            QTest::newRow("cluster") << QStringLiteral("cluster");
        }
    }

    void slowLink()
    {
        QFETCH(QString, path);
        const bool sentinel = path == QLatin1String("sentinel");
        static int serial = 0;
        const QString name = QStringLiteral("d%1").arg(++serial);
        const quint16 relayPort = m_redis->topology().freePort();
        RedisFixture::Group g;
        std::unique_ptr<DelayRelay> relay, busRelay;
        if (path == QLatin1String("cluster")) {
            // Announced at run time, on the client port and the cluster bus (port + 10000), and to
            // its primary: every node then reaches it through the relays.
            g = m_redis->startClusterShard(name, WriteProbe::key());
            QTRY_VERIFY2_WITH_TIMEOUT(m_redis->groupReady(g), qPrintable(m_redis->error()), 30000);
            const int slow = g.replicas[0];
            const quint16 busRelayPort = m_redis->topology().freePort();
            relay = std::make_unique<DelayRelay>(relayPort, m_redis->port(slow), 200);
            busRelay = std::make_unique<DelayRelay>(busRelayPort, m_redis->port(slow) + 10000, 200);
            QVERIFY(m_redis->announceThrough(g, slow, relayPort, busRelayPort));
        } else {
            g.name = name;
            g.master = m_redis->startServer(name + QStringLiteral("-m"));
            g.replicas << m_redis->startReplica(
                name + QStringLiteral("-r1"), g.master,
                {QStringLiteral("replica-announce-ip 127.0.0.1"), QStringLiteral("replica-announce-port %1").arg(relayPort)});
            QVERIFY2(g.replicas[0] >= 0, qPrintable(m_redis->error()));
            relay = std::make_unique<DelayRelay>(relayPort, m_redis->port(g.replicas[0]), 200);
            g.replicas << m_redis->startReplica(name + QStringLiteral("-r2"), g.master);
            for (int i = 0; sentinel && i < 3; ++i)
                g.sentinels << m_redis->startSentinel(name + QStringLiteral("-s%1").arg(i + 1), name, g.master, 2,
                                                      {QStringLiteral("sentinel down-after-milliseconds %1 2000").arg(name)});
        }
        QVERIFY(relay->isListening() && (!busRelay || busRelay->isListening()));
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->groupReady(g), 30000);
        const int candidate = g.replicas[0];
        const QString slowAddress = QStringLiteral("127.0.0.1:%1").arg(relayPort);
        CounterWriter writer(m_redis->options(g.master), kCounter);
        writer.start();
        const auto probe = startProbe(g);
        QVERIFY(spinUntil([&writer] { return writer.acknowledged() > 1000; }, 5000));
        const QString journal = m_dir.filePath(name + QStringLiteral(".sqlite"));
        const QStringList args = promoteArgs(g, slowAddress, journal, path);
        QElapsedTimer took;
        took.start();
        const VigilRun run = runVigil(args, {}, 120000);
        const qint64 tookMs = took.elapsed();
        QVERIFY2(run.exitCode == 0, qPrintable(run.output.right(900)));
        QCOMPARE(journalEvents(journal, QStringLiteral("action.promote.")).last().kind, QStringLiteral("action.promote.succeeded"));
        QVERIFY(m_redis->isMaster(candidate));
        // The others follow the candidate at the address it announces, through the slow link.
        const QByteArray viaRelay = "master_port:" + QByteArray::number(relayPort);
        for (int n : {g.master, g.replicas[1]})
            QTRY_VERIFY2_WITH_TIMEOUT(
                info(n).contains(viaRelay) && info(n).contains("master_link_status:up"),
                QByteArray(viaRelay + " wanted; the candidate listens on " + QByteArray::number(m_redis->port(candidate)) + "\n" + info(n))
                    .constData(),
                10000);
        spinUntil([&writer] { return !writer.isRunning(); }, 6000);
        writer.stop();
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->command(candidate, {"GET", kCounter}).string.toLongLong() >= writer.highestValue(), 5000);
        probe->stop();
        QVERIFY2(probe->overlap().isEmpty(), qPrintable(probe->overlap()));
        qInfo("MATRIX %s candidate on a 200 ms link: succeeded in %lld ms; writes paused %lld ms; %lld acknowledged, 0 lost; two masters at once: "
              "never; writer: %s",
              qPrintable(path), static_cast<long long>(tookMs), static_cast<long long>(writer.finalStallMs()),
              static_cast<long long>(writer.acknowledged()), qPrintable(writer.stopReason()));
        stopGroup(g);
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
