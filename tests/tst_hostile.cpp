// Hostile and broken peers: replies that announce too much, trickle, close, flood with errors or
// name thousands of nodes; a stuck terminal; bad arguments. `vigil record` and `vigil status` must
// survive each without a crash, a hang or unbounded growth, and say what happened.
#include "journal/journal.h"
#include "redisfixture.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace vigil;
using namespace vigil::test;

namespace {

QString vigilBinary()
{
    return qEnvironmentVariable("VIGIL_BINARY");
}

int countKind(const QList<Event> &events, const QString &kind, const QString &source = {})
{
    return int(
        std::count_if(events.begin(), events.end(), [&](const Event &e) { return e.kind == kind && (source.isEmpty() || e.source == source); }));
}

// The number of targets `vigil record` watched at the end, from its summary line.
// The messages of the events of `kind` from `source`, to say what went wrong when there are any.
QByteArray messagesOf(const QList<Event> &events, const QString &kind, const QString &source)
{
    QStringList messages;
    for (const Event &e : events)
        if (e.kind == kind && e.source == source)
            messages << e.message;
    return messages.join(QLatin1String("; ")).toUtf8();
}

int targetsWatched(const QByteArray &output)
{
    const qsizetype at = output.lastIndexOf(" targets connected at the end");
    if (at < 0)
        return -1;
    const qsizetype of = output.lastIndexOf(" of ", at);
    return of < 0 ? -1 : output.mid(of + 4, at - of - 4).toInt();
}

QString describe(const QList<Event> &events)
{
    QStringList lines;
    for (const Event &e : events)
        lines << e.kind + QLatin1Char(' ') + e.source + QLatin1Char(' ') + e.message;
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class TestHostile : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_journals = 0;

    QString writeFile(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(bytes);
        return path;
    }

    // A fake server answering INFO with `text` ("{port}" is its own port).
    FakeRedis fakeWithInfo(const QString &name, const QByteArray &text) { return startFakeRedis({QStringLiteral("--info"), writeFile(name, text)}); }

    QString newJournal() { return m_dir.filePath(QStringLiteral("j%1.sqlite").arg(++m_journals)); }

    // `vigil record` for `seconds` against the given arguments; its journal's events.
    QList<Event> record(const QStringList &args, double seconds, QByteArray *output = nullptr)
    {
        const QString journal = newJournal();
        QByteArray out;
        const int code = runProcess(
            vigilBinary(),
            QStringList{QStringLiteral("record"), QStringLiteral("--journal"), journal, QStringLiteral("--duration"), QString::number(seconds)}
                + args,
            &out, int(seconds * 1000) + 20000);
        if (output)
            *output = out;
        if (code != 0)
            QTest::qFail(qPrintable(QStringLiteral("vigil record exited with %1: %2").arg(code).arg(QString::fromUtf8(out.right(2000)))), __FILE__,
                         __LINE__);
        return journalEvents(journal);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (vigilBinary().isEmpty() || qEnvironmentVariable("FAKE_REDIS").isEmpty())
            QSKIP("VIGIL_BINARY or FAKE_REDIS not set (run through CTest)");
        QVERIFY(m_dir.isValid());
    }

    // A reply announcing 2^31 elements once aborted the process (std::bad_alloc), 50 million took
    // 14 GB. Now the connection is reset with a protocol error naming the limit.
    void oversizedReplies_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("2^31 elements") << QByteArray("*2147483647\r\n");
        QTest::newRow("50 million elements") << QByteArray("*50000000\r\n");
        QTest::newRow("a 600 MB string") << QByteArray("$600000000\r\nabcdef");
    }

    void oversizedReplies()
    {
        QFETCH(QByteArray, wire);
        const QString file = writeFile(QStringLiteral("reply.bin"), wire);
        FakeRedis fake = startFakeRedis({QStringLiteral("--reply"), QStringLiteral("INFO=") + file});
        QVERIFY(fake.process);

        QByteArray out;
        QElapsedTimer took;
        took.start();
        QCOMPARE(runProcess(vigilBinary(), {QStringLiteral("status"), QStringLiteral("--connect"), fake.uri()}, &out), 1);
        QVERIFY2(out.contains("allowed"), out.constData());
        QVERIFY2(took.elapsed() < 15000, "vigil status took too long");

        // A smaller limit of one's own is honoured too.
        if (wire.startsWith('$'))
            QCOMPARE(runProcess(vigilBinary(),
                                {QStringLiteral("status"), QStringLiteral("--connect"), fake.uri(), QStringLiteral("--max-reply-size"),
                                 QStringLiteral("1M")},
                                &out),
                     1);
        QVERIFY2(!wire.startsWith('$') || out.contains("1048576"), out.constData());

        const QList<Event> events = record({QStringLiteral("--connect"), fake.uri()}, 2.5);
        const auto it = std::find_if(events.begin(), events.end(),
                                     [&](const Event &e) { return e.kind == QLatin1String("redis.unreachable") && e.source == fake.address(); });
        QVERIFY2(it != events.end(), qPrintable(describe(events)));
        QVERIFY2(it->message.contains(QStringLiteral("allowed")), qPrintable(it->message));
        QCOMPARE(it->data.value(QStringLiteral("reason")).toString(), QStringLiteral("protocol"));
    }

    // A reply trickling in a byte every 0.25 s is a hung server, not a slow one.
    void trickledReplyTimesOut()
    {
        FakeRedis fake = startFakeRedis({QStringLiteral("--trickle-ms"), QStringLiteral("250")});
        QVERIFY(fake.process);
        QByteArray out;
        QElapsedTimer took;
        took.start();
        QCOMPARE(runProcess(vigilBinary(), {QStringLiteral("status"), QStringLiteral("--connect"), fake.uri()}, &out), 1);
        QVERIFY2(out.contains("no reply"), out.constData());
        QVERIFY2(took.elapsed() < 12000, qPrintable(QStringLiteral("took %1 ms").arg(took.elapsed())));

        const QList<Event> events = record({QStringLiteral("--connect"), fake.uri()}, 4);
        QVERIFY2(countKind(events, QStringLiteral("redis.unreachable"), fake.address()) >= 1, qPrintable(describe(events)));
    }

    // A server that accepts the handshake and closes on INFO was reconnected every 50-100 ms.
    void closeOnPollBacksOff()
    {
        FakeRedis fake = startFakeRedis({QStringLiteral("--close-on"), QStringLiteral("INFO")});
        QVERIFY(fake.process);
        const QList<Event> events = record({QStringLiteral("--connect"), fake.uri()}, 6);
        const int connections = fake.connections();
        qInfo("%d connections in 6 s", connections);
        // Back-off from 100 ms doubling to 5 s: about 7 attempts in 6 s.
        QVERIFY2(connections >= 3 && connections <= 12, qPrintable(QString::number(connections)));
        QVERIFY2(countKind(events, QStringLiteral("redis.unreachable"), fake.address()) >= 1, qPrintable(describe(events)));
    }

    // Unsolicited errors with changing text: one redis.error per reason per minute, not thousands.
    void unsolicitedErrorsRateLimited()
    {
        FakeRedis fake = startFakeRedis({QStringLiteral("--error-every-ms"), QStringLiteral("5")});
        QVERIFY(fake.process);
        const QList<Event> events = record({QStringLiteral("--connect"), fake.uri()}, 3);
        const int errors = countKind(events, QStringLiteral("redis.error"), fake.address());
        QVERIFY2(errors >= 1 && errors <= 3, qPrintable(describe(events)));
    }

    // One CLUSTER NODES reply naming 10,000 nodes: the seed keeps being polled (it was declared
    // unreachable), nodes are added 256 a reply, and one event says so.
    void replyNamingThousandsOfNodes()
    {
        FakeRedis fake = startFakeRedis({QStringLiteral("--cluster-nodes"), QStringLiteral("10000")});
        QVERIFY(fake.process);
        QByteArray out;
        QCOMPARE(runProcess(vigilBinary(), {QStringLiteral("status"), QStringLiteral("--connect"), fake.uri()}, &out), 0);
        QVERIFY2(out.contains("named 10000 new nodes in one reply; 256 were added"), out.right(1000).constData());
        const QList<Event> events = record({QStringLiteral("--connect"), fake.uri(), QStringLiteral("--quiet")}, 5, &out);
        QVERIFY2(countKind(events, QStringLiteral("redis.unreachable"), fake.address()) == 0,
                 messagesOf(events, QStringLiteral("redis.unreachable"), fake.address()).constData());
        QCOMPARE(countKind(events, QStringLiteral("monitor.discovery_capped"), fake.address()), 1);
        const int watched = targetsWatched(out);
        qInfo("%d targets watched after 5 s", watched);
        QVERIFY2(watched > 256 && watched <= 1 + 256 * 7, out.constData());
        // Everything the baseline counted is there too: the monitor started and stopped cleanly.
        QCOMPARE(countKind(events, QStringLiteral("monitor.stopped")), 1);
    }

    // A server that calls itself 7.0 but refuses INFO with several sections is asked one section at a
    // time, once it has refused, and nothing is reported: its polls go on.
    void infoInOneCommandRefused()
    {
        FakeRedis fake = startFakeRedis({QStringLiteral("--one-info-section")});
        QVERIFY(fake.process);
        QByteArray out;
        const QList<Event> events = record({QStringLiteral("--connect"), fake.uri()}, 4, &out);
        QCOMPARE(targetsWatched(out), 1);
        QCOMPARE(fake.printed("info refused"), 1);
        for (const Event &e : events)
            QVERIFY2(e.severity == Severity::Info, qPrintable(describe(events)));
        QVERIFY2(countKind(events, QStringLiteral("monitor.baseline")) == 1, qPrintable(describe(events)));
    }

    // A replica INFO lists as "::1" is the node "[::1]:port": found once, not on every poll.
    void ipv6NodeFoundOnce()
    {
        FakeRedis fake = fakeWithInfo(QStringLiteral("info6.txt"),
                                      "# Server\r\nredis_version:7.0.15\r\nrun_id:six{port}\r\ntcp_port:{port}\r\n"
                                      "# Replication\r\nrole:master\r\nconnected_slaves:1\r\n"
                                      "slave0:ip=::1,port=1,state=online,offset=10,lag=0\r\nmaster_repl_offset:10\r\n");
        QVERIFY(fake.process);
        QByteArray out;
        const QList<Event> events = record({QStringLiteral("--connect"), fake.uri()}, 4, &out);
        QCOMPARE(targetsWatched(out), 2);
        QCOMPARE(countKind(events, QStringLiteral("redis.unreachable"), QStringLiteral("[::1]:1")), 1);
    }

    // Output nobody reads (a stuck `| grep`, Ctrl-S) once stopped the polls and made the recorder
    // deaf to --duration and SIGTERM. Its stdout here is a FIFO that is never read.
    void undrainedOutputBlocksNothing()
    {
        FakeRedis fake = startFakeRedis({QStringLiteral("--cluster-nodes"), QStringLiteral("10000")});
        QVERIFY(fake.process);
        for (const bool bySignal : {false, true}) {
            const QString fifo = m_dir.filePath(QStringLiteral("out%1.fifo").arg(bySignal));
            QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
            const int reader = ::open(QFile::encodeName(fifo).constData(), O_RDONLY | O_NONBLOCK);
            QVERIFY(reader >= 0);
            ::fcntl(reader, F_SETPIPE_SZ, 4096);
            const QString journal = newJournal();
            QProcess recorder;
            recorder.setStandardOutputFile(fifo);
            recorder.start(vigilBinary(),
                           {QStringLiteral("record"), QStringLiteral("--journal"), journal, QStringLiteral("--connect"), fake.uri(),
                            QStringLiteral("--duration"), bySignal ? QStringLiteral("60") : QStringLiteral("4")});
            QVERIFY(recorder.waitForStarted());
            QElapsedTimer took;
            took.start();
            if (bySignal) {
                QTest::qWait(3000);
                ::kill(pid_t(recorder.processId()), SIGTERM);
            }
            QVERIFY2(recorder.waitForFinished(8000), "the recorder did not stop with its output blocked");
            qInfo("stopped after %lld ms", static_cast<long long>(took.elapsed()));
            QCOMPARE(recorder.exitStatus(), QProcess::NormalExit);
            ::close(reader);
            const QList<Event> events = journalEvents(journal);
            // The output was blocked long before the end, and monitoring went on regardless.
            QVERIFY2(events.size() > 200, qPrintable(QString::number(events.size())));
            QCOMPARE(countKind(events, QStringLiteral("monitor.stopped")), 1);
            QVERIFY2(countKind(events, QStringLiteral("redis.unreachable"), fake.address()) == 0,
                     messagesOf(events, QStringLiteral("redis.unreachable"), fake.address()).constData());
        }
    }

    // A reader that leaves (`| head -1`) ends the printing, not the recording (SIGPIPE once killed it,
    // losing what was not committed yet and monitor.stopped).
    void readerLeavingEndsPrintingOnly()
    {
        FakeRedis fake = startFakeRedis({QStringLiteral("--cluster-nodes"), QStringLiteral("2000")});
        QVERIFY(fake.process);
        const QString journal = newJournal();
        QByteArray out;
        QCOMPARE(runProcess(QStringLiteral("/bin/sh"),
                            {QStringLiteral("-c"), QStringLiteral("\"$0\" record --journal \"$1\" --connect \"$2\" --duration 3 | head -1"),
                             vigilBinary(), journal, fake.uri()},
                            &out),
                 0);
        QVERIFY2(out.contains("recording goes on"), out.constData());
        const QList<Event> events = journalEvents(journal);
        QCOMPARE(countKind(events, QStringLiteral("monitor.stopped")), 1);
        QVERIFY(events.size() > 100);
    }

    // Every event `vigil record` printed is in the journal, even when it is SIGKILLed at a high
    // event rate: it prints what has been committed.
    void printedEventsSurviveSigkill()
    {
        FakeRedis fake = startFakeRedis({QStringLiteral("--cluster-nodes"), QStringLiteral("10000")});
        QVERIFY(fake.process);
        for (int run = 0; run < 2; ++run) {
            const QString journal = newJournal();
            auto recorder = startRecorder(journal, {QStringLiteral("--connect"), fake.uri()});
            QByteArray printed;
            QElapsedTimer running;
            running.start();
            while (running.elapsed() < 2500 + run * 700)
                if (recorder->waitForReadyRead(20))
                    printed += recorder->readAllStandardOutput();
            ::kill(pid_t(recorder->processId()), SIGKILL);
            recorder->waitForFinished();
            printed += recorder->readAllStandardOutput();

            QSet<QString> journalled;
            for (const Event &e : journalEvents(journal))
                journalled.insert(formatTime(e.time) + QLatin1Char(' ') + e.kind + QLatin1Char(' ') + e.source);
            // The last line may have been cut by the kill.
            printed.truncate(printed.lastIndexOf('\n') + 1);
            int lines = 0;
            for (const QByteArray &line : printed.split('\n')) {
                const QList<QByteArray> f = line.simplified().split(' ');
                if (f.size() < 4 || !f[0].startsWith("20"))
                    continue;
                ++lines;
                const QString key = QString::fromUtf8(f[0] + ' ' + f[2] + ' ' + f[3]);
                QVERIFY2(journalled.contains(key), qPrintable(QStringLiteral("printed but not in the journal: %1").arg(QString::fromUtf8(line))));
            }
            qInfo("run %d: %d printed events, %lld in the journal", run, lines, static_cast<long long>(journalled.size()));
            QVERIFY(lines > 100);
        }
    }

    // Escape sequences in what a server says never reach the terminal raw.
    void controlCharactersEscaped()
    {
        FakeRedis fake = fakeWithInfo(QStringLiteral("info-esc.txt"),
                                      "# Server\r\nredis_version:7.0.15\x1b]0;owned\x07\r\nrun_id:esc{port}\r\ntcp_port:{port}\r\n"
                                      "# Replication\r\nrole:slave\r\nmaster_host:evil\x1b[2J\x1b[31mhost\r\nmaster_port:1\r\n"
                                      "master_link_status:down\r\n");
        QVERIFY(fake.process);
        QByteArray out;
        runProcess(vigilBinary(), {QStringLiteral("status"), QStringLiteral("--connect"), fake.uri()}, &out);
        QVERIFY2(!out.contains('\x1b') && !out.contains('\x07'), out.toPercentEncoding(" :\n").constData());
        QVERIFY2(out.contains("\\x1b"), out.constData());
        record({QStringLiteral("--connect"), fake.uri()}, 2.5, &out);
        QVERIFY2(!out.contains('\x1b') && !out.contains('\x07'), out.toPercentEncoding(" :\n").constData());
        QVERIFY2(out.contains("\\x1b"), out.constData());
    }

    // `vigil status` exited 0 when INFO was refused, and showed defaults as values when INFO was
    // answered with something other than text.
    void statusFailsWithoutInfo_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<QByteArray>("says");
        QTest::newRow("refused") << QByteArray("-NOPERM this user has no permissions to run the 'info' command\r\n") << QByteArray("NOPERM");
        QTest::newRow("an integer") << QByteArray(":5\r\n") << QByteArray("an integer, not text");
        QTest::newRow("an array") << QByteArray("*1\r\n$3\r\nabc\r\n") << QByteArray("an array, not text");
    }

    void statusFailsWithoutInfo()
    {
        QFETCH(QByteArray, wire);
        QFETCH(QByteArray, says);
        const QString file = writeFile(QStringLiteral("info-reply.bin"), wire);
        FakeRedis fake = startFakeRedis({QStringLiteral("--reply"), QStringLiteral("INFO=") + file});
        QVERIFY(fake.process);
        QByteArray out;
        QCOMPARE(runProcess(vigilBinary(), {QStringLiteral("status"), QStringLiteral("--connect"), fake.uri()}, &out), 1);
        QVERIFY2(out.contains("not polled") && out.contains(says), out.constData());
        QVERIFY2(!out.contains("never"), out.constData());
    }

    // A --duration past 24.8 days (the largest timer interval) once never stopped; a long one must
    // not stop at once either, and SIGTERM still ends it.
    void longDurationRuns()
    {
        FakeRedis fake = startFakeRedis({});
        QVERIFY(fake.process);
        const QString journal = newJournal();
        auto recorder = startRecorder(journal, {QStringLiteral("--connect"), fake.uri(), QStringLiteral("--duration"), QStringLiteral("2592000")});
        QVERIFY(!recorder->waitForFinished(2500));
        QVERIFY(stopRecorder(*recorder));
    }

    // Credentials go to every node a reply names unless --no-forward-auth: then a discovered
    // replica that wants a password says so, and the seed keeps its own.
    void noForwardAuth()
    {
        if (const QString missing = RedisFixture::missing(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        RedisFixture redis;
        const QStringList secured{QStringLiteral("requirepass fleetpw"), QStringLiteral("masterauth fleetpw")};
        const int master = redis.startServer(QStringLiteral("auth-m"), secured);
        QVERIFY2(master >= 0, qPrintable(redis.error()));
        const int replica = redis.startReplica(QStringLiteral("auth-r"), master, secured);
        QVERIFY2(replica >= 0, qPrintable(redis.error()));
        const QString seed = QStringLiteral("redis://:fleetpw@127.0.0.1:%1").arg(redis.port(master));
        const QString replicaAddress = QStringLiteral("127.0.0.1:%1").arg(redis.port(replica));
        QTRY_VERIFY_WITH_TIMEOUT(redis.command(replica, {"INFO", "replication"}, "fleetpw").string.contains("master_link_status:up"), 10000);

        QByteArray out;
        QList<Event> events = record({QStringLiteral("--connect"), seed}, 3, &out);
        QVERIFY2(out.contains("2 of 2 targets connected"), out.constData());

        events = record({QStringLiteral("--connect"), seed, QStringLiteral("--no-forward-auth")}, 3, &out);
        QVERIFY2(out.contains("1 of 2 targets connected"), out.right(3000).constData());
        QVERIFY2(countKind(events, QStringLiteral("redis.auth_failed"), replicaAddress) == 1, qPrintable(describe(events)));
        QVERIFY(!out.contains("fleetpw"));
    }

    // The wrong scheme for a port: TLS spoken to a plain server was reported as a timeout.
    void tlsMismatchSaysSo()
    {
        if (const QString missing = RedisFixture::missing(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        RedisFixture redis;
        const int tls = redis.startTlsServer(QStringLiteral("mismatch-tls"), false);
        QVERIFY2(tls >= 0, qPrintable(redis.error()));
        const int plain = redis.startServer(QStringLiteral("mismatch-plain"));
        QVERIFY2(plain >= 0, qPrintable(redis.error()));
        RedisUri plainToTls = redis.uri(tls);
        plainToTls.scheme = RedisUri::Scheme::Tcp;
        QByteArray out;
        QCOMPARE(runProcess(vigilBinary(), {QStringLiteral("status"), QStringLiteral("--connect"), plainToTls.toFullString()}, &out), 1);
        QVERIFY2(out.contains("use rediss://"), out.constData());
        QCOMPARE(runProcess(vigilBinary(),
                            {QStringLiteral("status"), QStringLiteral("--tls-insecure"), QStringLiteral("--connect"),
                             QStringLiteral("rediss://127.0.0.1:%1").arg(redis.port(plain))},
                            &out),
                 1);
        QVERIFY2(out.contains("does not seem to serve TLS") && !out.contains("timed out"), out.constData());
    }

    // Two servers each naming the other as master: no master, no writes, and once said nothing.
    void replicationCycleReported()
    {
        const QString infoA = m_dir.filePath(QStringLiteral("cycle-a.txt"));
        const QString infoB = m_dir.filePath(QStringLiteral("cycle-b.txt"));
        auto replicaOf = [](quint16 port) -> QByteArray {
            return QByteArray("# Server\r\nredis_version:7.0.15\r\nrun_id:cyc{port}\r\ntcp_port:{port}\r\n"
                              "# Replication\r\nrole:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:")
                + QByteArray::number(port) + "\r\nmaster_link_status:up\r\nslave_repl_offset:100\r\nmaster_replid:abc\r\n";
        };
        writeFile(QStringLiteral("cycle-a.txt"), replicaOf(1));
        writeFile(QStringLiteral("cycle-b.txt"), replicaOf(1));
        FakeRedis a = startFakeRedis({QStringLiteral("--info"), infoA});
        FakeRedis b = startFakeRedis({QStringLiteral("--info"), infoB});
        QVERIFY(a.process && b.process);
        writeFile(QStringLiteral("cycle-a.txt"), replicaOf(b.port));
        writeFile(QStringLiteral("cycle-b.txt"), replicaOf(a.port));

        QByteArray out;
        runProcess(vigilBinary(), {QStringLiteral("status"), QStringLiteral("--connect"), a.uri()}, &out);
        QVERIFY2(out.contains("REPLICATION CYCLE") && out.contains(a.address().toUtf8()) && out.contains(b.address().toUtf8()), out.constData());
        const QList<Event> events = record({QStringLiteral("--connect"), a.uri()}, 5);
        QCOMPARE(countKind(events, QStringLiteral("replication.cycle")), 1);
        const Event cycle = *std::find_if(events.begin(), events.end(), [](const Event &e) { return e.kind == QLatin1String("replication.cycle"); });
        QCOMPARE(cycle.severity, Severity::Critical);
        QCOMPARE(cycle.data.value(QStringLiteral("members")).toArray().size(), 2);
    }

    // master_port:99999 is no port (it was taken as 34463).
    void outOfRangePortIsNoPort()
    {
        FakeRedis fake = fakeWithInfo(QStringLiteral("info-port.txt"),
                                      "# Server\r\nredis_version:7.0.15\r\nrun_id:port{port}\r\ntcp_port:{port}\r\n"
                                      "# Replication\r\nrole:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:99999\r\n"
                                      "master_link_status:down\r\nslave_repl_offset:0\r\n");
        QVERIFY(fake.process);
        QByteArray out;
        runProcess(vigilBinary(), {QStringLiteral("status"), QStringLiteral("--connect"), fake.uri()}, &out);
        QVERIFY2(!out.contains("34463"), out.constData());
        record({QStringLiteral("--connect"), fake.uri()}, 2.5, &out);
        QCOMPARE(targetsWatched(out), 1);
    }
};

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"
