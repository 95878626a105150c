// INFO parsing over recorded (7.0) and reconstructed (5.0, 6.2) replies: roles, offsets, replica
// lines, persistence (including "never saved"), and the fields each version lacks.
#include "topology/infoparser.h"

#include "redisfixture.h"

#include <QTest>

using namespace vigil;

namespace {

QByteArray fixture(const QString &name)
{
    return test::readTestData(QStringLiteral("info/") + name);
}

} // namespace

class TestInfoParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void versions_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("version");
        QTest::addColumn<int>("role");
        QTest::addColumn<qint64>("masterReplOffset");
        QTest::addColumn<int>("replicas");
        QTest::addColumn<QString>("linkStatus");
        QTest::addColumn<qint64>("replicaOffset");
        QTest::addColumn<qint64>("replicaReadOffset");
        QTest::addColumn<QString>("failoverState");
        QTest::addColumn<bool>("neverSaved");
        const int master = int(InfoSnapshot::Role::Master), replica = int(InfoSnapshot::Role::Replica);
        QTest::newRow("7.0 master") << "7.0-master.txt"
                                    << "7.0.15" << master << qint64(93) << 2 << "" << qint64(-1) << qint64(-1) << "no-failover" << true;
        QTest::newRow("7.0 replica") << "7.0-replica.txt"
                                     << "7.0.15" << replica << qint64(93) << 0 << "up" << qint64(93) << qint64(93) << "no-failover" << true;
        QTest::newRow("7.0 replica, master gone") << "7.0-replica-link-down.txt"
                                                  << "" << replica << qint64(93) << 0 << "down" << qint64(93) << qint64(93) << "no-failover" << false;
        QTest::newRow("6.2 master in failover") << "6.2-master-failover.txt"
                                                << "6.2.14" << master << qint64(881920) << 2 << "" << qint64(-1) << qint64(-1) << "waiting-for-sync"
                                                << false;
        QTest::newRow("6.2 replica syncing") << "6.2-replica-syncing.txt"
                                             << "6.2.14" << replica << qint64(0) << 0 << "down" << qint64(1) << qint64(1) << "no-failover" << true;
        QTest::newRow("5.0 master") << "5.0-master.txt"
                                    << "5.0.14" << master << qint64(5503329) << 1 << "" << qint64(-1) << qint64(-1) << "" << false;
        QTest::newRow("5.0 replica") << "5.0-replica.txt"
                                     << "5.0.14" << replica << qint64(5503215) << 0 << "up" << qint64(5503215) << qint64(-1) << "" << true;
    }

    void versions()
    {
        QFETCH(QString, file);
        const QByteArray text = fixture(file);
        QVERIFY2(!text.isEmpty(), qPrintable(file));
        // As redis-cli printed it, and with CRLF as the server sends it: the same snapshot.
        QByteArray crlf = text;
        crlf.replace("\n", "\r\n");
        for (const QByteArray &reply : {text, crlf}) {
            const InfoSnapshot s = parseInfo(reply);
            QTEST(s.version, "version");
            QTEST(int(s.role), "role");
            QTEST(s.masterReplOffset, "masterReplOffset");
            QTEST(int(s.replicas.size()), "replicas");
            QTEST(s.linkStatus, "linkStatus");
            QTEST(s.replicaOffset, "replicaOffset");
            QTEST(s.replicaReadOffset, "replicaReadOffset");
            QTEST(s.failoverState, "failoverState");
            QTEST(s.neverSaved(), "neverSaved");
            const QList<std::pair<QString, QString>> fields = s.fieldList();
            QVERIFY(!fields.isEmpty());
            for (const auto &[name, value] : fields)
                QVERIFY2(!name.contains(QLatin1Char('\r')) && !value.endsWith(QLatin1Char('\r')), qPrintable(name));
        }
    }

    void masterDetails()
    {
        const InfoSnapshot s = parseInfo(fixture(QStringLiteral("6.2-master-failover.txt")));
        QCOMPARE(s.connectedReplicas, 2);
        QCOMPARE(s.replicas[0].address(), QStringLiteral("10.0.0.6:6379"));
        QCOMPARE(s.replicas[0].state, QStringLiteral("online"));
        QCOMPARE(s.byteLag(s.replicas[0]), 0);
        QCOMPARE(s.byteLag(s.replicas[1]), 899);
        QCOMPARE(s.replicas[1].lag, 1);
        QVERIFY(s.bgsaveInProgress);
        QCOMPARE(s.lastBgsaveStatus, QStringLiteral("err"));
        QCOMPARE(s.saveKeysProcessed, 12000);
        QCOMPARE(s.saveKeysTotal, 19000);
        QCOMPARE(s.rdbSaves, -1); // 6.2 does not count saves
        QVERIFY(s.backlogActive);
    }

    void replicaDetails()
    {
        const InfoSnapshot s = parseInfo(fixture(QStringLiteral("6.2-replica-syncing.txt")));
        QCOMPARE(s.masterHost, QStringLiteral("10.0.0.5"));
        QCOMPARE(s.masterPort, 6379);
        QVERIFY(s.syncInProgress);
        QCOMPARE(s.linkDownSinceSeconds, 35);
        QCOMPARE(s.lastIoSecondsAgo, -1);
        QCOMPARE(s.replicaPriority, 0);
        QVERIFY(s.replicaReadOnly);
        QVERIFY(s.aofEnabled);
        QVERIFY(s.aofRewriteScheduled);

        const InfoSnapshot up = parseInfo(fixture(QStringLiteral("7.0-replica.txt")));
        QCOMPARE(up.masterPort, 16501);
        QCOMPARE(up.lastIoSecondsAgo, 2);
        QCOMPARE(up.linkDownSinceSeconds, -1);
        QCOMPARE(up.replicaPriority, 100);
        QCOMPARE(up.runId.size(), 40);
    }

    // The trap of redis-facts: at start-up the last save time is the start time.
    void neverSavedIsNotTheStartTime()
    {
        const InfoSnapshot fresh = parseInfo(fixture(QStringLiteral("7.0-master.txt")));
        QVERIFY(fresh.lastSaveTime > 0);
        QCOMPARE(fresh.rdbSaves, 0);
        // The full sync to the replicas forked a save, yet nothing was ever saved by request.
        QCOMPARE(fresh.lastBgsaveTimeSec, 0);
        QVERIFY(fresh.neverSaved());
        const InfoSnapshot saved = parseInfo(fixture(QStringLiteral("7.0-persistence-saved.txt")));
        QCOMPARE(saved.rdbSaves, 1);
        QVERIFY(!saved.neverSaved());
        // Before 7.0 there is no counter: -1 seconds for the last bgsave means none ran.
        QVERIFY(parseInfo(fixture(QStringLiteral("5.0-replica.txt"))).neverSaved());
        QVERIFY(!parseInfo(fixture(QStringLiteral("5.0-master.txt"))).neverSaved());
    }

    void replicaLines_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("address");
        QTest::addColumn<qint64>("offset");
        QTest::newRow("full") << "ip=127.0.0.1,port=6380,state=online,offset=93,lag=0" << true << "127.0.0.1:6380" << qint64(93);
        QTest::newRow("ipv6") << "ip=::1,port=6381,state=wait_bgsave,offset=0,lag=0" << true << "[::1]:6381" << qint64(0);
        QTest::newRow("no port") << "ip=10.0.0.1,state=online" << false << "" << qint64(0);
        QTest::newRow("bad port") << "ip=10.0.0.1,port=99999" << false << "" << qint64(0);
        QTest::newRow("garbage") << "what" << false << "" << qint64(0);
    }

    void replicaLines()
    {
        QFETCH(QString, value);
        QFETCH(bool, ok);
        ReplicaEntry e;
        QCOMPARE(parseReplicaEntry(value, &e), ok);
        if (ok) {
            QTEST(e.address(), "address");
            QTEST(e.offset, "offset");
        }
    }

    void garbageIsHarmless()
    {
        const InfoSnapshot s = parseInfo("no colon here\n:empty key\nrole:\nslave0:nonsense\nslave_repl_offset:x\n\xff\xfe:1\n");
        QCOMPARE(s.role, InfoSnapshot::Role::Unknown);
        QVERIFY(s.replicas.isEmpty());
        QCOMPARE(s.replicaOffset, -1);
        QVERIFY(parseInfo(QByteArray()).fieldList().isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestInfoParser)
#include "tst_infoparser.moc"
