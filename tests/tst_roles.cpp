// `vigil-beat --role auto` on a real redis-server: two instances of a service under `vigil record`.
// The primary SIGKILLed, SIGSTOPped past its lease, cut off from Redis, SIGTERMed, and its lease
// lost; each time what the instances did (their hooks, every beat as it arrived) and what the
// journal says.
#include "heartbeat/beatparser.h"
#include "journal/journal.h"
#include "redisfixture.h"
#include "services/servicerole.h"

#include <QDateTime>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>
#include <optional>

using namespace vigil;
using namespace vigil::test;

namespace {

struct SeenBeat
{
    qint64 atMs = 0; // arrival, our wall clock
    QString node, role;
    qint64 epoch = -1;
};

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

class TestRoles : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RedisFixture> m_redis;
    QTemporaryDir m_dir;
    QString m_beat;
    int m_node = -1;
    QString m_uri;
    std::unique_ptr<Connection> m_listener;
    QList<SeenBeat> m_beats;

    // One instance of service "orders"; its hooks append "promote EPOCH MS" and "demote MS" to
    // NAME.hooks (MS: the hook's wall clock in milliseconds).
    std::unique_ptr<QProcess> member(const QString &name, int intervalMs = 1000)
    {
        const QString hooks = m_dir.filePath(name + QStringLiteral(".hooks"));
        auto p = std::make_unique<QProcess>();
        p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p->start(m_beat,
                 {QStringLiteral("--connect"), m_uri, QStringLiteral("--node"), name, QStringLiteral("--service"), QStringLiteral("orders"),
                  QStringLiteral("--role"), QStringLiteral("auto"), QStringLiteral("--interval-ms"), QString::number(intervalMs),
                  QStringLiteral("--on-promote"), QStringLiteral("echo promote $VIGIL_EPOCH $(date +%s%3N) >> ") + hooks,
                  QStringLiteral("--on-demote"), QStringLiteral("echo demote $(date +%s%3N) >> ") + hooks});
        p->waitForStarted();
        return p;
    }

    QStringList hooks(const QString &name) const
    {
        QFile f(m_dir.filePath(name + QStringLiteral(".hooks")));
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }

    QList<SeenBeat> beatsOf(const QString &node, const QString &role = {}) const
    {
        QList<SeenBeat> list;
        for (const SeenBeat &b : m_beats)
            if (b.node == node && (role.isEmpty() || b.role == role))
                list << b;
        return list;
    }

    // The first beat as primary of `node` after `afterMs`, or none.
    std::optional<SeenBeat> firstPrimaryBeat(const QString &node, qint64 afterMs = 0) const
    {
        for (const SeenBeat &b : m_beats)
            if (b.node == node && b.role == QLatin1String("primary") && b.atMs > afterMs)
                return b;
        return std::nullopt;
    }

    static void stopMember(QProcess &p)
    {
        if (p.state() == QProcess::NotRunning)
            return;
        ::kill(pid_t(p.processId()), SIGCONT);
        ::kill(pid_t(p.processId()), SIGTERM);
        p.waitForFinished(5000);
    }

    // Starts a and (half a second later) b; returns once a is primary and b beats as standby.
    bool startPair(std::unique_ptr<QProcess> &a, std::unique_ptr<QProcess> &b, int intervalMs = 1000)
    {
        a = member(QStringLiteral("a"), intervalMs);
        QTest::qWait(500);
        b = member(QStringLiteral("b"), intervalMs);
        return QTest::qWaitFor(
            [&] { return firstPrimaryBeat(QStringLiteral("a")) && !beatsOf(QStringLiteral("b"), QStringLiteral("standby")).isEmpty(); }, 10'000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_beat = qEnvironmentVariable("VIGIL_BEAT_BINARY");
        if (m_beat.isEmpty() || qEnvironmentVariableIsEmpty("VIGIL_BINARY"))
            QSKIP("VIGIL_BINARY / VIGIL_BEAT_BINARY not set (run through CTest)");
        if (const QString missing = RedisFixture::missing(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        m_redis = std::make_unique<RedisFixture>();
    }

    void init()
    {
        // A fresh server per case: no lease or epoch left from the one before.
        m_node = m_redis->startServer(QStringLiteral("roles-%1").arg(QLatin1String(QTest::currentTestFunction())));
        QVERIFY(m_node >= 0);
        m_uri = m_redis->uri(m_node).toFullString();
        m_beats.clear();
        for (const QString &name : {QStringLiteral("a"), QStringLiteral("b")})
            QFile::remove(m_dir.filePath(name + QStringLiteral(".hooks")));
        m_listener = std::make_unique<Connection>(m_redis->options(m_node));
        m_listener->psubscribe({QByteArrayLiteral("heartbeat:*")});
        connect(m_listener.get(), &Connection::message, this, [this](const QByteArray &channel, const QByteArray &, const QByteArray &payload) {
            const BeatParse p = parseBeat(channel, payload);
            if (p.ok())
                m_beats << SeenBeat{nowMs(), QString::fromUtf8(p.beat.node), QString::fromUtf8(p.beat.role), p.beat.epoch};
        });
        m_listener->open();
        QVERIFY(QTest::qWaitFor([this] { return m_listener->isReady(); }, 5000));
    }

    void cleanup()
    {
        m_listener.reset();
        m_redis->topology().kill(m_node);
    }

    void cleanupTestCase() { m_redis.reset(); }

    // SIGKILL: the standby is primary within the lease and two intervals of the primary's last
    // beat, with the next epoch; the journal has the takeover and its gap.
    void sigkillOfThePrimary()
    {
        const QString journal = m_dir.filePath(QStringLiteral("sigkill.sqlite"));
        auto recorder = startRecorder(journal, {QStringLiteral("--quiet"), QStringLiteral("--connect"), m_uri});
        std::unique_ptr<QProcess> a, b;
        QVERIFY(startPair(a, b));
        QTest::qWait(3000); // the recorder learns the intervals
        QCOMPARE(hooks(QStringLiteral("a")).size(), 1);
        QVERIFY(hooks(QStringLiteral("a")).first().startsWith(QStringLiteral("promote 1 ")));

        ::kill(pid_t(a->processId()), SIGKILL);
        QVERIFY(a->waitForFinished(2000));
        QVERIFY(QTest::qWaitFor([&] { return firstPrimaryBeat(QStringLiteral("b")).has_value(); }, 10'000));
        const SeenBeat first = *firstPrimaryBeat(QStringLiteral("b"));
        // Read now: a beat a sent just before the kill may have been on its way at the kill.
        const qint64 lastOfA = beatsOf(QStringLiteral("a")).last().atMs;
        const qint64 gap = first.atMs - lastOfA;
        QVERIFY2(gap <= 3000 + 2 * 1000, qPrintable(QString::number(gap)));
        QCOMPARE(first.epoch, 2);
        QVERIFY(QTest::qWaitFor([&] { return !hooks(QStringLiteral("b")).isEmpty(); }, 3000)); // hooks run in turn, not waited for
        QVERIFY(hooks(QStringLiteral("b")).value(0).startsWith(QStringLiteral("promote 2 ")));

        QVERIFY(QTest::qWaitFor([&] { return !journalEvents(journal, QStringLiteral("service.takeover")).isEmpty(); }, 5000));
        const Event takeover = journalEvents(journal, QStringLiteral("service.takeover")).first();
        QCOMPARE(takeover.data.value(QStringLiteral("from")).toString(), QStringLiteral("a"));
        QCOMPARE(takeover.data.value(QStringLiteral("to")).toString(), QStringLiteral("b"));
        const qint64 journalled = takeover.data.value(QStringLiteral("gap_ms")).toInteger();
        QVERIFY2(qAbs(journalled - gap) < 250, qPrintable(QStringLiteral("%1 vs %2").arg(journalled).arg(gap)));
        QCOMPARE(journalEvents(journal, QStringLiteral("service.split_brain")).size(), 0);

        // A beat claiming primary with the old epoch (a former primary that did not stand down,
        // here written by hand, with a sequence number of its own) is flagged, and takes nothing over.
        const QByteArray stale = R"({"node":"a","seq":100000,"ts":)" + QByteArray::number(double(nowMs()) / 1000.0, 'f', 3)
            + R"(,"interval_ms":1000,"role":"primary","service":"orders","epoch":1})";
        QCOMPARE(m_redis->command(m_node, {"PUBLISH", "heartbeat:a", stale}).integer >= 1, true);
        QVERIFY(QTest::qWaitFor([&] { return !journalEvents(journal, QStringLiteral("service.stale_primary")).isEmpty(); }, 5000));
        const Event flagged = journalEvents(journal, QStringLiteral("service.stale_primary")).first();
        QCOMPARE(flagged.severity, Severity::Critical);
        QCOMPARE(flagged.data.value(QStringLiteral("node")).toString(), QStringLiteral("a"));
        QCOMPARE(flagged.data.value(QStringLiteral("epoch")).toInteger(), 1);
        QCOMPARE(flagged.data.value(QStringLiteral("highest_epoch")).toInteger(), 2);
        QCOMPARE(journalEvents(journal, QStringLiteral("service.takeover")).size(), 1);
        QCOMPARE(beatsOf(QStringLiteral("b")).last().role, QStringLiteral("primary")); // b is not misled either
        stopMember(*b);
        QVERIFY(stopRecorder(*recorder));
    }

    // SIGSTOP past the lease, then SIGCONT: the old primary demotes before it beats again, so no
    // beat of it claims primary beside the new one, and the journal has no split brain. (Its
    // --on-demote runs after the new primary's --on-promote: it was paused.)
    void sigstopPastTheLease()
    {
        const QString journal = m_dir.filePath(QStringLiteral("sigstop.sqlite"));
        auto recorder = startRecorder(journal, {QStringLiteral("--quiet"), QStringLiteral("--connect"), m_uri});
        std::unique_ptr<QProcess> a, b;
        QVERIFY(startPair(a, b));
        QTest::qWait(3000);
        ::kill(pid_t(a->processId()), SIGSTOP);
        QVERIFY(QTest::qWaitFor([&] { return firstPrimaryBeat(QStringLiteral("b")).has_value(); }, 10'000));
        QTest::qWait(1500);
        const qint64 thawedAt = nowMs();
        ::kill(pid_t(a->processId()), SIGCONT);
        QVERIFY(QTest::qWaitFor([&] { return hooks(QStringLiteral("a")).size() == 2; }, 5000));
        QVERIFY(hooks(QStringLiteral("a")).last().startsWith(QStringLiteral("demote ")));
        QTest::qWait(3000);

        const SeenBeat firstOfB = *firstPrimaryBeat(QStringLiteral("b"));
        QVERIFY(!firstPrimaryBeat(QStringLiteral("a"), firstOfB.atMs - 1).has_value()); // a never claimed again
        QVERIFY(!beatsOf(QStringLiteral("a"), QStringLiteral("standby")).isEmpty());
        QVERIFY(beatsOf(QStringLiteral("a")).last().atMs > thawedAt); // it beats, as a standby
        QCOMPARE(beatsOf(QStringLiteral("a")).last().role, QStringLiteral("standby"));
        QCOMPARE(beatsOf(QStringLiteral("b")).last().role, QStringLiteral("primary"));
        QCOMPARE(journalEvents(journal, QStringLiteral("service.split_brain")).size(), 0);
        QCOMPARE(journalEvents(journal, QStringLiteral("service.stale_primary")).size(), 0);
        QCOMPARE(journalEvents(journal, QStringLiteral("service.takeover")).size(), 1);
        stopMember(*a);
        stopMember(*b);
        QVERIFY(stopRecorder(*recorder));
    }

    // The server hangs (SIGSTOP): the primary cannot renew, and demotes before the lease that the
    // server holds can run out.
    void cutOffFromRedis()
    {
        std::unique_ptr<QProcess> a, b;
        QVERIFY(startPair(a, b));
        QTest::qWait(1500);
        // Right after a's beat (its renewal goes just before it), so that no renewal falls between
        // reading the lease's time to live and stopping the server.
        const qsizetype heard = beatsOf(QStringLiteral("a")).size();
        QVERIFY(QTest::qWaitFor([&] { return beatsOf(QStringLiteral("a")).size() > heard; }, 3000));
        const qint64 askedAt = nowMs();
        const Reply pttl = m_redis->command(m_node, {"PTTL", ServiceRole::leaseKey(QStringLiteral("orders"))});
        QVERIFY(pttl.isInteger() && pttl.integer > 0);
        const qint64 expiresAt = askedAt + pttl.integer;
        const pid_t server = pid_t(m_redis->topology().pid(m_node));
        ::kill(server, SIGSTOP);
        const bool demoted = QTest::qWaitFor([&] { return hooks(QStringLiteral("a")).size() == 2; }, 6000);
        ::kill(server, SIGCONT);
        QVERIFY(demoted);
        const QStringList h = hooks(QStringLiteral("a"));
        QVERIFY(h.last().startsWith(QStringLiteral("demote ")));
        const qint64 demotedAt = h.last().section(QLatin1Char(' '), 1, 1).toLongLong();
        QVERIFY2(demotedAt < expiresAt, qPrintable(QStringLiteral("demoted %1 ms after the lease expired").arg(demotedAt - expiresAt)));
        // The server back, one of them takes the expired lease with the next epoch.
        QVERIFY(QTest::qWaitFor(
            [&] {
                return std::any_of(m_beats.cbegin(), m_beats.cend(),
                                   [](const SeenBeat &x) { return x.role == QLatin1String("primary") && x.epoch == 2; });
            },
            15'000));
        stopMember(*a);
        stopMember(*b);
    }

    // SIGTERM: the primary releases the lease and says it leaves, and the standby takes over at
    // once, without waiting for its detector (which needs two intervals).
    void sigtermHandsOver()
    {
        const QString journal = m_dir.filePath(QStringLiteral("sigterm.sqlite"));
        auto recorder = startRecorder(journal, {QStringLiteral("--quiet"), QStringLiteral("--connect"), m_uri});
        std::unique_ptr<QProcess> a, b;
        QVERIFY(startPair(a, b));
        QTest::qWait(3000);
        ::kill(pid_t(a->processId()), SIGTERM);
        QVERIFY(a->waitForFinished(3000));
        QCOMPARE(a->exitCode(), 0);
        QVERIFY(QTest::qWaitFor([&] { return firstPrimaryBeat(QStringLiteral("b")).has_value(); }, 5000));
        QCOMPARE(m_redis->command(m_node, {"GET", ServiceRole::leaseKey(QStringLiteral("orders"))}).string, QByteArrayLiteral("2 b"));
        const qint64 lastPrimaryOfA = beatsOf(QStringLiteral("a"), QStringLiteral("primary")).last().atMs;
        const SeenBeat stopping = beatsOf(QStringLiteral("a")).last();
        QCOMPARE(stopping.role, QStringLiteral("stopping"));
        // b acted on a's last beat, not on its detector (which needs about 1.6 intervals of silence).
        const qint64 sinceStopping = firstPrimaryBeat(QStringLiteral("b"))->atMs - stopping.atMs;
        QVERIFY2(sinceStopping >= 0 && sinceStopping < 300, qPrintable(QString::number(sinceStopping)));
        const qint64 gap = firstPrimaryBeat(QStringLiteral("b"))->atMs - lastPrimaryOfA;
        QVERIFY2(gap < 1500, qPrintable(QString::number(gap)));
        QVERIFY(QTest::qWaitFor([&] { return !journalEvents(journal, QStringLiteral("service.takeover")).isEmpty(); }, 5000));
        QVERIFY(journalEvents(journal, QStringLiteral("service.takeover")).first().data.value(QStringLiteral("gap_ms")).toInteger() < 1500);
        QCOMPARE(journalEvents(journal, QStringLiteral("service.down")).size(), 0);
        stopMember(*b);
        QVERIFY(stopRecorder(*recorder));
    }

    // What a failover can do to a lease on an asynchronously replicated master: the new master
    // may have neither the lease nor the epoch counter. Both keys are deleted here to show it: the
    // primary learns at its next renewal and steps down, and the next epoch is still higher
    // (a new holder's epoch is raised above the highest it has seen).
    void leaseAndCounterLost()
    {
        std::unique_ptr<QProcess> a, b;
        QVERIFY(startPair(a, b));
        QTest::qWait(1500);
        const Reply deleted =
            m_redis->command(m_node, {"DEL", ServiceRole::leaseKey(QStringLiteral("orders")), ServiceRole::epochKey(QStringLiteral("orders"))});
        QCOMPARE(deleted.integer, 2);
        const qint64 lostAt = nowMs();
        QVERIFY(QTest::qWaitFor([&] { return hooks(QStringLiteral("a")).size() == 2; }, 5000));
        const qint64 demotedAt = hooks(QStringLiteral("a")).last().section(QLatin1Char(' '), 1, 1).toLongLong();
        QVERIFY2(demotedAt - lostAt < 1500, qPrintable(QString::number(demotedAt - lostAt))); // its next renewal
        QVERIFY(QTest::qWaitFor([&] { return firstPrimaryBeat(QStringLiteral("b")).has_value(); }, 5000));
        QCOMPARE(firstPrimaryBeat(QStringLiteral("b"))->epoch, 2);
        QVERIFY(!firstPrimaryBeat(QStringLiteral("a"), firstPrimaryBeat(QStringLiteral("b"))->atMs).has_value());
        stopMember(*a);
        stopMember(*b);
    }
};

QTEST_GUILESS_MAIN(TestRoles)
#include "tst_roles.moc"
