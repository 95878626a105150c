// Promotion planning from the live topology: which path (coordinated FAILOVER, the same steps by
// hand, through Sentinel, forced, Redis Cluster), the pre-flight checks that can be judged from the
// last polls, the steps with their nodes and timeouts, and the data that may be lost. Pure
// functions: the engine adds the checks that need a server's answer (CKQUORUM, ACL DRYRUN).
#pragma once

#include "monitor/topologygraph.h"

namespace vigil {

struct PromotionRequest
{
    QString candidate;          // "host:port" of the replica to promote
    bool force = false;         // the master is down: promote without its cooperation
    QString reason;
    QString operatorName;       // who asked (the OS user)
    qint64 maxLagBytes = 1024 * 1024;
    int maxLagSeconds = 10;
    int pauseTimeoutMs = 5000;  // the longest writes may stay paused (FAILOVER TIMEOUT, CLIENT PAUSE)
    int catchUpTimeoutMs = 3000; // how long the candidate may take to reach the master's offset
    int promoteTimeoutMs = 30000; // Sentinel or the cluster electing the candidate
    bool byHand = false;        // use the manual steps even where FAILOVER exists (servers < 6.2 always do)
};

enum class PromotionPath { None, Failover, ByHand, Sentinel, Forced, ForcedSentinel, Cluster, ClusterForce };
QString promotionPathName(PromotionPath path);
QString promotionPathDescription(PromotionPath path);

struct PreflightCheck
{
    enum class Result { Pass, Warn, Fail };
    QString name;
    Result result = Result::Pass;
    QString detail;
};
QString checkResultName(PreflightCheck::Result result);

struct PlanStep
{
    enum class Kind
    {
        Command,        // send `argv`; an error reply fails the step
        Pause,          // CLIENT PAUSE <ms> WRITE, renewed until the old master is demoted or unpaused
        ReadOffset,     // the master's master_repl_offset: what the candidate must reach
        WaitOffset,     // until the candidate's slave_repl_offset reaches it
        WaitMaster,     // until the candidate reports role:master
        WaitFollows,    // until the node reports role:slave of the candidate
        Priority0,      // remember replica-priority, set it to 0
        RestorePriority,
        Verify,
    };
    Kind kind = Kind::Command;
    QList<QByteArray> argv; // for Command
    QString node;          // where it runs ("host:port", or "sentinel host:port")
    QString command;       // as it is sent, passwords never included
    int timeoutMs = 0;
    QString purpose;
    bool pointOfNoReturn = false; // once this has run, failures are reported but not rolled back
};

struct PromotionPlan
{
    PromotionPath path = PromotionPath::None;
    QString master;            // the candidate's current master (as monitored)
    bool masterReachable = false;
    QString candidate;
    QStringList otherReplicas; // the master's other replicas, to re-point
    QString sentinelGroup;     // when Sentinel manages the group
    QStringList sentinels;     // its sentinels, as monitored
    QString candidateClusterId;
    QStringList clusterPrimaries; // every reachable primary (they vote in a cluster failover)
    QString candidateHost;     // as the others must reach it (the address the master lists)
    quint16 candidatePort = 0;
    QList<PreflightCheck> checks;
    QList<PlanStep> steps;
    qint64 ackedLagBytes = -1;    // the candidate's gap as its master last saw it (by its ACK)
    qint64 expectedLossBytes = 0; // 0 for coordinated paths; the last known gap when forced; -1 unknown
    QString summary;

    bool blocked() const;     // a check failed
    bool needsOverride() const; // a check warned
};

PromotionPlan planPromotion(const TopologyGraph &graph, const PromotionRequest &request);

// "7.0.15" >= "6.2.0"
bool versionAtLeast(const QString &version, int major, int minor);

} // namespace vigil
Q_DECLARE_METATYPE(vigil::PromotionPlan)
