// Promotion planning.
#include "promotionplan.h"

#include <algorithm>

namespace vigil {

namespace {

using Result = PreflightCheck::Result;

} // namespace

QString switchoverMethodName(SwitchoverMethod method)
{
    switch (method) {
    case SwitchoverMethod::Auto: return QStringLiteral("auto");
    case SwitchoverMethod::ByHand: return QStringLiteral("by-hand");
    case SwitchoverMethod::Failover: return QStringLiteral("failover");
    }
    return {};
}

bool parseSwitchoverMethod(const QString &name, SwitchoverMethod *method)
{
    for (const SwitchoverMethod m : {SwitchoverMethod::Auto, SwitchoverMethod::ByHand, SwitchoverMethod::Failover})
        if (name == switchoverMethodName(m)) {
            *method = m;
            return true;
        }
    return false;
}

QString promotionPathName(PromotionPath path)
{
    switch (path) {
    case PromotionPath::None: return QStringLiteral("none");
    case PromotionPath::Failover: return QStringLiteral("failover");
    case PromotionPath::ByHand: return QStringLiteral("switchover-by-hand");
    case PromotionPath::Sentinel: return QStringLiteral("sentinel-switchover");
    case PromotionPath::Forced: return QStringLiteral("forced");
    case PromotionPath::ForcedSentinel: return QStringLiteral("forced-sentinel");
    case PromotionPath::Cluster: return QStringLiteral("cluster-failover");
    case PromotionPath::ClusterForce: return QStringLiteral("cluster-failover-force");
    }
    return {};
}

QString promotionPathDescription(PromotionPath path)
{
    switch (path) {
    case PromotionPath::None: return QStringLiteral("no promotion is possible");
    case PromotionPath::Failover:
        return QStringLiteral("coordinated switchover with FAILOVER: the master pauses writes, waits until the candidate "
                              "has every byte, hands over and becomes its replica; no acknowledged write is lost");
    case PromotionPath::ByHand:
        return QStringLiteral("coordinated switchover by hand: pause writes on the master, wait until the candidate has "
                              "every byte, make the old master its replica, promote it, resume; no acknowledged write is lost, "
                              "and there are never two masters, even if Vigil dies mid-way");
    case PromotionPath::Sentinel:
        return QStringLiteral("switchover through Sentinel: make the candidate the only replica Sentinel may elect, fence "
                              "writes on the master, wait until the candidate has every byte, make the old master its replica, "
                              "SENTINEL FAILOVER, resume; no acknowledged write is lost, and there are never two masters");
    case PromotionPath::Forced:
        return QStringLiteral("forced promotion: the master is down; the candidate becomes master and the other replicas "
                              "follow it; writes the candidate had not received are lost");
    case PromotionPath::ForcedSentinel:
        return QStringLiteral("forced promotion through Sentinel: the master is down; Sentinel fails over to the candidate "
                              "(the only replica it may elect); writes the candidate had not received are lost");
    case PromotionPath::Cluster:
        return QStringLiteral("coordinated cluster failover: CLUSTER FAILOVER on the replica; the primary stops writes "
                              "until the replica has caught up; no acknowledged write is lost");
    case PromotionPath::ClusterForce:
        return QStringLiteral("forced cluster failover: the primary is down; CLUSTER FAILOVER FORCE on the replica; writes "
                              "it had not received are lost");
    }
    return {};
}

bool versionAtLeast(const QString &version, int major, int minor)
{
    const QStringList parts = version.split(QLatin1Char('.'));
    const int ma = parts.value(0).toInt();
    const int mi = parts.value(1).toInt();
    return ma > major || (ma == major && mi >= minor);
}

bool isLossless(PromotionPath path)
{
    return path == PromotionPath::Failover || path == PromotionPath::ByHand || path == PromotionPath::Sentinel || path == PromotionPath::Cluster;
}

QString stepKindName(StepKind kind)
{
    switch (kind) {
    case StepKind::Pause: return QStringLiteral("pause");
    case StepKind::Unpause: return QStringLiteral("unpause");
    case StepKind::ReadOffset: return QStringLiteral("read-offset");
    case StepKind::WaitOffset: return QStringLiteral("wait-offset");
    case StepKind::Promote: return QStringLiteral("promote");
    case StepKind::Demote: return QStringLiteral("demote");
    case StepKind::Repoint: return QStringLiteral("repoint");
    case StepKind::PriorityZero: return QStringLiteral("priority-zero");
    case StepKind::PriorityRestore: return QStringLiteral("priority-restore");
    case StepKind::Failover: return QStringLiteral("failover");
    case StepKind::SentinelFailover: return QStringLiteral("sentinel-failover");
    case StepKind::ClusterFailover: return QStringLiteral("cluster-failover");
    case StepKind::WaitMaster: return QStringLiteral("wait-master");
    case StepKind::WaitFollows: return QStringLiteral("wait-follows");
    case StepKind::WaitSentinel: return QStringLiteral("wait-sentinel");
    case StepKind::Verify: return QStringLiteral("verify");
    }
    return {};
}

bool changesServer(StepKind kind)
{
    switch (kind) {
    case StepKind::ReadOffset:
    case StepKind::WaitOffset:
    case StepKind::WaitMaster:
    case StepKind::WaitFollows:
    case StepKind::WaitSentinel:
    case StepKind::Verify: return false;
    default: return true;
    }
}

bool PromotionPlan::blocked() const
{
    return path == PromotionPath::None || anyCheckFailed(checks);
}

bool PromotionPlan::needsOverride() const
{
    return anyCheckWarned(checks);
}

PreflightCheck *PromotionPlan::check(const QString &id)
{
    for (PreflightCheck &c : checks)
        if (c.id == id)
            return &c;
    return nullptr;
}

namespace {

// What the checks and the step builders share: the request, and the candidate and its master as
// the last polls saw them.
struct Planning
{
    const TopologyGraph &graph;
    const PromotionRequest &request;
    PromotionPlan &plan;
    const GraphNode *candidate = nullptr;
    const InfoSnapshot *c = nullptr;   // the candidate's last INFO
    const GraphNode *master = nullptr; // null when not monitored
    const InfoSnapshot *m = nullptr;   // the master's last INFO, when it answers

    void add(const char *id, const QString &name, Result result, const QString &detail)
    {
        plan.checks.append({QLatin1String(id), name, result, detail});
    }
    // A check named like its id ("byte-gap" -> "byte gap").
    void add(const char *id, Result result, const QString &detail)
    {
        add(id, QString::fromLatin1(id).replace(QLatin1Char('-'), QLatin1Char(' ')), result, detail);
    }
};

// The candidate must be a monitored, reachable replica; false ends the planning.
bool checkCandidate(Planning &p)
{
    PromotionPlan &plan = p.plan;
    p.candidate = p.graph.node(p.request.candidate);
    if (!p.candidate) {
        p.add("candidate-known", Result::Fail, QStringLiteral("%1 is not one of the monitored servers").arg(p.request.candidate));
        return false;
    }
    plan.candidate = p.candidate->status.address;
    p.c = p.candidate->info();
    if (!p.candidate->reachable() || !p.c) {
        p.add("candidate-reachable", Result::Fail, QStringLiteral("%1 is unreachable: %2").arg(plan.candidate, p.candidate->status.lastError));
        return false;
    }
    p.add("candidate-reachable", Result::Pass, QStringLiteral("%1 answers").arg(plan.candidate));
    if (!p.c->isReplica()) {
        p.add("candidate-replica", QStringLiteral("candidate is a replica"), Result::Fail,
              QStringLiteral("%1 is a %2").arg(plan.candidate, roleName(p.c->role)));
        return false;
    }
    return true;
}

// The master, its other replicas, how they reach the candidate, and who manages the group.
void locateMaster(Planning &p)
{
    PromotionPlan &plan = p.plan;
    const GraphNode *candidate = p.candidate;
    plan.master = candidate->master;
    p.master = candidate->masterKnown ? p.graph.node(candidate->master) : nullptr;
    p.m = p.master ? p.master->info() : nullptr;
    plan.masterReachable = p.master && p.master->reachable() && p.m;
    if (p.master && p.m && p.m->isReplica())
        p.add("direct-replica", QStringLiteral("direct replica of the master"), Result::Fail,
              QStringLiteral("%1 replicates from %2, itself a replica of %3: promote within the top of the tree")
                  .arg(plan.candidate, plan.master, p.m->masterAddress()));
    else
        p.add("direct-replica", QStringLiteral("direct replica of the master"), Result::Pass,
              QStringLiteral("replicates from %1%2").arg(plan.master, p.master ? QString() : QStringLiteral(" (not monitored)")));
    if (p.master)
        for (const GraphNode &n : p.graph.servers)
            if (n.masterKnown && p.master->status.answersTo(n.master) && n.status.address != plan.candidate)
                plan.otherReplicas << n.status.address;
    // How the others reach the candidate: the address its master lists for it.
    // That is what it announces (replica-announce-ip/port behind NAT or a proxy), which its own
    // tcp_port is not; tcp_port serves only when its master does not list it.
    splitHostPort(plan.candidate, &plan.candidateHost, &plan.candidatePort); // a Unix socket candidate leaves them empty
    bool listed = false;
    if (p.m)
        for (const ReplicaEntry &e : p.m->replicas)
            if (candidate->status.answersTo(e.address()) || (e.port == p.c->tcpPort && p.m->replicas.size() == 1)) {
                plan.candidateHost = e.ip;
                plan.candidatePort = e.port;
                listed = true;
            }
    if (!listed && p.c->tcpPort != 0)
        plan.candidatePort = p.c->tcpPort;
    if (plan.candidateHost.isEmpty() || plan.candidatePort == 0)
        p.add("candidate-address", Result::Fail,
              QStringLiteral("the others could not reach %1: no host and TCP port is known for it (a Unix socket alone)").arg(plan.candidate));
    // Sentinel: a group whose master is this master.
    for (const TargetStatus &s : p.graph.sentinels)
        for (const SentinelView &v : s.sentinelViews) {
            const bool same = p.master ? p.master->status.answersTo(v.master.address()) : v.master.address() == plan.master;
            if (!same)
                continue;
            plan.sentinelGroup = v.master.name;
            plan.sentinels << s.address;
            bool known = false;
            const qint64 downAfter = v.master.fields.value(QStringLiteral("down-after-milliseconds")).toLongLong(&known);
            if (known && downAfter > 0 && (plan.sentinelDownAfterMs < 0 || downAfter < plan.sentinelDownAfterMs))
                plan.sentinelDownAfterMs = downAfter;
        }
    if (!candidate->clusterId.isEmpty()) {
        plan.candidateClusterId = candidate->clusterId;
        for (const GraphNode &n : p.graph.servers)
            if (n.clusterRole == QLatin1String("primary") && n.reachable())
                plan.clusterPrimaries << n.status.address;
    }
}

// A forced promotion needs the master down, a coordinated one needs it up; then the path.
PromotionPath choosePath(Planning &p)
{
    const PromotionPlan &plan = p.plan;
    const PromotionRequest &request = p.request;
    if (plan.masterReachable && request.force)
        p.add("master-down", QStringLiteral("master down (forced)"), Result::Fail,
              QStringLiteral("the master %1 is reachable: a forced promotion would leave two writable masters; promote "
                             "without --force for a coordinated switchover")
                  .arg(plan.master));
    else if (!plan.masterReachable && !request.force)
        p.add("master-reachable", Result::Fail,
              QStringLiteral("the master %1 is unreachable: a coordinated switchover needs it; use --force to promote "
                             "anyway (writes it had not replicated are lost)")
                  .arg(plan.master));
    else if (plan.masterReachable)
        p.add("master-reachable", Result::Pass, QStringLiteral("%1 answers").arg(plan.master));
    else
        p.add("master-down", QStringLiteral("master down (forced)"), Result::Pass,
              QStringLiteral("%1 is unreachable: %2").arg(plan.master, p.master ? p.master->status.lastError : QStringLiteral("not monitored")));
    if (!plan.candidateClusterId.isEmpty())
        return request.force ? PromotionPath::ClusterForce : PromotionPath::Cluster;
    if (!plan.sentinelGroup.isEmpty())
        return request.force ? PromotionPath::ForcedSentinel : PromotionPath::Sentinel;
    if (request.force)
        return PromotionPath::Forced;
    if (request.method != SwitchoverMethod::Failover)
        return PromotionPath::ByHand;
    const bool available = p.m && versionAtLeast(p.m->version, 6, 2);
    p.add("failover-available", QStringLiteral("FAILOVER available"), available ? Result::Pass : Result::Fail,
          available ? QStringLiteral("the master runs %1").arg(p.m->version)
                    : QStringLiteral("the master runs %1: FAILOVER needs 6.2; the by-hand path takes the same steps")
                          .arg(p.m ? p.m->version : QStringLiteral("an unknown version")));
    return PromotionPath::Failover;
}

// Whether the candidate has (nearly) everything, or what a forced promotion loses.
void checkReplication(Planning &p)
{
    PromotionPlan &plan = p.plan;
    const InfoSnapshot *c = p.c;
    const GraphNode *candidate = p.candidate;
    const PromotionRequest &request = p.request;
    if (!request.force) {
        p.add("link-up", c->linkStatus == QLatin1String("up") ? Result::Pass : Result::Fail,
              QStringLiteral("master_link_status:%1").arg(c->linkStatus));
        const QString state = candidate->replicaState;
        p.add("state-online", state == QLatin1String("online") ? Result::Pass : Result::Fail,
              state.isEmpty() ? QStringLiteral("the master does not list it") : QStringLiteral("the master lists it as %1").arg(state));
    }
    p.add("not-loading", c->loading || c->syncInProgress ? Result::Fail : Result::Pass,
          c->loading              ? QStringLiteral("loading its dataset")
              : c->syncInProgress ? QStringLiteral("full sync in progress")
                                  : QStringLiteral("dataset loaded"));
    plan.ackedLagBytes = candidate->lagBytes;
    if (!request.force) {
        const bool bytesOk = candidate->lagBytes >= 0 && candidate->lagBytes <= request.maxLagBytes;
        p.add("byte-gap", bytesOk ? Result::Pass : Result::Fail,
              candidate->lagBytes < 0 ? QStringLiteral("unknown (the master does not report it)")
                                      : QStringLiteral("%1 behind (limit %2)").arg(humanBytes(candidate->lagBytes), humanBytes(request.maxLagBytes)));
        const bool secondsOk = candidate->lagSeconds >= 0 && candidate->lagSeconds <= request.maxLagSeconds;
        p.add("lag", secondsOk ? Result::Pass : Result::Fail,
              QStringLiteral("last ACK %1 s ago (limit %2 s)").arg(candidate->lagSeconds).arg(request.maxLagSeconds));
        plan.expectedLossBytes = 0;
        return;
    }
    // What the candidate had not received when the master was last seen.
    const InfoSnapshot *lastOfMaster = p.master ? p.master->info() : nullptr;
    const qint64 lastMaster = lastOfMaster ? lastOfMaster->masterReplOffset : -1;
    plan.expectedLossBytes = lastMaster >= 0 && c->replicaOffset >= 0 ? std::max<qint64>(0, lastMaster - c->replicaOffset) : -1;
    p.add("possible-loss", Result::Warn,
          plan.expectedLossBytes >= 0 ? QStringLiteral("the candidate was %1 behind the master when it was last seen: writes in that gap are lost")
                                            .arg(humanBytes(plan.expectedLossBytes))
                                      : QStringLiteral("unknown: the master's last offset was never seen"));
}

// Nothing else is moving the group, and no stale master takes writes beside it.
void checkGroupQuiet(Planning &p)
{
    const PromotionPlan &plan = p.plan;
    QString running;
    if (p.m && !p.m->failoverState.isEmpty() && p.m->failoverState != QLatin1String("no-failover"))
        running = QStringLiteral("the master reports master_failover_state:%1").arg(p.m->failoverState);
    for (const TargetStatus &s : p.graph.sentinels)
        for (const SentinelView &v : s.sentinelViews)
            if (v.master.name == plan.sentinelGroup && !plan.sentinelGroup.isEmpty()
                && (v.master.hasFlag("failover_in_progress")
                    || (!v.master.failoverState.isEmpty() && v.master.failoverState != QLatin1String("none"))))
                running = QStringLiteral("sentinel %1 reports a failover in progress (%2)").arg(s.address, v.master.failoverState);
    p.add("no-failover-running", running.isEmpty() ? Result::Pass : Result::Fail, running.isEmpty() ? QStringLiteral("none reported") : running);
    // A stale master still taking writes in this group: promoting does not stop it, and what it
    // accepts is lost either way.
    QStringList brains;
    for (const GraphNode *b : p.graph.splitBrains())
        if (b->group == p.candidate->group)
            brains << QStringLiteral("%1 is a stale master accepting writes from %2 client(s) (%3)")
                          .arg(b->status.address)
                          .arg(b->info() ? b->info()->connectedClients : -1)
                          .arg(b->staleBecause);
    p.add("no-split-brain", brains.isEmpty() ? Result::Pass : Result::Warn,
          brains.isEmpty() ? QStringLiteral("no stale master in the group") : brains.join(QStringLiteral("; ")));
}

// Sentinel never elects a replica of priority 0; with the master down, ranks the replicas the way
// Sentinel does: lowest priority (0 never), then the largest offset, then the smallest run id.
void checkElection(Planning &p)
{
    const PromotionPlan &plan = p.plan;
    const InfoSnapshot *c = p.c;
    if (!plan.sentinelGroup.isEmpty())
        p.add("candidate-electable", c->replicaPriority == 0 ? Result::Fail : Result::Pass,
              QStringLiteral("replica-priority %1%2")
                  .arg(c->replicaPriority)
                  .arg(c->replicaPriority == 0 ? QStringLiteral(": Sentinel never elects it") : QString()));
    if (!p.request.force)
        return;
    struct Ranked
    {
        QString address;
        int priority;
        qint64 offset;
        QString runId;
    };
    QList<Ranked> ranked;
    QStringList replicas = plan.otherReplicas;
    replicas << plan.candidate;
    for (const QString &r : std::as_const(replicas)) {
        const GraphNode *n = p.graph.node(r);
        if (!n || !n->reachable() || !n->info() || n->info()->replicaPriority == 0)
            continue;
        ranked.append({n->status.address, n->info()->replicaPriority, n->info()->replicaOffset, n->info()->runId});
    }
    std::sort(ranked.begin(), ranked.end(), [](const Ranked &a, const Ranked &b) {
        if (a.priority != b.priority)
            return a.priority < b.priority;
        if (a.offset != b.offset)
            return a.offset > b.offset;
        return a.runId < b.runId;
    });
    if (!ranked.isEmpty() && ranked.first().address != plan.candidate) {
        const Ranked &best = ranked.first();
        p.add("best-candidate", Result::Warn,
              QStringLiteral("%1 ranks first (priority %2, offset %3): it has more of the data, or is preferred; the candidate has offset %4")
                  .arg(best.address)
                  .arg(best.priority)
                  .arg(best.offset)
                  .arg(c->replicaOffset));
    } else {
        p.add("best-candidate", Result::Pass,
              QStringLiteral("ranks first of %1 reachable replica(s) (priority, then offset)").arg(std::max<qsizetype>(1, ranked.size())));
    }
}

// The other replicas follow the candidate; with the master down they are known only from before.
void checkOtherReplicas(Planning &p)
{
    const PromotionPlan &plan = p.plan;
    const QString follow = QStringLiteral("%1 will follow the candidate").arg(plan.otherReplicas.join(QStringLiteral(", ")));
    if (p.request.force)
        p.add(
            "other-replicas", plan.otherReplicas.isEmpty() ? Result::Warn : Result::Pass,
            plan.otherReplicas.isEmpty()
                ? QStringLiteral("no other replica of %1 is known: any not monitored are not re-pointed (give them with --connect)").arg(plan.master)
                : follow);
    else
        p.add("other-replicas", Result::Pass, plan.otherReplicas.isEmpty() ? QStringLiteral("none") : follow);
}

QList<QByteArray> words(const QString &text)
{
    QList<QByteArray> argv;
    for (const QString &w : text.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        argv << w.toUtf8();
    return argv;
}

// The steps of each path, built on what the planning found.
class StepBuilder
{
public:
    StepBuilder(PromotionPlan &plan, const PromotionRequest &request)
        : m_plan(plan)
        , m_request(request)
        , m_to(QStringLiteral("%1 %2").arg(plan.candidateHost).arg(plan.candidatePort))
    {
    }

    // Sends `text` as the command.
    PlanStep &send(StepKind kind, const QString &node, const QString &text, int timeoutMs, const QString &purpose)
    {
        PlanStep &s = add(kind, node, text, timeoutMs, purpose);
        s.argv = words(text);
        return s;
    }
    // Polls INFO replication until what `awaited` says.
    PlanStep &await(StepKind kind, const QString &node, const QString &awaited, int timeoutMs, const QString &purpose)
    {
        return add(kind, node, QStringLiteral("INFO replication (%1)").arg(awaited), timeoutMs, purpose);
    }

    // The pause is renewed while Vigil runs (it never runs out under a slow step); if Vigil dies,
    // it ends by itself. Under Sentinel, a paused master stops answering its sentinels (their
    // PINGs queue behind their hello PUBLISH, which the pause holds): paused for longer than
    // down-after-milliseconds, it is failed over by Sentinel on its own, lagging candidate or not.
    // So there the pause's own timeout (what is left if Vigil dies) and the wait for the candidate
    // stay within half of it.
    void pauseAndCatchUp()
    {
        int pauseMs = m_request.pauseTimeoutMs;
        int catchUpMs = m_request.catchUpTimeoutMs;
        QString within;
        if (m_plan.sentinelDownAfterMs > 0 && m_plan.sentinelDownAfterMs / 2 < std::max(pauseMs, catchUpMs)) {
            const int half = int(std::max<qint64>(100, m_plan.sentinelDownAfterMs / 2));
            pauseMs = std::min(pauseMs, half);
            within = QStringLiteral("; within half of Sentinel's down-after-milliseconds (%1 ms)").arg(m_plan.sentinelDownAfterMs);
        }
        // Under Sentinel the pause is never renewed: however slow Vigil is, the master answers its
        // sentinels again before they would call it down. The demotion is sent only while it
        // holds, so the catch-up ends in time to leave room for it.
        const bool renewed = m_plan.sentinelGroup.isEmpty();
        if (!renewed)
            catchUpMs = std::min(catchUpMs, std::max(50, pauseMs - pauseMarginMs(pauseMs)));
        PlanStep &pause = send(StepKind::Pause, m_plan.master, QStringLiteral("CLIENT PAUSE %1 WRITE").arg(pauseMs), 2000,
                               renewed ? QStringLiteral("fence writes (renewed until they resume)%1").arg(within)
                                       : QStringLiteral("fence writes (for %1 ms at most, never renewed%2)").arg(pauseMs).arg(within));
        pause.undo = QStringLiteral("CLIENT UNPAUSE on %1 (else the pause ends by itself after %2 ms)").arg(m_plan.master).arg(pauseMs);
        pause.renewed = renewed;
        pause.pauseMs = pauseMs;
        add(StepKind::ReadOffset, m_plan.master, QStringLiteral("INFO replication"), 2000, QStringLiteral("the offset to reach"));
        await(StepKind::WaitOffset, m_plan.candidate, QStringLiteral("until slave_repl_offset reaches it"), catchUpMs,
              QStringLiteral("the candidate has every acknowledged write"));
    }
    // Before the promotion: undone by making it master again.
    void demote(const QString &purpose)
    {
        send(StepKind::Demote, m_plan.master, QStringLiteral("REPLICAOF %1").arg(m_to), 2000, purpose).undo =
            QStringLiteral("REPLICAOF NO ONE on %1").arg(m_plan.master);
    }
    void unpause()
    {
        send(StepKind::Unpause, m_plan.master, QStringLiteral("CLIENT UNPAUSE"), 2000, QStringLiteral("paused writers now get -READONLY"));
    }
    void promote(const QString &purpose)
    {
        send(StepKind::Promote, m_plan.candidate, QStringLiteral("REPLICAOF NO ONE"), 2000, purpose).pointOfNoReturn = true;
    }
    void repointOthers()
    {
        for (const QString &r : std::as_const(m_plan.otherReplicas))
            send(StepKind::Repoint, r, QStringLiteral("REPLICAOF %1").arg(m_to), 2000, QStringLiteral("follow the new master"));
    }
    void waitMaster(int timeoutMs, const QString &purpose, bool noReturn = false)
    {
        await(StepKind::WaitMaster, m_plan.candidate, QStringLiteral("until role:master"), timeoutMs, purpose).pointOfNoReturn = noReturn;
    }
    void priorities(StepKind kind)
    {
        for (const QString &r : std::as_const(m_plan.otherReplicas)) {
            if (kind == StepKind::PriorityZero) {
                PlanStep &s = send(kind, r, QStringLiteral("CONFIG SET replica-priority 0"), 2000,
                                   QStringLiteral("only the candidate may be elected (restored after)"));
                s.undo = QStringLiteral("CONFIG SET replica-priority <previous> on %1").arg(r);
            } else {
                add(kind, r, QStringLiteral("CONFIG SET replica-priority <previous>"), 2000, QStringLiteral("restore"));
            }
        }
    }

    // The old master is demoted before the candidate is promoted: between the two both are
    // replicas (of each other: the candidate has every byte, nothing is written), so there is no
    // moment with two masters, not even when Vigil dies there and the write pause runs out.
    void byHand()
    {
        pauseAndCatchUp();
        demote(QStringLiteral("demote the old master first: it refuses writes from now on, and follows the candidate, which still "
                              "replicates from it, until the promotion"));
        promote(QStringLiteral("promote (keeps its data and history)"));
        unpause();
        repointOthers();
    }
    void failover()
    {
        PlanStep &s = send(StepKind::Failover, m_plan.master, QStringLiteral("FAILOVER TO %1 TIMEOUT %2").arg(m_to).arg(m_request.pauseTimeoutMs),
                           2000, QStringLiteral("pause writes, wait for the candidate's offset, hand over (rolled back by Redis on timeout)"));
        s.undo = QStringLiteral("FAILOVER ABORT on %1").arg(m_plan.master);
        waitMaster(m_request.pauseTimeoutMs + 2000, QStringLiteral("the candidate is master"), true);
        await(StepKind::WaitFollows, m_plan.master, QStringLiteral("until role:slave of the candidate"), 5000,
              QStringLiteral("the old master follows it"));
        repointOthers();
    }
    void sentinel(bool coordinated)
    {
        // Before the pause: writes stay paused no longer than the catch-up and the election.
        priorities(StepKind::PriorityZero);
        // The sentinel that is asked to fail over elects alone, by the priorities it last read.
        const QString elector = sentinelNodeName(m_plan.sentinels.value(0));
        if (!m_plan.otherReplicas.isEmpty())
            add(StepKind::WaitSentinel, elector,
                QStringLiteral("SENTINEL REPLICAS %1 (until the others show replica-priority 0)").arg(m_plan.sentinelGroup), 15000,
                QStringLiteral("it elects by the priorities it last read (a replica's INFO every 10 s)"));
        // The old master is demoted before Sentinel is asked: it can never take writes beside the
        // new master, not even when Vigil dies and the pause runs out before Sentinel would turn it
        // into a replica itself (seconds later). Should Vigil die before asking, Sentinel sees its
        // master report a replica's role and fails over to the only replica it may elect.
        if (coordinated) {
            pauseAndCatchUp();
            demote(QStringLiteral("demote the old master first: it refuses writes from now on, and follows the candidate, which still "
                                  "replicates from it, until Sentinel promotes it"));
        }
        send(StepKind::SentinelFailover, elector, QStringLiteral("SENTINEL FAILOVER %1").arg(m_plan.sentinelGroup), 2000,
             QStringLiteral("Sentinel promotes the candidate and reconfigures the group"))
            .pointOfNoReturn = true;
        waitMaster(m_request.promoteTimeoutMs, QStringLiteral("the candidate is master"));
        if (coordinated)
            unpause();
        priorities(StepKind::PriorityRestore);
    }
    void forced()
    {
        promote(QStringLiteral("promote"));
        repointOthers();
    }
    void cluster(bool force)
    {
        send(StepKind::ClusterFailover, m_plan.candidate, force ? QStringLiteral("CLUSTER FAILOVER FORCE") : QStringLiteral("CLUSTER FAILOVER"), 2000,
             QStringLiteral("the replica takes over its primary's slots"))
            .pointOfNoReturn = true;
        // A manual cluster failover that has not finished in 5 s is abandoned by Redis.
        waitMaster(std::min(m_request.promoteTimeoutMs, 10000), QStringLiteral("the candidate is primary"));
    }
    void verify()
    {
        // Sentinel re-points the other replicas at its own pace (one at a time, each once it sees the last synced).
        add(StepKind::Verify, m_plan.candidate, QStringLiteral("verify"), m_plan.sentinelGroup.isEmpty() ? 10000 : 30000,
            QStringLiteral("new role, replicas re-attached with offsets advancing, the old master a replica%1")
                .arg(m_plan.sentinelGroup.isEmpty() ? QString() : QStringLiteral(", the sentinels agree")));
    }

private:
    PlanStep &add(StepKind kind, const QString &node, const QString &command, int timeoutMs, const QString &purpose)
    {
        PlanStep s;
        s.kind = kind;
        s.node = node;
        s.command = command;
        s.timeoutMs = timeoutMs;
        s.purpose = purpose;
        m_plan.steps.append(s);
        return m_plan.steps.last();
    }

    PromotionPlan &m_plan;
    const PromotionRequest &m_request;
    const QString m_to; // "host port" of the candidate, as REPLICAOF and FAILOVER take it
};

void buildSteps(PromotionPlan &plan, const PromotionRequest &request)
{
    StepBuilder b(plan, request);
    switch (plan.path) {
    case PromotionPath::ByHand: b.byHand(); break;
    case PromotionPath::Failover: b.failover(); break;
    case PromotionPath::Sentinel: b.sentinel(true); break;
    case PromotionPath::ForcedSentinel: b.sentinel(false); break;
    case PromotionPath::Forced: b.forced(); break;
    case PromotionPath::Cluster: b.cluster(false); break;
    case PromotionPath::ClusterForce: b.cluster(true); break;
    case PromotionPath::None: return;
    }
    b.verify();
}

} // namespace

PromotionPlan planPromotion(const TopologyGraph &graph, const PromotionRequest &request)
{
    PromotionPlan plan;
    plan.candidate = request.candidate;
    Planning p{graph, request, plan};
    if (!checkCandidate(p)) {
        plan.summary = plan.checks.last().detail;
        return plan;
    }
    locateMaster(p);
    plan.path = choosePath(p);
    checkReplication(p);
    checkGroupQuiet(p);
    checkElection(p);
    checkOtherReplicas(p);
    buildSteps(plan, request);
    plan.summary = promotionPathDescription(plan.path);
    return plan;
}

QList<std::pair<QString, QList<QByteArray>>> commandsToAuthorize(const PromotionPlan &plan)
{
    QList<std::pair<QString, QList<QByteArray>>> commands;
    for (const PlanStep &step : plan.steps) {
        if (isSentinelNodeName(step.node))
            continue;
        switch (step.kind) {
        case StepKind::PriorityZero:
            commands.append({step.node, {"CONFIG", "GET", "replica-priority"}});
            commands.append({step.node, step.argv});
            break;
        case StepKind::PriorityRestore: // the same command as setting it to 0
            break;
        default:
            if (!step.argv.isEmpty())
                commands.append({step.node, step.argv});
        }
    }
    return commands;
}

} // namespace vigil
