// Command-line target options and time arguments.
#include "monitor/targets.h"

#include <QTest>

using namespace vigil;

class TestTargets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void buildsOptions()
    {
        qunsetenv("REDISCLI_AUTH");
        TargetArguments args;
        args.connect = {QStringLiteral("redis://a:1"), QStringLiteral("rediss://b:2"), QStringLiteral("unix:///tmp/s.sock")};
        args.tls.caFile = QStringLiteral("/tmp/ca.pem");
        QList<ConnectionOptions> out;
        QString error;
        QVERIFY(buildTargets(args, &out, &error));
        QCOMPARE(out.size(), 3);
        QCOMPARE(out[0].uri.address(), QStringLiteral("a:1"));
        QVERIFY(out[1].uri.isTls());
        QCOMPARE(out[1].tls.caFile, QStringLiteral("/tmp/ca.pem"));
        QVERIFY(out[2].uri.isUnix());
    }

    void passwordPrecedence()
    {
        qputenv("REDISCLI_AUTH", "env");
        TargetArguments args;
        args.connect = {QStringLiteral("redis://:uri@a"), QStringLiteral("redis://b")};
        QList<ConnectionOptions> out;
        QVERIFY(buildTargets(args, &out, nullptr));
        QCOMPARE(out[0].uri.password, QStringLiteral("uri"));
        QCOMPARE(out[1].uri.password, QStringLiteral("env"));
        args.password = QStringLiteral("asked");
        QVERIFY(buildTargets(args, &out, nullptr));
        QCOMPARE(out[0].uri.password, QStringLiteral("uri"));
        QCOMPARE(out[1].uri.password, QStringLiteral("asked"));
        qunsetenv("REDISCLI_AUTH");
    }

    void badUriNamesTheOption()
    {
        TargetArguments args;
        args.connect = {QStringLiteral("redis://ok"), QStringLiteral("mongodb://x")};
        QList<ConnectionOptions> out;
        QString error;
        QVERIFY(!buildTargets(args, &out, &error));
        QVERIFY(error.startsWith(QStringLiteral("--connect:")));
        QVERIFY(error.contains(QStringLiteral("mongodb")));
    }

    void times_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("minutes") << "-15m"
                                 << "2026-11-26T11:45:00.000Z";
        QTest::newRow("hours") << "-2h"
                               << "2026-11-26T10:00:00.000Z";
        QTest::newRow("seconds") << "-30s"
                                 << "2026-11-26T11:59:30.000Z";
        QTest::newRow("days") << "-1d"
                              << "2026-11-25T12:00:00.000Z";
        QTest::newRow("iso z") << "2026-11-26T04:12:13Z"
                               << "2026-11-26T04:12:13.000Z";
        QTest::newRow("iso ms") << "2026-11-26T04:12:13.123Z"
                                << "2026-11-26T04:12:13.123Z";
        QTest::newRow("iso offset") << "2026-11-26T05:12:13+01:00"
                                    << "2026-11-26T04:12:13.000Z";
        QTest::newRow("no zone is utc") << "2026-11-26T04:12:13"
                                        << "2026-11-26T04:12:13.000Z";
        QTest::newRow("date") << "2026-11-26"
                              << "2026-11-26T00:00:00.000Z";
        QTest::newRow("garbage") << "yesterday"
                                 << "";
        QTest::newRow("positive relative") << "15m"
                                           << "";
    }

    void times()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const QDateTime now(QDate(2026, 11, 26), QTime(12, 0), Qt::UTC);
        const QDateTime t = parseTimeArgument(text, now);
        if (expected.isEmpty()) {
            QVERIFY(!t.isValid());
            return;
        }
        QVERIFY(t.isValid());
        QCOMPARE(t.toString(Qt::ISODateWithMs), expected);
    }
};

QTEST_APPLESS_MAIN(TestTargets)
#include "tst_targets.moc"
