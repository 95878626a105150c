// Promotions that never ended: Vigil died (SIGKILL, a crash, the machine) between
// action.promote.requested and its outcome. The journal holds what it intended before each step
// (action.promote.intent: the command, what undoes it, replica-priority as it was, the master's
// offset and write counter when writes were paused); recovery reads that, looks at the servers as
// they are now, and finishes or undoes the action: the settings it changed restored, exactly one
// writable master, the others following it, and an action.promote.recovered event saying what it
// found and did. The write pause needs nothing: CLIENT PAUSE and FAILOVER end by themselves.
#pragma once

#include "journal/event.h"
#include "monitor/topologygraph.h"
#include "redis/connection.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

#include <functional>

namespace vigil {

struct UnfinishedAction
{
    QString actionId;
    QDateTime requestedAt;
    QString operatorName;
    qint64 pid = 0; // the process that ran it, on `host`
    QString host;
    QString path;   // promotionPathName
    QString master; // the master when it began
    QString candidate;
    QString candidateHost; // as the others reach it
    quint16 candidatePort = 0;
    QStringList otherReplicas;
    QString sentinelGroup;
    QStringList sentinels;
    QStringList begun;                  // the step kinds whose intent was journalled, in order
    QString lastIntent;                 // the message of the last one
    QHash<QString, QString> priorities; // replica -> replica-priority before it was set to 0
    qint64 masterChanges = -1;          // the master's rdb_changes_since_last_save when writes were paused
    qint64 masterLastSave = -1;         // its rdb_last_save_time then
    qint64 masterSaves = -1;            // its rdb_saves then (7.0+)

    bool began(const char *kind) const { return begun.contains(QLatin1String(kind)); }
    bool isCluster() const { return path.startsWith(QLatin1String("cluster")); }
    // The process that ran it is alive on this machine: it is under way, not unfinished.
    bool stillRunning() const;
    // "promotion of 10.0.0.2:6379 (sentinel-switchover) by alice at 2026-12-02 07:31:02 UTC,
    // last journalled: step 5/10 about to run: SENTINEL FAILOVER orders on sentinel 10.0.0.9:26379"
    QString describe() const;
};

// The actions among `events` (any order) that have a requested event and no outcome, oldest
// first. An outcome: succeeded, aborted, failed before the point of no return (rolled back),
// recovered with its verification passed.
QList<UnfinishedAction> unfinishedActions(const QList<Event> &events);
// The same from a journal file. False with `error` when it cannot be read.
bool readUnfinishedActions(const QString &journalPath, QList<UnfinishedAction> *out, QString *error);
// What a Vigil that starts on a journal says of each action found unfinished there and not still
// running (action.promote.unfinished, a warning naming `vigil recover`); none when the file does
// not exist.
QList<Event> unfinishedActionEvents(const QString &journalPath);

// How a server's writes since the split are counted.
struct WritesSince
{
    enum class Measure { Counter, Offset };
    // Counter: the write counter (rdb_changes_since_last_save) against the one journalled when
    // writes were paused, while no save came between. Offset: a promoted replica's offset past the
    // one it was promoted at (second_repl_offset).
    Measure measure = Measure::Counter;
    qint64 changes = -1;
    qint64 saves = -1;
    qint64 lastSave = -1;

    // -1 when it cannot be told from `info`.
    qint64 count(const InfoSnapshot &info) const;
};

struct RecoveryStep
{
    enum class Kind {
        Promote,     // REPLICAOF NO ONE: the candidate (by hand, the old master demoted), or the replica --keep names
        Fence,       // CLIENT PAUSE WRITE on a master about to be demoted
        CheckWrites, // none since the split (else stop), or only count them (`mustBeNone` false)
        Follow,      // REPLICAOF the master kept
        Unpause,
        RestorePriority,
        SentinelFailover, // SENTINEL FAILOVER on a sentinel: Sentinel finishes the switchover
        WaitForElection,  // SENTINEL GET-MASTER-ADDR-BY-NAME, asked again until another master than the old is named
        FollowElected,    // REPLICAOF the master Sentinel elected, known once it has
    };
    Kind kind = Kind::Follow;
    QString node;
    QList<QByteArray> argv; // what it sends (CheckWrites: INFO)
    QString why;
    WritesSince writes;     // CheckWrites
    bool mustBeNone = true; // CheckWrites
    int waitMs = 0;         // WaitForElection
};

struct RecoveryPlan
{
    QStringList found;      // what the servers say now, for people
    QString keep;           // the master that stays
    bool keepNamed = false; // by the operator (--keep) or Sentinel: a server of the action that does not answer is left out
    QList<RecoveryStep> steps;
    QString refused;        // why nothing is done (both masters took writes: --keep...)
    bool lookAgain = false; // a failover (Sentinel's, FAILOVER, the cluster's) still runs: worth asking again soon
};

// What to do about `action` given the servers as they are. `keep` (an address) overrides the
// choice of master when two claim it, or when the other side does not answer.
RecoveryPlan planRecovery(const UnfinishedAction &action, const TopologyGraph &graph, const QString &keep = {});

// Runs a recovery plan on its own connections, verifies one master with its replicas following
// and the priorities back, and journals action.promote.recovered.
class RecoveryRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecoveryRunner)

public:
    using OptionsFor = std::function<ConnectionOptions(const QString &address)>;

    RecoveryRunner(UnfinishedAction action, RecoveryPlan plan, OptionsFor optionsFor, QObject *parent = nullptr);

    void setEventSink(std::function<void(const Event &)> sink) { m_sink = std::move(sink); }
    void run();

Q_SIGNALS:
    void stepDone(const QString &line);
    void finished(bool ok, const QString &summary);

private:
    Connection *connectionTo(const QString &node);
    void runStep(int index);
    // An error: the masters fenced so far are unpaused, and the recovery ends unverified.
    void stop(const QString &why);
    void verify(int attempt);
    void finish(bool ok, const QString &summary);

    UnfinishedAction m_action;
    RecoveryPlan m_plan;
    OptionsFor m_optionsFor;
    std::function<void(const Event &)> m_sink;
    QHash<QString, Connection *> m_connections;
    QStringList m_done;
    QStringList m_fenced;
    int m_waitingFor = -1; // the WaitForElection step under way, and since when
    QElapsedTimer m_waited;
};

} // namespace vigil
