// The Redis client against real servers: commands, pipelining, pub/sub, timeouts, reconnects,
// AUTH and ACL, TLS, Unix sockets, and peers that speak garbage.
#include "redis/connection.h"
#include "redisfixture.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

using namespace vigil;
using namespace vigil::test;

namespace {

// Runs one command and waits for its reply.
Reply call(Connection &c, const QList<QByteArray> &argv, int timeoutMs = 5000)
{
    std::optional<Reply> reply;
    QObject context;
    c.command(argv, &context, [&](const Reply &r) { reply = r; });
    if (!QTest::qWaitFor([&] { return reply.has_value(); }, timeoutMs))
        return Reply::error("ERR test timed out waiting");
    return reply.value_or(Reply::error("ERR test timed out waiting"));
}

bool waitReady(Connection &c, int timeoutMs = 5000)
{
    return QTest::qWaitFor([&] { return c.isReady(); }, timeoutMs);
}

} // namespace

class TestConnection : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RedisFixture> m_redis;
    int m_plain = -1;

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString missing = RedisFixture::missing(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        m_redis = std::make_unique<RedisFixture>();
        m_plain = m_redis->startServer(QStringLiteral("plain"));
        QVERIFY2(m_plain >= 0, qPrintable(m_redis->error()));
    }

    void cleanupTestCase() { m_redis.reset(); }

    void commandsAndClientName()
    {
        Connection c(m_redis->options(m_plain));
        QSignalSpy ready(&c, &Connection::ready);
        c.open();
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() > 0, 5000);
        QCOMPARE(call(c, {"PING"}).string, QByteArray("PONG"));
        QCOMPARE(call(c, {"SET", "k", "v"}).string, QByteArray("OK"));
        QCOMPARE(call(c, {"GET", "k"}).string, QByteArray("v"));
        QVERIFY(call(c, {"GET", "missing"}).isNil());
        QCOMPARE(call(c, {"CLIENT", "GETNAME"}).string, QByteArray("vigil"));
        const Reply err = call(c, {"NOSUCHCOMMAND"});
        QVERIFY(err.isError());
        QVERIFY(!err.local);
        QVERIFY(c.isReady()); // an error reply does not hurt the connection
    }

    void pipeliningKeepsOrder()
    {
        Connection c(m_redis->options(m_plain));
        c.open();
        QVERIFY(waitReady(c));
        QList<qint64> results;
        QObject context;
        for (int i = 0; i < 5000; ++i)
            c.command({"INCR", "pipeline-counter"}, &context, [&](const Reply &r) { results << r.integer; });
        QTRY_COMPARE_WITH_TIMEOUT(results.size(), 5000, 10000);
        for (int i = 0; i < results.size(); ++i)
            QCOMPARE(results[i], qint64(i + 1));
    }

    void commandsQueuedWhileConnecting()
    {
        Connection c(m_redis->options(m_plain));
        std::optional<Reply> reply;
        QObject context;
        c.open();
        QCOMPARE(c.state(), Connection::State::Connecting);
        c.command({"ECHO", "early"}, &context, [&](const Reply &r) { reply = r; });
        QTRY_VERIFY(reply.has_value());
        QCOMPARE(reply->string, QByteArray("early"));
    }

    void callbackDroppedWhenContextDies()
    {
        Connection c(m_redis->options(m_plain));
        c.open();
        QVERIFY(waitReady(c));
        int calls = 0;
        auto *context = new QObject;
        c.command({"PING"}, context, [&](const Reply &) { ++calls; });
        delete context;
        QCOMPARE(call(c, {"PING"}).string, QByteArray("PONG")); // the reply to the first went nowhere
        QCOMPARE(calls, 0);
    }

    void keepAliveMeasuresRoundTrip()
    {
        ConnectionOptions o = m_redis->options(m_plain);
        o.keepAliveIntervalMs = 100;
        Connection c(o);
        QSignalSpy rtt(&c, &Connection::roundTrip);
        c.open();
        QTRY_VERIFY_WITH_TIMEOUT(rtt.count() > 0, 3000);
        const qint64 us = rtt.first().first().toLongLong();
        QVERIFY2(us > 0 && us < 200'000, qPrintable(QString::number(us)));
        QCOMPARE(c.lastRoundTripUs(), rtt.last().first().toLongLong());
    }

    void refusedIsReported()
    {
        ConnectionOptions o;
        o.uri.port = m_redis->topology().freePort(); // nothing listens there
        o.autoReconnect = false;
        Connection c(o);
        QSignalSpy down(&c, &Connection::disconnected);
        c.open();
        QTRY_VERIFY_WITH_TIMEOUT(down.count() > 0, 5000);
        QCOMPARE(down.first().at(0).value<ErrorKind>(), ErrorKind::Refused);
        QVERIFY(down.first().at(1).toString().contains(QStringLiteral("refused")));
        const Reply r = call(c, {"PING"});
        QVERIFY(r.isError() && r.local);
    }

    void hungServerTimesOut()
    {
        const int hung = m_redis->startServer(QStringLiteral("hung"));
        QVERIFY(hung >= 0);
        ConnectionOptions o = m_redis->options(hung);
        o.keepAliveIntervalMs = 1000;
        o.keepAliveTimeoutMs = 1500;
        o.autoReconnect = false;
        Connection c(o);
        QSignalSpy down(&c, &Connection::disconnected);
        c.open();
        QVERIFY(waitReady(c));
        std::optional<Reply> pending;
        QObject context;
        m_redis->topology().suspend(hung);
        QElapsedTimer clock;
        clock.start();
        c.command(
            {"PING"}, &context, [&](const Reply &r) { pending = r; }, 800);
        QTRY_VERIFY_WITH_TIMEOUT(down.count() > 0, 5000);
        const qint64 took = clock.elapsed();
        m_redis->topology().resume(hung);
        QCOMPARE(down.first().at(0).value<ErrorKind>(), ErrorKind::Timeout);
        QVERIFY(down.first().at(1).toString().contains(QStringLiteral("hung")));
        // The command's own 800 ms timeout fired, not the 1.5 s keep-alive one.
        QVERIFY2(took >= 750 && took < 1400, qPrintable(QString::number(took)));
        QVERIFY(pending.has_value() && pending->isError() && pending->local);

        // Without commands, the keep-alive alone finds the hang within interval + timeout.
        c.open();
        QVERIFY(waitReady(c));
        down.clear();
        m_redis->topology().suspend(hung);
        clock.restart();
        QTRY_VERIFY_WITH_TIMEOUT(down.count() > 0, 5000);
        m_redis->topology().resume(hung);
        QVERIFY2(clock.elapsed() <= 2700, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(down.first().at(0).value<ErrorKind>(), ErrorKind::Timeout);
    }

    // A command unanswered across a cut link is reported failed; it must not reach the server once
    // the link heals (the kernel would go on resending it, at growing gaps, for minutes).
    void commandUnansweredAcrossACutNeverArrives()
    {
        NetworkLab lab;
        if (!lab.missing().isEmpty())
            QSKIP(qPrintable(lab.missing()));
        const int far = m_redis->topology().addServer(QStringLiteral("far"));
        m_redis->topology().placeInNamespace(far, lab.netns(), lab.inside());
        QString error;
        QVERIFY2(m_redis->topology().start(far, &error) && m_redis->waitReady(far), qPrintable(error));
        ConnectionOptions o = m_redis->options(far);
        o.autoReconnect = false;
        o.keepAliveIntervalMs = 0;
        o.commandTimeoutMs = 500;
        Connection c(o);
        c.open();
        QVERIFY(waitReady(c));
        QVERIFY(lab.partition());
        const Reply lost = call(c, {"SET", "withdrawn", "1"});
        QVERIFY(lost.isError() && lost.local);
        QVERIFY(lab.heal());
        // The kernel's next resend would come within a second or so of healing.
        QTest::qWait(3000);
        QVERIFY(m_redis->command(far, {"GET", "withdrawn"}).isNil());
        QCOMPARE(m_redis->command(far, {"SET", "withdrawn", "later"}).string, QByteArray("OK"));
        m_redis->topology().kill(far);
    }

    void reconnectRestoresSubscriptions()
    {
        const int node = m_redis->startServer(QStringLiteral("restarting"));
        QVERIFY(node >= 0);
        Connection sub(m_redis->options(node));
        QSignalSpy messages(&sub, &Connection::message);
        QSignalSpy ready(&sub, &Connection::ready);
        QSignalSpy down(&sub, &Connection::disconnected);
        sub.subscribe({"heartbeat"});
        sub.psubscribe({"heartbeat:*"});
        sub.open();
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() > 0, 5000);

        Connection pub(m_redis->options(node));
        pub.open();
        QVERIFY(waitReady(pub));
        auto publishUntilDelivered = [&](const QByteArray &channel, const QByteArray &payload) {
            return QTest::qWaitFor(
                [&] {
                    if (!pub.isReady())
                        return false;
                    const Reply n = call(pub, {"PUBLISH", channel, payload});
                    return n.isInteger() && n.integer > 0 && messages.count() > 0;
                },
                10000);
        };
        QVERIFY(publishUntilDelivered("heartbeat", "alive"));
        QCOMPARE(messages.first().at(0).toByteArray(), QByteArray("heartbeat"));
        QCOMPARE(messages.first().at(1).toByteArray(), QByteArray());
        QCOMPARE(messages.first().at(2).toByteArray(), QByteArray("alive"));
        messages.clear();
        QVERIFY(publishUntilDelivered("heartbeat:api-1", "{\"seq\":1}"));
        QCOMPARE(messages.first().at(0).toByteArray(), QByteArray("heartbeat:api-1"));
        QCOMPARE(messages.first().at(1).toByteArray(), QByteArray("heartbeat:*"));

        // Keep-alive PING works in subscribed mode too.
        QSignalSpy rtt(&sub, &Connection::roundTrip);
        QTRY_VERIFY_WITH_TIMEOUT(rtt.count() > 0, 3000);

        QVERIFY(m_redis->restart(node));
        // The close, then possibly the refusal of the immediate reconnect while the server restarts.
        QTRY_VERIFY_WITH_TIMEOUT(down.count() >= 1, 5000);
        QCOMPARE(down.first().at(0).value<ErrorKind>(), ErrorKind::Closed);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 2, 10000);
        messages.clear();
        QVERIFY(publishUntilDelivered("heartbeat:api-2", "after restart"));
        QCOMPARE(messages.first().at(2).toByteArray(), QByteArray("after restart"));

        sub.unsubscribe({"heartbeat"});
        sub.punsubscribe({"heartbeat:*"});
        QVERIFY(sub.channels().isEmpty() && sub.patterns().isEmpty());
        QTRY_COMPARE(call(pub, {"PUBLISH", "heartbeat", "x"}).integer, 0);
    }

    void authAndAcl()
    {
        const int secured = m_redis->startServer(QStringLiteral("secured"),
                                                 {
                                                     QStringLiteral("requirepass defaultpw"),
                                                     QStringLiteral("user alice on >alicepw ~* &* +@all"),
                                                     QStringLiteral("user watcher on >watchpw ~* &* -@all +ping +client|setname +hello"),
                                                 });
        QVERIFY2(secured >= 0, qPrintable(m_redis->error()));

        auto withUri = [&](const QString &user, const QString &password) {
            ConnectionOptions o = m_redis->options(secured);
            o.uri.user = user;
            o.uri.password = password;
            o.autoReconnect = false;
            return o;
        };

        { // default user with requirepass
            Connection c(withUri({}, QStringLiteral("defaultpw")));
            c.open();
            QVERIFY(waitReady(c));
            QCOMPARE(call(c, {"PING"}).string, QByteArray("PONG"));
        }
        { // ACL user
            Connection c(withUri(QStringLiteral("alice"), QStringLiteral("alicepw")));
            c.open();
            QVERIFY(waitReady(c));
            QCOMPARE(call(c, {"ACL", "WHOAMI"}).string, QByteArray("alice"));
        }
        { // wrong password
            Connection c(withUri(QStringLiteral("alice"), QStringLiteral("nope")));
            QSignalSpy auth(&c, &Connection::authFailed);
            QSignalSpy down(&c, &Connection::disconnected);
            c.open();
            QTRY_VERIFY_WITH_TIMEOUT(auth.count() > 0, 5000);
            QCOMPARE(auth.first().at(0).value<ErrorKind>(), ErrorKind::WrongPass);
            QVERIFY(auth.first().at(1).toString().contains(QStringLiteral("WRONGPASS")));
            QVERIFY(!auth.first().at(1).toString().contains(QStringLiteral("nope")));
            QTRY_COMPARE(down.count(), 1);
            QVERIFY(!c.isReady());
        }
        { // no password at all
            Connection c(withUri({}, {}));
            QSignalSpy auth(&c, &Connection::authFailed);
            c.open();
            QTRY_VERIFY_WITH_TIMEOUT(auth.count() > 0, 5000);
            QCOMPARE(auth.first().at(0).value<ErrorKind>(), ErrorKind::NoAuth);
        }
        { // NOPERM names the command
            Connection c(withUri(QStringLiteral("watcher"), QStringLiteral("watchpw")));
            c.open();
            QVERIFY(waitReady(c));
            QCOMPARE(call(c, {"PING"}).string, QByteArray("PONG"));
            const Reply r = call(c, {"INFO", "replication"});
            QVERIFY(r.isError());
            QCOMPARE(classifyServerError(r.string), ErrorKind::NoPerm);
            QVERIFY2(r.string.contains("'info'"), r.string.constData());
            QVERIFY(c.isReady());
        }
    }

    void replicaErrors()
    {
        const int master = m_redis->startServer(QStringLiteral("err-master"));
        QVERIFY(master >= 0);
        const int replica = m_redis->startReplica(QStringLiteral("err-replica"), master, {QStringLiteral("replica-serve-stale-data no")});
        QVERIFY2(replica >= 0, qPrintable(m_redis->error()));
        Connection c(m_redis->options(replica));
        c.open();
        QVERIFY(waitReady(c));
        QTRY_VERIFY_WITH_TIMEOUT(call(c, {"INFO", "replication"}).string.contains("master_link_status:up"), 10000);
        const Reply readOnly = call(c, {"SET", "k", "v"});
        QCOMPARE(classifyServerError(readOnly.string), ErrorKind::ReadOnly);

        m_redis->topology().kill(master);
        QTRY_VERIFY_WITH_TIMEOUT(call(c, {"GET", "k"}).isError(), 10000);
        const Reply down = call(c, {"GET", "k"});
        QCOMPARE(classifyServerError(down.string), ErrorKind::MasterDown);
        QVERIFY(c.isReady()); // errors, not disconnects
    }

    void unixSocket()
    {
        const int node = m_redis->startUnixServer(QStringLiteral("unix"));
        QVERIFY2(node >= 0, qPrintable(m_redis->error()));
        ConnectionOptions o;
        o.uri = *parseRedisUri(QStringLiteral("unix://") + m_redis->topology().node(node).unixSocket);
        Connection c(o);
        c.open();
        QVERIFY(waitReady(c));
        QCOMPARE(call(c, {"ECHO", "over unix"}).string, QByteArray("over unix"));

        ConnectionOptions missing;
        missing.uri = *parseRedisUri(QStringLiteral("unix:///nonexistent/redis.sock"));
        missing.autoReconnect = false;
        Connection m(missing);
        QSignalSpy down(&m, &Connection::disconnected);
        m.open();
        QTRY_COMPARE_WITH_TIMEOUT(down.count(), 1, 3000);
        QCOMPARE(down.first().at(0).value<ErrorKind>(), ErrorKind::Refused);
    }

    void tls()
    {
        const int node = m_redis->startTlsServer(QStringLiteral("tls"), false);
        QVERIFY2(node >= 0, qPrintable(m_redis->error()));
        const Certificates &certs = m_redis->certificates();
        ConnectionOptions o = m_redis->options(node);
        QVERIFY(o.uri.isTls());
        o.autoReconnect = false;

        { // verified against our CA
            ConnectionOptions ok = o;
            ok.tls.caFile = certs.caCert;
            Connection c(ok);
            c.open();
            QVERIFY(waitReady(c));
            QCOMPARE(call(c, {"PING"}).string, QByteArray("PONG"));
        }
        { // a CA that did not sign the server's certificate
            ConnectionOptions bad = o;
            bad.tls.caFile = certs.otherCaCert;
            Connection c(bad);
            QSignalSpy down(&c, &Connection::disconnected);
            c.open();
            QTRY_VERIFY_WITH_TIMEOUT(down.count() > 0, 5000);
            QCOMPARE(down.first().at(0).value<ErrorKind>(), ErrorKind::Tls);
            QVERIFY2(down.first().at(1).toString().contains(QStringLiteral("verification")), qPrintable(down.first().at(1).toString()));
        }
        { // wrong name, verification on
            ConnectionOptions name = o;
            name.tls.caFile = certs.caCert;
            name.tls.serverName = QStringLiteral("redis.example.com");
            Connection c(name);
            QSignalSpy down(&c, &Connection::disconnected);
            c.open();
            QTRY_VERIFY_WITH_TIMEOUT(down.count() > 0, 5000);
            QCOMPARE(down.first().at(0).value<ErrorKind>(), ErrorKind::Tls);
        }
        { // --tls-insecure accepts it
            ConnectionOptions insecure = o;
            insecure.tls.caFile = certs.otherCaCert;
            insecure.tls.insecure = true;
            Connection c(insecure);
            c.open();
            QVERIFY(waitReady(c));
        }
    }

    void tlsClientCertificate()
    {
        const int node = m_redis->startTlsServer(QStringLiteral("mtls"), true);
        QVERIFY2(node >= 0, qPrintable(m_redis->error()));
        const Certificates &certs = m_redis->certificates();
        ConnectionOptions o = m_redis->options(node);
        o.autoReconnect = false;
        o.tls.caFile = certs.caCert;
        {
            ConnectionOptions without = o;
            Connection c(without);
            QSignalSpy down(&c, &Connection::disconnected);
            c.open();
            QTRY_VERIFY_WITH_TIMEOUT(down.count() > 0, 5000);
            QVERIFY(!c.isReady());
        }
        o.tls.certFile = certs.clientCert;
        o.tls.keyFile = certs.clientKey;
        Connection c(o);
        c.open();
        QVERIFY(waitReady(c));
        QCOMPARE(call(c, {"PING"}).string, QByteArray("PONG"));
    }

    void garbagePeerResetsConnection()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        int accepted = 0;
        connect(&server, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *peer = server.nextPendingConnection()) {
                ++accepted;
                peer->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
                peer->flush();
            }
        });
        ConnectionOptions o;
        o.uri.port = server.serverPort();
        o.reconnectMinMs = 50;
        o.reconnectMaxMs = 100;
        Connection c(o);
        QSignalSpy down(&c, &Connection::disconnected);
        c.open();
        QTRY_VERIFY_WITH_TIMEOUT(down.count() > 0, 5000);
        QCOMPARE(down.first().at(0).value<ErrorKind>(), ErrorKind::Protocol);
        QVERIFY(down.first().at(1).toString().contains(QStringLiteral("protocol error")));
        // It keeps trying, calmly, and never crashes.
        QTRY_VERIFY(accepted >= 2);
        c.close();
    }

    // Deliveries are read in place from the connection's buffer; every other reply is decoded. A
    // stream of both kinds, cut at every byte (the first piece, then the rest 5 ms later), gives
    // the same deliveries, to the push sink and to the message signal alike, and no error.
    void deliveriesSplitAtEveryByte()
    {
        struct Delivery
        {
            QByteArray channel, pattern, payload;
            bool operator==(const Delivery &) const = default;
        };
        auto bulk = [](const QByteArray &b) -> QByteArray { return "$" + QByteArray::number(b.size()) + "\r\n" + b + "\r\n"; };
        QByteArray stream;
        QList<Delivery> expected;
        auto message = [&](const QByteArray &channel, const QByteArray &payload) {
            stream += "*3\r\n" + bulk("message") + bulk(channel) + bulk(payload);
            expected << Delivery{channel, {}, payload};
        };
        auto pmessage = [&](const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload) {
            stream += "*4\r\n" + bulk("pmessage") + bulk(pattern) + bulk(channel) + bulk(payload);
            expected << Delivery{channel, pattern, payload};
        };
        message("heartbeat", "alive");
        pmessage("heartbeat:*", "heartbeat:n1", R"({"node":"n1","seq":1})");
        message("heartbeat", "");
        pmessage("heartbeat:*", "heartbeat:n2", QByteArray("*3\r\n$7\r\nmessage\r\n\0\xff", 19)); // a frame's bytes as payload
        stream += "*3\r\n" + bulk("subscribe") + bulk("other") + ":2\r\n";                        // a confirmation between them
        message("other", "x");
        const qsizetype small = stream.size();
        message("other", QByteArray(200 * 1024, 'b')); // larger than one read
        message("heartbeat", "last");

        QList<qsizetype> cuts;
        for (qsizetype cut = 0; cut <= small; ++cut)
            cuts << cut;
        cuts << small + 10 << small + 64 * 1024 << small + 150 * 1024 << stream.size() - 3;
        for (qsizetype cut : std::as_const(cuts)) {
            QTcpServer server;
            QVERIFY(server.listen(QHostAddress::LocalHost, 0));
            ReplyDecoder commands;
            connect(&server, &QTcpServer::newConnection, this, [&] {
                QTcpSocket *peer = server.nextPendingConnection();
                connect(peer, &QTcpSocket::readyRead, peer, [&, peer] {
                    commands.feed(peer->readAll());
                    Reply command;
                    while (commands.next(&command) == ReplyDecoder::Status::Ok) {
                        if (command.elements.empty() || command.elements[0].string.toUpper() != "PSUBSCRIBE") {
                            peer->write("+OK\r\n");
                            continue;
                        }
                        peer->write("*3\r\n" + bulk("psubscribe") + bulk("heartbeat:*") + ":1\r\n" + stream.left(cut));
                        peer->flush();
                        QTimer::singleShot(5, peer, [peer, rest = stream.mid(cut)] { peer->write(rest); });
                    }
                });
            });
            ConnectionOptions o;
            o.uri.port = server.serverPort();
            o.keepAliveIntervalMs = 0;
            o.autoReconnect = false;
            Connection c(o);
            QList<Delivery> got;
            if (cut % 2 == 0)
                c.setPushSink([&got](const PushMessage &m) {
                    got << Delivery{m.channel.toByteArray(), m.pattern.toByteArray(), m.payload.toByteArray()};
                });
            else
                connect(&c, &Connection::message, this, [&got](const QByteArray &channel, const QByteArray &pattern, const QByteArray &payload) {
                    got << Delivery{channel, pattern, payload};
                });
            QSignalSpy down(&c, &Connection::disconnected);
            c.psubscribe({"heartbeat:*"});
            c.open();
            QVERIFY2(QTest::qWaitFor([&] { return got.size() >= expected.size() || !down.isEmpty(); }, 5000), qPrintable(QString::number(cut)));
            QVERIFY2(down.isEmpty(), qPrintable(down.isEmpty() ? QString() : down.first().at(1).toString()));
            QVERIFY2(got == expected, qPrintable(QStringLiteral("cut at %1: %2 deliveries").arg(cut).arg(got.size())));
            c.close();
        }
    }

    void silentPeerTimesOutTheHandshake()
    {
        QTcpServer server; // accepts, never answers
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        ConnectionOptions o;
        o.uri.port = server.serverPort();
        o.connectTimeoutMs = 500;
        o.autoReconnect = false;
        Connection c(o);
        QSignalSpy down(&c, &Connection::disconnected);
        QElapsedTimer clock;
        clock.start();
        c.open();
        QTRY_VERIFY_WITH_TIMEOUT(down.count() > 0, 3000);
        QCOMPARE(down.first().at(0).value<ErrorKind>(), ErrorKind::Timeout);
        QVERIFY(clock.elapsed() < 1500);
    }

    // A busy event loop (a GUI discovering hundreds of servers) that serves the connect timer
    // after the server has answered does not make the answer a timeout.
    void stalledEventLoopIsNoTimeout()
    {
        ConnectionOptions o = m_redis->options(m_plain);
        o.connectTimeoutMs = 300;
        o.autoReconnect = false;
        Connection c(o);
        QSignalSpy down(&c, &Connection::disconnected);
        c.open();
        QThread::msleep(800); // nothing else runs meanwhile: connected and answered, unread
        QTRY_VERIFY_WITH_TIMEOUT(c.isReady() || down.count() > 0, 3000);
        QVERIFY2(down.isEmpty(), down.isEmpty() ? "" : qPrintable(down.first().at(1).toString()));
        QCOMPARE(call(c, {"PING"}).string, QByteArray("PONG"));
    }

    void killedServerIsSeenAtOnce()
    {
        const int node = m_redis->startServer(QStringLiteral("victim"));
        QVERIFY(node >= 0);
        Connection c(m_redis->options(node));
        QSignalSpy down(&c, &Connection::disconnected);
        c.open();
        QVERIFY(waitReady(c));
        QElapsedTimer clock;
        clock.start();
        m_redis->topology().kill(node);
        QTRY_VERIFY_WITH_TIMEOUT(down.count() > 0, 2000);
        QVERIFY2(clock.elapsed() < 100, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(down.first().at(0).value<ErrorKind>(), ErrorKind::Closed);
    }
};

QTEST_GUILESS_MAIN(TestConnection)
#include "tst_connection.moc"
