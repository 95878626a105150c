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

#include <QHash>
#include <QObject>

#include <functional>

namespace vigil {

struct UnfinishedAction
{
    QString actionId;
    QDateTime requestedAt;
    QString operatorName;
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
    qint64 targetOffset = -1;           // the master's offset when writes were paused
    qint64 masterChanges = -1;          // its rdb_changes_since_last_save then
    qint64 masterLastSave = -1;         // its rdb_last_save_time then

    bool began(const char *kind) const { return begun.contains(QLatin1String(kind)); }
    // "promotion of 10.0.0.2:6379 (sentinel-switchover) by alice at 2026-12-02 07:31:02 UTC,
    // last journalled: step 5/10 about to run: SENTINEL FAILOVER orders on sentinel 10.0.0.9:26379"
    QString describe() const;
};

// The actions among `events` (any order) that have a requested event and no outcome
// (succeeded, failed, aborted, recovered), oldest first.
QList<UnfinishedAction> unfinishedActions(const QList<Event> &events);
// The same from a journal file. False with `error` when it cannot be read.
bool readUnfinishedActions(const QString &journalPath, QList<UnfinishedAction> *out, QString *error);
// What a Vigil that starts on a journal says of each action found unfinished there
// (action.promote.unfinished, a warning naming `vigil recover`); none when the file does not exist.
QList<Event> unfinishedActionEvents(const QString &journalPath);

struct RecoveryStep
{
    enum class Kind { Follow, Unpause, RestorePriority };
    Kind kind = Kind::Follow;
    QString node;
    QList<QByteArray> argv;
    QString why;
};

struct RecoveryPlan
{
    QStringList found; // what the servers say now, for people
    QString keep;      // the master that stays
    QList<RecoveryStep> steps;
    QString refused;              // why nothing is done without --keep (both masters took writes...)
    bool waitForSentinel = false; // a Sentinel failover is still running: look again shortly
};

// What to do about `action` given the servers as they are. `keep` (an address) overrides the
// choice of master when two claim it.
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
    void verify(int attempt);
    void finish(bool ok, const QString &summary);

    UnfinishedAction m_action;
    RecoveryPlan m_plan;
    OptionsFor m_optionsFor;
    std::function<void(const Event &)> m_sink;
    QHash<QString, Connection *> m_connections;
    QStringList m_done;
};

} // namespace vigil
