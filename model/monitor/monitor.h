// The monitor: owns a connection per target, turns what happens on them into journal events.
// The one object that both the GUI and the command line drive.
#pragma once

#include "heartbeat/heartbeatservice.h"
#include "journal/event.h"
#include "redis/connection.h"
#include "topology/clusterparser.h"
#include "topology/failoversummary.h"
#include "topology/sentinelparser.h"
#include "topology/snapshotdiff.h"
#include "targetstatus.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <QStringList>

#include <memory>
#include <vector>

namespace vigil {

class Journal;
class SplitBrainTracker;
class ReplicationCycleTracker;
class ScopeIndex;

// What the operator asks to watch: servers (--connect), sentinels (--sentinel) and the master
// groups to follow on them (--master; every group when empty).
struct TargetSet
{
    QList<ConnectionOptions> servers;
    QList<ConnectionOptions> sentinels;
    QStringList masters;
};

class Monitor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Monitor)

public:
    // The journal may be null (events are then only signalled).
    explicit Monitor(Journal *journal, QObject *parent = nullptr);

    // Where its events go; null when it journals nothing (a dry run).
    Journal *journal() const { return m_journal; }
    ~Monitor() override;

    // The servers given (--connect). Discovery adds the rest of their replication tree or cluster.
    void setTargets(const QList<ConnectionOptions> &targets);
    QList<ConnectionOptions> targets() const;
    // The servers and sentinels given, with the master groups followed.
    TargetSet targetSet() const;
    // Changes what is watched while running, as the Targets dialog does: nodes that stay keep their
    // connection and state (no fresh event for a server already known dead, the last known INFO
    // kept), nodes found only through removed ones go, and monitor.targets_changed is journalled.
    void changeTargets(const TargetSet &targets);
    // Sentinels to discover from (--sentinel) and the master groups to follow (--master); every
    // group the sentinels watch when `masterNames` is empty.
    void setSentinels(const QList<ConnectionOptions> &sentinels, const QStringList &masterNames = {});
    // Following replicas, masters, sentinels and cluster nodes found in replies (on by default).
    void setDiscovery(bool enabled) { m_discovery = enabled; }
    // Whether discovered nodes get the password of the node they were found through (the default:
    // a replication group shares its password). Off, they are reached without credentials.
    void setForwardAuth(bool enabled) { m_forwardAuth = enabled; }
    // Discovery bounds: nodes one reply may add, and discovered nodes in all.
    static constexpr int kMaxDiscoveredPerReply = 256;
    static constexpr int kMaxDiscovered = 4096;
    // Which channels and patterns carry heartbeats; applies from the next start or target change.
    void setHeartbeatOptions(const HeartbeatOptions &options) { m_heartbeatOptions = options; }
    const HeartbeatOptions &heartbeatOptions() const { return m_heartbeatOptions; }
    // The operator regrouped nodes into services while running.
    void setServiceGroups(const QHash<QString, QStringList> &groups);
    HeartbeatService *heartbeats() const { return m_heartbeats; }
    // Totals of the last heartbeat snapshot (beats, duplicates, malformed; nodes as a count).
    struct HeartbeatTotals
    {
        qint64 beats = 0;
        qint64 duplicates = 0;
        qint64 malformed = 0;
        int nodes = 0;
    };
    HeartbeatTotals heartbeatTotals() const { return m_heartbeatTotals; }

    void start();
    void stop();
    bool isRunning() const { return m_running; }

    // Every known node, given or discovered (servers that turned out to be another's alias left out).
    int targetCount() const;
    int connectedCount() const;
    QList<TargetStatus> status() const;
    // One node's status, by any of its addresses; null when it is not monitored.
    const TargetStatus *statusOf(const QString &address) const;
    // The cluster as its observer node last described it; null outside Redis Cluster.
    const ClusterView *clusterView() const { return m_cluster.get(); }
    // Every node has answered a poll or failed, and the last round found nothing new.
    bool isSettled() const;
    qint64 eventsRaised() const { return m_eventsRaised; }

    // Records an event in the journal and signals it.
    void raise(const Event &event);
    // A guarded action (a promotion) is changing the topology: silent heartbeats are annotated,
    // not paged, and what the action causes on purpose (Sentinel's switch, role changes, replicas
    // moving) is journalled as information until a few seconds after it ends.
    void setActionRunning(bool running);

    // INFO polling of every connected target (default every second); 0 turns it off.
    void setPollInterval(int ms);
    void setTopologyThresholds(const TopologyThresholds &thresholds) { m_thresholds = thresholds; }
    const TopologyThresholds &topologyThresholds() const { return m_thresholds; }
    int pollInterval() const { return m_pollTimer->interval(); }
    // How a node is reached (credentials and TLS included); empty options for an unknown address.
    ConnectionOptions connectionOptions(const QString &address) const;
    // The last INFO snapshot of a node by address (null before the first poll).
    const InfoSnapshot *snapshot(const QString &address) const;

Q_SIGNALS:
    void eventRaised(const vigil::Event &event);
    // The status changed: told at most once per kStatusChangedEveryMs (the changes of that span
    // together), at once when the last time was longer ago.
    void statusChanged();
    // A node answered a poll (INFO, or the SENTINEL / CLUSTER reads).
    void polled(const QString &address);
    // A node was found through another and is now monitored too.
    void nodeDiscovered(const QString &address);

private:
    // Chart samples for the journal, at most one a second per series.
    static constexpr qint64 kSampleIntervalMs = 1000;
    void recordSample(const QString &metric, const QString &subject, qint64 atMs, double value);
    void recordServerSamples(const TargetStatus &status, const InfoSnapshot &info, qint64 atMs);

    struct Target
    {
        Connection *connection = nullptr;
        Connection *events = nullptr; // sentinels: PSUBSCRIBE * for their event channels
        TargetStatus status;
        bool everConnected = false;
        bool reportedDown = false;
        bool retired = false;  // an alias of another target: closed, not shown
        bool carrier = false;  // subscribed for heartbeats
        bool answered = false; // a poll (or a failed attempt) has been seen
        struct ErrorReport
        {
            qint64 atMs = 0;
            int suppressed = 0;
        };
        QHash<int, ErrorReport> errorReports; // by ErrorKind: redis.error is rate-limited per reason
        TopologyAlarms alarms;
        bool polling = false;
        QString upstream;                 // the master address last given to the heartbeat service
        QString aliasCheckedRunId;        // the run id last compared with the other targets'
        bool infoCombinedRefused = false; // takes one INFO section per command, whatever its version
        QString closedMessage;
    };
    static constexpr qint64 kStatusChangedEveryMs = 100;
    void noteStatusChanged();
    void emitStatusChanged();
    Target &addTarget(const ConnectionOptions &options, TargetStatus::Kind kind, const QString &via);
    void openTarget(Target &target);
    void watchSentinelEvents(Target &target);
    void startHeartbeats();
    void attach(Target &target);
    void clearTargets(TargetStatus::Kind kind);
    void dropTargets(std::vector<std::unique_ptr<Target>> doomed);
    Target *find(const QString &address) const;
    const Target *namerOf(const Target &node) const;
    // The nodes one reply names: each new one is monitored, up to the bounds.
    struct Discovery
    {
        QString via;         // the node whose reply named them
        QSet<QString> named; // new addresses the reply named
        int discovered = -1; // discovered nodes watched before the reply, counted when one is new
        int added = 0;
    };
    Discovery beginDiscovery(const QString &via) const;
    // Monitors `address` too, if it is new, reached like `like` (credentials, TLS).
    void discover(Discovery &batch, const QString &address, TargetStatus::Kind kind, const ConnectionOptions &like);
    // Says so, once in a while, when a reply named more than could be added.
    void finishDiscovery(const Discovery &batch);
    void openQueued();
    void discoverFromInfo(Target &target);
    bool retireIfAlias(Target &target);
    void pollSentinel(Target &target);
    void pollCluster(Target &target);
    void onSentinelMessage(Target &target, const QByteArray &channel, const QByteArray &payload);
    void flushSentinelEvents(bool all);
    ConnectionOptions dataTemplate(const Target &sentinel) const;
    void onReady(Target &target);
    void onDisconnected(Target &target, ErrorKind reason, const QString &message);
    void onAuthFailed(Target &target, ErrorKind reason, const QString &message);
    void onServerError(Target &target, ErrorKind kind, const QString &message);
    void poll();
    // The targets of the round's next slice (every target, outside a fleet).
    void pollSlice();
    void pollTarget(Target &target);
    void followUpstream(Target &target);
    void judgeClosedConnections(qint64 nowMs);
    // How long a reconnect after a server close may take before it counts as an outage.
    qint64 reconnectGraceMs() const;
    void raiseOutage(Target &target, const QString &message, const QString &reason, qint64 atMs, const QString &reconnectReason = {});
    void checkSplitBrains(qint64 nowMs);
    // The start: first observations are counted for the monitor.baseline summary, not journalled.
    bool absorbedInBaseline(const Event &event);
    void finishBaseline(qint64 nowMs);
    // `ms` (wall time) falls in the running action, or in the last one and its tail.
    bool duringAction(qint64 ms) const;

    Journal *m_journal;
    HeartbeatService *m_heartbeats;
    HeartbeatOptions m_heartbeatOptions;
    HeartbeatTotals m_heartbeatTotals;
    std::vector<std::unique_ptr<Target>> m_targets;
    // Every address and alias to its target (the first in m_targets), rebuilt when stale: every
    // poll reply looks its nodes up, and a fleet has thousands of them.
    mutable QHash<QString, Target *> m_byAddress;
    mutable bool m_byAddressStale = true;
    QHash<QString, qint64> m_lastSampleMs; // metric|subject -> the last sample stored
    bool m_scopesStale = true;             // a poll answered since the scopes were last built
    QStringList m_masterNames;
    bool m_discovery = true;
    bool m_forwardAuth = true;
    QStringList m_toOpen; // discovered, opened a batch at a time
    QTimer *m_openTimer = nullptr;
    QHash<QString, qint64> m_capReportedMs; // via -> when its discovery_capped was last raised
    bool m_foundSomething = false;          // discovery added a node since the last poll round
    int m_quietRounds = 0;                  // poll rounds in a row that found nothing new
    std::unique_ptr<ClusterView> m_cluster;
    bool m_clusterPolling = false;
    SentinelEventMerger m_sentinelEvents;
    FailoverSummary m_failovers;
    QTimer *m_sentinelFlush;
    QTimer *m_statusTimer = nullptr;
    QElapsedTimer m_sinceStatus;
    qint64 m_lastStatusMs = -kStatusChangedEveryMs;
    bool m_running = false;
    qint64 m_eventsRaised = 0;
    QTimer *m_pollTimer;
    QTimer *m_sliceTimer = nullptr;
    int m_slice = 0;  // the next slice of this round
    int m_slices = 1; // the round's slices: targets i, i + m_slices, ... poll together
    TopologyThresholds m_thresholds;
    std::unique_ptr<SplitBrainTracker> m_splitBrains;
    std::unique_ptr<ReplicationCycleTracker> m_cycles;
    std::unique_ptr<ScopeIndex> m_scopes; // each event's replication group, from the last poll's graph
    // From start() until the topology has settled and nothing new was found for 2 s (at most 15 s).
    struct Baseline
    {
        bool active = false;
        qint64 startMs = 0;
        qint64 lastDiscoveryMs = 0; // sentinels learn of each other every 2 s: wait for a quiet spell
        int reachable = 0;
        int discovered = 0;
        QStringList firstBeats;
        int problems = 0; // warnings and criticals raised meanwhile (journalled as usual)
    };
    Baseline m_baseline;
    qint64 m_actionStartMs = -1; // the running (or last) action; -1 when none ran
    qint64 m_actionEndMs = -1;   // -1 while it runs
};

} // namespace vigil
