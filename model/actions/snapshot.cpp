// The snapshot action.
#include "snapshot.h"

#include "topology/inforequest.h"
#include "topology/snapshotdiff.h"

namespace vigil {

namespace {

using Result = PreflightCheck::Result;
constexpr int kPollMs = 100;

} // namespace

QList<PreflightCheck> snapshotChecks(const InfoSnapshot &s, const SnapshotRequest &request)
{
    QList<PreflightCheck> checks;
    auto add = [&checks](const char *id, const QString &name, Result result, const QString &detail) {
        checks.append({QLatin1String(id), name, result, detail});
    };
    if (s.loading) {
        add("not-loading", QStringLiteral("not loading"), Result::Fail, QStringLiteral("the server is loading its dataset"));
        return checks;
    }
    if (s.bgsaveInProgress)
        // Redis refuses BGSAVE SCHEDULE too while a save runs: that save is the snapshot to wait for.
        add("no-save-running", QStringLiteral("no save running"), Result::Fail,
            QStringLiteral("a background save is already running (%1 s so far): it is a snapshot; wait for it to end").arg(s.currentBgsaveTimeSec));
    else
        add("no-save-running", QStringLiteral("no save running"), Result::Pass, QStringLiteral("none"));
    if (s.aofRewriteInProgress)
        add("no-aof-rewrite", QStringLiteral("no AOF rewrite running"), request.schedule ? Result::Pass : Result::Fail,
            request.schedule ? QStringLiteral("an AOF rewrite is running: BGSAVE SCHEDULE starts ours after it")
                             : QStringLiteral("an AOF rewrite is running: wait, or schedule the save after it"));
    else
        add("no-aof-rewrite", QStringLiteral("no AOF rewrite running"), Result::Pass, QStringLiteral("none"));
    if (!s.aofRewriteInProgress && request.schedule)
        add("schedule", QStringLiteral("schedule"), Result::Pass, QStringLiteral("nothing is running: the save starts at once"));
    const qint64 forkUs = s.latestForkUs;
    QStringList cost;
    if (s.usedMemory >= request.expensiveMemoryBytes)
        cost << QStringLiteral("the dataset uses %1: the fork copies its page tables and copy-on-write may need as much again")
                    .arg(humanBytes(s.usedMemory));
    if (forkUs >= request.expensiveForkUs)
        cost << QStringLiteral("the last fork blocked the server for %1 ms").arg(forkUs / 1000);
    add("fork-cost", QStringLiteral("fork cost"), cost.isEmpty() ? Result::Pass : Result::Warn,
        cost.isEmpty() ? QStringLiteral("dataset %1, last fork %2")
                             .arg(humanBytes(s.usedMemory), forkUs > 0 ? QStringLiteral("%1 µs").arg(forkUs) : QStringLiteral("never"))
                       : cost.join(QStringLiteral("; ")));
    add("last-save", QStringLiteral("last save"), s.lastBgsaveStatus == QLatin1String("err") ? Result::Warn : Result::Pass,
        s.lastBgsaveStatus == QLatin1String("err")
            ? QStringLiteral("the last background save failed: this one may fail the same way (disk space, permissions)")
            : s.neverSaved() ? QStringLiteral("never saved")
                             : QStringLiteral("ok"));
    return checks;
}

SnapshotAction::SnapshotAction(SnapshotRequest request, ConnectionOptions options, QObject *parent)
    : QObject(parent)
    , m_request(std::move(request))
{
    qRegisterMetaType<vigil::SnapshotProgress>();
    qRegisterMetaType<vigil::SnapshotResult>();
    options.clientName = QByteArrayLiteral("vigil-action");
    options.keepAliveIntervalMs = 0;
    m_connection = new Connection(options, this);
    m_connection->open();
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &SnapshotAction::poll);
}

void SnapshotAction::check()
{
    requestInfo(m_connection, this, [this](bool ok, const InfoSnapshot &info, ErrorKind, const QString &error) {
        m_checks.clear();
        if (!ok) {
            m_checks.append({QStringLiteral("node-reachable"), QStringLiteral("node reachable"), Result::Fail, error});
        } else {
            m_before = info;
            m_checks.append(
                {QStringLiteral("node-reachable"), QStringLiteral("node reachable"), Result::Pass, QStringLiteral("%1 answers").arg(m_request.node)});
            m_checks << snapshotChecks(info, m_request);
        }
        Q_EMIT checked(m_checks);
    });
}

void SnapshotAction::start(bool overrideWarnings, bool follow)
{
    QStringList why = refusalReasons(m_checks, overrideWarnings);
    if (m_checks.isEmpty())
        why << QStringLiteral("the checks have not run");
    if (!why.isEmpty()) {
        SnapshotResult r;
        r.refused = true;
        r.message = why.join(QStringLiteral("; "));
        finish(r);
        return;
    }
    m_clock.start();
    raise(QStringLiteral("action.snapshot.requested"), Severity::Info, tr("snapshot of %1 requested").arg(m_request.node),
          {{QStringLiteral("operator"), m_request.operatorName},
           {QStringLiteral("schedule"), m_request.schedule},
           {QStringLiteral("used_memory"), m_before.usedMemory},
           {QStringLiteral("changes_since_save"), m_before.changesSinceSave}});
    QList<QByteArray> argv{QByteArrayLiteral("BGSAVE")};
    if (m_request.schedule)
        argv << QByteArrayLiteral("SCHEDULE");
    m_connection->command(argv, this, [this, follow](const Reply &r) {
        if (r.isError()) {
            SnapshotResult result;
            result.message = tr("BGSAVE refused: %1").arg(r.text());
            raise(QStringLiteral("action.snapshot.failed"), Severity::Critical, result.message, {{QStringLiteral("error"), r.text()}});
            finish(result);
            return;
        }
        m_startedNow = r.text().contains(QStringLiteral("started"));
        Q_EMIT started(r.text());
        if (!follow) {
            SnapshotResult result;
            result.ok = true;
            result.scheduled = r.text().contains(QStringLiteral("scheduled"));
            result.message = tr("%1 (not followed)").arg(r.text());
            finish(result);
            return;
        }
        m_poll.start();
    });
}

void SnapshotAction::poll()
{
    if (m_polling || m_done)
        return;
    if (m_clock.elapsed() > m_request.timeoutMs) {
        SnapshotResult r;
        r.message = tr("the save did not end within %1 s; it may still be running").arg(m_request.timeoutMs / 1000);
        raise(QStringLiteral("action.snapshot.failed"), Severity::Critical, r.message, {{QStringLiteral("error"), r.message}});
        finish(r);
        return;
    }
    m_polling = true;
    m_connection->command({QByteArrayLiteral("INFO"), QByteArrayLiteral("persistence")}, this, [this](const Reply &reply) {
        m_polling = false;
        if (reply.isError() || m_done)
            return; // a lost poll is retried at the next tick; the timeout bounds it all
        const InfoSnapshot s = parseInfo(reply.string);
        SnapshotProgress p{s.saveKeysProcessed, s.saveKeysTotal, m_clock.elapsed()};
        if (s.bgsaveInProgress) {
            m_sawRunning = true;
            Q_EMIT progress(p);
            return;
        }
        // Ended: it began with the reply ("started") or was seen running, or a scheduled one came
        // and went between two polls (counted by rdb_saves on 7.0, or the last save time moved).
        const bool counted = s.rdbSaves >= 0 && m_before.rdbSaves >= 0 ? s.rdbSaves > m_before.rdbSaves : s.lastSaveTime != m_before.lastSaveTime;
        if (!m_startedNow && !m_sawRunning && !counted)
            return; // scheduled, not started yet
        SnapshotResult r;
        r.durationMs = m_clock.elapsed();
        r.serverSeconds = s.lastBgsaveTimeSec;
        r.ok = s.lastBgsaveStatus == QLatin1String("ok");
        if (r.ok) {
            r.message = tr("snapshot of %1 saved in %2 s (followed for %3 ms)").arg(m_request.node).arg(r.serverSeconds).arg(r.durationMs);
            raise(QStringLiteral("action.snapshot.succeeded"), Severity::Info, r.message,
                  {{QStringLiteral("duration_ms"), r.durationMs},
                   {QStringLiteral("server_seconds"), r.serverSeconds},
                   {QStringLiteral("saves"), s.rdbSaves}});
        } else {
            r.message =
                tr("the background save on %1 failed (rdb_last_bgsave_status:%2); see the server's log").arg(m_request.node, s.lastBgsaveStatus);
            raise(QStringLiteral("action.snapshot.failed"), Severity::Critical, r.message,
                  {{QStringLiteral("error"), r.message}, {QStringLiteral("duration_ms"), r.durationMs}});
        }
        finish(r);
    });
}

void SnapshotAction::finish(SnapshotResult result)
{
    m_done = true;
    m_poll.stop();
    Q_EMIT finished(result);
}

void SnapshotAction::raise(const QString &kind, Severity severity, const QString &message, const QJsonObject &data)
{
    if (m_sink)
        m_sink(Event::make(kind, severity, m_request.node, message, data));
}

} // namespace vigil
