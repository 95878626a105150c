// Vigil dies in the middle of a promotion (SIGKILL at a step boundary, injected with
// VIGIL_CRASH_AT), under a writer that counts its acknowledged writes; then the next Vigil run
// names the unfinished action and `vigil recover` finishes or undoes it: replica-priority back,
// exactly one master, the others following it, no acknowledged write lost, and the journal says
// what was found and done.
#include "actions/recovery.h"
#include "redisfixture.h"
#include "vigilprocess.h"
#include "sandbox/counterwriter.h"

#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

class TestRecovery : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RedisFixture> m_redis;
    QTemporaryDir m_dir;

    qint64 counter(int node) { return m_redis->command(node, {"GET", "counter"}).string.toLongLong(); }

    static bool startWriting(CounterWriter &writer)
    {
        writer.start();
        return spinUntil([&writer] { return writer.acknowledged() > 1000; }, 5000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString missing = vigilTestMissing(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        m_redis = std::make_unique<RedisFixture>();
    }

    void cleanupTestCase() { m_redis.reset(); }

    // Under Sentinel, Vigil is SIGKILLed right after it set the other replica's replica-priority to
    // 0. The next look names the unfinished action; `vigil recover` puts the priority back and
    // leaves the master as it was, and the writer loses nothing.
    void killedAfterPriorityZeroUnderSentinel()
    {
        const QString name = QStringLiteral("kp");
        const RedisFixture::Group g = m_redis->startGroup(name, 2, 3);
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->groupReady(g), 30000);
        CounterWriter writer(m_redis->options(g.master), "counter");
        QVERIFY(startWriting(writer));
        const QString journal = m_dir.filePath(name + QStringLiteral(".sqlite"));
        const QString sentinel = m_redis->uri(g.sentinels[0]).toFullString();
        const VigilRun killed = runVigil({QStringLiteral("promote"), QStringLiteral("--sentinel"), sentinel, QStringLiteral("--candidate"),
                                          m_redis->uri(g.replicas[0]).address(), QStringLiteral("--yes"), QStringLiteral("--journal"), journal},
                                         crashAt(QStringLiteral("after:priority-zero")));
        QVERIFY2(killed.crashed && !killed.timedOut, qPrintable(killed.output));
        QCOMPARE(m_redis->replicaPriority(g.replicas[1]), QByteArray("0")); // what the dead Vigil left behind

        // The next run against the topology names it.
        const VigilRun status = runVigil({QStringLiteral("status"), QStringLiteral("--sentinel"), sentinel, QStringLiteral("--journal"), journal});
        QVERIFY2(status.output.contains(QStringLiteral("unfinished promotion of %1").arg(m_redis->uri(g.replicas[0]).address())),
                 qPrintable(status.output));
        QVERIFY2(status.output.contains(QStringLiteral("vigil recover")), qPrintable(status.output));

        const VigilRun recovered = runVigil({QStringLiteral("recover"), QStringLiteral("--journal"), journal, QStringLiteral("--yes")});
        qInfo("%s", qPrintable(recovered.output));
        QVERIFY2(recovered.exitCode == 0, qPrintable(recovered.output));
        QCOMPARE(m_redis->replicaPriority(g.replicas[1]), QByteArray("100"));
        QVERIFY(m_redis->isMaster(g.master));
        QVERIFY(m_redis->follows(g.replicas[0], g.master));
        QVERIFY(m_redis->follows(g.replicas[1], g.master));
        QVERIFY2(writer.isRunning(), qPrintable(writer.stopReason())); // the master never stopped taking writes
        writer.stop();
        QVERIFY2(counter(g.master) >= writer.highestValue(), "an acknowledged write was lost");

        const QList<Event> done = journalEvents(journal, QStringLiteral("action.promote.recovered"));
        QCOMPARE(done.size(), 1);
        QVERIFY(done.first().data.value(QStringLiteral("ok")).toBool());
        QCOMPARE(done.first().data.value(QStringLiteral("kept")).toString(), m_redis->uri(g.master).address());
        // Nothing is left to recover, and nothing is named any more.
        const VigilRun again = runVigil({QStringLiteral("recover"), QStringLiteral("--journal"), journal, QStringLiteral("--yes")});
        QVERIFY2(again.exitCode == 0 && again.output.contains(QStringLiteral("No unfinished promotion")), qPrintable(again.output));
        for (int n : g.replicas + g.sentinels + QList<int>{g.master})
            m_redis->topology().kill(n);
    }

    // By hand, Vigil dies between demoting the old master and promoting the candidate (no master:
    // both are replicas, of each other), or right after the promotion. Recovered while the write
    // pause holds or after it ended, the promotion is finished: the candidate had every write when
    // the old master was demoted, and nothing could be written since. One master, no acknowledged
    // write lost, and never two masters (a writer on the old master is refused, not lost).
    void killedMidSwitchoverByHand_data()
    {
        QTest::addColumn<QString>("point");
        QTest::addColumn<bool>("afterThePause");
        QTest::newRow("demoted, recovered while paused") << QStringLiteral("after:demote") << false;
        QTest::newRow("demoted, recovered after the pause") << QStringLiteral("after:demote") << true;
        QTest::newRow("promoted") << QStringLiteral("after:promote") << false;
    }

    void killedMidSwitchoverByHand()
    {
        QFETCH(QString, point);
        QFETCH(bool, afterThePause);
        static int serial = 0;
        const QString name = QStringLiteral("bh%1").arg(++serial);
        const RedisFixture::Group g = m_redis->startGroup(name, 2, 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->groupReady(g), 30000);
        CounterWriter writer(m_redis->options(g.master), "counter");
        QVERIFY(startWriting(writer));
        const QString journal = m_dir.filePath(name + QStringLiteral(".sqlite"));
        const int candidate = g.replicas[0];
        const VigilRun killed =
            runVigil({QStringLiteral("promote"), QStringLiteral("--connect"), m_redis->uri(g.master).toFullString(), QStringLiteral("--candidate"),
                      m_redis->uri(candidate).address(), QStringLiteral("--yes"), QStringLiteral("--pause-timeout-ms"),
                      afterThePause ? QStringLiteral("500") : QStringLiteral("8000"), QStringLiteral("--journal"), journal},
                     crashAt(point));
        QVERIFY2(killed.crashed && !killed.timedOut, qPrintable(killed.output));
        QVERIFY(!m_redis->isMaster(g.master));
        QCOMPARE(m_redis->isMaster(candidate), point == QLatin1String("after:promote"));
        if (afterThePause) // the pause ends by itself: the writer is refused (no master), nothing is lost
            QVERIFY(spinUntil([&writer] { return !writer.isRunning(); }, 5000));
        const VigilRun recovered = runVigil({QStringLiteral("recover"), QStringLiteral("--journal"), journal, QStringLiteral("--yes")});
        qInfo("%s", qPrintable(recovered.output));
        QVERIFY2(recovered.exitCode == 0, qPrintable(recovered.output));
        QVERIFY2(recovered.output.contains(QStringLiteral("Keep %1").arg(m_redis->uri(candidate).address())), qPrintable(recovered.output));
        QVERIFY(m_redis->isMaster(candidate));
        for (int n : {g.master, g.replicas[1]})
            QTRY_VERIFY2_WITH_TIMEOUT(m_redis->follows(n, candidate), m_redis->command(n, {"INFO", "replication"}).string.constData(), 10000);
        // The old master's paused writers are refused once it is unpaused.
        QVERIFY(spinUntil([&writer] { return !writer.isRunning(); }, 10000));
        QVERIFY2(writer.stopReason().contains(QLatin1String("READONLY")), qPrintable(writer.stopReason()));
        QTRY_VERIFY_WITH_TIMEOUT(counter(candidate) >= writer.highestValue(), 2000);
        QCOMPARE(journalEvents(journal, QStringLiteral("action.promote.recovered")).size(), 1);
        for (int n : g.replicas + QList<int>{g.master})
            m_redis->topology().kill(n);
    }
};

QTEST_GUILESS_MAIN(TestRecovery)
#include "tst_recovery.moc"
