// Promotion planning.
#include "promotionplan.h"

namespace vigil {

namespace {

using Result = PreflightCheck::Result;

} // namespace

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
                              "every byte, promote it, make the old master its replica, resume; no acknowledged write is lost");
    case PromotionPath::Sentinel:
        return QStringLiteral("switchover through Sentinel: fence writes on the master, wait until the candidate has every "
                              "byte, make it the only replica Sentinel may elect, SENTINEL FAILOVER, demote the old master "
                              "before its writes resume; no acknowledged write is lost");
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

QString checkResultName(PreflightCheck::Result result)
{
    switch (result) {
    case Result::Pass: return QStringLiteral("pass");
    case Result::Warn: return QStringLiteral("warning");
    case Result::Fail: return QStringLiteral("fail");
    }
    return {};
}

bool PromotionPlan::blocked() const
{
    return path == PromotionPath::None
           || std::any_of(checks.begin(), checks.end(), [](const PreflightCheck &c) { return c.result == Result::Fail; });
}

bool PromotionPlan::needsOverride() const
{
    return std::any_of(checks.begin(), checks.end(), [](const PreflightCheck &c) { return c.result == Result::Warn; });
}

bool versionAtLeast(const QString &version, int major, int minor)
{
    const QStringList parts = version.split(QLatin1Char('.'));
    const int ma = parts.value(0).toInt();
    const int mi = parts.value(1).toInt();
    return ma > major || (ma == major && mi >= minor);
}

PromotionPlan planPromotion(const TopologyGraph &graph, const PromotionRequest &request)
{
    PromotionPlan plan;
    plan.candidate = request.candidate;
    auto check = [&plan](const QString &name, Result result, const QString &detail) {
        plan.checks.append({name, result, detail});
    };
    const GraphNode *candidate = graph.node(request.candidate);
    if (!candidate) {
        check(QStringLiteral("candidate known"), Result::Fail,
              QStringLiteral("%1 is not one of the monitored servers").arg(request.candidate));
        plan.summary = plan.checks.last().detail;
        return plan;
    }
    plan.candidate = candidate->status.address;
    const InfoSnapshot *c = candidate->info();
    if (!candidate->reachable() || !c) {
        check(QStringLiteral("candidate reachable"), Result::Fail,
              QStringLiteral("%1 is unreachable: %2").arg(plan.candidate, candidate->status.lastError));
        plan.summary = plan.checks.last().detail;
        return plan;
    }
    check(QStringLiteral("candidate reachable"), Result::Pass, QStringLiteral("%1 answers").arg(plan.candidate));
    if (!c->isReplica()) {
        check(QStringLiteral("candidate is a replica"), Result::Fail, QStringLiteral("%1 is a %2").arg(plan.candidate, roleName(c->role)));
        plan.summary = plan.checks.last().detail;
        return plan;
    }
    plan.master = candidate->master;
    const GraphNode *master = candidate->masterKnown ? graph.node(candidate->master) : nullptr;
    const InfoSnapshot *m = master ? master->info() : nullptr;
    plan.masterReachable = master && master->reachable() && m;
    if (master && m && m->isReplica()) {
        check(QStringLiteral("direct replica of the master"), Result::Fail,
              QStringLiteral("%1 replicates from %2, itself a replica of %3: promote within the top of the tree")
                  .arg(plan.candidate, plan.master, m->masterAddress()));
    } else {
        check(QStringLiteral("direct replica of the master"), Result::Pass,
              QStringLiteral("replicates from %1%2").arg(plan.master, master ? QString() : QStringLiteral(" (not monitored)")));
    }
    // The master's other replicas, to re-point.
    if (master) {
        for (const GraphNode &n : graph.servers)
            if (n.masterKnown && master->status.answersTo(n.master) && n.status.address != plan.candidate)
                plan.otherReplicas << n.status.address;
    }
    // How the others reach the candidate: the address its master lists for it.
    splitHostPort(plan.candidate, &plan.candidateHost, &plan.candidatePort); // a Unix socket candidate leaves them empty
    if (m)
        for (const ReplicaEntry &e : m->replicas)
            if (candidate->status.answersTo(e.address()) || (e.port == c->tcpPort && m->replicas.size() == 1)) {
                plan.candidateHost = e.ip;
                plan.candidatePort = e.port;
            }
    if (c->tcpPort != 0)
        plan.candidatePort = c->tcpPort;

    // Sentinel: a group whose master is this master.
    for (const TargetStatus &s : graph.sentinels) {
        for (const SentinelView &v : s.sentinelViews) {
            const bool same = master ? master->status.answersTo(v.master.address()) : v.master.address() == plan.master;
            if (!same)
                continue;
            plan.sentinelGroup = v.master.name;
            plan.sentinels << s.address;
        }
    }
    const bool cluster = !candidate->clusterId.isEmpty();
    if (cluster) {
        plan.candidateClusterId = candidate->clusterId;
        for (const GraphNode &n : graph.servers)
            if (n.clusterRole == QLatin1String("primary") && n.reachable())
                plan.clusterPrimaries << n.status.address;
    }

    // The path.
    if (plan.masterReachable && request.force) {
        check(QStringLiteral("master down (forced)"), Result::Fail,
              QStringLiteral("the master %1 is reachable: a forced promotion would leave two writable masters; promote "
                             "without --force for a coordinated switchover")
                  .arg(plan.master));
    } else if (!plan.masterReachable && !request.force) {
        check(QStringLiteral("master reachable"), Result::Fail,
              QStringLiteral("the master %1 is unreachable: a coordinated switchover needs it; use --force to promote "
                             "anyway (writes it had not replicated are lost)")
                  .arg(plan.master));
    } else {
        check(plan.masterReachable ? QStringLiteral("master reachable") : QStringLiteral("master down (forced)"), Result::Pass,
              plan.masterReachable ? QStringLiteral("%1 answers").arg(plan.master)
                                   : QStringLiteral("%1 is unreachable: %2")
                                         .arg(plan.master, master ? master->status.lastError : QStringLiteral("not monitored")));
    }
    if (cluster)
        plan.path = request.force ? PromotionPath::ClusterForce : PromotionPath::Cluster;
    else if (!plan.sentinelGroup.isEmpty())
        plan.path = request.force ? PromotionPath::ForcedSentinel : PromotionPath::Sentinel;
    else if (request.force)
        plan.path = PromotionPath::Forced;
    else
        plan.path = m && versionAtLeast(m->version, 6, 2) && !request.byHand ? PromotionPath::Failover : PromotionPath::ByHand;

    // Replication state.
    if (!request.force) {
        check(QStringLiteral("link up"), c->linkStatus == QLatin1String("up") ? Result::Pass : Result::Fail,
              QStringLiteral("master_link_status:%1").arg(c->linkStatus));
        const QString state = candidate->replicaState;
        check(QStringLiteral("state online"), state == QLatin1String("online") ? Result::Pass : Result::Fail,
              state.isEmpty() ? QStringLiteral("the master does not list it") : QStringLiteral("the master lists it as %1").arg(state));
    }
    check(QStringLiteral("not loading"), c->loading || c->syncInProgress ? Result::Fail : Result::Pass,
          c->loading ? QStringLiteral("loading its dataset") : c->syncInProgress ? QStringLiteral("full sync in progress")
                                                                                 : QStringLiteral("dataset loaded"));
    plan.ackedLagBytes = candidate->lagBytes;
    if (!request.force) {
        const bool bytesOk = candidate->lagBytes >= 0 && candidate->lagBytes <= request.maxLagBytes;
        check(QStringLiteral("byte gap"), bytesOk ? Result::Pass : Result::Fail,
              candidate->lagBytes < 0 ? QStringLiteral("unknown (the master does not report it)")
                                      : QStringLiteral("%1 behind (limit %2)").arg(humanBytes(candidate->lagBytes), humanBytes(request.maxLagBytes)));
        const bool secondsOk = candidate->lagSeconds >= 0 && candidate->lagSeconds <= request.maxLagSeconds;
        check(QStringLiteral("lag"), secondsOk ? Result::Pass : Result::Fail,
              QStringLiteral("last ACK %1 s ago (limit %2 s)").arg(candidate->lagSeconds).arg(request.maxLagSeconds));
        plan.expectedLossBytes = 0;
    } else {
        // What the candidate had not received when the master was last seen.
        const qint64 lastMaster = m ? m->masterReplOffset : (master && master->status.info ? master->status.info->masterReplOffset : -1);
        plan.expectedLossBytes = lastMaster >= 0 && c->replicaOffset >= 0 ? std::max<qint64>(0, lastMaster - c->replicaOffset) : -1;
        check(QStringLiteral("possible loss"), Result::Warn,
              plan.expectedLossBytes >= 0
                  ? QStringLiteral("the candidate was %1 behind the master when it was last seen: writes in that gap are lost")
                        .arg(humanBytes(plan.expectedLossBytes))
                  : QStringLiteral("unknown: the master's last offset was never seen"));
    }
    // Nothing already running.
    QString running;
    if (m && !m->failoverState.isEmpty() && m->failoverState != QLatin1String("no-failover"))
        running = QStringLiteral("the master reports master_failover_state:%1").arg(m->failoverState);
    for (const TargetStatus &s : graph.sentinels)
        for (const SentinelView &v : s.sentinelViews)
            if (v.master.name == plan.sentinelGroup && !plan.sentinelGroup.isEmpty()
                && (v.master.hasFlag("failover_in_progress") || (!v.master.failoverState.isEmpty() && v.master.failoverState != QLatin1String("none"))))
                running = QStringLiteral("sentinel %1 reports a failover in progress (%2)").arg(s.address, v.master.failoverState);
    check(QStringLiteral("no failover running"), running.isEmpty() ? Result::Pass : Result::Fail,
          running.isEmpty() ? QStringLiteral("none reported") : running);
    // A stale master still taking writes in this group: promoting does not stop it, and what it
    // accepts is lost either way.
    QStringList brains;
    for (const GraphNode *b : graph.splitBrains())
        if (b->group == candidate->group)
            brains << QStringLiteral("%1 is a stale master accepting writes from %2 client(s) (%3)")
                          .arg(b->status.address)
                          .arg(b->info() ? b->info()->connectedClients : -1)
                          .arg(b->staleBecause);
    check(QStringLiteral("no split brain"), brains.isEmpty() ? Result::Pass : Result::Warn,
          brains.isEmpty() ? QStringLiteral("no stale master in the group") : brains.join(QStringLiteral("; ")));
    if (!plan.sentinelGroup.isEmpty()) {
        check(QStringLiteral("candidate electable"), c->replicaPriority == 0 ? Result::Fail : Result::Pass,
              QStringLiteral("replica-priority %1%2").arg(c->replicaPriority).arg(c->replicaPriority == 0 ? QStringLiteral(": Sentinel never elects it") : QString()));
    }
    if (request.force) {
        // Rank the master's replicas the way Sentinel does: lowest priority (0 never), then the
        // largest offset (the most data), then the smallest run id.
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
            const GraphNode *n = graph.node(r);
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
            check(QStringLiteral("best candidate"), Result::Warn,
                  QStringLiteral("%1 ranks first (priority %2, offset %3): it has more of the data, or is preferred; the "
                                 "candidate has offset %4")
                      .arg(best.address)
                      .arg(best.priority)
                      .arg(best.offset)
                      .arg(c->replicaOffset));
        } else {
            check(QStringLiteral("best candidate"), Result::Pass,
                  QStringLiteral("ranks first of %1 reachable replica(s) (priority, then offset)").arg(std::max<qsizetype>(1, ranked.size())));
        }
    }
    if (plan.path == PromotionPath::Forced || plan.path == PromotionPath::ForcedSentinel || plan.path == PromotionPath::ClusterForce) {
        // With the master down, its other replicas are known only from what was seen before.
        check(QStringLiteral("other replicas"), plan.otherReplicas.isEmpty() ? Result::Warn : Result::Pass,
              plan.otherReplicas.isEmpty()
                  ? QStringLiteral("no other replica of %1 is known: any not monitored are not re-pointed (give them with --connect)").arg(plan.master)
                  : QStringLiteral("%1 will follow the candidate").arg(plan.otherReplicas.join(QStringLiteral(", "))));
    } else {
        check(QStringLiteral("other replicas"), Result::Pass,
              plan.otherReplicas.isEmpty() ? QStringLiteral("none") : QStringLiteral("%1 will follow the candidate").arg(plan.otherReplicas.join(QStringLiteral(", "))));
    }
    if (plan.path == PromotionPath::ByHand && m && !request.byHand)
        check(QStringLiteral("FAILOVER available"), Result::Pass,
              QStringLiteral("the master runs %1 (FAILOVER needs 6.2): the same steps are taken by hand").arg(m->version));

    // The steps.
    const QString to = QStringLiteral("%1 %2").arg(plan.candidateHost).arg(plan.candidatePort);
    const int pause = request.pauseTimeoutMs;
    using Kind = PlanStep::Kind;
    Kind kind = Kind::Command;
    QList<QByteArray> argv;
    // The kind and argv apply to the next step added.
    auto as = [&kind, &argv](Kind k, const QList<QByteArray> &a = {}) {
        kind = k;
        argv = a;
    };
    auto step = [&plan, &kind, &argv](const QString &node, const QString &command, int timeoutMs, const QString &purpose,
                                      bool noReturn = false) {
        plan.steps.append({kind, argv, node, command, timeoutMs, purpose, noReturn});
        kind = Kind::Command;
        argv.clear();
    };
    auto cmd = [&as](const QString &text) {
        QList<QByteArray> a;
        for (const QString &w : text.split(QLatin1Char(' '), Qt::SkipEmptyParts))
            a << w.toUtf8();
        as(Kind::Command, a);
        return text;
    };
    auto repoint = [&] {
        for (const QString &r : plan.otherReplicas)
            step(r, cmd(QStringLiteral("REPLICAOF %1").arg(to)), 2000, QStringLiteral("follow the new master"));
    };
    const QString sentinel = plan.sentinels.value(0);
    switch (plan.path) {
    case PromotionPath::Failover:
        step(plan.master, cmd(QStringLiteral("FAILOVER TO %1 TIMEOUT %2").arg(to).arg(pause)), 2000,
             QStringLiteral("pause writes, wait for the candidate's offset, hand over (rolled back by Redis on timeout)"));
        as(Kind::WaitMaster);
        step(plan.candidate, QStringLiteral("INFO replication (until role:master)"), pause + 2000,
             QStringLiteral("the candidate is master"), true);
        as(Kind::WaitFollows);
        step(plan.master, QStringLiteral("INFO replication (until role:slave of the candidate)"), 5000,
             QStringLiteral("the old master follows it"));
        repoint();
        break;
    case PromotionPath::ByHand:
        as(Kind::Pause);
        step(plan.master, QStringLiteral("CLIENT PAUSE %1 WRITE").arg(pause), 2000, QStringLiteral("fence writes"));
        as(Kind::ReadOffset);
        step(plan.master, QStringLiteral("INFO replication"), 2000, QStringLiteral("the offset to reach"));
        as(Kind::WaitOffset);
        step(plan.candidate, QStringLiteral("INFO replication (until slave_repl_offset reaches it)"), request.catchUpTimeoutMs,
             QStringLiteral("the candidate has every acknowledged write"));
        step(plan.candidate, cmd(QStringLiteral("REPLICAOF NO ONE")), 2000, QStringLiteral("promote (keeps its data and history)"), true);
        step(plan.master, cmd(QStringLiteral("REPLICAOF %1").arg(to)), 2000, QStringLiteral("demote the old master before its writes resume"));
        step(plan.master, cmd(QStringLiteral("CLIENT UNPAUSE")), 2000, QStringLiteral("paused writers now get -READONLY"));
        repoint();
        break;
    case PromotionPath::Sentinel:
    case PromotionPath::ForcedSentinel:
        if (plan.path == PromotionPath::Sentinel) {
            as(Kind::Pause);
            step(plan.master, QStringLiteral("CLIENT PAUSE %1 WRITE").arg(pause), 2000, QStringLiteral("fence writes (renewed while waiting)"));
            as(Kind::ReadOffset);
            step(plan.master, QStringLiteral("INFO replication"), 2000, QStringLiteral("the offset to reach"));
            as(Kind::WaitOffset);
            step(plan.candidate, QStringLiteral("INFO replication (until slave_repl_offset reaches it)"), request.catchUpTimeoutMs,
                 QStringLiteral("the candidate has every acknowledged write"));
        }
        for (const QString &r : plan.otherReplicas) {
            as(Kind::Priority0);
            step(r, QStringLiteral("CONFIG SET replica-priority 0"), 2000, QStringLiteral("only the candidate may be elected (restored after)"));
        }
        step(sentinelNodeName(sentinel), cmd(QStringLiteral("SENTINEL FAILOVER %1").arg(plan.sentinelGroup)), 2000,
             QStringLiteral("Sentinel promotes the candidate and reconfigures the group"), true);
        as(Kind::WaitMaster);
        step(plan.candidate, QStringLiteral("INFO replication (until role:master)"), request.promoteTimeoutMs,
             QStringLiteral("the candidate is master"));
        if (plan.path == PromotionPath::Sentinel) {
            step(plan.master, cmd(QStringLiteral("REPLICAOF %1").arg(to)), 2000, QStringLiteral("demote the old master before its writes resume"));
            step(plan.master, cmd(QStringLiteral("CLIENT UNPAUSE")), 2000, QStringLiteral("paused writers now get -READONLY"));
        }
        for (const QString &r : plan.otherReplicas) {
            as(Kind::RestorePriority);
            step(r, QStringLiteral("CONFIG SET replica-priority <previous>"), 2000, QStringLiteral("restore"));
        }
        break;
    case PromotionPath::Forced:
        step(plan.candidate, cmd(QStringLiteral("REPLICAOF NO ONE")), 2000, QStringLiteral("promote"), true);
        repoint();
        break;
    case PromotionPath::Cluster:
    case PromotionPath::ClusterForce:
        step(plan.candidate, cmd(plan.path == PromotionPath::Cluster ? QStringLiteral("CLUSTER FAILOVER") : QStringLiteral("CLUSTER FAILOVER FORCE")),
             2000, QStringLiteral("the replica takes over its primary's slots"), true);
        as(Kind::WaitMaster);
        // A manual cluster failover that has not finished in 5 s is abandoned by Redis.
        step(plan.candidate, QStringLiteral("INFO replication (until role:master)"), std::min(request.promoteTimeoutMs, 10000),
             QStringLiteral("the candidate is primary"));
        break;
    case PromotionPath::None:
        break;
    }
    as(Kind::Verify);
    step(plan.candidate, QStringLiteral("verify"), 10000,
         QStringLiteral("new role, replicas re-attached with offsets advancing, the old master a replica%1")
             .arg(plan.sentinelGroup.isEmpty() ? QString() : QStringLiteral(", the sentinels agree")));
    plan.summary = promotionPathDescription(plan.path);
    return plan;
}

} // namespace vigil
