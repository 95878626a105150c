// Events from consecutive INFO snapshots: restarts, role changes, link state, replicas, lag with
// hysteresis, saves, AOF errors and stale saves.
#include "topology/snapshotdiff.h"

#include <QFile>
#include <QTest>

using namespace vigil;

namespace {

constexpr qint64 kNowMs = 1'764'130'400'000;

QByteArray fixture(const QString &name)
{
    QFile f(QFINDTESTDATA(QStringLiteral("data/info/") + name));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList kinds(const QList<Event> &events)
{
    QStringList k;
    for (const Event &e : events)
        k << e.kind;
    return k;
}

} // namespace

class TestSnapshotDiff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstPollRaisesOnlyStandingAlarms()
    {
        TopologyAlarms alarms;
        const InfoSnapshot master = parseInfo(fixture(QStringLiteral("7.0-master.txt")));
        QVERIFY(compareSnapshots(QStringLiteral("m:1"), nullptr, master, {}, alarms, kNowMs).isEmpty());
    }

    void replicaLinkDownAndUp()
    {
        TopologyAlarms alarms;
        const InfoSnapshot up = parseInfo(fixture(QStringLiteral("7.0-replica.txt")));
        const InfoSnapshot down = parseInfo(fixture(QStringLiteral("7.0-replica-link-down.txt")));
        QList<Event> e = compareSnapshots(QStringLiteral("r:1"), &up, down, {}, alarms, kNowMs);
        QCOMPARE(kinds(e), QStringList{QStringLiteral("replication.link_down")});
        QCOMPARE(e.first().severity, Severity::Critical);
        QCOMPARE(e.first().data.value(QStringLiteral("master")).toString(), QStringLiteral("127.0.0.1:16501"));
        QCOMPARE(e.first().source, QStringLiteral("r:1"));
        QCOMPARE(e.first().time.toMSecsSinceEpoch(), kNowMs);
        e = compareSnapshots(QStringLiteral("r:1"), &down, up, {}, alarms, kNowMs);
        QCOMPARE(kinds(e), QStringList{QStringLiteral("replication.link_up")});
    }

    void restartAndRoleChange()
    {
        TopologyAlarms alarms;
        const InfoSnapshot replica = parseInfo(fixture(QStringLiteral("7.0-replica.txt")));
        InfoSnapshot promoted = replica;
        promoted.role = InfoSnapshot::Role::Master;
        QList<Event> e = compareSnapshots(QStringLiteral("r:1"), &replica, promoted, {}, alarms, kNowMs);
        QCOMPARE(kinds(e), QStringList{QStringLiteral("redis.role_changed")});
        QCOMPARE(e.first().data.value(QStringLiteral("from")).toString(), QStringLiteral("replica"));
        QCOMPARE(e.first().data.value(QStringLiteral("to")).toString(), QStringLiteral("master"));

        InfoSnapshot restarted = replica;
        restarted.runId = QStringLiteral("0000000000000000000000000000000000000001");
        restarted.uptimeSeconds = 2;
        e = compareSnapshots(QStringLiteral("r:1"), &replica, restarted, {}, alarms, kNowMs);
        QCOMPARE(kinds(e), QStringList{QStringLiteral("redis.restarted")});
    }

    void replicasComeAndGo()
    {
        TopologyAlarms alarms;
        const InfoSnapshot two = parseInfo(fixture(QStringLiteral("7.0-master.txt")));
        InfoSnapshot one = two;
        one.replicas.removeLast();
        QList<Event> e = compareSnapshots(QStringLiteral("m:1"), &two, one, {}, alarms, kNowMs);
        QCOMPARE(kinds(e), QStringList{QStringLiteral("replication.replica_removed")});
        QCOMPARE(e.first().data.value(QStringLiteral("replica")).toString(), QStringLiteral("127.0.0.1:16502"));
        e = compareSnapshots(QStringLiteral("m:1"), &one, two, {}, alarms, kNowMs);
        QCOMPARE(kinds(e), QStringList{QStringLiteral("replication.replica_added")});
        InfoSnapshot resynced = two;
        resynced.syncFull = two.syncFull + 1;
        QCOMPARE(kinds(compareSnapshots(QStringLiteral("m:1"), &two, resynced, {}, alarms, kNowMs)),
                 QStringList{QStringLiteral("replication.full_sync")});
    }

    void lagWithHysteresis()
    {
        TopologyAlarms alarms;
        const InfoSnapshot base = parseInfo(fixture(QStringLiteral("6.2-master-failover.txt")));
        TopologyThresholds t;
        t.lagBytes = 1000;
        t.saveStaleSeconds = 1LL << 40; // this fixture has old unsaved changes: not the point here
        InfoSnapshot behind = base;
        behind.masterReplOffset = base.replicas[1].offset + 5000; // 5000 bytes behind
        behind.replicas[0].offset = behind.masterReplOffset;
        QList<Event> e = compareSnapshots(QStringLiteral("m:1"), &base, behind, t, alarms, kNowMs);
        QCOMPARE(kinds(e), QStringList{QStringLiteral("replication.lag_high")});
        QCOMPARE(e.first().data.value(QStringLiteral("replica")).toString(), QStringLiteral("10.0.0.7:6379"));
        QCOMPARE(e.first().data.value(QStringLiteral("lag_bytes")).toInteger(), 5000);
        // Still behind: nothing new. Caught up: one lag_ok.
        QVERIFY(compareSnapshots(QStringLiteral("m:1"), &behind, behind, t, alarms, kNowMs).isEmpty());
        e = compareSnapshots(QStringLiteral("m:1"), &behind, base, t, alarms, kNowMs);
        QCOMPARE(kinds(e), QStringList{QStringLiteral("replication.lag_ok")});
        // Seconds since the last ACK count too (the idle-master ping period is 10 s).
        InfoSnapshot silent = base;
        silent.replicas[0].lag = 11;
        QCOMPARE(kinds(compareSnapshots(QStringLiteral("m:1"), &base, silent, t, alarms, kNowMs)),
                 QStringList{QStringLiteral("replication.lag_high")});
    }

    void saves()
    {
        TopologyAlarms alarms;
        const InfoSnapshot before = parseInfo(fixture(QStringLiteral("7.0-master.txt")));
        const InfoSnapshot after = parseInfo(fixture(QStringLiteral("7.0-persistence-saved.txt")));
        InfoSnapshot running = before;
        running.bgsaveInProgress = true;
        QCOMPARE(kinds(compareSnapshots(QStringLiteral("m:1"), &before, running, {}, alarms, kNowMs)),
                 QStringList{QStringLiteral("persistence.bgsave_started")});
        // A save that started and ended between two polls is still seen.
        QList<Event> e = compareSnapshots(QStringLiteral("m:1"), &before, after, {}, alarms, kNowMs);
        QCOMPARE(kinds(e), QStringList{QStringLiteral("persistence.bgsave_ok")});
        InfoSnapshot failed = after;
        failed.lastBgsaveStatus = QStringLiteral("err");
        QCOMPARE(kinds(compareSnapshots(QStringLiteral("m:1"), &running, failed, {}, alarms, kNowMs)),
                 QStringList{QStringLiteral("persistence.bgsave_failed")});
    }

    void aofErrorsOnce()
    {
        TopologyAlarms alarms;
        InfoSnapshot ok = parseInfo(fixture(QStringLiteral("6.2-replica-syncing.txt")));
        InfoSnapshot bad = ok;
        bad.aofLastWriteStatus = QStringLiteral("err");
        QCOMPARE(kinds(compareSnapshots(QStringLiteral("r:1"), &ok, bad, {}, alarms, kNowMs)), QStringList{QStringLiteral("persistence.aof_error")});
        QVERIFY(compareSnapshots(QStringLiteral("r:1"), &bad, bad, {}, alarms, kNowMs).isEmpty());
        QVERIFY(compareSnapshots(QStringLiteral("r:1"), &bad, ok, {}, alarms, kNowMs).isEmpty());
        QCOMPARE(kinds(compareSnapshots(QStringLiteral("r:1"), &ok, bad, {}, alarms, kNowMs)), QStringList{QStringLiteral("persistence.aof_error")});
    }

    void staleSaves()
    {
        TopologyAlarms alarms;
        TopologyThresholds t;
        t.saveStaleSeconds = 600;
        InfoSnapshot s = parseInfo(fixture(QStringLiteral("5.0-master.txt"))); // saved, 1204 changes since
        s.lastSaveTime = kNowMs / 1000 - 300;
        QVERIFY(compareSnapshots(QStringLiteral("m:1"), &s, s, t, alarms, kNowMs).isEmpty());
        InfoSnapshot old = s;
        old.lastSaveTime = kNowMs / 1000 - 3600;
        QList<Event> e = compareSnapshots(QStringLiteral("m:1"), &s, old, t, alarms, kNowMs);
        QCOMPARE(kinds(e), QStringList{QStringLiteral("persistence.save_stale")});
        QCOMPARE(e.first().data.value(QStringLiteral("last_save_age_s")).toInteger(), 3600);
        QVERIFY(compareSnapshots(QStringLiteral("m:1"), &old, old, t, alarms, kNowMs).isEmpty());

        // Never saved: the start time is no save time.
        TopologyAlarms fresh;
        InfoSnapshot never = parseInfo(fixture(QStringLiteral("7.0-master.txt")));
        never.changesSinceSave = 10;
        never.uptimeSeconds = 7200;
        never.lastSaveTime = kNowMs / 1000 - 7200;
        e = compareSnapshots(QStringLiteral("m:1"), &never, never, t, fresh, kNowMs);
        QCOMPARE(kinds(e), QStringList{QStringLiteral("persistence.save_stale")});
        QVERIFY(e.first().message.contains(QStringLiteral("never saved")));
        QVERIFY(e.first().data.value(QStringLiteral("never_saved")).toBool());
    }
};

QTEST_APPLESS_MAIN(TestSnapshotDiff)
#include "tst_snapshotdiff.moc"
