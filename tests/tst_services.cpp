// Services on injected clocks: takeovers and their gaps, two primaries at once, degraded and down,
// stale primaries by their epoch, and plain nodes grouped by the operator; and the decisions of an
// instance run with `vigil-beat --role auto` (when to take the lease, renew it, give it up).
#include "services/election.h"
#include "services/servicetracker.h"

#include <QJsonArray>
#include <QTest>

using namespace vigil;

namespace {

const QString kOrders = QStringLiteral("orders");
constexpr qint64 T0 = 1'764'000'000'000;

ServiceBeat beat(const QString &node, const QString &role, qint64 atMs, qint64 senderSkewMs = 0, qint64 epoch = -1)
{
    ServiceBeat b;
    b.node = node;
    b.service = kOrders;
    b.role = role;
    b.epoch = epoch;
    b.seq = atMs / 1000 + 1;
    b.arrivalMs = T0 + atMs;
    b.senderMs = T0 + atMs + senderSkewMs;
    b.intervalMs = 1000;
    return b;
}

QStringList kinds(const QList<Event> &events)
{
    QStringList list;
    for (const Event &e : events)
        list << e.kind;
    return list;
}

// Feeds a second of beats for each node in `roles` (node -> role) starting at `fromMs`, and
// returns every event the tracker gave, update()s included.
QList<Event> beatFor(ServiceTracker &t, const QList<std::pair<QString, QString>> &roles, qint64 fromMs, qint64 untilMs, qint64 skewMs = 0)
{
    QList<Event> events;
    for (qint64 at = fromMs; at < untilMs; at += 1000) {
        for (const auto &[node, role] : roles)
            events += t.beat(beat(node, role, at, skewMs));
        events += t.update(T0 + at + 500);
    }
    return events;
}

} // namespace

class TestServices : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The primary stops; the standby claims primary 2.3 s after the primary's last beat. The gap is
    // measured by the senders' clocks when they agree with ours, by arrival otherwise.
    void takeoverGapMeasured()
    {
        for (const qint64 skew : {qint64(40), qint64(5000)}) {
            ServiceTracker t;
            const QList<Event> start =
                beatFor(t, {{QStringLiteral("a"), QStringLiteral("primary")}, {QStringLiteral("b"), QStringLiteral("standby")}}, 0, 5000, skew);
            QVERIFY2(start.isEmpty(), qPrintable(kinds(start).join(QLatin1Char(' ')))); // healthy from the start: no news
            QCOMPARE(t.service(kOrders)->state, ServiceState::Healthy);
            t.setState(QStringLiteral("a"), NodeState::Down);
            QCOMPARE(kinds(t.update(T0 + 6000)), QStringList{QStringLiteral("service.down")});
            QList<Event> events = t.beat(beat(QStringLiteral("b"), QStringLiteral("primary"), 4000 + 2300, skew));
            QCOMPARE(kinds(events), (QStringList{QStringLiteral("service.role_changed"), QStringLiteral("service.takeover")}));
            const Event takeover = events.last();
            QCOMPARE(takeover.data.value(QStringLiteral("from")).toString(), QStringLiteral("a"));
            QCOMPARE(takeover.data.value(QStringLiteral("to")).toString(), QStringLiteral("b"));
            QCOMPARE(takeover.data.value(QStringLiteral("gap_ms")).toInteger(), 2300);
            QCOMPARE(takeover.data.value(QStringLiteral("clock")).toString(), skew < 250 ? QStringLiteral("sender") : QStringLiteral("arrival"));
            QCOMPARE(t.service(kOrders)->takeovers.size(), 1);
            // A primary again, but no standby any more: degraded.
            QCOMPARE(kinds(t.update(T0 + 7000)), QStringList{QStringLiteral("service.degraded")});
        }
    }

    // The sender's clock gives the gap where arrival would not: the new primary's first beat was
    // delayed on its way, the senders' clocks say when it was sent.
    void senderClockIsPreferred()
    {
        ServiceTracker t;
        beatFor(t, {{QStringLiteral("a"), QStringLiteral("primary")}, {QStringLiteral("b"), QStringLiteral("standby")}}, 0, 3000);
        ServiceBeat late = beat(QStringLiteral("b"), QStringLiteral("primary"), 2000 + 1600);
        late.senderMs = T0 + 2000 + 1600 - 200; // sent 200 ms before it arrived
        const QList<Event> events = t.beat(late);
        QCOMPARE(events.last().kind, QStringLiteral("service.takeover"));
        QCOMPARE(events.last().data.value(QStringLiteral("gap_ms")).toInteger(), 1400);
    }

    // A hung primary resumes after the standby took over. It stood down (beats as standby): no
    // split. It did not (beats as primary beside the new one for longer than an interval): split.
    void hungPrimaryResumes()
    {
        for (const bool standsDown : {true, false}) {
            ServiceTracker t;
            beatFor(t, {{QStringLiteral("a"), QStringLiteral("primary")}, {QStringLiteral("b"), QStringLiteral("standby")}}, 0, 4000);
            t.setState(QStringLiteral("a"), NodeState::Down);
            t.update(T0 + 5000);
            QList<Event> events = beatFor(t, {{QStringLiteral("b"), QStringLiteral("primary")}}, 6000, 8000);
            QVERIFY(kinds(events).contains(QStringLiteral("service.takeover")));
            t.setState(QStringLiteral("a"), NodeState::Up);
            events = beatFor(t,
                             {{QStringLiteral("a"), standsDown ? QStringLiteral("standby") : QStringLiteral("primary")},
                              {QStringLiteral("b"), QStringLiteral("primary")}},
                             8000, 12000);
            if (standsDown) {
                QVERIFY(!kinds(events).contains(QStringLiteral("service.split_brain")));
                QVERIFY(kinds(events).contains(QStringLiteral("service.role_changed")));
                QCOMPARE(t.service(kOrders)->state, ServiceState::Healthy);
                continue;
            }
            QCOMPARE(kinds(events).count(QStringLiteral("service.split_brain")), 1);
            const Event split = events.at(kinds(events).indexOf(QStringLiteral("service.split_brain")));
            QCOMPARE(split.severity, Severity::Critical);
            const QJsonArray claimants = split.data.value(QStringLiteral("claimants")).toArray();
            QCOMPARE(claimants.size(), 2);
            // Each claimant with what it said: its seq and its clock's ts in its latest claim.
            for (const QJsonValue &c : claimants) {
                QVERIFY(c.toObject().value(QStringLiteral("seq")).toInteger() >= 9);
                QVERIFY(c.toObject().value(QStringLiteral("ts")).toString().startsWith(QStringLiteral("20")));
            }
            QVERIFY(!kinds(events).contains(QStringLiteral("service.takeover"))); // both claim: no takeover
            // The old one stops claiming: the split ends.
            events = beatFor(t, {{QStringLiteral("b"), QStringLiteral("primary")}}, 12000, 15000);
            QVERIFY(!kinds(events).contains(QStringLiteral("service.split_brain")));
            QCOMPARE(t.service(kOrders)->state == ServiceState::Split, false);
        }
    }

    // A quick hand-over (the old primary released its lease and stopped; the standby claims 100 ms
    // later), judged every 250 ms: a takeover of 100 ms, no split.
    void quickHandOverIsNoSplit()
    {
        ServiceTracker t;
        beatFor(t, {{QStringLiteral("a"), QStringLiteral("primary")}, {QStringLiteral("b"), QStringLiteral("standby")}}, 0, 4000);
        QList<Event> events;
        for (qint64 at = 3100; at < 9000; at += 250) {
            if ((at - 3100) % 1000 == 0)
                events += t.beat(beat(QStringLiteral("b"), QStringLiteral("primary"), at));
            events += t.update(T0 + at + 10);
        }
        QVERIFY2(!kinds(events).contains(QStringLiteral("service.split_brain")), qPrintable(kinds(events).join(QLatin1Char(' '))));
        const qsizetype at = kinds(events).indexOf(QStringLiteral("service.takeover"));
        QVERIFY(at >= 0);
        QCOMPARE(events[at].data.value(QStringLiteral("gap_ms")).toInteger(), 100);
        QCOMPARE(events[at].time.toMSecsSinceEpoch(), T0 + 3100); // stamped at its first claim
    }

    // A node that beats for another service leaves the first one.
    void nodeChangingServiceLeavesTheOld()
    {
        ServiceTracker t;
        beatFor(t, {{QStringLiteral("a"), QStringLiteral("primary")}}, 0, 4000);
        ServiceBeat moved = beat(QStringLiteral("a"), QStringLiteral("primary"), 4000);
        moved.service = QStringLiteral("billing");
        t.beat(moved);
        QVERIFY(t.service(kOrders)->members.isEmpty());
        QCOMPARE(t.service(QStringLiteral("billing"))->members.size(), 1);
    }

    // One interval with two claims (a hand-over's overlap) is no split.
    void briefOverlapIsNoSplit()
    {
        ServiceTracker t;
        beatFor(t, {{QStringLiteral("a"), QStringLiteral("primary")}, {QStringLiteral("b"), QStringLiteral("standby")}}, 0, 3000);
        QList<Event> events = t.beat(beat(QStringLiteral("b"), QStringLiteral("primary"), 3000));
        events += t.update(T0 + 3100);
        events += beatFor(t, {{QStringLiteral("a"), QStringLiteral("standby")}, {QStringLiteral("b"), QStringLiteral("primary")}}, 4000, 8000);
        QVERIFY2(!kinds(events).contains(QStringLiteral("service.split_brain")), qPrintable(kinds(events).join(QLatin1Char(' '))));
    }

    // A primary that says it is stopping hands over: the service is not down in the moment before
    // its successor's first beat, however the updates fall; with no successor it is, once nobody
    // has claimed primary for an interval and a half.
    void gracefulHandOverIsNoOutage()
    {
        const QList<std::pair<QString, QString>> pair{{QStringLiteral("a"), QStringLiteral("primary")},
                                                      {QStringLiteral("b"), QStringLiteral("standby")}};
        ServiceTracker t;
        QList<Event> events = beatFor(t, pair, 0, 3000);
        events += t.beat(beat(QStringLiteral("a"), QStringLiteral("stopping"), 2100));
        events += t.update(T0 + 2150);
        events += t.beat(beat(QStringLiteral("b"), QStringLiteral("primary"), 2300));
        events += t.update(T0 + 2400);
        QVERIFY2(!kinds(events).contains(QStringLiteral("service.down")), qPrintable(kinds(events).join(QLatin1Char(' '))));
        QVERIFY(t.update(T0 + 2600).isEmpty()); // nor after it

        ServiceTracker alone;
        events = beatFor(alone, pair, 0, 3000);
        events += alone.beat(beat(QStringLiteral("a"), QStringLiteral("stopping"), 2100));
        events += alone.update(T0 + 3000);
        QVERIFY(!kinds(events).contains(QStringLiteral("service.down")));
        events = alone.update(T0 + 3600);
        QCOMPARE(kinds(events), QStringList{QStringLiteral("service.down")});
    }

    void degradedAndDown()
    {
        ServiceTracker t;
        beatFor(t, {{QStringLiteral("a"), QStringLiteral("primary")}, {QStringLiteral("b"), QStringLiteral("standby")}}, 0, 3000);
        t.setState(QStringLiteral("b"), NodeState::Down);
        QList<Event> events = t.update(T0 + 3500);
        QCOMPARE(kinds(events), QStringList{QStringLiteral("service.degraded")});
        QCOMPARE(events.first().severity, Severity::Warning);
        t.setState(QStringLiteral("a"), NodeState::Unknown);
        events = t.update(T0 + 4000);
        QCOMPARE(kinds(events), QStringList{QStringLiteral("service.down")});
        QCOMPARE(events.first().severity, Severity::Critical);
        QCOMPARE(events.first().data.value(QStringLiteral("from")).toString(), QStringLiteral("degraded"));
        t.setState(QStringLiteral("a"), NodeState::Up);
        t.setState(QStringLiteral("b"), NodeState::Up);
        events = t.update(T0 + 4500);
        QCOMPARE(kinds(events), QStringList{QStringLiteral("service.healthy")});
        QCOMPARE(events.first().severity, Severity::Info);
        QVERIFY(t.update(T0 + 5000).isEmpty()); // said once
    }

    // A former primary beating with an older fencing token than the service has seen.
    void stalePrimaryByEpoch()
    {
        ServiceTracker t;
        QVERIFY(t.beat(beat(QStringLiteral("a"), QStringLiteral("primary"), 0, 0, 1)).isEmpty());
        t.beat(beat(QStringLiteral("b"), QStringLiteral("primary"), 3000, 0, 2));
        QList<Event> events = t.beat(beat(QStringLiteral("a"), QStringLiteral("primary"), 3500, 0, 1));
        QCOMPARE(kinds(events), QStringList{QStringLiteral("service.stale_primary")});
        QCOMPARE(events.first().data.value(QStringLiteral("highest_epoch")).toInteger(), 2);
        QVERIFY(t.beat(beat(QStringLiteral("a"), QStringLiteral("primary"), 4500, 0, 1)).isEmpty()); // once
    }

    // Plain beats of nodes the operator grouped: the one beating is the primary; a takeover is
    // measured by arrival (plain beats carry no clock); no standby ever said so, so the service is
    // not called degraded for the recipe's silent standby.
    void plainNodesGroupedByTheOperator()
    {
        ServiceTracker t;
        t.setGroups({{kOrders, {QStringLiteral("orders-1"), QStringLiteral("orders-2")}}});
        auto plain = [](const QString &node, qint64 atMs) {
            ServiceBeat b;
            b.node = node;
            b.arrivalMs = T0 + atMs;
            return b;
        };
        QList<Event> events;
        for (qint64 at = 0; at < 4000; at += 1000) {
            events += t.beat(plain(QStringLiteral("orders-1"), at));
            events += t.update(T0 + at + 500);
        }
        QVERIFY(events.isEmpty());
        QCOMPARE(t.service(kOrders)->primaries, QStringList{QStringLiteral("orders-1")});
        QCOMPARE(t.service(kOrders)->state, ServiceState::Healthy);
        t.setState(QStringLiteral("orders-1"), NodeState::Down);
        QCOMPARE(kinds(t.update(T0 + 5000)), QStringList{QStringLiteral("service.down")});
        events = t.beat(plain(QStringLiteral("orders-2"), 6000));
        QCOMPARE(kinds(events), QStringList{QStringLiteral("service.takeover")});
        QCOMPARE(events.first().data.value(QStringLiteral("gap_ms")).toInteger(), 3000);
        QCOMPARE(events.first().data.value(QStringLiteral("clock")).toString(), QStringLiteral("arrival"));
        QCOMPARE(kinds(t.update(T0 + 6500)), QStringList{QStringLiteral("service.healthy")});
        // A node nobody grouped and that names no service is a node of its own.
        ServiceBeat alone = plain(QStringLiteral("batch-1"), 7000);
        QVERIFY(t.beat(alone).isEmpty());
        QVERIFY(!t.service(QStringLiteral("batch-1")));
    }

    // At the start, a standby heard before its primary is no outage.
    void startIsNoOutage()
    {
        ServiceTracker t;
        QVERIFY(t.beat(beat(QStringLiteral("b"), QStringLiteral("standby"), 0)).isEmpty());
        QVERIFY(t.update(T0 + 500).isEmpty());
        QVERIFY(t.beat(beat(QStringLiteral("a"), QStringLiteral("primary"), 900)).isEmpty());
        QVERIFY(t.update(T0 + 2500).isEmpty());
        t.beat(beat(QStringLiteral("a"), QStringLiteral("primary"), 1900));
        t.beat(beat(QStringLiteral("b"), QStringLiteral("standby"), 2000));
        t.beat(beat(QStringLiteral("a"), QStringLiteral("primary"), 2900));
        t.beat(beat(QStringLiteral("b"), QStringLiteral("standby"), 3000));
        QVERIFY(t.update(T0 + ServiceTracker::kSettleMs + 100).isEmpty()); // judged now, healthy: no news
        QCOMPARE(t.service(kOrders)->state, ServiceState::Healthy);
    }

    // A group none of whose nodes beats is a service too: down once it had time to be heard.
    void groupNobodyBeatsInIsDown()
    {
        ServiceTracker t;
        t.setGroups({{QStringLiteral("billing"), {QStringLiteral("heartbeat:billing-1"), QStringLiteral("heartbeat:billing-2")}}});
        QVERIFY(t.update(T0).isEmpty());
        QCOMPARE(t.service(QStringLiteral("billing"))->members.size(), 2);
        QCOMPARE(t.service(QStringLiteral("billing"))->members.first().state, NodeState::Unknown);
        QVERIFY(t.update(T0 + 2000).isEmpty());
        QCOMPARE(kinds(t.update(T0 + ServiceTracker::kSettleMs + 1)), QStringList{QStringLiteral("service.down")});
    }

    // Groups change while running: a node taken out leaves, an emptied service is forgotten, and
    // a node moved to another group beats for that one from its next beat.
    void regroupingWhileRunning()
    {
        ServiceTracker t;
        t.setGroups({{QStringLiteral("a"), {QStringLiteral("n1"), QStringLiteral("n2")}}});
        ServiceBeat b;
        b.node = QStringLiteral("n1");
        b.arrivalMs = T0;
        t.beat(b);
        QCOMPARE(t.service(QStringLiteral("a"))->members.size(), 2);
        t.setGroups({{QStringLiteral("a"), {QStringLiteral("n2")}}, {QStringLiteral("b"), {QStringLiteral("n1")}}});
        QCOMPARE(t.service(QStringLiteral("a"))->members.size(), 1);
        QCOMPARE(t.service(QStringLiteral("b"))->members.size(), 1);
        b.arrivalMs = T0 + 1000;
        t.beat(b);
        QCOMPARE(t.service(QStringLiteral("b"))->members.first().lastBeatMs, T0 + 1000);
        QCOMPARE(t.service(QStringLiteral("b"))->primaries.size(), 0); // judged at the next update
        t.update(T0 + 1100);
        QCOMPARE(t.service(QStringLiteral("b"))->primaries, QStringList{QStringLiteral("n1")});
        t.setGroups({});
        QVERIFY(!t.service(QStringLiteral("a")));
        QVERIFY(!t.service(QStringLiteral("b")));
        QVERIFY(t.services().isEmpty());
    }

    // --role auto: a standby tries for the lease only once the primary's beats have stopped for its
    // detector's bound (about two intervals), and at once when the primary says it left.
    void standbyTakesTheLeaseWhenThePrimaryFallsSilent()
    {
        Election e(QStringLiteral("b"), ElectionSettings{1000, 3000}, 0);
        QCOMPARE(e.tick(500), Election::Step::None);
        for (qint64 t = 600; t <= 10'600; t += 1000) {
            QCOMPARE(e.peerBeat(QStringLiteral("a"), QStringLiteral("primary"), 1, 1000, t), Election::Step::None);
            QCOMPARE(e.tick(t + 400), Election::Step::None);
        }
        QCOMPARE(e.primary(), QStringLiteral("a"));
        QCOMPARE(e.highestEpoch(), 1);
        QCOMPARE(e.tick(11'900), Election::Step::None);    // 1.3 s of silence: not yet
        QCOMPARE(e.tick(12'700), Election::Step::Acquire); // 2.1 s: gone
        QVERIFY2(e.reason().contains(QStringLiteral("a has not beaten as primary")), qPrintable(e.reason()));
        // Refused while a's lease runs: a stays the known primary, and the standby keeps trying.
        e.refused(QStringLiteral("a"), 1, 12'700);
        QCOMPARE(e.tick(13'700), Election::Step::Acquire);
        e.acquired(2, 13'700);
        QVERIFY(e.isPrimary());
        QCOMPARE(e.epoch(), 2);
        QCOMPARE(e.primary(), QString());
    }

    void noPrimaryAtStartIsWaitedForOnce()
    {
        Election e(QStringLiteral("a"), ElectionSettings{1000, 3000}, 0);
        QCOMPARE(e.tick(1000), Election::Step::None);
        QCOMPARE(e.tick(2100), Election::Step::Acquire);
        // Another instance holds the lease but was never heard: it is the primary from now on.
        e.refused(QStringLiteral("b"), 7, 2100);
        QCOMPARE(e.primary(), QStringLiteral("b"));
        QCOMPARE(e.highestEpoch(), 7);
        QCOMPARE(e.tick(3000), Election::Step::None);
    }

    void primaryThatLeftIsReplacedAtOnce()
    {
        Election e(QStringLiteral("b"), ElectionSettings{200, 600}, 0);
        e.peerBeat(QStringLiteral("a"), QStringLiteral("primary"), 3, 200, 100);
        QCOMPARE(e.peerBeat(QStringLiteral("a"), QStringLiteral("stopping"), -1, 200, 250), Election::Step::Acquire);
        QVERIFY(e.reason().contains(QStringLiteral("stopping")));
        // A standby's beats say nothing of the primary.
        Election f(QStringLiteral("c"), ElectionSettings{200, 600}, 0);
        f.peerBeat(QStringLiteral("a"), QStringLiteral("primary"), 3, 200, 100);
        QCOMPARE(f.peerBeat(QStringLiteral("b"), QStringLiteral("standby"), -1, 200, 150), Election::Step::None);
        QCOMPARE(f.tick(200), Election::Step::None);
    }

    // A primary renews at every beat and stops claiming a third of a lease before the lease could
    // expire, counted from when its last successful renewal was sent.
    void primaryGivesUpBeforeItsLeaseCanExpire()
    {
        const ElectionSettings settings{1000, 3000};
        Election e(QStringLiteral("a"), settings, 0);
        e.acquired(1, 2000);
        QCOMPARE(e.demoteAtMs(), 2000 + 3000 - settings.guardMs());
        QCOMPARE(e.tick(3000), Election::Step::Renew);
        e.renewed(3000);
        QCOMPARE(e.demoteAtMs(), 5000);
        // An answer that arrives late but was sent earlier moves nothing back.
        e.renewed(2500);
        QCOMPARE(e.demoteAtMs(), 5000);
        // Renewals fail from here (Redis unreachable): one more beat, then the deadline.
        QCOMPARE(e.tick(4000), Election::Step::Renew);
        QCOMPARE(e.tick(4999), Election::Step::Renew);
        QCOMPARE(e.tick(5000), Election::Step::Demote);
        // A third of a lease before the lease renewed at 3000 can expire on the server.
        QCOMPARE(e.demoteAtMs() + settings.guardMs(), 3000 + settings.leaseMs);
        QVERIFY(settings.guardMs() >= settings.intervalMs);
        e.demoted(e.reason(), 5000);
        QVERIFY(!e.isPrimary());
        QCOMPARE(e.epoch(), -1);
        QCOMPARE(e.demoteAtMs(), -1);
        // It leaves another instance a detector's time before trying again.
        QCOMPARE(e.tick(6000), Election::Step::None);
        QCOMPARE(e.tick(7100), Election::Step::Acquire);
    }

    // Paused (SIGSTOP) past its lease, a primary's first step on resuming is to demote.
    void pausedPrimaryDemotesFirstOnResuming()
    {
        Election e(QStringLiteral("a"), ElectionSettings{1000, 3000}, 0);
        e.acquired(4, 0);
        e.renewed(1000);
        QCOMPARE(e.tick(9000), Election::Step::Demote);
        QVERIFY2(e.reason().contains(QStringLiteral("not renewed in time")), qPrintable(e.reason()));
    }

    // Two primaries: the one with the lower epoch gives way; a stale primary's claims are ignored.
    void epochsDecideBetweenClaims()
    {
        Election a(QStringLiteral("a"), ElectionSettings{1000, 3000}, 0);
        a.acquired(4, 0);
        QCOMPARE(a.peerBeat(QStringLiteral("b"), QStringLiteral("primary"), 3, 1000, 500), Election::Step::None);
        QCOMPARE(a.peerBeat(QStringLiteral("b"), QStringLiteral("primary"), 5, 1000, 600), Election::Step::Demote);
        QCOMPARE(a.highestEpoch(), 5);

        Election c(QStringLiteral("c"), ElectionSettings{1000, 3000}, 0);
        c.peerBeat(QStringLiteral("b"), QStringLiteral("primary"), 5, 1000, 100);
        // The old primary, thawed, beats with its old epoch: it keeps nobody from taking over.
        for (qint64 t = 1100; t < 6000; t += 1000)
            c.peerBeat(QStringLiteral("a"), QStringLiteral("primary"), 4, 1000, t);
        QCOMPARE(c.primary(), QStringLiteral("b"));
        QCOMPARE(c.tick(2500), Election::Step::Acquire);
    }
};

QTEST_GUILESS_MAIN(TestServices)
#include "tst_services.moc"
