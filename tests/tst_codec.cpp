// The RESP codec: every reply shape, split at every byte boundary, and garbage.
#include "redis/codec.h"
#include "redis/errors.h"

#include <QTest>

using namespace vigil;

namespace {

QList<Reply> decodeAll(const QByteArray &wire, const QList<int> &cuts, bool *protocolError = nullptr)
{
    ReplyDecoder decoder;
    QList<Reply> replies;
    int from = 0;
    QList<int> bounds = cuts;
    bounds << int(wire.size());
    for (int to : bounds) {
        decoder.feed(wire.mid(from, to - from));
        from = to;
        Reply r;
        for (;;) {
            const auto status = decoder.next(&r);
            if (status == ReplyDecoder::Status::Ok) {
                replies << r;
                continue;
            }
            if (status == ReplyDecoder::Status::ProtocolError && protocolError)
                *protocolError = true;
            break;
        }
    }
    return replies;
}

} // namespace

class TestCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shapes_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("status") << QByteArray("+OK\r\n");
        QTest::newRow("error") << QByteArray("-WRONGPASS invalid username-password pair\r\n");
        QTest::newRow("integer") << QByteArray(":-42\r\n");
        QTest::newRow("bulk") << QByteArray("$5\r\nhello\r\n");
        QTest::newRow("empty bulk") << QByteArray("$0\r\n\r\n");
        QTest::newRow("nil bulk") << QByteArray("$-1\r\n");
        QTest::newRow("nil array") << QByteArray("*-1\r\n");
        QTest::newRow("empty array") << QByteArray("*0\r\n");
        QTest::newRow("binary bulk") << QByteArray(QByteArray("$4\r\n") + QByteArray("\r\n\0\xff", 4) + QByteArray("\r\n"));
        QTest::newRow("message") << QByteArray("*3\r\n$7\r\nmessage\r\n$9\r\nheartbeat\r\n$5\r\nalive\r\n");
        QTest::newRow("role master") << QByteArray("*3\r\n$6\r\nmaster\r\n:3129659\r\n*2\r\n*3\r\n$9\r\n127.0.0.1\r\n$4\r\n9001\r\n$7\r\n3129242\r\n"
                                                   "*3\r\n$9\r\n127.0.0.1\r\n$4\r\n9002\r\n$7\r\n3129543\r\n");
    }

    void shapes()
    {
        QFETCH(QByteArray, wire);
        const QList<Reply> whole = decodeAll(wire, {});
        QCOMPARE(whole.size(), 1);
        // Every split point, and byte by byte, must give the same reply.
        for (int cut = 1; cut < wire.size(); ++cut) {
            const QList<Reply> split = decodeAll(wire, {cut});
            QCOMPARE(split.size(), 1);
            QCOMPARE(int(split.first().type), int(whole.first().type));
            QCOMPARE(split.first().string, whole.first().string);
            QCOMPARE(split.first().elements.size(), whole.first().elements.size());
        }
        QList<int> every;
        for (int i = 1; i < wire.size(); ++i)
            every << i;
        QCOMPARE(decodeAll(wire, every).size(), 1);
    }

    // The scanner that frames replies for the connection finds each shape's end exactly where the
    // decoder does, resumed byte by byte or scanned at once, and nothing before it.
    void scanFindsTheEnd_data() { shapes_data(); }

    void scanFindsTheEnd()
    {
        QFETCH(QByteArray, wire);
        const QByteArray two = wire + wire; // the second reply is not part of the first
        QCOMPARE(scanReply(two.constData(), two.size(), {}).length, wire.size());
        ReplyScanner scanner;
        for (qsizetype n = 0; n < wire.size(); ++n) {
            const ReplyScan scan = scanner.scan(wire.constData(), n);
            QVERIFY2(scan.length == 0 && scan.error.isEmpty(), qPrintable(QString::number(n)));
        }
        QCOMPARE(scanner.scan(two.constData(), two.size()).length, wire.size());
        QVERIFY(scanner.isIdle());
    }

    // What the connection reads in place: message and pmessage frames of bulk strings, with the
    // parts the decoder finds; anything else is left to the decoder.
    void pushInPlace()
    {
        const QByteArray message("*3\r\n$7\r\nmessage\r\n$9\r\nheartbeat\r\n$5\r\nalive\r\n");
        const QByteArray pmessage("*4\r\n$8\r\npmessage\r\n$11\r\nheartbeat:*\r\n$12\r\nheartbeat:n1\r\n$0\r\n\r\n");
        for (const QByteArray &wire : {message, pmessage}) {
            const QList<Reply> decoded = decodeAll(wire, {});
            QCOMPARE(decoded.size(), 1);
            const Reply &r = decoded.first();
            const bool pattern = r.elements.size() == 4;
            PushMessage push;
            QCOMPARE(scanPushMessage(wire.constData(), wire.size(), {}, &push), wire.size());
            QCOMPARE(push.channel, QByteArrayView(r.elements[pattern ? 2 : 1].string));
            QCOMPARE(push.pattern, pattern ? QByteArrayView(r.elements[1].string) : QByteArrayView());
            QCOMPARE(push.payload, QByteArrayView(r.elements.back().string));
            for (qsizetype n = 0; n < wire.size(); ++n)
                QCOMPARE(scanPushMessage(wire.constData(), n, {}, &push), 0);
        }
        PushMessage push;
        for (const QByteArray &other :
             {QByteArray("*3\r\n$9\r\nsubscribe\r\n$9\r\nheartbeat\r\n:1\r\n"), QByteArray("+PONG\r\n"), QByteArray("*2\r\n$4\r\npong\r\n$0\r\n\r\n"),
              QByteArray("*3\r\n$7\r\nmessage\r\n:1\r\n:2\r\n"), QByteArray("*3\r\n$7\r\nmessage\r\n$-1\r\n$1\r\nx\r\n"), QByteArray("-ERR no\r\n"),
              QByteArray("*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$01\r\nx\r\n"), QByteArray("*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$-0\r\n\r\n")})
            QCOMPARE(scanPushMessage(other.constData(), other.size(), {}, &push), -1);
        // Over the limits, a delivery is the decoder's to refuse.
        ReplyLimits small;
        small.maxBytes = 16;
        QCOMPARE(scanPushMessage(message.constData(), message.size(), small, &push), -1);
    }

    // Arrays within arrays: the scanner refuses exactly where the decoder does.
    void nestingAsDeepAsTheDecoder()
    {
        for (int depth = 1; depth <= 10; ++depth) {
            QByteArray wire;
            for (int i = 0; i < depth; ++i)
                wire += "*1\r\n";
            wire += ":1\r\n";
            ReplyDecoder decoder;
            decoder.feed(wire);
            Reply reply;
            const bool decoded = decoder.next(&reply) == ReplyDecoder::Status::Ok;
            const ReplyScan scan = scanReply(wire.constData(), wire.size(), {});
            QCOMPARE(scan.length == wire.size(), decoded);
            QCOMPARE(scan.error.isEmpty(), decoded);
        }
    }

    // A line that never ends, arriving a piece at a time, is searched once, not once per piece.
    void longLineResumed()
    {
        QByteArray wire = "+" + QByteArray(1 << 20, 'x');
        ReplyScanner scanner;
        for (qsizetype n = 1; n <= wire.size(); n += 4096)
            QCOMPARE(scanner.scan(wire.constData(), n).length, 0);
        wire += "\r";
        QCOMPARE(scanner.scan(wire.constData(), wire.size()).length, 0);
        wire += "\n";
        QCOMPARE(scanner.scan(wire.constData(), wire.size()).length, wire.size());
    }

    void values()
    {
        const QList<Reply> r = decodeAll("+OK\r\n-ERR bad thing\r\n:7\r\n$-1\r\n*2\r\n*1\r\n:1\r\n$3\r\nabc\r\n", {});
        QCOMPARE(r.size(), 5);
        QVERIFY(r[0].isString());
        QCOMPARE(r[0].string, QByteArray("OK"));
        QVERIFY(r[1].isError());
        QVERIFY(!r[1].local);
        QCOMPARE(r[1].errorCode(), QByteArray("ERR"));
        QCOMPARE(r[2].integer, 7);
        QVERIFY(r[3].isNil());
        QVERIFY(r[4].isArray());
        QCOMPARE(r[4].elements.size(), size_t(2));
        QVERIFY(r[4].elements[0].isArray());
        QCOMPARE(r[4].elements[0].elements[0].integer, 1);
        QCOMPARE(r[4].elements[1].string, QByteArray("abc"));
    }

    void nested()
    {
        // Seven levels of arrays: hiredis 0.14 supports up to that depth.
        QByteArray wire;
        for (int i = 0; i < 7; ++i)
            wire += "*2\r\n:" + QByteArray::number(i) + "\r\n";
        wire += "$4\r\nleaf\r\n";
        const QList<Reply> r = decodeAll(wire, {3, 10, 17});
        QCOMPARE(r.size(), 1);
        const Reply *node = &r.first();
        for (int i = 0; i < 7; ++i) {
            QVERIFY(node->isArray());
            QCOMPARE(node->elements[0].integer, i);
            node = &node->elements[1];
        }
        QCOMPARE(node->string, QByteArray("leaf"));
    }

    void largeBulk()
    {
        const QByteArray payload(8 * 1024 * 1024, 'x');
        const QByteArray wire = "$" + QByteArray::number(payload.size()) + "\r\n" + payload + "\r\n+after\r\n";
        QList<int> cuts;
        for (int at = 4096; at < wire.size(); at += 65536)
            cuts << at;
        const QList<Reply> r = decodeAll(wire, cuts);
        QCOMPARE(r.size(), 2);
        QCOMPARE(r[0].string.size(), payload.size());
        QCOMPARE(r[0].string, payload);
        QCOMPARE(r[1].string, QByteArray("after"));
    }

    void manyPipelined()
    {
        QByteArray wire;
        for (int i = 0; i < 10000; ++i)
            wire += ":" + QByteArray::number(i) + "\r\n";
        const QList<Reply> r = decodeAll(wire, {1, 77, 5000});
        QCOMPARE(r.size(), 10000);
        for (int i = 0; i < r.size(); ++i)
            QCOMPARE(r[i].integer, i);
    }

    void garbage_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("http") << QByteArray("HTTP/1.1 400 Bad Request\r\n\r\n");
        QTest::newRow("bad type") << QByteArray("?what\r\n");
        QTest::newRow("bad length") << QByteArray("$abc\r\nxyz\r\n");
        QTest::newRow("bad integer") << QByteArray(":12x\r\n");
        // Lengths hiredis refuses, so the scanner must too.
        QTest::newRow("leading zero") << QByteArray("$04\r\nabcd\r\n");
        QTest::newRow("negative zero") << QByteArray("$-0\r\n\r\n");
        QTest::newRow("leading zero count") << QByteArray("*01\r\n:1\r\n");
    }

    void garbage()
    {
        QFETCH(QByteArray, wire);
        // The scanner refuses it, or finds an end whose bytes the decoder refuses.
        const ReplyScan scan = scanReply(wire.constData(), wire.size(), {});
        if (scan.error.isEmpty()) {
            QVERIFY(scan.length > 0);
            ReplyDecoder one;
            one.feed(wire.left(scan.length));
            Reply r;
            QCOMPARE(one.next(&r), ReplyDecoder::Status::ProtocolError);
        }
        bool protocolError = false;
        const QList<Reply> r = decodeAll(wire, {1}, &protocolError);
        QVERIFY(r.isEmpty());
        QVERIFY(protocolError);
        // A decoder can be reset and used again after a protocol error.
        ReplyDecoder decoder;
        decoder.feed(wire);
        Reply reply;
        QCOMPARE(decoder.next(&reply), ReplyDecoder::Status::ProtocolError);
        QVERIFY(!decoder.errorString().isEmpty());
        decoder.reset();
        decoder.feed(QByteArray("+PONG\r\n"));
        QCOMPARE(decoder.next(&reply), ReplyDecoder::Status::Ok);
        QCOMPARE(reply.string, QByteArray("PONG"));
    }

    void errorKinds_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<int>("kind");
        QTest::newRow("noauth") << QByteArray("NOAUTH Authentication required.") << int(ErrorKind::NoAuth);
        QTest::newRow("wrongpass") << QByteArray("WRONGPASS invalid username-password pair or user is disabled.") << int(ErrorKind::WrongPass);
        QTest::newRow("old invalid password") << QByteArray("ERR invalid password") << int(ErrorKind::WrongPass);
        QTest::newRow("noperm") << QByteArray("NOPERM this user has no permissions to run the 'info' command") << int(ErrorKind::NoPerm);
        QTest::newRow("loading") << QByteArray("LOADING Redis is loading the dataset in memory") << int(ErrorKind::Loading);
        QTest::newRow("masterdown") << QByteArray("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.")
                                    << int(ErrorKind::MasterDown);
        QTest::newRow("readonly") << QByteArray("READONLY You can't write against a read only replica.") << int(ErrorKind::ReadOnly);
        QTest::newRow("other") << QByteArray("ERR unknown command 'FOO'") << int(ErrorKind::Server);
        QTest::newRow("bare code") << QByteArray("LOADING") << int(ErrorKind::Loading);
    }

    void errorKinds()
    {
        QFETCH(QByteArray, message);
        QFETCH(int, kind);
        QCOMPARE(int(classifyServerError(message)), kind);
        QVERIFY(!errorKindName(ErrorKind(kind)).isEmpty());
    }

    // What a reply announces is refused before it is allocated or buffered: a 13-byte reply
    // announcing 2^31 elements once aborted the process, 50 million drove it to 14 GB.
    void limits_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<QString>("why");
        QTest::newRow("2^31 elements") << QByteArray("*2147483647\r\n") << QStringLiteral("elements");
        QTest::newRow("50 million elements") << QByteArray("*50000000\r\n") << QStringLiteral("elements");
        QTest::newRow("nested elements over the total") << QByteArray("*2\r\n*1\r\n*9999999\r\n") << QStringLiteral("elements");
        QTest::newRow("element slots over the bytes") << QByteArray("*1000000\r\n") << QStringLiteral("bytes");
        QTest::newRow("bulk announced too long") << QByteArray("$600000000\r\nabc") << QStringLiteral("bytes");
        QTest::newRow("bulk inside an array") << QByteArray("*2\r\n$3\r\nabc\r\n$999999999\r\n") << QStringLiteral("bytes");
    }

    void limits()
    {
        QFETCH(QByteArray, wire);
        QFETCH(QString, why);
        ReplyLimits limits;
        limits.maxBytes = 16 << 20;
        limits.maxElements = 10'000'000;
        ReplyDecoder decoder(limits);
        QVERIFY(decoder.feed(wire));
        Reply reply;
        QCOMPARE(decoder.next(&reply), ReplyDecoder::Status::ProtocolError);
        QVERIFY2(decoder.errorString().contains(why), qPrintable(decoder.errorString()));
        QVERIFY2(decoder.errorString().contains(QStringLiteral("allowed")), qPrintable(decoder.errorString()));
        // The scanner refuses what it announces too, before its bytes arrive.
        const ReplyScan scan = ReplyScanner(limits).scan(wire.constData(), wire.size());
        QVERIFY2(scan.error.contains(QStringLiteral("allowed")), qPrintable(scan.error));
        // The limits hold for the reply being decoded, not for what came before.
        decoder.reset();
        QVERIFY(decoder.feed(QByteArray("*3\r\n$1\r\na\r\n$1\r\nb\r\n:1\r\n")));
        QCOMPARE(decoder.next(&reply), ReplyDecoder::Status::Ok);
        QCOMPARE(reply.elements.size(), size_t(3));
    }

    void limitsAreTotalsPerReply()
    {
        ReplyLimits limits;
        limits.maxBytes = 4096;
        ReplyDecoder decoder(limits);
        // Many small replies, together far over the limit, each well under it.
        QByteArray flood;
        for (int i = 0; i < 1000; ++i)
            flood += "*3\r\n$7\r\nmessage\r\n$9\r\nheartbeat\r\n$5\r\nalive\r\n";
        QVERIFY(decoder.feed(flood));
        Reply reply;
        int n = 0;
        while (decoder.next(&reply) == ReplyDecoder::Status::Ok)
            ++n;
        QCOMPARE(n, 1000);
        // A bulk string just over the limit, arriving a piece at a time, is refused once it is
        // known to be too long (announced), not after it has been buffered.
        QVERIFY(decoder.feed(QByteArray("$5000\r\n") + QByteArray(100, 'x')));
        QCOMPARE(decoder.next(&reply), ReplyDecoder::Status::ProtocolError);
        // Without a length announced (a status line that never ends), the buffered bytes count.
        ReplyDecoder lines(limits);
        QVERIFY(lines.feed(QByteArray("+") + QByteArray(3000, 'y')));
        QCOMPARE(lines.next(&reply), ReplyDecoder::Status::Incomplete);
        QVERIFY(lines.feed(QByteArray(3000, 'y')));
        QCOMPARE(lines.next(&reply), ReplyDecoder::Status::ProtocolError);
    }

    void encode()
    {
        QCOMPARE(encodeCommand({"PING"}), QByteArray("*1\r\n$4\r\nPING\r\n"));
        QCOMPARE(encodeCommand({"SET", "k", QByteArray("a\r\nb\0c", 6)}),
                 QByteArray(QByteArray("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\n") + QByteArray("a\r\nb\0c", 6) + "\r\n"));
        QCOMPARE(encodeCommand({"ECHO", ""}), QByteArray("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"));
    }
};

QTEST_APPLESS_MAIN(TestCodec)
#include "tst_codec.moc"
