// `vigil record` and `vigil export` as an operator runs them, against real servers (TLS and ACL
// included), plus the command line's usage errors.
#include "journal/journal.h"
#include "redisfixture.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace vigil;
using namespace vigil::test;

namespace {

QString vigilBinary()
{
    return qEnvironmentVariable("VIGIL_BINARY");
}

} // namespace

class TestRecord : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RedisFixture> m_redis;
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        if (vigilBinary().isEmpty())
            QSKIP("VIGIL_BINARY not set (run through CTest)");
        if (const QString missing = RedisFixture::missing(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        m_redis = std::make_unique<RedisFixture>();
    }

    void cleanupTestCase() { m_redis.reset(); }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << 2;
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--bogus")} << 2;
        QTest::newRow("record without target") << QStringList{QStringLiteral("record")} << 2;
        QTest::newRow("record bad uri") << QStringList{QStringLiteral("record"), QStringLiteral("--connect"), QStringLiteral("http://x")} << 2;
        QTest::newRow("record bad duration") << QStringList{QStringLiteral("record"), QStringLiteral("--connect"), QStringLiteral("redis://x"),
                                                            QStringLiteral("--duration"), QStringLiteral("soon")}
                                             << 2;
        QTest::newRow("export bad format") << QStringList{QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("xml")} << 2;
        QTest::newRow("export bad time") << QStringList{QStringLiteral("export"), QStringLiteral("--since"), QStringLiteral("yesterday")} << 2;
        QTest::newRow("export time out of range") << QStringList{QStringLiteral("export"), QStringLiteral("--since"),
                                                                 QStringLiteral("-99999999999999999999d")}
                                                  << 2;
        QTest::newRow("export time too far back") << QStringList{QStringLiteral("export"), QStringLiteral("--since"), QStringLiteral("-9999999999d")}
                                                  << 2;
        QTest::newRow("record infinite duration") << QStringList{QStringLiteral("record"), QStringLiteral("--connect"), QStringLiteral("redis://x"),
                                                                 QStringLiteral("--duration"), QStringLiteral("inf")}
                                                  << 2;
        QTest::newRow("record nan duration") << QStringList{QStringLiteral("record"), QStringLiteral("--connect"), QStringLiteral("redis://x"),
                                                            QStringLiteral("--duration"), QStringLiteral("nan")}
                                             << 2;
        QTest::newRow("record reply size") << QStringList{QStringLiteral("record"), QStringLiteral("--connect"), QStringLiteral("redis://x"),
                                                          QStringLiteral("--max-reply-size"), QStringLiteral("lots")}
                                           << 2;
        QTest::newRow("export missing journal") << QStringList{QStringLiteral("export"), QStringLiteral("--journal"),
                                                               QStringLiteral("/nonexistent/j.sqlite")}
                                                << 1;
        QTest::newRow("missing tls file") << QStringList{QStringLiteral("record"), QStringLiteral("--connect"), QStringLiteral("rediss://x"),
                                                         QStringLiteral("--tls-ca"), QStringLiteral("/nonexistent.pem")}
                                          << 2;
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QProcess p;
        p.start(vigilBinary(), args);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), code);
        const QByteArray err = p.readAllStandardError().trimmed();
        QVERIFY2(err.startsWith("vigil: ") && !err.contains('\n'), err.constData());
        if (qstrcmp(QTest::currentDataTag(), "unknown option") == 0)
            QVERIFY2(err.contains("vigil --help"), err.constData());
    }

    void helpAndVersion()
    {
        QByteArray out;
        QCOMPARE(runProcess(vigilBinary(), {QStringLiteral("--version")}, &out), 0);
        QVERIFY(out.startsWith("vigil " VIGIL_VERSION));
        QCOMPARE(runProcess(vigilBinary(), {QStringLiteral("--help")}, &out), 0);
        for (const char *word : {"record", "export", "--connect", "--journal", "--demo", "REDISCLI_AUTH", "Exit codes"})
            QVERIFY2(out.contains(word), word);
    }

    void killHangRestart()
    {
        const int node = m_redis->startServer(QStringLiteral("recorded"));
        QVERIFY(node >= 0);
        const QString journal = m_dir.filePath(QStringLiteral("record.sqlite"));
        auto recorder = startRecorder(journal, QStringList{QStringLiteral("--connect"), m_redis->uri(node).toFullString()});
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("monitor.baseline")).size(), 1, 5000);

        m_redis->topology().kill(node);
        const QDateTime killedAt = QDateTime::currentDateTimeUtc();
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("redis.unreachable")).size(), 1, 3000);
        const Event killed = journalEvents(journal, QStringLiteral("redis.unreachable")).first();
        QCOMPARE(killed.data.value(QStringLiteral("reason")).toString(), QStringLiteral("closed"));
        QVERIFY2(killedAt.msecsTo(killed.time) < 100, qPrintable(QString::number(killedAt.msecsTo(killed.time))));

        QVERIFY(m_redis->restart(node));
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("redis.reachable")).size(), 1, 10000);

        m_redis->topology().suspend(node);
        const QDateTime stoppedAt = QDateTime::currentDateTimeUtc();
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("redis.unreachable")).size(), 2, 6000);
        m_redis->topology().resume(node);
        const Event hung = journalEvents(journal, QStringLiteral("redis.unreachable")).last();
        QCOMPARE(hung.data.value(QStringLiteral("reason")).toString(), QStringLiteral("timeout"));
        qInfo("hung server unreachable %lld ms after SIGSTOP", stoppedAt.msecsTo(hung.time));
        QVERIFY2(stoppedAt.msecsTo(hung.time) <= 2100, qPrintable(QString::number(stoppedAt.msecsTo(hung.time))));
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("redis.reachable")).size(), 2, 10000);

        QVERIFY(stopRecorder(*recorder));
        const QByteArray out = recorder->readAllStandardOutput();
        QVERIFY2(out.contains("vigil record: ") && out.contains("events in"), out.constData());
        const QList<Event> all = journalEvents(journal);
        QCOMPARE(all.first().kind, QStringLiteral("monitor.started"));
        QCOMPARE(all.last().kind, QStringLiteral("monitor.stopped"));
    }

    void aclAndTls()
    {
        const int acl = m_redis->startServer(QStringLiteral("acl"),
                                             {
                                                 QStringLiteral("user ops on >opspw ~* &* +@all"),
                                                 QStringLiteral("user default off"),
                                             });
        QVERIFY2(acl >= 0, qPrintable(m_redis->error()));
        const int tls = m_redis->startTlsServer(QStringLiteral("tls-rec"), false);
        QVERIFY2(tls >= 0, qPrintable(m_redis->error()));
        RedisUri good = m_redis->uri(acl);
        good.user = QStringLiteral("ops");
        good.password = QStringLiteral("opspw");
        RedisUri bad = good;
        bad.password = QStringLiteral("not-the-password");
        // The second target only differs by database, so that both fit in one run.
        bad.db = 1;

        const QString journal = m_dir.filePath(QStringLiteral("acl-tls.sqlite"));
        auto recorder = startRecorder(journal,
                                      QStringList{QStringLiteral("--connect"), good.toFullString(), QStringLiteral("--connect"), bad.toFullString(),
                                                  QStringLiteral("--connect"), m_redis->uri(tls).toFullString(), QStringLiteral("--tls-ca"),
                                                  m_redis->certificates().caCert});
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("monitor.baseline")).size(), 1, 8000);
        QTRY_COMPARE_WITH_TIMEOUT(journalEvents(journal, QStringLiteral("redis.auth_failed")).size(), 1, 8000);
        QVERIFY(stopRecorder(*recorder));

        QSet<QString> connected;
        for (const QJsonValue &v : journalEvents(journal, QStringLiteral("monitor.baseline")).first().data.value(QStringLiteral("servers")).toArray())
            if (v.toObject().value(QStringLiteral("reachable")).toBool())
                connected << v.toObject().value(QStringLiteral("address")).toString();
        QCOMPARE(connected, (QSet<QString>{m_redis->uri(acl).address(), m_redis->uri(tls).address()}));
        const Event auth = journalEvents(journal, QStringLiteral("redis.auth_failed")).first();
        QCOMPARE(auth.data.value(QStringLiteral("user")).toString(), QStringLiteral("ops"));
        QCOMPARE(auth.data.value(QStringLiteral("reason")).toString(), QStringLiteral("wrongpass"));

        // Passwords reach neither the journal nor its exports nor the console.
        QByteArray exported;
        QCOMPARE(runProcess(vigilBinary(), {QStringLiteral("export"), QStringLiteral("--journal"), journal}, &exported), 0);
        const QByteArray console = recorder->readAllStandardOutput() + recorder->readAllStandardError();
        for (const QByteArray &secret : {QByteArray("opspw"), QByteArray("not-the-password")}) {
            QVERIFY(!exported.contains(secret));
            QVERIFY(!console.contains(secret));
        }
        QVERIFY(exported.contains("\"kind\":\"redis.auth_failed\""));

        // Nor its incident reports: the refused credentials are an incident of their own.
        QByteArray listed;
        QCOMPARE(runProcess(vigilBinary(), {QStringLiteral("incidents"), QStringLiteral("--journal"), journal, QStringLiteral("--json")}, &listed),
                 0);
        const QJsonArray incidents = QJsonDocument::fromJson(listed).array();
        const auto refused = std::find_if(incidents.begin(), incidents.end(), [](const QJsonValue &v) {
            return v.toObject().value(QStringLiteral("root")).toObject().value(QStringLiteral("kind")).toString()
                == QLatin1String("redis.auth_failed");
        });
        QVERIFY2(refused != incidents.end(), listed.constData());
        const QString id = QString::number(refused->toObject().value(QStringLiteral("id")).toInteger());
        for (const QString &format : {QStringLiteral("md"), QStringLiteral("html"), QStringLiteral("json")}) {
            QByteArray report;
            QCOMPARE(runProcess(vigilBinary(),
                                {QStringLiteral("report"), id, QStringLiteral("--journal"), journal, QStringLiteral("--format"), format}, &report),
                     0);
            QVERIFY2(report.contains("redis.auth_failed"), report.constData());
            for (const QByteArray &secret : {QByteArray("opspw"), QByteArray("not-the-password")})
                QVERIFY2(!report.contains(secret), qPrintable(format));
            if (format == QLatin1String("html")) {
                // One self-contained page: its timeline inline, no address to fetch anything from.
                QVERIFY(report.contains("<svg"));
                QVERIFY(!report.contains("http://") && !report.contains("https://"));
            }
        }
    }

    void statusMatchesInfo()
    {
        const int master = m_redis->startServer(QStringLiteral("status-master"));
        QVERIFY(master >= 0);
        const int replica = m_redis->startReplica(QStringLiteral("status-replica"), master);
        QVERIFY(replica >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->command(replica, {"INFO", "replication"}).string.contains("master_link_status:up"), 10000);
        QByteArray out;
        QCOMPARE(runProcess(vigilBinary(),
                            {QStringLiteral("status"), QStringLiteral("--json"), QStringLiteral("--connect"), m_redis->uri(master).toFullString(),
                             QStringLiteral("--connect"), m_redis->uri(replica).toFullString()},
                            &out),
                 0);
        const QJsonArray nodes = QJsonDocument::fromJson(out).object().value(QStringLiteral("nodes")).toArray();
        QCOMPARE(nodes.size(), 2);
        const QJsonObject m = nodes.at(0).toObject();
        const QJsonObject r = nodes.at(1).toObject();
        QCOMPARE(m.value(QStringLiteral("address")).toString(), m_redis->uri(master).address());
        QCOMPARE(m.value(QStringLiteral("role")).toString(), QStringLiteral("master"));
        QVERIFY(m.value(QStringLiteral("master")).isNull());
        QVERIFY(m.value(QStringLiteral("reachable")).toBool());
        QCOMPARE(r.value(QStringLiteral("role")).toString(), QStringLiteral("replica"));
        QCOMPARE(r.value(QStringLiteral("master")).toString(), m_redis->uri(master).address());
        QCOMPARE(r.value(QStringLiteral("link_status")).toString(), QStringLiteral("up"));
        QVERIFY(r.value(QStringLiteral("lag_bytes")).toInteger() >= 0);
        // What INFO says on each node (offsets move only with writes; there are none here).
        const QByteArray info = m_redis->command(master, {"INFO", "replication"}).string;
        QVERIFY(info.contains(QByteArray("master_repl_offset:" + QByteArray::number(m.value(QStringLiteral("repl_offset")).toInteger()))));
        QVERIFY(m_redis->command(master, {"INFO", "server"})
                    .string.contains(QByteArray("redis_version:" + m.value(QStringLiteral("version")).toString().toUtf8())));
        // Nothing was saved: null, not the start time.
        QVERIFY(m.value(QStringLiteral("last_save_time")).isNull());
        // An unreachable seed: still printed, exit 1.
        RedisUri nowhere;
        nowhere.port = m_redis->topology().freePort();
        QCOMPARE(runProcess(vigilBinary(),
                            {QStringLiteral("status"), QStringLiteral("--connect"), m_redis->uri(master).toFullString(), QStringLiteral("--connect"),
                             nowhere.toFullString()},
                            &out),
                 1);
        QVERIFY(out.contains("unreachable"));
    }

    void durationAndExportFilters()
    {
        const int node = m_redis->startServer(QStringLiteral("timed"));
        QVERIFY(node >= 0);
        const QString journal = m_dir.filePath(QStringLiteral("timed.sqlite"));
        QElapsedTimer clock;
        clock.start();
        QByteArray out;
        QCOMPARE(runProcess(vigilBinary(),
                            {QStringLiteral("record"), QStringLiteral("--journal"), journal, QStringLiteral("--quiet"), QStringLiteral("--duration"),
                             QStringLiteral("1.5"), QStringLiteral("--connect"), m_redis->uri(node).toFullString()},
                            &out),
                 0);
        QVERIFY(clock.elapsed() >= 1400 && clock.elapsed() < 8000);
        QVERIFY2(out.startsWith("vigil record: 3 events"), out.constData());

        QByteArray csv;
        QCOMPARE(runProcess(vigilBinary(),
                            {QStringLiteral("export"), QStringLiteral("--journal"), journal, QStringLiteral("--format"), QStringLiteral("csv"),
                             QStringLiteral("--kind"), QStringLiteral("monitor.baseline"), QStringLiteral("--since"), QStringLiteral("-1h")},
                            &csv),
                 0);
        const QList<QByteArray> lines = csv.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[0].trimmed(), QByteArray("time,kind,severity,source,message,data"));
        QVERIFY(lines[1].contains(",monitor.baseline,info,"));

        const QString file = m_dir.filePath(QStringLiteral("out.jsonl"));
        QCOMPARE(runProcess(vigilBinary(),
                            {QStringLiteral("export"), QStringLiteral("--journal"), journal, QStringLiteral("-o"), file, QStringLiteral("--until"),
                             QStringLiteral("-2h")}),
                 0);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray()); // nothing that old
    }
};

QTEST_GUILESS_MAIN(TestRecord)
#include "tst_record.moc"
