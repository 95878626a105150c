// The promotion engine.
#include "promotion.h"

#include "topology/clusterparser.h"
#include "topology/snapshotdiff.h"
#include "topology/infoparser.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSysInfo>
#include <QUuid>
#include <QJsonArray>

#include <memory>

#include <csignal>
#include <cstdio>

namespace vigil {

namespace {

constexpr int kPollMs = 10;          // how often a wait asks the server again
constexpr int kSentinelPollMs = 100; // how often the verification asks a sentinel again
constexpr int kRollbackStepMs = 3000;

// A fault injection point for the crash tests: VIGIL_CRASH_AT="before:<step kind>" or
// "after:<step kind>" makes the process SIGKILL itself at the first step of that kind, right
// before its command is sent (its intent journalled) or right after it succeeded. Unset, nothing.
void crashPoint(const char *when, StepKind kind)
{
    static const QByteArray at = qgetenv("VIGIL_CRASH_AT");
    if (!at.isEmpty() && at == QByteArray(when) + ':' + stepKindName(kind).toLatin1())
        std::raise(SIGKILL);
}

QString replyText(const Reply &r)
{
    if (r.isInteger())
        return QString::number(r.integer);
    if (r.isArray()) {
        QStringList parts;
        for (const Reply &e : r.elements)
            parts << replyText(e);
        return parts.join(QLatin1Char(' '));
    }
    return r.text();
}

QJsonArray stepsJson(const PromotionPlan &plan)
{
    QJsonArray steps;
    for (const PlanStep &s : plan.steps)
        steps.append(QJsonObject{{QStringLiteral("kind"), stepKindName(s.kind)},
                                 {QStringLiteral("node"), s.node},
                                 {QStringLiteral("command"), s.command},
                                 {QStringLiteral("timeout_ms"), s.timeoutMs},
                                 {QStringLiteral("undo"), s.undo},
                                 {QStringLiteral("point_of_no_return"), s.pointOfNoReturn}});
    return steps;
}

QJsonArray checksJson(const PromotionPlan &plan)
{
    QJsonArray checks;
    for (const PreflightCheck &c : plan.checks)
        checks.append(QJsonObject{{QStringLiteral("id"), c.id},
                                  {QStringLiteral("name"), c.name},
                                  {QStringLiteral("result"), checkResultName(c.result)},
                                  {QStringLiteral("detail"), c.detail}});
    return checks;
}

// Runs `steps` one after the other; the first failure ends it.
void sequence(std::shared_ptr<QList<std::function<void(std::function<void(bool, const QString &)>)>>> steps, int index, QStringList *log,
              std::function<void(bool, const QString &)> done)
{
    if (index >= steps->size()) {
        done(true, log->join(QStringLiteral("; ")));
        return;
    }
    (*steps)[index]([steps, index, log, done](bool ok, const QString &detail) {
        log->append(detail);
        if (!ok) {
            done(false, detail);
            return;
        }
        sequence(steps, index + 1, log, done);
    });
}

// A reply as a step's outcome: an error fails it, anything else is its detail.
void answer(const Reply &r, const std::function<void(bool, const QString &)> &done)
{
    if (r.isError())
        done(false, r.text());
    else
        done(true, r.isNil() ? QStringLiteral("(nil)") : replyText(r));
}

// The other fault injection point: VIGIL_HOLD_AT="before:<step kind>=<ms>" or
// "after:<step kind>=<ms>" makes the engine wait that long before the first step of that kind
// starts or after it succeeded, saying so on stderr, so that a test can kill or stop a server at
// that boundary. Unset, 0.
int holdPoint(const char *when, StepKind kind)
{
    static const QByteArray at = qgetenv("VIGIL_HOLD_AT");
    static bool held = false;
    const QByteArray point = QByteArray(when) + ':' + stepKindName(kind).toLatin1() + '=';
    if (at.isEmpty() || held || !at.startsWith(point))
        return 0;
    held = true;
    std::fprintf(stderr, "vigil: held at %s\n", point.chopped(1).constData());
    std::fflush(stderr);
    return at.mid(point.size()).toInt();
}

} // namespace

PromotionEngine::PromotionEngine(PromotionPlan plan, PromotionRequest request, OptionsFor optionsFor, QObject *parent)
    : QObject(parent)
    , m_plan(std::move(plan))
    , m_request(std::move(request))
    , m_optionsFor(std::move(optionsFor))
{
    qRegisterMetaType<vigil::StepReport>();
    qRegisterMetaType<vigil::PromotionResult>();
    qRegisterMetaType<vigil::PromotionPlan>();
    m_stepTimer.setSingleShot(true);
    connect(&m_stepTimer, &QTimer::timeout, this,
            [this] { stepDone(m_current, false, tr("timed out after %1 ms").arg(m_plan.steps.value(m_current).timeoutMs)); });
    connect(&m_pauseRenewal, &QTimer::timeout, this,
            [this] { command(m_renewedPause.node, m_renewedPause.argv, 1000, [](bool, const QString &) {}); });
}

PromotionEngine::~PromotionEngine()
{
    if (m_running && m_quiet)
        m_quiet(false);
    // The connections are children: deleting them runs no callback (closing them would).
}

Connection *PromotionEngine::connectionTo(const QString &node)
{
    const QString address = nodeAddress(node);
    if (Connection *c = m_connections.value(address))
        return c;
    ConnectionOptions o = m_optionsFor(address);
    o.clientName = QByteArrayLiteral("vigil-action");
    o.keepAliveIntervalMs = 0;
    o.reconnectMinMs = 50;
    o.reconnectMaxMs = 500;
    auto *c = new Connection(o, this);
    c->open();
    m_connections.insert(address, c);
    return c;
}

void PromotionEngine::send(const QString &node, const QList<QByteArray> &argv, int timeoutMs, std::function<void(const Reply &)> reply)
{
    connectionTo(node)->command(argv, this, std::move(reply), timeoutMs);
}

void PromotionEngine::command(const QString &node, const QList<QByteArray> &argv, int timeoutMs, Done done)
{
    send(node, argv, timeoutMs, [done](const Reply &r) { answer(r, done); });
}

void PromotionEngine::pollUntil(const QString &node, const QList<QByteArray> &argv, int intervalMs, int timeoutMs,
                                std::function<bool(const Reply &, QString *)> test, Done done)
{
    struct Wait
    {
        QTimer timer;
        QElapsedTimer clock;
        bool outstanding = false;
        bool over = false;
        QString last;
    };
    auto wait = std::make_shared<Wait>();
    wait->clock.start();
    wait->timer.setInterval(intervalMs);
    Connection *c = connectionTo(node);
    auto finish = [wait, done](bool ok, const QString &detail) {
        if (wait->over)
            return;
        wait->over = true;
        wait->timer.stop();
        // The timer's slot holds the wait: let go of it, or the two keep each other alive.
        QObject::disconnect(&wait->timer, nullptr, nullptr, nullptr);
        done(ok, detail);
    };
    auto ask = [this, wait, c, argv, test, timeoutMs, finish] {
        if (wait->over)
            return;
        if (wait->clock.elapsed() > timeoutMs) {
            finish(false, tr("not reached within %1 ms: %2").arg(timeoutMs).arg(wait->last.isEmpty() ? tr("no reply") : wait->last));
            return;
        }
        if (wait->outstanding)
            return;
        wait->outstanding = true;
        c->command(
            argv, this,
            [wait, test, finish](const Reply &r) {
                wait->outstanding = false;
                if (wait->over)
                    return;
                if (r.isError()) {
                    wait->last = r.text();
                    return;
                }
                QString detail;
                const bool passed = test(r, &detail);
                wait->last = detail;
                if (passed)
                    finish(true, detail);
            },
            std::max(500, timeoutMs));
    };
    connect(&wait->timer, &QTimer::timeout, this, ask);
    wait->timer.start();
    ask();
}

void PromotionEngine::readReplication(const QString &node, int timeoutMs, std::function<void(const InfoSnapshot *, const QString &error)> done,
                                      bool everySection)
{
    connectionTo(node)->command(
        everySection ? QList<QByteArray>{QByteArrayLiteral("INFO")} : QList<QByteArray>{QByteArrayLiteral("INFO"), QByteArrayLiteral("replication")},
        this,
        [done](const Reply &r) {
            if (r.isString()) {
                const InfoSnapshot s = parseInfo(r.string);
                done(&s, {});
            } else {
                done(nullptr, r.isError() ? r.text() : QStringLiteral("unexpected reply to INFO"));
            }
        },
        timeoutMs);
}

void PromotionEngine::waitFor(const QString &node, int timeoutMs, std::function<bool(const InfoSnapshot &, QString *)> test, Done done)
{
    pollUntil(
        node, {QByteArrayLiteral("INFO"), QByteArrayLiteral("replication")}, kPollMs, timeoutMs,
        [test](const Reply &r, QString *detail) { return test(parseInfo(r.string), detail); }, std::move(done));
}

bool PromotionEngine::followsCandidate(const InfoSnapshot &s) const
{
    if (!s.isReplica() || s.masterPort != m_plan.candidatePort)
        return false;
    return s.masterHost == m_plan.candidateHost || s.masterAddress() == m_plan.candidate;
}

void PromotionEngine::prepare()
{
    auto pending = std::make_shared<int>(1); // held until every question has been sent
    auto settle = [this, pending] {
        if (--*pending == 0)
            Q_EMIT prepared(m_plan);
    };
    auto counted = [pending, settle] {
        ++*pending;
        return settle;
    };
    if (m_plan.path != PromotionPath::None) {
        for (const QString &sentinel : std::as_const(m_plan.sentinels))
            askQuorum(sentinel, counted());
        if (m_plan.masterReachable && !m_request.force)
            askByteGap(counted());
        // A cluster failover needs the primaries' votes: each must already see the candidate as a replica.
        for (const QString &primary : std::as_const(m_plan.clusterPrimaries))
            askClusterView(primary, counted());
    }
    for (const auto &[node, argv] : commandsToAuthorize(m_plan))
        askPermission(node, argv, counted());
    settle();
}

void PromotionEngine::addCheck(const QString &id, const QString &name, bool ok, const QString &detail)
{
    m_plan.checks.append({id, name, ok ? PreflightCheck::Result::Pass : PreflightCheck::Result::Fail, detail});
}

void PromotionEngine::askQuorum(const QString &sentinel, const std::function<void()> &settle)
{
    command(sentinelNodeName(sentinel), {QByteArrayLiteral("SENTINEL"), QByteArrayLiteral("CKQUORUM"), m_plan.sentinelGroup.toUtf8()}, 2000,
            [this, sentinel, settle](bool ok, const QString &detail) {
                addCheck(QStringLiteral("quorum"), QStringLiteral("quorum (sentinel %1)").arg(sentinel), ok, detail);
                settle();
            });
}

// The byte gap as it is now: the master's offset against the candidate's own, read together. The
// master's view of its replicas is up to a second old (replicas ACK once a second), which at a
// high write rate alone exceeds the limit.
void PromotionEngine::askByteGap(const std::function<void()> &settle)
{
    struct Gap
    {
        qint64 master = -1;
        qint64 candidate = -1;
        int pending = 2;
    };
    auto gap = std::make_shared<Gap>();
    auto judge = [this, gap, settle] {
        if (--gap->pending > 0)
            return;
        PreflightCheck *c = m_plan.check(QStringLiteral("byte-gap"));
        if (c && gap->master >= 0 && gap->candidate >= 0) { // else the verdict from the last polls stands
            const qint64 behind = std::max<qint64>(0, gap->master - gap->candidate);
            c->result = behind <= m_request.maxLagBytes ? PreflightCheck::Result::Pass : PreflightCheck::Result::Fail;
            c->detail = QStringLiteral("%1 behind now (limit %2; by its last ACK: %3)")
                            .arg(humanBytes(behind), humanBytes(m_request.maxLagBytes),
                                 m_plan.ackedLagBytes >= 0 ? humanBytes(m_plan.ackedLagBytes) : QStringLiteral("unknown"));
        }
        settle();
    };
    readReplication(m_plan.master, 2000, [gap, judge](const InfoSnapshot *s, const QString &) {
        if (s)
            gap->master = s->masterReplOffset;
        judge();
    });
    readReplication(m_plan.candidate, 2000, [gap, judge](const InfoSnapshot *s, const QString &) {
        if (s)
            gap->candidate = s->replicaOffset;
        judge();
    });
}

void PromotionEngine::askClusterView(const QString &primary, const std::function<void()> &settle)
{
    send(primary, {QByteArrayLiteral("CLUSTER"), QByteArrayLiteral("NODES")}, 2000, [this, primary, settle](const Reply &r) {
        bool replica = false;
        if (r.isString())
            for (const ClusterNode &n : parseClusterNodes(r.string))
                if (n.id == m_plan.candidateClusterId)
                    replica = n.isReplica();
        addCheck(QStringLiteral("cluster-view"), QStringLiteral("cluster view (%1)").arg(primary), replica,
                 !r.isString() ? (r.isError() ? r.text() : QStringLiteral("unexpected reply to CLUSTER NODES"))
                     : replica ? QStringLiteral("sees the candidate as a replica")
                               : QStringLiteral("does not see the candidate as a replica yet: it would refuse its vote; try again "
                                                "when the cluster has settled"));
        settle();
    });
}

// ACL DRYRUN (7.0) for a command the plan sends, on its node, as the user Vigil connects with.
void PromotionEngine::askPermission(const QString &node, const QList<QByteArray> &argv, const std::function<void()> &settle)
{
    const QString user = m_optionsFor(node).uri.user;
    const QString who = user.isEmpty() ? QStringLiteral("default") : user;
    QList<QByteArray> dry{"ACL", "DRYRUN", who.toUtf8()};
    dry << argv;
    const QString name = QStringLiteral("permission: %1 on %2").arg(QString::fromUtf8(argv.join(' ')), node);
    send(node, dry, 2000, [this, name, who, settle](const Reply &r) {
        const QString id = QStringLiteral("permission");
        if (r.isString() && r.text() == QLatin1String("OK"))
            m_plan.checks.append({id, name, PreflightCheck::Result::Pass, QStringLiteral("allowed for %1").arg(who)});
        else if (r.isError())
            m_plan.checks.append({id, name, PreflightCheck::Result::Warn, QStringLiteral("cannot be checked (ACL DRYRUN: %1)").arg(r.text())});
        else
            m_plan.checks.append({id, name, PreflightCheck::Result::Fail, replyText(r)});
        settle();
    });
}

void PromotionEngine::execute(bool overrideWarnings)
{
    if (m_running || m_finished)
        return;
    if (m_plan.blocked() || (m_plan.needsOverride() && !overrideWarnings)) {
        PromotionResult r;
        r.outcome = PromotionResult::Outcome::Refused;
        r.message = m_plan.path == PromotionPath::None ? m_plan.summary : refusalReasons(m_plan.checks, overrideWarnings).join(QStringLiteral("; "));
        m_finished = true;
        Q_EMIT finished(r);
        return;
    }
    m_running = true;
    m_clock.start();
    m_actionId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    raise(QStringLiteral("action.promote.requested"), Severity::Info,
          tr("promotion of %1 requested (%2)").arg(m_plan.candidate, promotionPathName(m_plan.path)),
          {{QStringLiteral("operator"), m_request.operatorName},
           {QStringLiteral("pid"), QCoreApplication::applicationPid()},
           {QStringLiteral("host"), QSysInfo::machineHostName()},
           {QStringLiteral("reason"), m_request.reason},
           {QStringLiteral("path"), promotionPathName(m_plan.path)},
           {QStringLiteral("candidate"), m_plan.candidate},
           {QStringLiteral("master"), m_plan.master},
           {QStringLiteral("candidate_host"), m_plan.candidateHost},
           {QStringLiteral("candidate_port"), m_plan.candidatePort},
           {QStringLiteral("other_replicas"), QJsonArray::fromStringList(m_plan.otherReplicas)},
           {QStringLiteral("sentinel_group"), m_plan.sentinelGroup},
           {QStringLiteral("sentinels"), QJsonArray::fromStringList(m_plan.sentinels)},
           {QStringLiteral("pause_timeout_ms"), m_request.pauseTimeoutMs},
           {QStringLiteral("expected_loss_bytes"), m_plan.expectedLossBytes},
           {QStringLiteral("warnings_overridden"), m_plan.needsOverride()},
           {QStringLiteral("checks"), checksJson(m_plan)},
           {QStringLiteral("plan"), stepsJson(m_plan)}});
    if (m_quiet)
        m_quiet(true);
    runStep(0);
}

bool PromotionEngine::abort()
{
    if (!m_running)
        return false;
    if (m_noReturn || (m_current >= 0 && m_plan.steps.at(m_current).pointOfNoReturn))
        return false;
    m_abortRequested = true;
    return true;
}

void PromotionEngine::runStep(int index)
{
    if (index >= m_plan.steps.size()) {
        succeed();
        return;
    }
    if (m_abortRequested && !m_noReturn) {
        rollBack(false, [this, index](const QString &outcome) {
            PromotionResult r;
            r.outcome = PromotionResult::Outcome::Aborted;
            r.message = tr("aborted by the operator before step %1").arg(index + 1);
            r.failedStep = index;
            r.rollback = outcome;
            raise(QStringLiteral("action.promote.aborted"), Severity::Warning, r.message,
                  {{QStringLiteral("before_step"), index + 1}, {QStringLiteral("rollback"), outcome}});
            finish(r);
        });
        return;
    }
    if (const int ms = holdPoint("before", m_plan.steps.at(index).kind)) {
        QTimer::singleShot(ms, this, [this, index] { runStep(index); });
        return;
    }
    m_current = index;
    const quint64 token = ++m_stepToken;
    const PlanStep &step = m_plan.steps.at(index);
    Q_EMIT stepStarted(index);
    m_stepClock.start();
    m_stepTimer.start(step.timeoutMs + 1000);
    auto done = [this, index, token](bool ok, const QString &detail) {
        if (token == m_stepToken)
            stepDone(index, ok, detail);
    };
    // PriorityZero states its intent itself, once it has read the value its undo restores.
    if (changesServer(step.kind) && step.kind != StepKind::PriorityZero && !intend({}, done))
        return;
    dispatch(step, done);
}

bool PromotionEngine::intend(const QJsonObject &extra, const Done &done)
{
    const int index = m_current;
    const PlanStep &step = m_plan.steps.at(index);
    QJsonObject data{{QStringLiteral("step"), index + 1},
                     {QStringLiteral("kind"), stepKindName(step.kind)},
                     {QStringLiteral("node"), step.node},
                     {QStringLiteral("command"), step.command},
                     {QStringLiteral("undo"), step.undo},
                     {QStringLiteral("target_offset"), m_targetOffset},
                     {QStringLiteral("master_changes"), m_masterChanges},
                     {QStringLiteral("master_last_save"), m_masterLastSave},
                     {QStringLiteral("master_saves"), m_masterSaves}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        data.insert(it.key(), it.value());
    raise(QStringLiteral("action.promote.intent"), Severity::Info,
          QStringLiteral("step %1/%2 about to run: %3 on %4%5")
              .arg(index + 1)
              .arg(m_plan.steps.size())
              .arg(step.command, step.node, step.undo.isEmpty() ? QString() : QStringLiteral(" (undone by %1)").arg(step.undo)),
          data);
    // On disk before the server changes: whoever comes after a crash reads what was under way.
    if (m_commitHook && !m_commitHook()) {
        done(false, tr("the journal could not record the intent; nothing was sent"));
        return false;
    }
    crashPoint("before", step.kind);
    return true;
}

void PromotionEngine::dispatch(const PlanStep &step, Done done)
{
    switch (step.kind) {
    case StepKind::Pause: return pause(step, done);
    case StepKind::Unpause: return unpause(step, done);
    case StepKind::ReadOffset: return readOffset(step, done);
    case StepKind::WaitOffset: return waitOffset(step, done);
    case StepKind::Promote: return promote(step, done);
    case StepKind::Demote:
    case StepKind::Repoint: return follow(step, done);
    case StepKind::PriorityZero: return priorityZero(step, done);
    case StepKind::PriorityRestore: return priorityRestore(step, done);
    case StepKind::Failover: return failover(step, done);
    case StepKind::SentinelFailover:
    case StepKind::ClusterFailover: return crossingCommand(step, done);
    case StepKind::WaitMaster: return waitMaster(step, done);
    case StepKind::WaitFollows: return waitFollows(step, done);
    case StepKind::WaitSentinel: return waitSentinel(step, done);
    case StepKind::Verify: return verify(done);
    }
}

void PromotionEngine::pause(const PlanStep &step, Done done)
{
    const qint64 sent = m_clock.elapsed();
    command(step.node, step.argv, step.timeoutMs, [this, step, sent, done](bool ok, const QString &detail) {
        if (ok) {
            m_pauseStartMs = m_clock.elapsed();
            if (!step.renewed) {
                m_pauseLapsesMs = sent + step.pauseMs; // the server counts from when it read it, later
                m_pauseLengthMs = step.pauseMs;
            }
            m_rollbacks << Rollback{[this, node = step.node](Done d) {
                command(node, {QByteArrayLiteral("CLIENT"), QByteArrayLiteral("UNPAUSE")}, kRollbackStepMs,
                        [this, d](bool unpaused, const QString &why) {
                            m_pauseRenewal.stop();
                            if (unpaused && m_pauseEndMs < 0)
                                m_pauseEndMs = m_clock.elapsed();
                            d(unpaused, unpaused ? QStringLiteral("writes unpaused") : QStringLiteral("CLIENT UNPAUSE failed: %1").arg(why));
                        });
            }};
            if (step.renewed) {
                m_renewedPause = step;
                // Often enough that the pause never runs out while Vigil lives, however short it is.
                m_pauseRenewal.start(std::clamp((step.pauseMs > 0 ? step.pauseMs : m_request.pauseTimeoutMs) / 3, 30, 1000));
            }
        }
        done(ok, ok ? QStringLiteral("writes paused") : detail);
    });
}

void PromotionEngine::unpause(const PlanStep &step, Done done)
{
    command(step.node, step.argv, step.timeoutMs, [this, done](bool ok, const QString &detail) {
        if (ok) {
            m_pauseEndMs = m_clock.elapsed();
            m_pauseRenewal.stop();
        }
        done(ok, detail);
    });
}

void PromotionEngine::readOffset(const PlanStep &step, Done done)
{
    // Every section: the write counter since the last save (persistence) tells later whether the
    // master took writes after this moment, which its offset alone does not (pings move it too).
    readReplication(
        step.node, step.timeoutMs,
        [this, node = step.node, done](const InfoSnapshot *s, const QString &error) {
            if (!s) {
                done(false, error);
                return;
            }
            m_targetOffset = s->masterReplOffset;
            m_masterChanges = s->changesSinceSave;
            m_masterLastSave = s->lastSaveTime;
            m_masterSaves = s->rdbSaves;
            done(s->isMaster() && m_targetOffset >= 0,
                 s->isMaster() ? QStringLiteral("master_repl_offset %1").arg(m_targetOffset) : QStringLiteral("%1 is no longer a master").arg(node));
        },
        true);
}

void PromotionEngine::waitOffset(const PlanStep &step, Done done)
{
    waitFor(
        step.node, step.timeoutMs,
        [this](const InfoSnapshot &s, QString *detail) {
            if (m_startOffsetGap < 0 && s.replicaOffset >= 0)
                m_startOffsetGap = std::max<qint64>(0, m_targetOffset - s.replicaOffset);
            *detail = QStringLiteral("slave_repl_offset %1 of %2").arg(s.replicaOffset).arg(m_targetOffset);
            return s.isReplica() && s.replicaOffset >= m_targetOffset;
        },
        done);
}

void PromotionEngine::promote(const PlanStep &step, Done done)
{
    crossingCommand(step, [this, done](bool ok, const QString &detail) {
        if (ok && m_newMasterMs < 0)
            m_newMasterMs = m_clock.elapsed(); // it accepts writes from now on
        done(ok, detail);
    });
}

void PromotionEngine::crossingCommand(const PlanStep &step, Done done)
{
    m_crossingNotRun = false;
    send(step.node, step.argv, step.timeoutMs, [this, done](const Reply &r) {
        // Refused by the server, or never sent: it did not run. But -INPROG from a sentinel says a
        // failover runs already (Sentinel's own, say): the candidate may yet be promoted.
        m_crossingNotRun = r.isError() && (r.unsent || (!r.local && r.errorCode() != "INPROG"));
        answer(r, done);
    });
}

// Demote (the old master) or Repoint (another replica): REPLICAOF the candidate. The old master,
// demoted before the promotion, is made a master again if the promotion fails, even when the
// demotion's reply was lost (REPLICAOF NO ONE on a master changes nothing); its pause is renewed
// until writes resume, except under Sentinel.
void PromotionEngine::follow(const PlanStep &step, Done done)
{
    const bool demote = step.kind == StepKind::Demote;
    // A pause that is not renewed (Sentinel's) must still hold when the demotion runs: writes
    // taken after it ended would be on the old master only.
    if (demote && m_pauseLapsesMs >= 0) {
        const qint64 left = m_pauseLapsesMs - m_clock.elapsed();
        if (left < pauseMarginMs(m_pauseLengthMs)) {
            done(false,
                 tr("the write pause (%1 ms, not renewed under Sentinel) ends in %2 ms: too late to demote %3; not sent")
                     .arg(m_pauseLengthMs)
                     .arg(std::max<qint64>(0, left))
                     .arg(step.node));
            return;
        }
    }
    // Registered before it is sent: a step timeout may come before the reply.
    if (demote && !m_noReturn)
        m_rollbacks << Rollback{[this, node = step.node](Done d) {
            command(node, {QByteArrayLiteral("REPLICAOF"), QByteArrayLiteral("NO"), QByteArrayLiteral("ONE")}, kRollbackStepMs,
                    [d, node](bool undone, const QString &why) {
                        d(undone, undone ? QStringLiteral("%1 is master again").arg(node) : QStringLiteral("REPLICAOF NO ONE failed: %1").arg(why));
                    });
        }};
    command(step.node, step.argv, step.timeoutMs, [this, demote, done](bool ok, const QString &detail) {
        // Answered once the pause had ended, it may have run after writes resumed: undone.
        if (ok && demote && m_pauseLapsesMs >= 0 && m_clock.elapsed() > m_pauseLapsesMs)
            done(false, tr("answered after the write pause ended: it may have run after writes resumed"));
        else
            done(ok, detail);
    });
}

void PromotionEngine::priorityZero(const PlanStep &step, Done done)
{
    const QString node = step.node;
    send(node, {QByteArrayLiteral("CONFIG"), QByteArrayLiteral("GET"), QByteArrayLiteral("replica-priority")}, step.timeoutMs,
         [this, step, node, done](const Reply &r) {
             if (!r.isArray() || r.elements.size() != 2) {
                 done(false, r.isError() ? r.text() : QStringLiteral("unexpected CONFIG GET reply: %1").arg(replyText(r)));
                 return;
             }
             const QByteArray before = r.elements.at(1).string;
             m_priorities.insert(node, before);
             if (!intend({{QStringLiteral("previous"), QString::fromUtf8(before)}}, done))
                 return;
             command(node, step.argv, step.timeoutMs, [this, node, before, done](bool set, const QString &why) {
                 if (set)
                     m_rollbacks << Rollback{[this, node](Done d) {
                                                 PlanStep restore;
                                                 restore.kind = StepKind::PriorityRestore;
                                                 restore.node = node;
                                                 restore.timeoutMs = kRollbackStepMs;
                                                 priorityRestore(restore, [node, d](bool restored, const QString &w) {
                                                     d(restored,
                                                       restored ? QStringLiteral("priority of %1 restored").arg(node)
                                                                : QStringLiteral("priority of %1 not restored: %2").arg(node, w));
                                                 });
                                             },
                                             true}; // whatever else happened, the priority goes back
                 done(set, set ? QStringLiteral("was %1, now 0").arg(QString::fromUtf8(before)) : why);
             });
         });
}

void PromotionEngine::priorityRestore(const PlanStep &step, Done done)
{
    const QByteArray before = m_priorities.value(step.node);
    if (before.isNull()) {
        done(true, QStringLiteral("nothing to restore"));
        return;
    }
    command(step.node, {QByteArrayLiteral("CONFIG"), QByteArrayLiteral("SET"), QByteArrayLiteral("replica-priority"), before}, step.timeoutMs,
            [before, done](bool ok, const QString &detail) {
                done(ok, ok ? QStringLiteral("replica-priority %1").arg(QString::fromUtf8(before)) : detail);
            });
}

void PromotionEngine::failover(const PlanStep &step, Done done)
{
    m_pauseStartMs = m_clock.elapsed();
    m_pausedByFailover = true;
    command(step.node, step.argv, step.timeoutMs, [this, node = step.node, done](bool ok, const QString &detail) {
        if (ok)
            m_rollbacks << Rollback{[this, node](Done d) {
                send(node, {QByteArrayLiteral("FAILOVER"), QByteArrayLiteral("ABORT")}, kRollbackStepMs, [d](const Reply &r) {
                    if (!r.isError())
                        d(true, QStringLiteral("FAILOVER ABORT: %1").arg(replyText(r)));
                    else if (!r.local && r.errorCode() == "ERR") // "No failover in progress"
                        d(true, QStringLiteral("no failover left to abort (%1)").arg(r.text()));
                    else // refused (an ACL), or unanswered: the hand-over may still complete
                        d(false,
                          QStringLiteral("FAILOVER ABORT: %1; the FAILOVER may still complete: check the roles, or run `vigil recover`")
                              .arg(r.text()));
                });
            }};
        done(ok, detail);
    });
}

void PromotionEngine::waitMaster(const PlanStep &step, Done done)
{
    waitFor(
        step.node, step.timeoutMs,
        [this](const InfoSnapshot &s, QString *detail) {
            *detail = QStringLiteral("role:%1").arg(roleName(s.role));
            m_candidateAnsweredMs = m_clock.elapsed();
            if (!s.isMaster())
                return false;
            m_newMasterMs = m_clock.elapsed();
            if (m_pausedByFailover && m_pauseEndMs < 0)
                m_pauseEndMs = m_newMasterMs; // FAILOVER resumes the old master's clients as it hands over
            return true;
        },
        done);
}

void PromotionEngine::waitFollows(const PlanStep &step, Done done)
{
    waitFor(
        step.node, step.timeoutMs,
        [this](const InfoSnapshot &s, QString *detail) {
            *detail = s.isReplica() ? QStringLiteral("replica of %1").arg(s.masterAddress()) : QStringLiteral("role:%1").arg(roleName(s.role));
            return followsCandidate(s);
        },
        done);
}

void PromotionEngine::waitSentinel(const PlanStep &step, Done done)
{
    const QStringList others = m_plan.otherReplicas;
    pollUntil(
        step.node, {QByteArrayLiteral("SENTINEL"), QByteArrayLiteral("REPLICAS"), m_plan.sentinelGroup.toUtf8()}, kSentinelPollMs, step.timeoutMs,
        [others](const Reply &r, QString *detail) {
            QStringList pending;
            const QList<SentinelInstance> listed = parseSentinelInstances(r);
            for (const QString &other : others) {
                // By address; else by port, when one entry alone has it (Sentinel lists announced IPs, Vigil may use names).
                auto it = std::find_if(listed.cbegin(), listed.cend(), [&other](const SentinelInstance &i) { return i.address() == other; });
                if (it == listed.cend()) {
                    QString host;
                    quint16 port = 0;
                    splitHostPort(other, &host, &port);
                    const auto samePort = [port](const SentinelInstance &i) { return i.port == port; };
                    if (std::count_if(listed.cbegin(), listed.cend(), samePort) == 1)
                        it = std::find_if(listed.cbegin(), listed.cend(), samePort);
                }
                if (it == listed.cend() || it->replicaPriority != 0)
                    pending << QStringLiteral("%1 (%2)").arg(
                        other, it == listed.cend() ? QStringLiteral("not listed") : QStringLiteral("priority %1").arg(it->replicaPriority));
            }
            *detail = pending.isEmpty() ? QStringLiteral("every other replica shows priority 0")
                                        : QStringLiteral("still electable: %1").arg(pending.join(QStringLiteral(", ")));
            return pending.isEmpty();
        },
        done);
}

void PromotionEngine::stepDone(int index, bool ok, const QString &detail)
{
    if (index != m_current || !m_running)
        return;
    ++m_stepToken; // anything else this step still had running is ignored from now on
    m_stepTimer.stop();
    const PlanStep &step = m_plan.steps.at(index);
    StepReport report{index, ok, detail, m_stepClock.elapsed()};
    Q_EMIT stepFinished(report);
    raise(QStringLiteral("action.promote.step"), ok ? Severity::Info : Severity::Warning,
          QStringLiteral("step %1/%2 %3: %4 on %5: %6")
              .arg(index + 1)
              .arg(m_plan.steps.size())
              .arg(ok ? QStringLiteral("done") : QStringLiteral("failed"), step.command, step.node, detail),
          {{QStringLiteral("step"), index + 1},
           {QStringLiteral("kind"), stepKindName(step.kind)},
           {QStringLiteral("node"), step.node},
           {QStringLiteral("command"), step.command},
           {QStringLiteral("ok"), ok},
           {QStringLiteral("detail"), detail},
           {QStringLiteral("elapsed_ms"), report.elapsedMs}});
    if (!ok) {
        fail(index, detail);
        return;
    }
    crashPoint("after", step.kind);
    if (step.pointOfNoReturn)
        m_noReturn = true;
    QTimer::singleShot(holdPoint("after", step.kind), this, [this, index] { runStep(index + 1); });
}

void PromotionEngine::fail(int index, const QString &error)
{
    // The step that crosses the point of no return failed: unless it certainly did not run
    // (refused, or never sent), it may have been applied all the same (its reply lost, or late).
    // Rolling back then would make a second master: ask first.
    const PlanStep &step = m_plan.steps.at(index);
    if (step.pointOfNoReturn && !m_noReturn && !m_crossingNotRun && step.kind == StepKind::SentinelFailover) {
        // Sentinel promotes a while after it accepts: the candidate's role now tells nothing.
        m_noReturn = true;
    } else if (step.pointOfNoReturn && !m_noReturn && !m_askedPastNoReturn && !m_crossingNotRun) {
        m_askedPastNoReturn = true;
        readReplication(m_plan.candidate, kRollbackStepMs, [this, index, error](const InfoSnapshot *s, const QString &) {
            if (!s || s->isMaster())
                m_noReturn = true; // promoted, or it cannot be told: leave the roles to recovery
            fail(index, error);
        });
        return;
    }
    auto report = [this, index, error](const QString &rollback) {
        PromotionResult r;
        r.outcome = PromotionResult::Outcome::Failed;
        r.failedStep = index;
        r.message = tr("step %1 (%2 on %3) failed: %4").arg(index + 1).arg(m_plan.steps.at(index).command, m_plan.steps.at(index).node, error);
        r.rollback = rollback;
        r.verification = m_verification;
        raise(QStringLiteral("action.promote.failed"), Severity::Critical, r.message,
              {{QStringLiteral("step"), index + 1},
               {QStringLiteral("command"), m_plan.steps.at(index).command},
               {QStringLiteral("node"), m_plan.steps.at(index).node},
               {QStringLiteral("error"), error},
               {QStringLiteral("rollback"), rollback},
               {QStringLiteral("past_point_of_no_return"), m_noReturn}});
        finish(r);
    };
    if (m_noReturn) {
        // The roles stay as they are; settings changed for the election go back.
        int crossing = 0;
        while (crossing < m_plan.steps.size() && !m_plan.steps.at(crossing).pointOfNoReturn)
            ++crossing;
        // REPLICAOF NO ONE has run when it is answered; a failover command was only accepted.
        const bool handedOver = QList<StepKind>{StepKind::SentinelFailover, StepKind::ClusterFailover}.contains(m_plan.steps.value(crossing).kind);
        const QString state = crossing < index
            ? (handedOver && m_newMasterMs < 0 ? tr("step %1 (%2) was accepted; the candidate may or may not be promoted")
                   : handedOver                ? tr("step %1 (%2) was accepted and the candidate became master")
                                               : tr("step %1 (%2) was done"))
                  .arg(crossing + 1)
                  .arg(m_plan.steps.at(crossing).command)
            : tr("the candidate may have been promoted, or may still be (by %1)").arg(m_plan.sentinelGroup.isEmpty() ? tr("Redis") : tr("Sentinel"));
        QString roles = tr("past the point of no return: %1; the roles stay as they are: run `vigil recover` to finish").arg(state);
        // A cluster replica that won its election and stopped before it said so takes the shard
        // when it answers again, however long its old primary has taken writes since (its manual
        // failover's pause ends after 5 s): those writes are lost.
        const bool silent = m_candidateAnsweredMs < 0 || m_clock.elapsed() - m_candidateAnsweredMs > 1000;
        if (m_plan.steps.value(crossing).kind == StepKind::ClusterFailover && step.kind == StepKind::WaitMaster && silent)
            roles += tr("; WARNING: if %1 won its election before it stopped answering, it takes the shard when it answers again and the "
                        "writes %2 takes until then are lost: keep writes off %2, or stop %1 for good, until that is settled")
                         .arg(m_plan.candidate, m_plan.master);
        rollBack(true, [report, roles](const QString &undone) { report(QStringLiteral("%1; %2").arg(roles, undone)); });
        return;
    }
    rollBack(false, report);
}

void PromotionEngine::rollBack(bool pastNoReturn, std::function<void(const QString &)> done)
{
    m_pauseRenewal.stop();
    ++m_stepToken;
    m_stepTimer.stop();
    auto steps = std::make_shared<QList<std::function<void(Done)>>>();
    for (auto it = m_rollbacks.crbegin(); it != m_rollbacks.crend(); ++it) {
        if (pastNoReturn && !it->afterNoReturn)
            continue;
        Undo undo = it->undo;
        // Each undo step reports but never stops the others.
        steps->append([undo](Done d) { undo([d](bool ok, const QString &detail) { d(true, ok ? detail : QStringLiteral("FAILED: ") + detail); }); });
    }
    m_rollbacks.clear();
    // Then the old master must still be master.
    if (m_plan.masterReachable && !pastNoReturn)
        steps->append([this](Done d) {
            waitFor(
                m_plan.master, 2000,
                [](const InfoSnapshot &s, QString *detail) {
                    *detail = QStringLiteral("old master is %1").arg(roleName(s.role));
                    return s.isMaster();
                },
                [d](bool ok, const QString &detail) {
                    d(true, ok ? QStringLiteral("the old master is still master") : QStringLiteral("WARNING: ") + detail);
                });
        });
    auto log = std::make_shared<QStringList>();
    sequence(steps, 0, log.get(),
             [log, done](bool, const QString &) { done(log->isEmpty() ? QStringLiteral("nothing to undo") : log->join(QStringLiteral("; "))); });
}

void PromotionEngine::verify(Done done)
{
    auto steps = std::make_shared<QList<std::function<void(Done)>>>();
    auto newOffset = std::make_shared<qint64>(-1);
    steps->append([this, newOffset](Done d) {
        waitFor(
            m_plan.candidate, 5000,
            [newOffset](const InfoSnapshot &s, QString *detail) {
                *detail = QStringLiteral("candidate is %1, offset %2").arg(roleName(s.role)).arg(s.masterReplOffset);
                *newOffset = s.masterReplOffset;
                return s.isMaster();
            },
            d);
    });
    QStringList followers = m_plan.otherReplicas;
    if (m_plan.masterReachable)
        followers << m_plan.master;
    for (const QString &r : followers)
        steps->append([this, r, newOffset](Done d) {
            waitFor(
                r, 10000,
                [this, r, newOffset](const InfoSnapshot &s, QString *detail) {
                    *detail = QStringLiteral("%1: %2, link %3, offset %4 of %5")
                                  .arg(r, s.isReplica() ? QStringLiteral("replica of ") + s.masterAddress() : roleName(s.role))
                                  .arg(s.linkStatus)
                                  .arg(s.replicaOffset)
                                  .arg(*newOffset);
                    return followsCandidate(s) && s.linkStatus == QLatin1String("up") && s.replicaOffset >= *newOffset;
                },
                d);
        });
    if (!m_plan.sentinels.isEmpty())
        steps->append([this](Done d) { verifySentinels(d); });
    m_verification.clear();
    sequence(steps, 0, &m_verification, done);
}

// A majority of the group's sentinels name the candidate (a sentinel that is down does not hold
// the verdict back; it is named in the detail).
void PromotionEngine::verifySentinels(Done done)
{
    struct Round
    {
        QTimer timer;
        QElapsedTimer clock;
        QHash<QString, QString> said; // sentinel -> what it names, or why it did not answer
        int pending = 0;
        bool over = false;
    };
    auto round = std::make_shared<Round>();
    round->clock.start();
    const QString port = QString::number(m_plan.candidatePort);
    auto judge = [this, round, port, done] {
        int agree = 0;
        QStringList parts;
        for (const QString &s : std::as_const(m_plan.sentinels)) {
            const QString said = round->said.value(s, QStringLiteral("no answer yet"));
            agree += said.endsWith(QLatin1Char(' ') + port) ? 1 : 0;
            parts << QStringLiteral("sentinel %1 names %2").arg(s, said);
        }
        const bool majority = agree * 2 > m_plan.sentinels.size();
        if (!majority && round->clock.elapsed() < 10000)
            return;
        round->over = true;
        round->timer.stop();
        QObject::disconnect(&round->timer, nullptr, nullptr, nullptr);
        done(majority, QStringLiteral("%1 of %2 sentinels agree: %3").arg(agree).arg(m_plan.sentinels.size()).arg(parts.join(QStringLiteral("; "))));
    };
    auto ask = [this, round, judge] {
        if (round->over || round->pending > 0)
            return;
        round->pending = int(m_plan.sentinels.size());
        for (const QString &s : std::as_const(m_plan.sentinels))
            send(sentinelNodeName(s), {QByteArrayLiteral("SENTINEL"), QByteArrayLiteral("GET-MASTER-ADDR-BY-NAME"), m_plan.sentinelGroup.toUtf8()},
                 kSentinelPollMs * 5, [round, judge, s](const Reply &r) {
                     round->said.insert(s, r.isArray() ? replyText(r) : r.isError() ? r.text() : QStringLiteral("no answer"));
                     if (--round->pending == 0 && !round->over)
                         judge();
                 });
    };
    round->timer.setInterval(kSentinelPollMs);
    connect(&round->timer, &QTimer::timeout, this, ask);
    round->timer.start();
    ask();
}

void PromotionEngine::succeed()
{
    PromotionResult r;
    r.outcome = PromotionResult::Outcome::Succeeded;
    r.totalMs = m_newMasterMs >= 0 ? m_newMasterMs : m_clock.elapsed();
    // A pause that is not renewed ended by itself if Vigil unpaused later.
    const qint64 pauseEnd = m_pauseLapsesMs >= 0 && m_pauseEndMs >= 0 ? std::min(m_pauseEndMs, m_pauseLapsesMs) : m_pauseEndMs;
    r.writePauseMs = m_pauseStartMs >= 0 && pauseEnd >= 0 ? pauseEnd - m_pauseStartMs : -1;
    r.unavailableMs = m_pauseStartMs >= 0 && m_newMasterMs >= 0 ? m_newMasterMs - m_pauseStartMs : -1;
    r.bytesCaughtUp = m_startOffsetGap;
    r.verification = m_verification;
    r.message = tr("%1 is the new master (%2 ms; %3; %4)")
                    .arg(m_plan.candidate)
                    .arg(r.totalMs)
                    .arg(r.writePauseMs >= 0 ? tr("writes paused %1 ms").arg(r.writePauseMs) : tr("no write pause of ours"))
                    .arg(r.unavailableMs >= 0 ? tr("no writable master for %1 ms").arg(r.unavailableMs) : tr("no fencing"));
    raise(QStringLiteral("action.promote.succeeded"), Severity::Info, r.message,
          {{QStringLiteral("candidate"), m_plan.candidate},
           {QStringLiteral("old_master"), m_plan.master},
           {QStringLiteral("path"), promotionPathName(m_plan.path)},
           {QStringLiteral("total_ms"), r.totalMs},
           {QStringLiteral("write_pause_ms"), r.writePauseMs},
           {QStringLiteral("no_writable_master_ms"), r.unavailableMs},
           {QStringLiteral("bytes_caught_up"), r.bytesCaughtUp},
           {QStringLiteral("verification"), QJsonArray::fromStringList(r.verification)}});
    finish(r);
}

void PromotionEngine::finish(PromotionResult result)
{
    m_running = false;
    m_finished = true;
    m_stepTimer.stop();
    m_pauseRenewal.stop();
    if (m_quiet)
        m_quiet(false);
    Q_EMIT finished(result);
}

void PromotionEngine::raise(const QString &kind, Severity severity, const QString &message, const QJsonObject &data)
{
    if (!m_sink)
        return;
    QJsonObject d = data;
    if (!m_actionId.isEmpty())
        d.insert(QStringLiteral("action_id"), m_actionId);
    m_sink(Event::make(kind, severity, m_plan.candidate, message, d));
}

} // namespace vigil
