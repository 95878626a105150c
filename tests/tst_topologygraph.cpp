// The replication trees built from node statuses, and the stale-master rules behind split brains:
// what the sentinels' majority says, what replication history says, and when neither may be trusted.
#include "incidents/scope.h"
#include "monitor/replicationcycletracker.h"
#include "monitor/splitbraintracker.h"
#include "monitor/topologygraph.h"

#include <QTest>

using namespace vigil;

namespace {

TargetStatus server(const QString &address, InfoSnapshot::Role role, bool connected = true, const QString &replId = {}, const QString &replId2 = {},
                    const QString &master = {})
{
    TargetStatus s;
    s.address = address;
    s.connected = connected;
    auto info = std::make_shared<InfoSnapshot>();
    info->role = role;
    info->replId = replId;
    info->replId2 = replId2;
    info->masterReplOffset = 1000;
    info->secondReplOffset = replId2.isEmpty() ? -1 : 900;
    if (!master.isEmpty()) {
        info->masterHost = master.section(QLatin1Char(':'), 0, 0);
        info->masterPort = quint16(master.section(QLatin1Char(':'), 1).toUInt());
        info->linkStatus = QStringLiteral("up");
    }
    s.info = info;
    return s;
}

SentinelInstance instance(const QString &address, const QString &name = {})
{
    SentinelInstance i;
    i.name = name.isEmpty() ? address : name;
    i.ip = address.section(QLatin1Char(':'), 0, 0);
    i.port = quint16(address.section(QLatin1Char(':'), 1).toUInt());
    return i;
}

// A sentinel at `address` naming `master` as master of `group`, listing `replicas`, knowing `others`.
TargetStatus sentinel(const QString &address, const QString &group, const QString &master, const QStringList &replicas,
                      const QStringList &others = {}, const QString &failoverState = {})
{
    TargetStatus s;
    s.address = address;
    s.kind = TargetStatus::Kind::Sentinel;
    s.connected = true;
    SentinelView v;
    v.sentinel = address;
    v.master = instance(master, group);
    v.master.failoverState = failoverState;
    for (const QString &r : replicas)
        v.replicas << instance(r);
    for (const QString &o : others)
        v.sentinels << instance(o);
    s.sentinelViews << v;
    return s;
}

const QString A = QStringLiteral("10.0.0.1:6379");
const QString B = QStringLiteral("10.0.0.2:6379");
const QString S1 = QStringLiteral("10.0.0.9:26379");
const QString S2 = QStringLiteral("10.0.0.9:26380");

} // namespace

class TestTopologyGraph : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The old master back after the sentinels moved on: under the master they name, a split brain.
    void sentinelsNameAnotherMaster()
    {
        const TopologyGraph g =
            buildTopologyGraph({server(A, InfoSnapshot::Role::Master, true, QStringLiteral("old")),
                                server(B, InfoSnapshot::Role::Master, true, QStringLiteral("new"), QStringLiteral("old")),
                                sentinel(S1, QStringLiteral("g"), B, {A}, {S2}), sentinel(S2, QStringLiteral("g"), B, {A}, {S1})});
        QCOMPARE(g.groups(), QStringList{B});
        QVERIFY(g.node(A)->staleMaster && g.node(A)->splitBrain);
        QCOMPARE(g.node(A)->staleKind, QStringLiteral("sentinels"));
        QCOMPARE(g.node(A)->master, B);
        QVERIFY(g.node(B)->namedBySentinels && !g.node(B)->staleMaster);

        // Just reconnected, with only what it said before it hung: stale, but not judged yet.
        TargetStatus back = server(A, InfoSnapshot::Role::Master, true, QStringLiteral("old"));
        back.infoTimeMs = 1000;
        back.connectedAtMs = 2000;
        const TopologyGraph early =
            buildTopologyGraph({back, server(B, InfoSnapshot::Role::Master, true, QStringLiteral("new"), QStringLiteral("old")),
                                sentinel(S1, QStringLiteral("g"), B, {A})});
        QVERIFY(early.node(A)->staleMaster && !early.node(A)->splitBrain);

        // The master the sentinels name has stopped answering polls (hung, connection not yet timed
        // out): the promoted replica is not a zombie.
        TargetStatus hung = server(B, InfoSnapshot::Role::Master, true, QStringLiteral("new"), QStringLiteral("old"));
        hung.infoTimeMs = 10'000;
        TargetStatus promoted = server(A, InfoSnapshot::Role::Master, true, QStringLiteral("old"));
        promoted.infoTimeMs = 12'000;
        const TopologyGraph failing = buildTopologyGraph({promoted, hung, sentinel(S1, QStringLiteral("g"), B, {A})});
        QVERIFY(failing.node(A)->staleMaster && !failing.node(A)->splitBrain);
    }

    // Without sentinels, the newer history wins: the master whose replid the other carries as replid2.
    void historySaysWhoIsNewer()
    {
        const TopologyGraph g = buildTopologyGraph({server(A, InfoSnapshot::Role::Master, true, QStringLiteral("old")),
                                                    server(B, InfoSnapshot::Role::Master, true, QStringLiteral("new"), QStringLiteral("old"))});
        QCOMPARE(g.groups(), QStringList{B});
        QVERIFY(g.node(A)->splitBrain);
        QCOMPARE(g.node(A)->staleKind, QStringLiteral("history"));
        // Unrelated masters are two groups.
        const TopologyGraph two = buildTopologyGraph(
            {server(A, InfoSnapshot::Role::Master, true, QStringLiteral("x")), server(B, InfoSnapshot::Role::Master, true, QStringLiteral("y"))});
        QCOMPARE(two.groups().size(), 2);
        QVERIFY(two.splitBrains().isEmpty());
    }

    // A live master the sentinels name is not stale because a replica was promoted behind their back.
    void sentinelsOutrankHistory()
    {
        const TopologyGraph g = buildTopologyGraph({server(A, InfoSnapshot::Role::Master, true, QStringLiteral("old")),
                                                    server(B, InfoSnapshot::Role::Master, true, QStringLiteral("new"), QStringLiteral("old")),
                                                    sentinel(S1, QStringLiteral("g"), A, {B})});
        QCOMPARE(g.groups(), QStringList{A});
        QVERIFY(g.node(B)->splitBrain);
        QVERIFY(!g.node(A)->staleMaster);
    }

    // A dead former master stays in its group; a live promoted replica is never put under a dead master.
    void theDeadStayInTheirGroup()
    {
        const TopologyGraph dead = buildTopologyGraph({server(A, InfoSnapshot::Role::Master, false, QStringLiteral("old")),
                                                       server(B, InfoSnapshot::Role::Master, true, QStringLiteral("new"), QStringLiteral("old")),
                                                       sentinel(S1, QStringLiteral("g"), B, {A})});
        QCOMPARE(dead.groups(), QStringList{B});
        QVERIFY(dead.node(A)->staleMaster && !dead.node(A)->splitBrain);
        // The sentinels still name the dead one (before their failover): the live one is a root, not stale.
        const TopologyGraph before = buildTopologyGraph({server(A, InfoSnapshot::Role::Master, false, QStringLiteral("old")),
                                                         server(B, InfoSnapshot::Role::Master, true, QStringLiteral("new"), QStringLiteral("old")),
                                                         sentinel(S1, QStringLiteral("g"), A, {B})});
        QVERIFY(!before.node(B)->staleMaster);
        QVERIFY(before.splitBrains().isEmpty());
    }

    // While Sentinel's failover runs, its promoted replica is a master it does not name yet: no split brain.
    void noSplitBrainDuringAFailover()
    {
        const TopologyGraph g = buildTopologyGraph({server(A, InfoSnapshot::Role::Master, true, QStringLiteral("old")),
                                                    server(B, InfoSnapshot::Role::Master, true, QStringLiteral("new"), QStringLiteral("old")),
                                                    sentinel(S1, QStringLiteral("g"), A, {B}, {}, QStringLiteral("wait_promotion"))});
        QVERIFY(g.node(B)->staleMaster);
        QVERIFY(g.splitBrains().isEmpty());
    }

    // Two deployments that both call their group "mymaster", each with its own sentinels: no mix-up.
    void sameGroupNameTwoDeployments()
    {
        const QString otherSentinel = QStringLiteral("10.1.0.9:26379");
        const TopologyGraph g =
            buildTopologyGraph({server(A, InfoSnapshot::Role::Master, true, QStringLiteral("x")),
                                server(B, InfoSnapshot::Role::Master, true, QStringLiteral("y")), sentinel(S1, QStringLiteral("mymaster"), A, {B}),
                                sentinel(S2, QStringLiteral("mymaster"), A, {B}, {S1}), sentinel(otherSentinel, QStringLiteral("mymaster"), B, {})});
        // Two of the first deployment's sentinels name A and list B: B is stale there.
        QVERIFY(g.node(B)->staleMaster);
        // The other deployment's sentinel alone names B: it does not outvote the first one, nor make A stale.
        QVERIFY(!g.node(A)->staleMaster);
    }

    // A split brain's life: held back inside a promotion's window and until it lasted, kept
    // through a blip of the new master's connection, ended when the zombie is converted, with the
    // bytes it had accepted past the divergence point.
    void splitBrainLifecycle()
    {
        SplitBrainTracker tracker;
        auto zombieAt = [](qint64 offset, bool master = true) {
            TargetStatus z =
                server(A, master ? InfoSnapshot::Role::Master : InfoSnapshot::Role::Replica, true, QStringLiteral("old"), {}, master ? QString() : B);
            std::const_pointer_cast<InfoSnapshot>(z.info)->masterReplOffset = offset;
            return z;
        };
        const TargetStatus newMaster = server(B, InfoSnapshot::Role::Master, true, QStringLiteral("new"), QStringLiteral("old"));
        // The new master's history left the old one at offset 899 (second_repl_offset 900).
        QVERIFY(tracker.update(buildTopologyGraph({zombieAt(950), newMaster}), 1000, true).isEmpty()); // a promotion runs
        // Not confirmed yet: a switchover has two masters for a moment.
        QVERIFY(tracker.update(buildTopologyGraph({zombieAt(1000), newMaster}), 1000 + SplitBrainTracker::kConfirmMs - 1, false).isEmpty());
        // Lasted, but a promotion runs: still held back.
        QVERIFY(tracker.update(buildTopologyGraph({zombieAt(1050), newMaster}), 1000 + SplitBrainTracker::kConfirmMs + 500, true).isEmpty());
        QList<Event> events = tracker.update(buildTopologyGraph({zombieAt(1100), newMaster}), 4000, false);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().kind, QStringLiteral("replication.split_brain"));
        QCOMPARE(events.first().time.toMSecsSinceEpoch(), 1000); // when it began
        QCOMPARE(events.first().data.value(QStringLiteral("accepted_bytes")).toInteger(), 1100 - 899);
        QCOMPARE(events.first().data.value(QStringLiteral("named_by_kind")).toString(), QStringLiteral("history"));
        QVERIFY(events.first().data.value(QStringLiteral("accepted_exact")).toBool());
        // The new master's connection blips: nothing ends, nothing is raised again.
        TargetStatus blip = newMaster;
        blip.connected = false;
        QVERIFY(tracker.update(buildTopologyGraph({zombieAt(1200), blip}), 4500, false).isEmpty());
        QVERIFY(tracker.update(buildTopologyGraph({zombieAt(1300), newMaster}), 5000, false).isEmpty());
        // Converted: over, with what its resync threw away.
        events = tracker.update(buildTopologyGraph({zombieAt(1300, false), newMaster}), 6000, false);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().kind, QStringLiteral("replication.split_brain_ended"));
        QCOMPARE(events.first().data.value(QStringLiteral("outcome")).toString(), QStringLiteral("converted"));
        QCOMPARE(events.first().data.value(QStringLiteral("discarded_bytes")).toInteger(), 1300 - 899);
        QCOMPARE(events.first().data.value(QStringLiteral("lasted_ms")).toInteger(), 5000);
        QCOMPARE(tracker.openCount(), 0);

        // Another tool's switchover: both masters for a moment, the old one demoted within the
        // confirmation time. Nothing is raised, nothing ends.
        QVERIFY(tracker.update(buildTopologyGraph({zombieAt(2000), newMaster}), 10'000, false).isEmpty());
        QCOMPARE(tracker.openCount(), 1);
        QVERIFY(tracker.update(buildTopologyGraph({zombieAt(2000, false), newMaster}), 11'000, false).isEmpty());
        QCOMPARE(tracker.openCount(), 0);

        // Seen, then not (the new master's connection blips), then seen again: confirmed only
        // once it has been seen for the whole time without a break.
        QVERIFY(tracker.update(buildTopologyGraph({zombieAt(3000), newMaster}), 20'000, false).isEmpty());
        QVERIFY(tracker.update(buildTopologyGraph({zombieAt(3000), blip}), 21'000, false).isEmpty());
        QVERIFY(tracker.update(buildTopologyGraph({zombieAt(3000), newMaster}), 22'500, false).isEmpty());
        QVERIFY(tracker.update(buildTopologyGraph({zombieAt(3000), newMaster}), 22'500 + SplitBrainTracker::kConfirmMs - 1, false).isEmpty());
        events = tracker.update(buildTopologyGraph({zombieAt(3000), newMaster}), 22'500 + SplitBrainTracker::kConfirmMs, false);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().time.toMSecsSinceEpoch(), 22'500);
    }

    // Replicas replicating from each other in a loop: recorded (every member marked, Critical),
    // reported once it lasted three looks, ended when one of them is a master again.
    void replicationCycle()
    {
        const QString C = QStringLiteral("10.0.0.3:6379");
        QList<TargetStatus> nodes{server(A, InfoSnapshot::Role::Replica, true, {}, {}, B), server(B, InfoSnapshot::Role::Replica, true, {}, {}, A),
                                  server(C, InfoSnapshot::Role::Replica, true, {}, {}, A)};
        TopologyGraph g = buildTopologyGraph(nodes);
        QCOMPARE(g.cycles.size(), 1);
        QCOMPARE(g.cycles.first(), (QStringList{A, B}));
        QCOMPARE(g.servers.size(), 3);
        QCOMPARE(g.node(A)->cycle, QStringLiteral("%1 -> %2 -> %1").arg(A, B));
        QVERIFY(!g.node(B)->cycle.isEmpty());
        QVERIFY(g.node(C)->cycle.isEmpty()); // hangs off the loop, is not in it
        QCOMPARE(assessServer(*g.node(A), {}).level, Health::Critical);

        ReplicationCycleTracker tracker;
        QVERIFY(tracker.update(g, 1000).isEmpty());
        QVERIFY(tracker.update(g, 2000).isEmpty());
        const QList<Event> started = tracker.update(g, 3000);
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.first().kind, QStringLiteral("replication.cycle"));
        QCOMPARE(started.first().time.toMSecsSinceEpoch(), qint64(1000));
        QVERIFY(tracker.update(g, 4000).isEmpty());

        // A unreachable: not a loop of answering servers (the dead one's last word is no proof).
        nodes[0].connected = false;
        QVERIFY(buildTopologyGraph(nodes).cycles.isEmpty());
        nodes[0].connected = true;

        // B promoted: the loop is gone.
        nodes[1] = server(B, InfoSnapshot::Role::Master);
        g = buildTopologyGraph(nodes);
        QVERIFY(g.cycles.isEmpty());
        const QList<Event> ended = tracker.update(g, 5000);
        QCOMPARE(ended.size(), 1);
        QCOMPARE(ended.first().kind, QStringLiteral("replication.cycle_ended"));
        QCOMPARE(ended.first().data.value(QStringLiteral("lasted_ms")).toInteger(), qint64(4000));

        // A loop seen only twice (a failover's instant) is never reported.
        nodes[1] = server(B, InfoSnapshot::Role::Replica, true, {}, {}, A);
        g = buildTopologyGraph(nodes);
        QVERIFY(tracker.update(g, 6000).isEmpty());
        QVERIFY(tracker.update(g, 7000).isEmpty());
        QVERIFY(tracker.update(buildTopologyGraph({}), 8000).isEmpty());
    }

    // Each event's replication group, stamped when it is raised: the Sentinel group by name, a
    // plain master with its replicas by the master, a heartbeat node by the server carrying it.
    void scopesFromTheGraph()
    {
        const QString C = QStringLiteral("10.0.0.3:6379");
        const QString D = QStringLiteral("10.0.0.4:6379");
        const TopologyGraph g = buildTopologyGraph({server(A, InfoSnapshot::Role::Master), server(B, InfoSnapshot::Role::Replica, true, {}, {}, A),
                                                    sentinel(S1, QStringLiteral("orders"), A, {B}), server(C, InfoSnapshot::Role::Master),
                                                    server(D, InfoSnapshot::Role::Replica, true, {}, {}, C)});
        const ScopeIndex index = ScopeIndex::fromGraph(g);
        QCOMPARE(index.of(A).id, QStringLiteral("sentinel:orders"));
        QCOMPARE(index.of(B).id, QStringLiteral("sentinel:orders"));
        QCOMPARE(index.of(B).master, A);
        QCOMPARE(index.of(D).id, QStringLiteral("replication:") + C);
        QVERIFY(!index.of(QStringLiteral("10.9.9.9:6379")).isValid());

        Event down = Event::make(QStringLiteral("redis.unreachable"), Severity::Critical, A, QStringLiteral("gone"));
        index.stamp(down);
        QCOMPARE(down.data.value(QStringLiteral("scope")).toString(), QStringLiteral("sentinel:orders"));
        QCOMPARE(down.data.value(QStringLiteral("scope_master")).toString(), A);

        Event beat = Event::make(QStringLiteral("heartbeat.unknown"), Severity::Warning, QStringLiteral("api-1"), QStringLiteral("?"),
                                 {{QStringLiteral("carrier"), D}});
        index.stamp(beat);
        QCOMPARE(beat.data.value(QStringLiteral("scope")).toString(), QStringLiteral("replication:") + C);

        Event sdown = Event::make(QStringLiteral("sentinel.+sdown"), Severity::Warning, S1, QStringLiteral("+sdown"),
                                  {{QStringLiteral("master_name"), QStringLiteral("orders")}, {QStringLiteral("master"), A}});
        index.stamp(sdown);
        QCOMPARE(sdown.data.value(QStringLiteral("scope")).toString(), QStringLiteral("sentinel:orders"));

        Event own = Event::make(QStringLiteral("monitor.started"), Severity::Info, QStringLiteral("vigil"), QStringLiteral("start"));
        index.stamp(own);
        QVERIFY(!own.data.contains(QStringLiteral("scope")));

        // A replica just promoted, apart from its group until the sentinels answer again: still
        // in the group they list it in.
        const TopologyGraph promoted = buildTopologyGraph({server(A, InfoSnapshot::Role::Master, false),
                                                           server(B, InfoSnapshot::Role::Master, true, QStringLiteral("new"), QStringLiteral("old")),
                                                           sentinel(S1, QStringLiteral("orders"), A, {B})});
        QCOMPARE(ScopeIndex::fromGraph(promoted).of(B).id, QStringLiteral("sentinel:orders"));
    }
};

QTEST_APPLESS_MAIN(TestTopologyGraph)
#include "tst_topologygraph.moc"
