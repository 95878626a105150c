// The snapshot action: checks from INFO, and `vigil snapshot` on a real server: a followed save,
// a refusal while a save runs, a scheduled save after it, all journalled.
#include "actions/snapshot.h"
#include "redisfixture.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

namespace {

PreflightCheck::Result resultOf(const QList<PreflightCheck> &checks, const QString &name)
{
    for (const PreflightCheck &c : checks)
        if (c.name == name)
            return c.result;
    qFatal("no check named %s", qPrintable(name));
}

} // namespace

class TestSnapshot : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RedisFixture> m_redis;
    QTemporaryDir m_dir;

    int snapshot(const QStringList &extra, QByteArray *out, int node)
    {
        return runProcess(qEnvironmentVariable("VIGIL_BINARY"),
                          QStringList{QStringLiteral("snapshot"), QStringLiteral("--connect"), m_redis->uri(node).toFullString(),
                                      QStringLiteral("--node"), m_redis->uri(node).address(), QStringLiteral("--journal"),
                                      m_dir.filePath(QStringLiteral("snap.sqlite"))}
                              + extra,
                          out, 60000);
    }

private Q_SLOTS:
    void checks()
    {
        InfoSnapshot s;
        s.lastSaveTime = 1000;
        s.rdbSaves = 3;
        s.lastBgsaveStatus = QStringLiteral("ok");
        s.usedMemory = 1024 * 1024;
        SnapshotRequest request;
        QList<PreflightCheck> c = snapshotChecks(s, request);
        for (const PreflightCheck &check : c)
            QVERIFY2(check.result == PreflightCheck::Result::Pass, qPrintable(check.name + QStringLiteral(": ") + check.detail));

        // A running save cannot be scheduled after (Redis refuses): it is the snapshot to wait for.
        s.bgsaveInProgress = true;
        QCOMPARE(resultOf(snapshotChecks(s, request), QStringLiteral("no save running")), PreflightCheck::Result::Fail);
        request.schedule = true;
        QCOMPARE(resultOf(snapshotChecks(s, request), QStringLiteral("no save running")), PreflightCheck::Result::Fail);
        s.bgsaveInProgress = false;
        // A running AOF rewrite can.
        s.aofRewriteInProgress = true;
        QCOMPARE(resultOf(snapshotChecks(s, request), QStringLiteral("no AOF rewrite running")), PreflightCheck::Result::Pass);
        request.schedule = false;
        QCOMPARE(resultOf(snapshotChecks(s, request), QStringLiteral("no AOF rewrite running")), PreflightCheck::Result::Fail);
        s.aofRewriteInProgress = false;

        s.usedMemory = 8LL * 1024 * 1024 * 1024;
        QCOMPARE(resultOf(snapshotChecks(s, request), QStringLiteral("fork cost")), PreflightCheck::Result::Warn);
        s.usedMemory = 1024;
        s.latestForkUs = 900000;
        QCOMPARE(resultOf(snapshotChecks(s, request), QStringLiteral("fork cost")), PreflightCheck::Result::Warn);
        s.latestForkUs = -1;
        s.lastBgsaveStatus = QStringLiteral("err");
        QCOMPARE(resultOf(snapshotChecks(s, request), QStringLiteral("last save")), PreflightCheck::Result::Warn);
        s.loading = true;
        QCOMPARE(resultOf(snapshotChecks(s, request), QStringLiteral("not loading")), PreflightCheck::Result::Fail);
    }

    void onARealServer()
    {
        if (qEnvironmentVariable("VIGIL_BINARY").isEmpty())
            QSKIP("VIGIL_BINARY not set (run through CTest)");
        if (const QString missing = RedisFixture::missing(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        m_redis = std::make_unique<RedisFixture>();
        // 3,000 keys at 1 ms each: a save takes about 3 s, long enough to be caught running.
        const int node = m_redis->startServer(QStringLiteral("snap"), {QStringLiteral("rdb-key-save-delay 1000")});
        QVERIFY(node >= 0);
        QList<QByteArray> mset{"MSET"};
        for (int i = 0; i < 3000; ++i)
            mset << "key:" + QByteArray::number(i) << "value";
        QCOMPARE(m_redis->command(node, mset).string, QByteArray("OK"));

        QByteArray out;
        QCOMPARE(snapshot({QStringLiteral("--wait")}, &out, node), 0);
        QVERIFY2(out.contains("Background saving started") && out.contains("saved in"), out.constData());
        QVERIFY2(out.contains("% of 3000 keys"), out.constData()); // progress from current_save_keys_*
        QVERIFY(m_redis->command(node, {"INFO", "persistence"}).string.contains("rdb_saves:1"));

        // A save is running: refused, it is the snapshot to wait for.
        QVERIFY(m_redis->command(node, {"BGSAVE"}).isString());
        QCOMPARE(snapshot({}, &out, node), 3);
        QVERIFY2(out.contains("a background save is already running"), out.constData());
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->command(node, {"INFO", "persistence"}).string.contains("rdb_bgsave_in_progress:0"), 10000);
        // An AOF rewrite is running: refused, with the way out named; --schedule queues the save after it.
        QVERIFY(m_redis->command(node, {"BGREWRITEAOF"}).isString());
        QCOMPARE(snapshot({}, &out, node), 3);
        QVERIFY2(out.contains("an AOF rewrite is running") && out.contains("--schedule"), out.constData());
        QVERIFY2(snapshot({QStringLiteral("--schedule"), QStringLiteral("--wait")}, &out, node) == 0, out.constData());
        QVERIFY2(out.contains("Background saving scheduled") && out.contains("saved in"), out.constData());
        QVERIFY(m_redis->command(node, {"INFO", "persistence"}).string.contains("rdb_saves:3"));

        const QList<Event> events = journalEvents(m_dir.filePath(QStringLiteral("snap.sqlite")), QStringLiteral("action.snapshot"));
        QStringList kinds;
        for (const Event &e : events)
            kinds << e.kind;
        QCOMPARE(kinds,
                 (QStringList{QStringLiteral("action.snapshot.requested"), QStringLiteral("action.snapshot.succeeded"),
                              QStringLiteral("action.snapshot.requested"), QStringLiteral("action.snapshot.succeeded")}));
        QVERIFY(events[1].data.value(QStringLiteral("duration_ms")).toInteger() >= 2000);
        m_redis.reset();
    }
};

QTEST_GUILESS_MAIN(TestSnapshot)
#include "tst_snapshot.moc"
