// The promotion engine: runs a PromotionPlan step by step on its own connections, reports each
// step, rolls back on failure before the point of no return (writes unpaused, priorities restored,
// the old master still master), verifies the result, and records it all in the journal. One engine
// for the GUI and `vigil promote`.
#pragma once

#include "promotionplan.h"
#include "journal/event.h"
#include "redis/connection.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>

namespace vigil {

struct StepReport
{
    int index = -1;
    bool ok = false;
    QString detail;
    qint64 elapsedMs = 0;
};

struct PromotionResult
{
    enum class Outcome { Succeeded, Failed, Aborted, Refused };
    Outcome outcome = Outcome::Failed;
    QString message;
    int failedStep = -1;
    QString rollback;          // what the rollback did, when one ran
    qint64 totalMs = 0;        // from the start (after confirmation) to the new master accepting writes
    qint64 writePauseMs = -1;  // how long writes were paused on the old master (by Vigil, or by FAILOVER)
    qint64 unavailableMs = -1; // from fencing the old master to the new master accepting writes
    qint64 bytesCaughtUp = -1; // what the candidate still had to receive when writes stopped
    QStringList verification;  // what the verification saw
};

class PromotionEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PromotionEngine)

public:
    using OptionsFor = std::function<ConnectionOptions(const QString &address)>;
    using EventSink = std::function<void(const Event &)>;

    PromotionEngine(PromotionPlan plan, PromotionRequest request, OptionsFor optionsFor, QObject *parent = nullptr);
    ~PromotionEngine() override;

    const PromotionPlan &plan() const { return m_plan; }
    // The operator's reason, when it is typed after the engine was made (before execute()).
    void setReason(const QString &reason) { m_request.reason = reason; }
    void setEventSink(EventSink sink) { m_sink = std::move(sink); }
    // Told when writes are paused (true) and when the promotion is over (false): the heartbeat
    // detector annotates silences meanwhile instead of paging.
    void setQuietHook(std::function<void(bool)> hook) { m_quiet = std::move(hook); }
    // Asked after each intent event: true once the journal has it on disk. A step whose intent
    // cannot be recorded is not run (the promotion fails and rolls back).
    void setCommitHook(std::function<bool()> hook) { m_commitHook = std::move(hook); }

    // Asks the servers what the plan could not judge from the last polls: the sentinels' quorum
    // (SENTINEL CKQUORUM) and, on 7.0, whether the connection's user may run each command
    // (ACL DRYRUN). Emits prepared() with the completed checks.
    void prepare();
    // Runs the plan. Refuses (finished with Refused) when a check failed, or warned without `override`.
    void execute(bool overrideWarnings);
    // Before the point of no return: stop and roll back. Returns false once it has been passed.
    bool abort();
    bool isRunning() const { return m_running; }
    bool pastPointOfNoReturn() const { return m_noReturn; }

Q_SIGNALS:
    void prepared(const vigil::PromotionPlan &plan);
    void stepStarted(int index);
    void stepFinished(const vigil::StepReport &report);
    void finished(const vigil::PromotionResult &result);

private:
    using Done = std::function<void(bool ok, const QString &detail)>;
    using Undo = std::function<void(Done)>;

    Connection *connectionTo(const QString &node);
    void runStep(int index);
    void stepDone(int index, bool ok, const QString &detail);
    void fail(int index, const QString &error);
    // Runs the undos, newest first; past the point of no return only those that stay safe then.
    void rollBack(bool pastNoReturn, std::function<void(const QString &)> done);
    void succeed();
    void finish(PromotionResult result);
    void raise(const QString &kind, Severity severity, const QString &message, const QJsonObject &data);

    // The executors, one per StepKind; each registers its own undo once it has changed something.
    void dispatch(const PlanStep &step, Done done);
    // Journals the current step's intent (action.promote.intent, with `extra` in its data) and
    // waits for it to be on disk; false (and `done` told) when it cannot be.
    bool intend(const QJsonObject &extra, const Done &done);
    void pause(const PlanStep &step, Done done);
    void unpause(const PlanStep &step, Done done);
    void readOffset(const PlanStep &step, Done done);
    void waitOffset(const PlanStep &step, Done done);
    void promote(const PlanStep &step, Done done);
    // The command of a step that may cross the point of no return; notes whether a failure left
    // it certainly not run (refused by the server, or never sent).
    void crossingCommand(const PlanStep &step, Done done);
    void follow(const PlanStep &step, Done done);
    void priorityZero(const PlanStep &step, Done done);
    void priorityRestore(const PlanStep &step, Done done);
    void failover(const PlanStep &step, Done done);
    void waitMaster(const PlanStep &step, Done done);
    void waitFollows(const PlanStep &step, Done done);
    void waitSentinel(const PlanStep &step, Done done);
    void verify(Done done);
    void verifySentinels(Done done);

    // The prepare() questions, each adding its checks and calling `settle` once.
    void askQuorum(const QString &sentinel, const std::function<void()> &settle);
    void askByteGap(const std::function<void()> &settle);
    void askClusterView(const QString &primary, const std::function<void()> &settle);
    void askPermission(const QString &node, const QList<QByteArray> &argv, const std::function<void()> &settle);
    void addCheck(const QString &id, const QString &name, bool ok, const QString &detail);

    void send(const QString &node, const QList<QByteArray> &argv, int timeoutMs, std::function<void(const Reply &)> reply);
    // `argv`'s reply as an outcome: an error reply fails.
    void command(const QString &node, const QList<QByteArray> &argv, int timeoutMs, Done done);
    // Sends `argv` to `node` every `intervalMs` until `test` passes on a reply or `timeoutMs` elapses.
    void pollUntil(const QString &node, const QList<QByteArray> &argv, int intervalMs, int timeoutMs,
                   std::function<bool(const Reply &, QString *)> test, Done done);
    // One INFO replication of `node` (every default section with `everySection`): `done` gets the
    // snapshot, or null and the error.
    void readReplication(const QString &node, int timeoutMs, std::function<void(const InfoSnapshot *, const QString &error)> done,
                         bool everySection = false);
    // Polls INFO replication on `node` every 10 ms until `test` passes or `timeoutMs` elapses.
    void waitFor(const QString &node, int timeoutMs, std::function<bool(const InfoSnapshot &, QString *)> test, Done done);
    bool followsCandidate(const InfoSnapshot &s) const;

    PromotionPlan m_plan;
    PromotionRequest m_request;
    OptionsFor m_optionsFor;
    EventSink m_sink;
    std::function<void(bool)> m_quiet;
    std::function<bool()> m_commitHook;
    QString m_actionId; // in every event of the action, from requested to its end
    QHash<QString, Connection *> m_connections;
    struct Rollback
    {
        Undo undo;
        bool afterNoReturn = false; // also run when a step past the point of no return fails
    };
    QList<Rollback> m_rollbacks;             // newest last
    QHash<QString, QByteArray> m_priorities; // replica -> replica-priority before
    QElapsedTimer m_clock;
    QElapsedTimer m_stepClock;
    QTimer m_stepTimer;    // the current step's timeout
    QTimer m_pauseRenewal; // keeps CLIENT PAUSE in force while Vigil works (a step marked renewed)
    PlanStep m_renewedPause;
    int m_current = -1;
    quint64 m_stepToken = 0; // late callbacks of a finished step are ignored
    bool m_running = false;
    bool m_noReturn = false;
    bool m_abortRequested = false;
    bool m_askedPastNoReturn = false; // the candidate's role asked once the crossing step failed
    bool m_crossingNotRun = false;    // the crossing step failed without running at all
    bool m_finished = false;
    qint64 m_targetOffset = -1;
    qint64 m_masterChanges = -1;  // rdb_changes_since_last_save when the offset was read
    qint64 m_masterLastSave = -1; // rdb_last_save_time then
    qint64 m_masterSaves = -1;    // rdb_saves then (7.0+): a save in between is told apart by it
    qint64 m_pauseStartMs = -1;
    qint64 m_pauseLapsesMs = -1; // when a pause that is not renewed ends at the latest (m_clock)
    int m_pauseLengthMs = 0;
    qint64 m_candidateAnsweredMs = -1; // the candidate's last answer while awaiting its role (m_clock)
    qint64 m_pauseEndMs = -1;
    bool m_pausedByFailover = false; // FAILOVER holds the writes until it hands over
    qint64 m_startOffsetGap = -1;
    qint64 m_newMasterMs = -1;
    QStringList m_verification;
};

} // namespace vigil

Q_DECLARE_METATYPE(vigil::StepReport)
Q_DECLARE_METATYPE(vigil::PromotionResult)
