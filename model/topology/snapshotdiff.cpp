// Events from consecutive INFO snapshots.
#include "snapshotdiff.h"

#include <QDateTime>
#include <QHash>

namespace vigil {

QList<Event> compareSnapshots(const QString &source, const InfoSnapshot *previous, const InfoSnapshot &cur, const TopologyThresholds &thresholds,
                              TopologyAlarms &alarms, qint64 nowMs)
{
    QList<Event> events;
    auto raise = [&](const QString &kind, Severity severity, const QString &message, const QJsonObject &data = {}) {
        Event e = Event::make(kind, severity, source, message, data);
        e.time = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC);
        events << e;
    };

    if (previous) {
        const InfoSnapshot &prev = *previous;
        if (!prev.runId.isEmpty() && !cur.runId.isEmpty() && prev.runId != cur.runId)
            raise(QStringLiteral("redis.restarted"), Severity::Warning, QStringLiteral("server restarted (up %1 s)").arg(cur.uptimeSeconds),
                  {{QStringLiteral("previous_run_id"), prev.runId},
                   {QStringLiteral("run_id"), cur.runId},
                   {QStringLiteral("uptime_s"), cur.uptimeSeconds}});
        if (prev.role != cur.role && prev.role != InfoSnapshot::Role::Unknown && cur.role != InfoSnapshot::Role::Unknown) {
            QJsonObject data{{QStringLiteral("from"), roleName(prev.role)}, {QStringLiteral("to"), roleName(cur.role)}};
            if (cur.isReplica())
                data.insert(QStringLiteral("master"), cur.masterAddress());
            raise(QStringLiteral("redis.role_changed"), Severity::Warning,
                  cur.isMaster() ? QStringLiteral("promoted: was a replica, now a master")
                                 : QStringLiteral("demoted: was a master, now a replica of %1:%2").arg(cur.masterHost).arg(cur.masterPort),
                  data);
        }
        if (prev.isReplica() && cur.isReplica()) {
            if (prev.linkStatus == QLatin1String("up") && cur.linkStatus == QLatin1String("down"))
                raise(QStringLiteral("replication.link_down"), Severity::Critical,
                      QStringLiteral("link to master %1:%2 down").arg(cur.masterHost).arg(cur.masterPort),
                      {{QStringLiteral("master"), cur.masterAddress()}, {QStringLiteral("offset"), cur.replicaOffset}});
            else if (prev.linkStatus == QLatin1String("down") && cur.linkStatus == QLatin1String("up"))
                raise(QStringLiteral("replication.link_up"), Severity::Info,
                      QStringLiteral("link to master %1:%2 up").arg(cur.masterHost).arg(cur.masterPort),
                      {{QStringLiteral("master"), cur.masterAddress()}, {QStringLiteral("offset"), cur.replicaOffset}});
        }
        if (prev.isMaster() && cur.isMaster()) {
            QSet<QString> before, after;
            for (const ReplicaEntry &r : prev.replicas)
                before << r.address();
            for (const ReplicaEntry &r : cur.replicas)
                after << r.address();
            for (const QString &a : after - before)
                raise(QStringLiteral("replication.replica_added"), Severity::Info, QStringLiteral("replica %1 attached").arg(a),
                      {{QStringLiteral("replica"), a}});
            for (const QString &a : before - after) {
                alarms.laggingReplicas.remove(a);
                raise(QStringLiteral("replication.replica_removed"), Severity::Warning, QStringLiteral("replica %1 detached").arg(a),
                      {{QStringLiteral("replica"), a}});
            }
            if (prev.syncFull >= 0 && cur.syncFull > prev.syncFull)
                raise(QStringLiteral("replication.full_sync"), Severity::Warning,
                      QStringLiteral("%1 full resynchronisation(s) served to replicas").arg(cur.syncFull - prev.syncFull),
                      {{QStringLiteral("sync_full"), cur.syncFull}, {QStringLiteral("sync_partial_ok"), cur.syncPartialOk}});
        }
        if (!prev.bgsaveInProgress && cur.bgsaveInProgress)
            raise(QStringLiteral("persistence.bgsave_started"), Severity::Info, QStringLiteral("background save started"),
                  {{QStringLiteral("changes"), cur.changesSinceSave}});
        // A save that ended, also one that began and ended between two polls. 7.0 counts saves to
        // disk (rdb_saves), which leaves out the forks that feed replicas; before 7.0 the end of
        // a background child is all there is.
        const bool counted = prev.rdbSaves >= 0 && cur.rdbSaves >= 0;
        const bool savedOk =
            counted ? cur.rdbSaves > prev.rdbSaves : prev.bgsaveInProgress && !cur.bgsaveInProgress && cur.lastBgsaveStatus == QLatin1String("ok");
        const bool savedErr = cur.lastBgsaveStatus == QLatin1String("err")
            && (prev.lastBgsaveStatus != QLatin1String("err") || (prev.bgsaveInProgress && !cur.bgsaveInProgress));
        if (savedErr)
            raise(QStringLiteral("persistence.bgsave_failed"), Severity::Critical,
                  QStringLiteral("background save failed: writes may be refused (MISCONF)"), {{QStringLiteral("status"), cur.lastBgsaveStatus}});
        else if (savedOk)
            raise(QStringLiteral("persistence.bgsave_ok"), Severity::Info, QStringLiteral("background save done in %1 s").arg(cur.lastBgsaveTimeSec),
                  {{QStringLiteral("duration_s"), cur.lastBgsaveTimeSec}, {QStringLiteral("saves"), cur.rdbSaves}});
    }

    // Lag, per replica of a master, with hysteresis: one event when it starts, one when it ends.
    if (cur.isMaster()) {
        for (const ReplicaEntry &r : cur.replicas) {
            const qint64 bytes = cur.byteLag(r);
            const bool lagging = r.state == QLatin1String("online") && ((bytes > thresholds.lagBytes) || r.lag > thresholds.lagSeconds);
            const bool known = alarms.laggingReplicas.contains(r.address());
            const QJsonObject data{
                {QStringLiteral("replica"), r.address()}, {QStringLiteral("lag_bytes"), bytes}, {QStringLiteral("lag_seconds"), r.lag}};
            if (lagging && !known) {
                alarms.laggingReplicas.insert(r.address());
                raise(QStringLiteral("replication.lag_high"), Severity::Warning,
                      QStringLiteral("replica %1 behind by %2, last ACK %3 s ago").arg(r.address(), humanBytes(bytes)).arg(r.lag), data);
            } else if (!lagging && known) {
                alarms.laggingReplicas.remove(r.address());
                raise(QStringLiteral("replication.lag_ok"), Severity::Info,
                      QStringLiteral("replica %1 caught up (%2 behind)").arg(r.address(), humanBytes(std::max<qint64>(0, bytes))), data);
            }
        }
    }

    // AOF write errors, once until they clear.
    const bool aofError = cur.aofEnabled && (cur.aofLastWriteStatus == QLatin1String("err") || cur.aofLastRewriteStatus == QLatin1String("err"));
    if (aofError && !alarms.aofError)
        raise(QStringLiteral("persistence.aof_error"), Severity::Critical, QStringLiteral("AOF write or rewrite failing"),
              {{QStringLiteral("last_write_status"), cur.aofLastWriteStatus}, {QStringLiteral("last_rewrite_status"), cur.aofLastRewriteStatus}});
    alarms.aofError = aofError;

    // Unsaved changes older than the threshold (or never saved at all), once until a save.
    if (cur.lastSaveTime >= 0 && cur.changesSinceSave >= 0) {
        const qint64 age = nowMs / 1000 - cur.lastSaveTime;
        const bool stale =
            cur.changesSinceSave > 0 && (cur.neverSaved() || age > thresholds.saveStaleSeconds) && cur.uptimeSeconds > thresholds.saveStaleSeconds;
        if (stale && !alarms.saveStale)
            raise(QStringLiteral("persistence.save_stale"), Severity::Warning,
                  cur.neverSaved() ? QStringLiteral("%1 changes and never saved").arg(cur.changesSinceSave)
                                   : QStringLiteral("%1 changes unsaved for %2 min").arg(cur.changesSinceSave).arg(age / 60),
                  {{QStringLiteral("changes"), cur.changesSinceSave},
                   {QStringLiteral("never_saved"), cur.neverSaved()},
                   {QStringLiteral("last_save_age_s"), cur.neverSaved() ? QJsonValue() : QJsonValue(age)}});
        alarms.saveStale = stale;
    }
    return events;
}

} // namespace vigil
