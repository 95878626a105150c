// Promotion planning from the live topology: which path (the coordinated steps by hand, FAILOVER,
// through Sentinel, forced, Redis Cluster), the pre-flight checks that can be judged from the last
// polls, the steps with their nodes, commands, timeouts and undo, and the data that may be lost.
// Pure functions over a TopologyGraph: the engine adds the checks that need a server's answer
// (CKQUORUM, ACL DRYRUN) and runs the steps.
#pragma once

#include "preflightcheck.h"
#include "monitor/topologygraph.h"

#include <QMetaType>

#include <algorithm>

namespace vigil {

// How a coordinated switchover is carried out. `Auto` takes the fastest proven path: the steps by
// hand (a write pause of milliseconds); FAILOVER pauses writes until the demoted master's next
// replication cron, up to a second under load.
enum class SwitchoverMethod { Auto, ByHand, Failover };
QString switchoverMethodName(SwitchoverMethod method);
// "auto", "by-hand", "failover"; false when `name` is none of them.
bool parseSwitchoverMethod(const QString &name, SwitchoverMethod *method);

struct PromotionRequest
{
    QString candidate;  // "host:port" of the replica to promote
    bool force = false; // the master is down: promote without its cooperation
    QString reason;
    QString operatorName; // who asked (the OS user)
    qint64 maxLagBytes = 1024 * 1024;
    int maxLagSeconds = 10;
    int pauseTimeoutMs = 5000;                        // the longest writes may stay paused (FAILOVER TIMEOUT, CLIENT PAUSE)
    int catchUpTimeoutMs = 3000;                      // how long the candidate may take to reach the master's offset
    int promoteTimeoutMs = 30000;                     // Sentinel or the cluster electing the candidate
    SwitchoverMethod method = SwitchoverMethod::Auto; // without Sentinel or Cluster
};

enum class PromotionPath { None, Failover, ByHand, Sentinel, Forced, ForcedSentinel, Cluster, ClusterForce };
QString promotionPathName(PromotionPath path);
QString promotionPathDescription(PromotionPath path);
// The paths that lose no acknowledged write.
bool isLossless(PromotionPath path);

// What a step does. The engine runs each kind with its own executor and knows its undo; it never
// reads a step's command text.
enum class StepKind {
    Pause,            // CLIENT PAUSE <ms> WRITE on the master; undone by CLIENT UNPAUSE
    Unpause,          // CLIENT UNPAUSE: paused writers go on (against a replica: -READONLY)
    ReadOffset,       // the master's master_repl_offset: what the candidate must reach
    WaitOffset,       // until the candidate's slave_repl_offset reaches it
    Promote,          // REPLICAOF NO ONE on the candidate
    Demote,           // REPLICAOF <candidate> on the old master
    Repoint,          // REPLICAOF <candidate> on another replica
    PriorityZero,     // remember replica-priority, set it to 0; undone by setting it back
    PriorityRestore,  // set it back
    Failover,         // FAILOVER TO <candidate> TIMEOUT <ms> on the master; undone by FAILOVER ABORT
    SentinelFailover, // SENTINEL FAILOVER <group> on one sentinel
    ClusterFailover,  // CLUSTER FAILOVER [FORCE] on the candidate
    WaitMaster,       // until the candidate reports role:master
    WaitFollows,      // until the node reports role:slave of the candidate
    WaitSentinel,     // until the sentinel lists the other replicas with replica-priority 0 (it reads
                      // a replica's INFO every 10 s, and elects by what it read last)
    Verify,           // the new topology as it should be
};
QString stepKindName(StepKind kind);

// What must be left of a write pause that is not renewed (Sentinel's) when the old master's
// demotion is sent: a fifth of it, between 50 and 500 ms.
inline int pauseMarginMs(int pauseMs)
{
    return std::clamp(pauseMs / 5, 50, 500);
}
// False for the kinds that only read (offsets, roles, the verification).
bool changesServer(StepKind kind);

struct PlanStep
{
    StepKind kind = StepKind::Verify;
    QString node;           // where it runs ("host:port", or "sentinel host:port")
    QList<QByteArray> argv; // what it sends; waits poll INFO replication instead
    QString command;        // for people: the command, or what is awaited; never a password
    int timeoutMs = 0;
    QString purpose;
    QString undo;                 // for people: what undoes it, when something does
    bool renewed = false;         // Pause: sent again until writes resume, often enough that it never runs out
    int pauseMs = 0;              // Pause: how long it holds unless renewed
    bool pointOfNoReturn = false; // once this has run, failures are reported but not rolled back
};

struct PromotionPlan
{
    PromotionPath path = PromotionPath::None;
    QString master; // the candidate's current master (as monitored)
    bool masterReachable = false;
    QString candidate;
    QStringList otherReplicas;       // the master's other replicas, to re-point
    QString sentinelGroup;           // when Sentinel manages the group
    QStringList sentinels;           // its sentinels, as monitored
    qint64 sentinelDownAfterMs = -1; // the shortest down-after-milliseconds among them; -1 unknown
    QString candidateClusterId;
    QStringList clusterPrimaries; // every reachable primary (they vote in a cluster failover)
    QString candidateHost;        // as the others must reach it (the address the master lists)
    quint16 candidatePort = 0;
    QList<PreflightCheck> checks;
    QList<PlanStep> steps;
    qint64 ackedLagBytes = -1;    // the candidate's gap as its master last saw it (by its ACK)
    qint64 expectedLossBytes = 0; // 0 for coordinated paths; the last known gap when forced; -1 unknown
    QString summary;

    bool blocked() const;       // no path, or a check failed
    bool needsOverride() const; // a check warned
    PreflightCheck *check(const QString &id);
};

PromotionPlan planPromotion(const TopologyGraph &graph, const PromotionRequest &request);

// The commands a plan sends to each server, as ACL DRYRUN should try them (sentinels excluded).
QList<std::pair<QString, QList<QByteArray>>> commandsToAuthorize(const PromotionPlan &plan);

// "7.0.15" >= "6.2.0"
bool versionAtLeast(const QString &version, int major, int minor);

} // namespace vigil
Q_DECLARE_METATYPE(vigil::PromotionPlan)
