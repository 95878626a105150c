// The snapshot action: a guarded BGSAVE on one node, refused while a save or an AOF rewrite runs
// (BGSAVE SCHEDULE is offered instead), warned about when the fork looks expensive or the last
// save failed, then followed to completion with its progress, and journalled.
#pragma once

#include "preflightcheck.h"
#include "journal/event.h"
#include "redis/connection.h"
#include "topology/infoparser.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>

namespace vigil {

struct SnapshotRequest
{
    QString node;          // "host:port"
    bool schedule = false; // BGSAVE SCHEDULE when a save or rewrite is running
    QString operatorName;
    int timeoutMs = 30 * 60 * 1000;                         // following the save to its end
    qint64 expensiveMemoryBytes = 4LL * 1024 * 1024 * 1024; // a dataset this large makes the fork costly
    qint64 expensiveForkUs = 500'000;                       // so does a last fork this slow
};

// The checks, from the node's last INFO (persistence, memory and stats sections).
QList<PreflightCheck> snapshotChecks(const InfoSnapshot &info, const SnapshotRequest &request);

struct SnapshotProgress
{
    qint64 keysProcessed = -1;
    qint64 keysTotal = -1;
    qint64 elapsedMs = 0;
    int percent() const { return keysTotal > 0 && keysProcessed >= 0 ? int(100 * keysProcessed / keysTotal) : -1; }
};

struct SnapshotResult
{
    bool ok = false;
    bool refused = false;
    bool scheduled = false; // BGSAVE SCHEDULE was accepted and the save has not started yet
    QString message;
    qint64 durationMs = -1;    // measured from the request to the end of the save
    qint64 serverSeconds = -1; // rdb_last_bgsave_time_sec
};

class SnapshotAction final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SnapshotAction)

public:
    SnapshotAction(SnapshotRequest request, ConnectionOptions options, QObject *parent = nullptr);

    void setEventSink(std::function<void(const Event &)> sink) { m_sink = std::move(sink); }
    // Reads INFO and judges the checks; emits checked().
    void check();
    const QList<PreflightCheck> &checks() const { return m_checks; }
    // Sends BGSAVE (or BGSAVE SCHEDULE) and, when `follow` is set, follows the save to its end;
    // refuses when a check failed, or warned without `overrideWarnings`.
    void start(bool overrideWarnings, bool follow = true);

Q_SIGNALS:
    void checked(const QList<vigil::PreflightCheck> &checks);
    void started(const QString &reply);
    void progress(const vigil::SnapshotProgress &progress);
    void finished(const vigil::SnapshotResult &result);

private:
    void poll();
    void finish(SnapshotResult result);
    void raise(const QString &kind, Severity severity, const QString &message, const QJsonObject &data);

    SnapshotRequest m_request;
    Connection *m_connection;
    std::function<void(const Event &)> m_sink;
    QList<PreflightCheck> m_checks;
    InfoSnapshot m_before;
    QTimer m_poll;
    QElapsedTimer m_clock;
    bool m_polling = false;
    bool m_sawRunning = false;
    bool m_startedNow = false; // "Background saving started" rather than "scheduled"
    bool m_done = false;
};

} // namespace vigil

Q_DECLARE_METATYPE(vigil::SnapshotProgress)
Q_DECLARE_METATYPE(vigil::SnapshotResult)
