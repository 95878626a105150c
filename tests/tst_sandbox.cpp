// The local topology behind `vigil --demo` and the test bed: it starts a master, two replicas and
// three sentinels that see each other, injects faults, and leaves no process behind.
#include "redisfixture.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace vigil;
using namespace vigil::test;

class TestSandbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString missing = RedisFixture::missing(true); !missing.isEmpty())
            QSKIP(qPrintable(missing));
    }

    void demoTopologyIsLive()
    {
        QList<qint64> pids;
        {
            RedisFixture fixture;
            LocalTopology &topology = fixture.topology();
            QString error;
            QVERIFY2(topology.buildDemo(&error, 1000), qPrintable(error));
            QCOMPARE(topology.count(), 6);
            for (int i = 0; i < topology.count(); ++i) {
                QVERIFY2(fixture.waitReady(i), qPrintable(fixture.error()));
                pids << topology.pid(i);
                QVERIFY(pids.last() > 0);
            }
            QCOMPARE(topology.node(0).name, QStringLiteral("master"));
            QCOMPARE(topology.connectionOptions(3).name, QStringLiteral("sentinel-1"));

            // Replicas attach to the master.
            QTRY_VERIFY_WITH_TIMEOUT(fixture.command(0, {"INFO", "replication"}).string.contains("connected_slaves:2"), 15000);
            // Every sentinel knows the master and, through hello messages, the other two sentinels.
            for (int s = 3; s < 6; ++s) {
                const Reply addr = fixture.command(s, {"SENTINEL", "GET-MASTER-ADDR-BY-NAME", "demo"});
                QVERIFY(addr.isArray() && addr.elements.size() == 2);
                QCOMPARE(addr.elements[1].string.toInt(), int(topology.node(0).port));
                QTRY_VERIFY_WITH_TIMEOUT(fixture.command(s, {"SENTINEL", "SENTINELS", "demo"}).elements.size() == 2, 15000);
            }
            QCOMPARE(fixture.command(3, {"SENTINEL", "CKQUORUM", "demo"}).isError(), false);
        }
        // The destructor stopped every process.
        for (qint64 pid : pids)
            QTRY_VERIFY(::kill(pid_t(pid), 0) != 0);
    }

    void faultInjection()
    {
        RedisFixture fixture;
        const int node = fixture.startServer(QStringLiteral("faulty"));
        QVERIFY(node >= 0);
        LocalTopology &topology = fixture.topology();
        const qint64 first = topology.pid(node);

        topology.suspend(node);
        QVERIFY(fixture.command(node, {"PING"}).isError()); // no answer while stopped
        topology.resume(node);
        QCOMPARE(fixture.command(node, {"PING"}).string, QByteArray("PONG"));

        topology.kill(node);
        QVERIFY(!topology.isRunning(node));
        QVERIFY(fixture.command(node, {"PING"}).local);

        QVERIFY(fixture.restart(node));
        QVERIFY(topology.pid(node) != first);
        QCOMPARE(fixture.command(node, {"PING"}).string, QByteArray("PONG"));
        QVERIFY(topology.log(node).contains(QStringLiteral("Ready to accept connections")));
    }

    void missingBinaryNamesThePackage()
    {
        QVERIFY(LocalTopology::checkBinaries(true).isEmpty());
        const QString none = LocalTopology::checkBinaries(false, {QStringLiteral("/nonexistent")});
        QVERIFY2(none.startsWith(QStringLiteral("redis-server not found")) && none.contains(QStringLiteral("Debian package redis-server")),
                 qPrintable(none));
        // A directory with redis-server alone lacks redis-sentinel.
        QTemporaryDir dir;
        QVERIFY(QFile::link(QStandardPaths::findExecutable(QStringLiteral("redis-server")), dir.filePath(QStringLiteral("redis-server"))));
        QVERIFY(LocalTopology::checkBinaries(false, {dir.path()}).isEmpty());
        const QString sentinel = LocalTopology::checkBinaries(true, {dir.path()});
        QVERIFY2(sentinel.contains(QStringLiteral("Debian package redis-sentinel")), qPrintable(sentinel));
    }

    void freePortsAreDistinct()
    {
        LocalTopology topology;
        QVERIFY(topology.isValid());
        QSet<quint16> ports;
        for (int i = 0; i < 50; ++i)
            ports << topology.freePort();
        QCOMPARE(ports.size(), 50);
        QVERIFY(!ports.contains(0));
    }
};

QTEST_GUILESS_MAIN(TestSandbox)
#include "tst_sandbox.moc"
