// ROLE replies of a master, a replica and a sentinel on the wire, and wrong shapes.
#include "redis/codec.h"
#include "topology/roleparser.h"

#include <QTest>

using namespace vigil;

namespace {

Reply decode(const QByteArray &wire)
{
    ReplyDecoder decoder;
    decoder.feed(wire);
    Reply r;
    return decoder.next(&r) == ReplyDecoder::Status::Ok ? r : Reply::error("ERR undecodable");
}

} // namespace

class TestRoleParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void master()
    {
        // A master with two online replicas, in the shape ROLE documents (ports and offsets as bulk strings).
        const Reply r = decode("*3\r\n$6\r\nmaster\r\n:3129659\r\n*2\r\n*3\r\n$9\r\n127.0.0.1\r\n$4\r\n9001\r\n$7\r\n3129242\r\n"
                               "*3\r\n$9\r\n127.0.0.1\r\n$4\r\n9002\r\n$7\r\n3129543\r\n");
        RoleInfo role;
        QVERIFY(parseRole(r, &role));
        QCOMPARE(role.kind, RoleInfo::Kind::Master);
        QCOMPARE(role.offset, 3129659);
        QCOMPARE(role.replicas.size(), 2);
        QCOMPARE(role.replicas[1].host, QStringLiteral("127.0.0.1"));
        QCOMPARE(role.replicas[1].port, 9002);
        QCOMPARE(role.replicas[1].offset, 3129543);
    }

    void replica()
    {
        const Reply r = decode("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:9000\r\n$9\r\nconnected\r\n:3167038\r\n");
        RoleInfo role;
        QVERIFY(parseRole(r, &role));
        QCOMPARE(role.kind, RoleInfo::Kind::Replica);
        QCOMPARE(role.masterHost, QStringLiteral("127.0.0.1"));
        QCOMPARE(role.masterPort, 9000);
        QCOMPARE(role.linkState, QStringLiteral("connected"));
        QCOMPARE(role.offset, 3167038);

        // No link yet: offset -1.
        QVERIFY(parseRole(decode("*5\r\n$5\r\nslave\r\n$8\r\n10.0.0.5\r\n:6379\r\n$7\r\nconnect\r\n:-1\r\n"), &role));
        QCOMPARE(role.offset, -1);
        QCOMPARE(role.linkState, QStringLiteral("connect"));
    }

    void sentinel()
    {
        RoleInfo role;
        QVERIFY(parseRole(decode("*2\r\n$8\r\nsentinel\r\n*2\r\n$4\r\ndemo\r\n$5\r\ncache\r\n"), &role));
        QCOMPARE(role.kind, RoleInfo::Kind::Sentinel);
        QCOMPARE(role.monitoredMasters, (QStringList{QStringLiteral("demo"), QStringLiteral("cache")}));
    }

    void wrongShapes_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("error") << QByteArray("-NOPERM this user has no permissions to run the 'role' command\r\n");
        QTest::newRow("string") << QByteArray("+OK\r\n");
        QTest::newRow("unknown role") << QByteArray("*1\r\n$7\r\nmonster\r\n");
        QTest::newRow("short master") << QByteArray("*2\r\n$6\r\nmaster\r\n:1\r\n");
        QTest::newRow("bad port") << QByteArray("*5\r\n$5\r\nslave\r\n$1\r\nh\r\n$3\r\nabc\r\n$9\r\nconnected\r\n:1\r\n");
        QTest::newRow("bad replica entry") << QByteArray("*3\r\n$6\r\nmaster\r\n:1\r\n*1\r\n$3\r\nxyz\r\n");
    }

    void wrongShapes()
    {
        QFETCH(QByteArray, wire);
        RoleInfo role;
        role.offset = 42;
        QVERIFY(!parseRole(decode(wire), &role));
        QCOMPARE(role.offset, 42); // untouched
    }
};

QTEST_APPLESS_MAIN(TestRoleParser)
#include "tst_roleparser.moc"
