// The monitored nodes arranged as replication trees: each master group (or cluster shard) with its
// replicas in order, chained replicas under theirs, and each replica's lag as its master sees it.
// The status command prints it; the topology view draws it.
#pragma once

#include "targetstatus.h"
#include "topology/clusterparser.h"
#include "topology/snapshotdiff.h"

namespace vigil {

struct GraphNode
{
    TargetStatus status;
    QString master;           // the master's address as monitored ("" for roots); the INFO text if it is not
    bool masterKnown = false; // the master is one of the monitored nodes
    int depth = 0;            // 0 for roots, 1 for their replicas, 2 for chained replicas...
    QString group;            // the root's address
    // A server that says it is master (or said so last) while its group's master is another: the
    // sentinels' majority names another, or another master's history continues this one's
    // (master_replid2). It is drawn in that group, under `master`. Reachable, it is a split brain.
    bool staleMaster = false;
    QString staleBecause; // who says so, for people: "the sentinels (2 of 3) name 10.0.0.2:6379 as master"
    QString staleKind;    // who says so: "sentinels" or "history"
    // The reachable sentinels' majority names this server as its group's master.
    bool namedBySentinels = false;
    // Stale, reachable, and so is the master of its group, and no Sentinel failover is running in
    // the group (while one runs, the promoted replica is a master the sentinels do not name yet).
    bool splitBrain = false;
    // Part of a replication cycle (A replicates from B, B from A): no master, no writes anywhere.
    // The members in replication order ("A -> B -> A"); empty otherwise.
    QString cycle;
    // Bytes behind its master: the master's offset less the replica's own, from their last polls
    // (else the master's ACK-based view, INFO replication slaveN); -1 when neither is known.
    qint64 lagBytes = -1;
    // The master's view of this replica (slaveN): seconds since its last ACK, and its state.
    qint64 lagSeconds = -1;
    QString replicaState; // online, wait_bgsave, send_bulk...
    // Redis Cluster: this node in the observer's CLUSTER NODES.
    QString clusterId;
    QString clusterRole; // primary, replica
    QString slots;       // "0-5460"
    QStringList clusterFlags;

    bool reachable() const { return status.connected; }
    const InfoSnapshot *info() const { return status.info.get(); }
};

struct TopologyGraph
{
    QList<GraphNode> servers; // roots in address order, each followed by its subtree (depth first)
    QList<TargetStatus> sentinels;

    const GraphNode *node(const QString &address) const;
    QStringList groups() const; // root addresses, in order
    // The groups' names as the sentinels know them ("" when no sentinel watches the group).
    QString sentinelGroupName(const QString &rootAddress) const;
    // Servers that are split brains (reachable stale masters), in graph order.
    QList<const GraphNode *> splitBrains() const;
    // The group rooted at `rootAddress` alone, with the sentinels that watch it.
    TopologyGraph onlyGroup(const QString &rootAddress) const;
    // Replication cycles among reachable replicas, each as its members' addresses in order.
    QList<QStringList> cycles;
};

TopologyGraph buildTopologyGraph(const QList<TargetStatus> &nodes, const ClusterView *cluster = nullptr);

// How a node looks to an operator: the worst of what is wrong with it, and every reason.
enum class Health { Ok, Warning, Critical, Unknown };
// "ok", "warning", "critical", "unknown".
QString healthName(Health h);

struct NodeHealth
{
    Health level = Health::Ok;
    QStringList reasons;
};
NodeHealth assessServer(const GraphNode &node, const TopologyThresholds &thresholds);
NodeHealth assessSentinel(const TargetStatus &sentinel);

} // namespace vigil
