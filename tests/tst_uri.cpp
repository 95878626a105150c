// URI parsing: schemes, users, passwords, ports, databases, errors, and printing without secrets.
#include "redis/uri.h"

#include <QTest>

using namespace vigil;

class TestUri : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hostAndPort()
    {
        QString host;
        quint16 port = 0;
        QVERIFY(splitHostPort(QStringLiteral("127.0.0.1:6380"), &host, &port));
        QCOMPARE(host, QStringLiteral("127.0.0.1"));
        QCOMPARE(port, quint16(6380));
        // What address() prints for IPv6 comes back without brackets, and prints the same again.
        RedisUri v6;
        v6.host = QStringLiteral("::1");
        v6.port = 7000;
        QVERIFY(splitHostPort(v6.address(), &host, &port));
        QCOMPARE(host, QStringLiteral("::1"));
        QCOMPARE(port, quint16(7000));
        v6.host = host;
        QCOMPARE(v6.address(), QStringLiteral("[::1]:7000"));
        // As INFO lists a replica: a bare IPv6 address.
        QVERIFY(splitHostPort(QStringLiteral("fe80::2:6379"), &host, &port));
        QCOMPARE(host, QStringLiteral("fe80::2"));
        host = QStringLiteral("unchanged");
        for (const char *bad : {"nohost", ":6379", "h:0", "h:70000", "h:port", "[]:6379"})
            QVERIFY2(!splitHostPort(QString::fromLatin1(bad), &host, &port), bad);
        QCOMPARE(host, QStringLiteral("unchanged"));
    }

    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("scheme");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<int>("db");
        const int tcp = int(RedisUri::Scheme::Tcp), tls = int(RedisUri::Scheme::Tls), unix_ = int(RedisUri::Scheme::Unix);
        QTest::newRow("host only") << "redis://db1" << tcp << "db1" << 6379 << ""
                                   << ""
                                   << "" << 0;
        QTest::newRow("host port") << "redis://10.0.0.5:6380" << tcp << "10.0.0.5" << 6380 << ""
                                   << ""
                                   << "" << 0;
        QTest::newRow("db") << "redis://h:1/3" << tcp << "h" << 1 << ""
                            << ""
                            << "" << 3;
        QTest::newRow("password only") << "redis://:s3cret@h" << tcp << "h" << 6379 << ""
                                       << ""
                                       << "s3cret" << 0;
        QTest::newRow("acl user") << "redis://alice:pw@h:7000/2" << tcp << "h" << 7000 << ""
                                  << "alice"
                                  << "pw" << 2;
        QTest::newRow("user without password") << "redis://alice@h" << tcp << "h" << 6379 << ""
                                               << "alice"
                                               << "" << 0;
        QTest::newRow("percent-encoded password") << "redis://u:p%40ss%3Aword@h" << tcp << "h" << 6379 << ""
                                                  << "u"
                                                  << "p@ss:word" << 0;
        QTest::newRow("tls") << "rediss://cache.example:6390" << tls << "cache.example" << 6390 << ""
                             << ""
                             << "" << 0;
        QTest::newRow("ipv6") << "redis://[::1]:6381" << tcp << "::1" << 6381 << ""
                              << ""
                              << "" << 0;
        QTest::newRow("bare host:port") << "127.0.0.1:6390" << tcp << "127.0.0.1" << 6390 << ""
                                        << ""
                                        << "" << 0;
        QTest::newRow("uppercase scheme") << "REDIS://h:5" << tcp << "h" << 5 << ""
                                          << ""
                                          << "" << 0;
        QTest::newRow("unix") << "unix:///run/redis.sock" << unix_ << "" << 0 << "/run/redis.sock"
                              << ""
                              << "" << 0;
        QTest::newRow("unix db") << "unix:///tmp/r.sock?db=4" << unix_ << "" << 0 << "/tmp/r.sock"
                                 << ""
                                 << "" << 4;
        QTest::newRow("unix password") << "unix://:pw@/tmp/r.sock" << unix_ << "" << 0 << "/tmp/r.sock"
                                       << ""
                                       << "pw" << 0;
    }

    void parse()
    {
        QFETCH(QString, text);
        QString error;
        const auto uri = parseRedisUri(text, &error);
        QVERIFY2(uri.has_value(), qPrintable(error));
        QTEST(int(uri->scheme), "scheme");
        QTEST(uri->host, "host");
        QTEST(int(uri->port), "port");
        QTEST(uri->path, "path");
        QTEST(uri->user, "user");
        QTEST(uri->password, "password");
        QTEST(uri->db, "db");
    }

    void reject_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("empty") << ""
                               << "empty";
        QTest::newRow("scheme") << "http://h:80"
                                << "unsupported scheme";
        QTest::newRow("port") << "redis://h:99999"
                              << "";
        QTest::newRow("port text") << "redis://h:abc"
                                   << "";
        QTest::newRow("db") << "redis://h/x"
                            << "invalid database";
        QTest::newRow("negative db") << "redis://h/-1"
                                     << "invalid database";
        QTest::newRow("no host") << "redis://:6379"
                                 << "";
        QTest::newRow("relative unix") << "unix://relative.sock"
                                       << "";
        // A refused URI is quoted in the message, never with its password.
        QTest::newRow("bad port with password") << "redis://ops:s3cret-pw@h:99999"
                                                << "***";
        QTest::newRow("bad host with password") << "redis://:s3cret-pw@bad host:6379"
                                                << "***";
        QTest::newRow("bad db with password") << "redis://u:s3cret-pw@h:6379/x"
                                              << "***";
        QTest::newRow("bad scheme with password") << "http://u:s3cret-pw@h:80"
                                                  << "***";
        QTest::newRow("password with a slash") << "redis://:s3cret/pw@h:6379"
                                               << "";
        QTest::newRow("password with an at") << "redis://:s3cret@pw@h:99999"
                                             << "";
        // Found by fuzz_uri: a noncharacter read in raw printed percent-encoded, which Qt decodes
        // to U+FFFD, so the URI did not read back as it printed.
        QTest::newRow("noncharacter in the user") << QString::fromUcs4(U"redis://al\U0007FFFFice@h:6379") << "noncharacter";
        QTest::newRow("noncharacter in the password") << QString::fromUcs4(U"redis://u:s3cret\uFDD0@h:6379") << "noncharacter";
    }

    void reject()
    {
        QFETCH(QString, text);
        QFETCH(QString, mentions);
        QString error;
        QVERIFY(!parseRedisUri(text, &error).has_value());
        QVERIFY(!error.isEmpty());
        QVERIFY2(error.contains(mentions), qPrintable(error));
        QVERIFY2(!error.contains(QStringLiteral("s3cret")), qPrintable(error));
    }

    void displayHidesPassword()
    {
        const auto uri = parseRedisUri(QStringLiteral("redis://alice:topsecret@h:7000/2"));
        QVERIFY(uri);
        QCOMPARE(uri->toDisplayString(), QStringLiteral("redis://alice@h:7000/2"));
        QVERIFY(!uri->toDisplayString().contains(QStringLiteral("topsecret")));
        QCOMPARE(uri->toFullString(), QStringLiteral("redis://alice:topsecret@h:7000/2"));
        QCOMPARE(uri->address(), QStringLiteral("h:7000"));
        const auto roundTrip = parseRedisUri(uri->toFullString());
        QVERIFY(roundTrip);
        QCOMPARE(*roundTrip, *uri);
    }

    void displayUnixAndIpv6()
    {
        QCOMPARE(parseRedisUri(QStringLiteral("unix://:pw@/tmp/r.sock?db=2"))->toDisplayString(), QStringLiteral("unix:///tmp/r.sock?db=2"));
        QCOMPARE(parseRedisUri(QStringLiteral("redis://[::1]:6381"))->address(), QStringLiteral("[::1]:6381"));
    }

    // A socket path with an escaped control character or '%' prints escaped, so it reads back the
    // same (found by fuzz_uri: it printed the character raw, which does not parse).
    void unixPathRoundTrips()
    {
        for (const QString &text : {QStringLiteral("unix:///2db=%111"), QStringLiteral("unix:///tmp/a%25b.sock?db=1")}) {
            const auto uri = parseRedisUri(text);
            QVERIFY2(uri, qPrintable(text));
            const auto again = parseRedisUri(uri->toFullString());
            QVERIFY2(again, qPrintable(uri->toFullString()));
            QCOMPARE(again->path, uri->path);
            QCOMPARE(again->db, uri->db);
        }
        QCOMPARE(parseRedisUri(QStringLiteral("unix:///var/run/redis.sock"))->toDisplayString(), QStringLiteral("unix:///var/run/redis.sock"));
    }

    void environmentPassword()
    {
        qputenv("REDISCLI_AUTH", "fromenv");
        auto plain = *parseRedisUri(QStringLiteral("redis://h"));
        applyPasswordFromEnvironment(plain);
        QCOMPARE(plain.password, QStringLiteral("fromenv"));
        auto given = *parseRedisUri(QStringLiteral("redis://:mine@h"));
        applyPasswordFromEnvironment(given);
        QCOMPARE(given.password, QStringLiteral("mine"));
        qunsetenv("REDISCLI_AUTH");
    }
};

QTEST_APPLESS_MAIN(TestUri)
#include "tst_uri.moc"
