// Replication trees from the monitored nodes.
#include "topologygraph.h"

#include <QCoreApplication>
#include <QHash>

#include <algorithm>
#include <functional>

namespace vigil {

namespace {

// The master's slaveN entry for `replica`: by address, else by port when only one entry has it
// (a replica announces the address its master sees, which may differ from the one we use).
const ReplicaEntry *entryFor(const InfoSnapshot &master, const TargetStatus &replica)
{
    for (const ReplicaEntry &e : master.replicas)
        if (replica.answersTo(e.address()))
            return &e;
    const quint16 port = replica.info ? replica.info->tcpPort : 0;
    const ReplicaEntry *match = nullptr;
    for (const ReplicaEntry &e : master.replicas) {
        if (e.port != port || port == 0)
            continue;
        if (match)
            return nullptr;
        match = &e;
    }
    return match;
}

} // namespace

const GraphNode *TopologyGraph::node(const QString &address) const
{
    for (const GraphNode &n : servers)
        if (n.status.answersTo(address))
            return &n;
    return nullptr;
}

QStringList TopologyGraph::groups() const
{
    QStringList list;
    for (const GraphNode &n : servers)
        if (n.depth == 0)
            list << n.status.address;
    return list;
}

QString TopologyGraph::sentinelGroupName(const QString &rootAddress) const
{
    if (sentinels.isEmpty())
        return {}; // and no search for the root among the servers
    const GraphNode *root = node(rootAddress);
    for (const TargetStatus &s : sentinels)
        for (const SentinelView &v : s.sentinelViews)
            if (root ? root->status.answersTo(v.master.address()) : v.master.address() == rootAddress)
                return v.master.name;
    return {};
}

TopologyGraph TopologyGraph::onlyGroup(const QString &rootAddress) const
{
    TopologyGraph g;
    for (const GraphNode &n : servers)
        if (n.group == rootAddress)
            g.servers << n;
    const QString name = sentinelGroupName(rootAddress);
    for (const TargetStatus &s : sentinels)
        if (!name.isEmpty()
            && std::any_of(s.sentinelViews.cbegin(), s.sentinelViews.cend(), [&name](const SentinelView &v) { return v.master.name == name; }))
            g.sentinels << s;
    for (const QStringList &cycle : cycles)
        if (std::any_of(cycle.cbegin(), cycle.cend(), [&g](const QString &a) { return g.node(a) != nullptr; }))
            g.cycles << cycle;
    return g;
}

QList<const GraphNode *> TopologyGraph::splitBrains() const
{
    QList<const GraphNode *> list;
    for (const GraphNode &n : servers)
        if (n.splitBrain)
            list << &n;
    return list;
}

namespace {

// What the reachable sentinels say of each group: the master most of them name, and every server
// they list in it (a failed-over master stays listed, as a replica of the new one).
struct SentinelGroup
{
    QHash<QString, int> votes;
    int voters = 0;
    QStringList members;
    bool failoverRunning = false;

    QString majority() const
    {
        for (auto it = votes.cbegin(); it != votes.cend(); ++it)
            if (it.value() * 2 > voters)
                return it.key();
        return {};
    }
};

QHash<QString, SentinelGroup> sentinelGroups(const QList<TargetStatus> &sentinels)
{
    QHash<QString, SentinelGroup> groups;
    for (const TargetStatus &s : sentinels) {
        if (!s.connected)
            continue;
        for (const SentinelView &v : s.sentinelViews) {
            // One deployment's sentinels know each other: name and lowest sentinel address tell two
            // deployments that both call their group "mymaster" apart.
            QString lowest = s.address;
            for (const SentinelInstance &other : v.sentinels)
                lowest = std::min(lowest, other.address());
            SentinelGroup &g = groups[v.master.name + QLatin1Char('@') + lowest];
            ++g.voters;
            ++g.votes[v.master.address()];
            g.members << v.master.address();
            if (!v.master.failoverState.isEmpty() && v.master.failoverState != QLatin1String("none"))
                g.failoverRunning = true;
            for (const SentinelInstance &r : v.replicas)
                g.members << r.address();
        }
    }
    return groups;
}

} // namespace

TopologyGraph buildTopologyGraph(const QList<TargetStatus> &nodes, const ClusterView *cluster)
{
    TopologyGraph graph;
    QList<const TargetStatus *> servers;
    for (const TargetStatus &n : nodes) {
        if (n.isSentinel())
            graph.sentinels << n;
        else
            servers << &n;
    }
    auto byAddress = [](const TargetStatus *a, const TargetStatus *b) { return a->address < b->address; };
    std::sort(servers.begin(), servers.end(), byAddress);
    std::sort(graph.sentinels.begin(), graph.sentinels.end(), [](const TargetStatus &a, const TargetStatus &b) { return a.address < b.address; });

    auto find = [&servers](const QString &address) -> const TargetStatus * {
        for (const TargetStatus *s : servers)
            if (s->answersTo(address))
                return s;
        return nullptr;
    };
    // Parent of each node: its master when that is monitored (and is not itself, or a cycle).
    QHash<const TargetStatus *, const TargetStatus *> parent;
    QHash<const TargetStatus *, QList<const TargetStatus *>> children;
    for (const TargetStatus *s : servers) {
        if (!s->info || !s->info->isReplica())
            continue;
        const TargetStatus *m = find(s->info->masterAddress());
        if (m && m != s)
            parent.insert(s, m);
    }
    // Masters whose group has another master: under that one, marked stale. A reachable server is
    // never put under an unreachable one (that is a failover under way, not a stale master).
    struct Stale
    {
        QString because;
        QString kind;
        bool failoverRunning = false;
    };
    QHash<const TargetStatus *, Stale> stale;
    const QHash<QString, SentinelGroup> groups = sentinelGroups(graph.sentinels);
    auto mayGoUnder = [](const TargetStatus *s, const TargetStatus *m) { return m && m != s && (m->connected || !s->connected); };
    for (const TargetStatus *s : servers) {
        if (!s->info || !s->info->isMaster())
            continue;
        for (auto g = groups.cbegin(); g != groups.cend() && !stale.contains(s); ++g) {
            const TargetStatus *m = find(g->majority());
            const bool member = std::any_of(g->members.cbegin(), g->members.cend(), [s](const QString &a) { return s->answersTo(a); });
            if (member && mayGoUnder(s, m)) {
                parent.insert(s, m);
                stale.insert(
                    s,
                    {QStringLiteral("the sentinels (%1 of %2) name %3 as master").arg(g->votes.value(g->majority())).arg(g->voters).arg(m->address),
                     QStringLiteral("sentinels"), g->failoverRunning});
            }
        }
        // The sentinels' choice outranks history: a live master they name is not stale, whatever a
        // replica promoted behind their back says (they will turn that one back into a replica).
        const bool namedBySentinels = std::any_of(groups.cbegin(), groups.cend(), [s](const SentinelGroup &g) { return s->answersTo(g.majority()); });
        if (stale.contains(s) || (namedBySentinels && s->connected) || s->info->replId.isEmpty())
            continue;
        for (const TargetStatus *m : servers)
            if (mayGoUnder(s, m) && m->info && m->info->isMaster() && m->info->replId2 == s->info->replId && m->info->replId != s->info->replId) {
                parent.insert(s, m);
                bool running = false;
                for (const SentinelGroup &g : groups)
                    running = running || (g.failoverRunning && std::any_of(g.members.cbegin(), g.members.cend(), [m](const QString &a) {
                                              return m->answersTo(a);
                                          }));
                stale.insert(s, {QStringLiteral("%1 was promoted from its replication history").arg(m->address), QStringLiteral("history"), running});
                break;
            }
    }
    // Break cycles (two nodes each naming the other, a misconfiguration or a failover gone wrong):
    // the first seen stays a root. A loop of replicas that answer is recorded: nothing in it is a
    // master, so nothing in it takes writes.
    QHash<const TargetStatus *, QString> inCycle;
    for (const TargetStatus *s : servers) {
        QList<const TargetStatus *> path{s};
        for (const TargetStatus *p = parent.value(s); p; p = parent.value(p)) {
            if (path.contains(p)) {
                const QList<const TargetStatus *> loop = path.mid(path.indexOf(p));
                const bool replicas =
                    std::all_of(loop.cbegin(), loop.cend(), [](const TargetStatus *n) { return n->connected && n->info && n->info->isReplica(); });
                if (replicas && loop.size() > 1 && !inCycle.contains(loop.first())) {
                    QStringList members;
                    for (const TargetStatus *n : loop)
                        members << n->address;
                    graph.cycles << members;
                    const QString text = (members + QStringList{members.first()}).join(QStringLiteral(" -> "));
                    for (const TargetStatus *n : loop)
                        inCycle.insert(n, text);
                }
                parent.remove(s);
                break;
            }
            path << p;
        }
    }
    for (auto it = parent.cbegin(); it != parent.cend(); ++it)
        children[it.value()] << it.key();
    for (auto &list : children)
        std::sort(list.begin(), list.end(), byAddress);

    QHash<QString, const ClusterNode *> clusterNodes;
    if (cluster)
        for (const ClusterNode &c : cluster->nodes)
            clusterNodes.insert(c.address(), &c);

    std::function<void(const TargetStatus *, int, const QString &)> visit = [&](const TargetStatus *s, int depth, const QString &group) {
        GraphNode n;
        n.status = *s;
        n.namedBySentinels = std::any_of(groups.cbegin(), groups.cend(), [s](const SentinelGroup &g) { return s->answersTo(g.majority()); });
        n.depth = depth;
        n.group = group;
        n.cycle = inCycle.value(s);
        if (stale.contains(s) && parent.contains(s)) {
            const TargetStatus *m = parent.value(s);
            n.staleMaster = true;
            n.staleBecause = stale.value(s).because;
            n.staleKind = stale.value(s).kind;
            n.masterKnown = true;
            n.master = m->address;
            // Judged on what both say now: right after a reconnect a server's INFO is still the one
            // from before, and a master that stopped answering polls (hung, its connection not yet
            // timed out) is being failed over, not fighting a zombie. Every server is polled in the
            // same tick, so two answering ones' INFO times are close.
            const bool fresh = s->infoTimeMs >= s->connectedAtMs;
            const bool masterAnswers = m->infoTimeMs == 0 || s->infoTimeMs == 0 || m->infoTimeMs + 1500 >= s->infoTimeMs;
            n.splitBrain =
                s->connected && fresh && m->connected && masterAnswers && m->info && m->info->isMaster() && !stale.value(s).failoverRunning;
        }
        if (s->info && s->info->isReplica()) {
            const TargetStatus *m = parent.value(s);
            n.masterKnown = m != nullptr;
            n.master = m ? m->address : s->info->masterAddress();
            if (m && m->info) {
                if (const ReplicaEntry *e = entryFor(*m->info, *s)) {
                    n.lagBytes = m->info->byteLag(*e);
                    n.lagSeconds = e->lag;
                    n.replicaState = e->state;
                }
                // The replica's own offset against the master's, both from their last polls, is
                // fresher than the master's view (replicas ACK once a second, so that view stays a
                // heartbeat or two behind) and agrees with the offset shown beside it.
                if (s->connected && m->connected && s->info->replicaOffset >= 0 && m->info->masterReplOffset >= 0)
                    n.lagBytes = std::max<qint64>(0, m->info->masterReplOffset - s->info->replicaOffset);
            }
        }
        const ClusterNode *c = clusterNodes.value(s->address);
        for (qsizetype i = 0; !c && i < s->aliases.size(); ++i)
            c = clusterNodes.value(s->aliases.at(i));
        if (c) {
            n.clusterId = c->id;
            n.clusterRole = c->isPrimary() ? QStringLiteral("primary") : c->isReplica() ? QStringLiteral("replica") : QString();
            n.slots = c->slotCount() > 0 ? c->slotText() : QString();
            n.clusterFlags = c->flags;
        }
        graph.servers << n;
        for (const TargetStatus *child : children.value(s))
            visit(child, depth + 1, group);
    };
    for (const TargetStatus *s : servers)
        if (!parent.contains(s))
            visit(s, 0, s->address);
    return graph;
}

namespace {

void worsen(NodeHealth &h, Health level, const QString &reason)
{
    auto rank = [](Health l) { return l == Health::Ok ? 0 : l == Health::Unknown ? 1 : l == Health::Warning ? 2 : 3; };
    if (rank(level) > rank(h.level))
        h.level = level;
    h.reasons << reason;
}

} // namespace

QString healthName(Health h)
{
    switch (h) {
    case Health::Ok: return QCoreApplication::translate("vigil::Health", "ok");
    case Health::Warning: return QCoreApplication::translate("vigil::Health", "warning");
    case Health::Critical: return QCoreApplication::translate("vigil::Health", "critical");
    case Health::Unknown: break;
    }
    return QCoreApplication::translate("vigil::Health", "unknown");
}

NodeHealth assessServer(const GraphNode &n, const TopologyThresholds &t)
{
    NodeHealth h;
    if (!n.reachable()) {
        worsen(h, Health::Critical,
               n.status.lastError.isEmpty() ? QCoreApplication::translate("vigil::Health", "unreachable")
                                            : QCoreApplication::translate("vigil::Health", "unreachable: %1").arg(n.status.lastError));
        if (n.staleMaster)
            worsen(h, Health::Critical, QCoreApplication::translate("vigil::Health", "former master of this group: %1").arg(n.staleBecause));
        return h;
    }
    if (!n.cycle.isEmpty())
        worsen(h, Health::Critical, QCoreApplication::translate("vigil::Health", "replication cycle %1: no master, no writes").arg(n.cycle));
    if (n.splitBrain)
        worsen(h, Health::Critical,
               QCoreApplication::translate("vigil::Health", "split brain: a stale master accepting writes (%1 client(s)); %2")
                   .arg(n.info() ? n.info()->connectedClients : -1)
                   .arg(n.staleBecause));
    else if (n.staleMaster)
        worsen(h, Health::Warning, QCoreApplication::translate("vigil::Health", "says it is master, but %1").arg(n.staleBecause));
    const InfoSnapshot *s = n.info();
    if (!s) {
        worsen(h, Health::Unknown, QCoreApplication::translate("vigil::Health", "not polled yet"));
        return h;
    }
    if (s->loading)
        worsen(h, Health::Warning, QCoreApplication::translate("vigil::Health", "loading its dataset"));
    if (s->isReplica()) {
        if (s->linkStatus != QLatin1String("up"))
            worsen(h, Health::Critical,
                   QCoreApplication::translate("vigil::Health", "replication link %1")
                       .arg(s->linkStatus.isEmpty() ? QStringLiteral("unknown") : s->linkStatus));
        else if (s->lastIoSecondsAgo > t.lagSeconds)
            worsen(h, Health::Warning, QCoreApplication::translate("vigil::Health", "nothing from its master for %1 s").arg(s->lastIoSecondsAgo));
        if (s->syncInProgress)
            worsen(h, Health::Warning, QCoreApplication::translate("vigil::Health", "full sync in progress"));
        if (n.lagBytes > t.lagBytes)
            worsen(h, Health::Warning, QCoreApplication::translate("vigil::Health", "%1 bytes behind its master").arg(n.lagBytes));
        if (n.lagSeconds > t.lagSeconds)
            worsen(h, Health::Warning, QCoreApplication::translate("vigil::Health", "last ACK %1 s ago").arg(n.lagSeconds));
    }
    if (!s->failoverState.isEmpty() && s->failoverState != QLatin1String("no-failover"))
        worsen(h, Health::Warning, QCoreApplication::translate("vigil::Health", "failover: %1").arg(s->failoverState));
    if (s->lastBgsaveStatus == QLatin1String("err"))
        worsen(h, Health::Warning, QCoreApplication::translate("vigil::Health", "last background save failed"));
    if (s->aofEnabled && s->aofLastWriteStatus == QLatin1String("err"))
        worsen(h, Health::Critical, QCoreApplication::translate("vigil::Health", "AOF write failing"));
    if (n.clusterFlags.contains(QStringLiteral("fail")))
        worsen(h, Health::Critical, QCoreApplication::translate("vigil::Health", "marked failed by the cluster"));
    else if (n.clusterFlags.contains(QStringLiteral("fail?")))
        worsen(h, Health::Warning, QCoreApplication::translate("vigil::Health", "suspected by the cluster"));
    return h;
}

NodeHealth assessSentinel(const TargetStatus &sentinel)
{
    NodeHealth h;
    if (!sentinel.connected) {
        worsen(h, Health::Critical, QCoreApplication::translate("vigil::Health", "unreachable: %1").arg(sentinel.lastError));
        return h;
    }
    if (sentinel.sentinelViews.isEmpty() && sentinel.infoTimeMs == 0) {
        worsen(h, Health::Unknown, QCoreApplication::translate("vigil::Health", "not polled yet"));
        return h;
    }
    for (const SentinelView &v : sentinel.sentinelViews) {
        if (v.master.objectivelyDown())
            worsen(h, Health::Critical, QCoreApplication::translate("vigil::Health", "%1: master objectively down").arg(v.master.name));
        else if (v.master.subjectivelyDown())
            worsen(h, Health::Warning, QCoreApplication::translate("vigil::Health", "%1: master subjectively down").arg(v.master.name));
        if (!v.master.failoverState.isEmpty() && v.master.failoverState != QLatin1String("none"))
            worsen(h, Health::Warning, QCoreApplication::translate("vigil::Health", "%1: failover %2").arg(v.master.name, v.master.failoverState));
    }
    return h;
}

} // namespace vigil
