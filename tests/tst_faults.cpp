// The fault matrix of the promotion engine, on real servers under a writer that counts its
// acknowledged writes: Vigil SIGKILLed at every step boundary of a path (before each step that
// changes a server, its intent on disk, and right after it), then `vigil recover`. After each:
// exactly one master among the action's servers, every other one its replica with the link up,
// replica-priority as it was, no acknowledged write lost, and action.promote.recovered journalled.
// Each case prints a MATRIX line (docs/testing.md quotes them).
//
// The whole matrix runs with `make test-faults` (VIGIL_FAULTS=all); the suite runs a smoke of it.
#include "redisfixture.h"
#include "sandbox/counterwriter.h"
#include "vigilprocess.h"

#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

namespace {

// The step kinds that change a server, per path, in plan order.
const QStringList kFailover{QStringLiteral("failover"), QStringLiteral("repoint")};
const QStringList kByHand{QStringLiteral("pause"), QStringLiteral("promote"), QStringLiteral("demote"), QStringLiteral("unpause"),
                          QStringLiteral("repoint")};
const QStringList kSentinel{QStringLiteral("priority-zero"), QStringLiteral("pause"),   QStringLiteral("sentinel-failover"),
                            QStringLiteral("demote"),        QStringLiteral("unpause"), QStringLiteral("priority-restore")};
// The smoke inside `make test`: one boundary with two masters, one where Sentinel acts alone.
const QStringList kSmoke{QStringLiteral("by-hand after:promote"), QStringLiteral("sentinel after:sentinel-failover")};

} // namespace

class TestFaults : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RedisFixture> m_redis;
    QTemporaryDir m_dir;

    QByteArray info(int node) { return m_redis->command(node, {"INFO", "replication"}).string; }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariable("VIGIL_BINARY").isEmpty())
            QSKIP("VIGIL_BINARY not set (run through CTest)");
        if (const QString missing = RedisFixture::missing(true); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        m_redis = std::make_unique<RedisFixture>();
    }

    void cleanupTestCase() { m_redis.reset(); }

    void vigilKilled_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("point");
        const bool all = qEnvironmentVariable("VIGIL_FAULTS") == QLatin1String("all");
        const std::pair<QString, QStringList> paths[] = {
            {QStringLiteral("by-hand"), kByHand}, {QStringLiteral("failover"), kFailover}, {QStringLiteral("sentinel"), kSentinel}};
        for (const auto &[path, kinds] : paths)
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
        const bool sentinel = path == QLatin1String("sentinel");
        static int serial = 0;
        const QString name = QStringLiteral("f%1").arg(++serial);
        const RedisFixture::Group g = m_redis->startGroup(name, 2, sentinel ? 3 : 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->groupReady(g), 30000);
        QList<int> servers{g.master};
        servers << g.replicas;
        CounterWriter writer(m_redis->options(g.master), "counter");
        writer.start();
        QVERIFY(spinUntil([&writer] { return writer.acknowledged() > 1000; }, 5000));
        const QString journal = m_dir.filePath(name + QStringLiteral(".sqlite"));
        QStringList args{QStringLiteral("promote"), QStringLiteral("--candidate"), m_redis->uri(g.replicas[0]).address(),
                         QStringLiteral("--yes"),   QStringLiteral("--journal"),   journal};
        args << (sentinel ? QStringList{QStringLiteral("--sentinel"), m_redis->uri(g.sentinels[0]).toFullString()}
                          : QStringList{QStringLiteral("--connect"), m_redis->uri(g.master).toFullString(), QStringLiteral("--path"), path});
        const VigilRun killed = runVigil(args, crashAt(point));
        QVERIFY2(killed.crashed && !killed.timedOut, qPrintable(killed.output));
        int masters = 0;
        for (int n : servers)
            masters += m_redis->isMaster(n) ? 1 : 0;

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
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->command(kept, {"GET", "counter"}).string.toLongLong() >= writer.highestValue(), 5000);
        const qint64 held = m_redis->command(kept, {"GET", "counter"}).string.toLongLong();
        qInfo("MATRIX %s %s: masters after the kill %d; kept %s; %lld acknowledged, %lld lost; writer: %s", qPrintable(path), qPrintable(point),
              masters, kept == g.master ? "the old master" : "the candidate", static_cast<long long>(writer.acknowledged()),
              static_cast<long long>(std::max<qint64>(0, writer.highestValue() - held)), qPrintable(writer.stopReason()));
        for (int n : servers + g.sentinels)
            m_redis->topology().kill(n);
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
