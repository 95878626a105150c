// Split brains over time.
#include "splitbraintracker.h"

#include <QCoreApplication>
#include <QSet>

namespace vigil {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("SplitBrainTracker", text);
}

} // namespace

QList<Event> SplitBrainTracker::update(const TopologyGraph &graph, qint64 nowMs, bool quiet)
{
    QList<Event> events;
    QSet<QString> seen;
    for (const GraphNode &n : graph.servers) {
        const GraphNode *master = n.splitBrain ? graph.node(n.master) : nullptr;
        if (!master || !master->info() || !n.info())
            continue;
        const InfoSnapshot &zombie = *n.info();
        seen.insert(n.status.address);
        Open &w = m_open[n.status.address];
        if (w.firstMs == 0)
            w.firstMs = nowMs;
        w.master = master->status.address;
        w.lastOffset = zombie.masterReplOffset;
        // The new master's history continues the zombie's up to where it was promoted.
        const InfoSnapshot &m = *master->info();
        if (!m.replId2.isEmpty() && m.replId2 == zombie.replId && m.secondReplOffset > 0) {
            w.divergedAt = m.secondReplOffset - 1;
            w.divergenceExact = true;
        } else if (w.divergedAt < 0) {
            w.divergedAt = zombie.masterReplOffset;
        }
        // Only once it lasted: another tool's switchover (FAILOVER, or the steps by hand) has its old
        // and new master both masters for a moment, and that is no split brain.
        if (w.reported || quiet || nowMs - w.firstMs < kConfirmMs)
            continue;
        w.reported = true;
        const qint64 accepted = std::max<qint64>(0, zombie.masterReplOffset - w.divergedAt);
        Event e = Event::make(QStringLiteral("replication.split_brain"), Severity::Critical, n.status.address,
                              tr("split brain: %1 says it is master, but %2; it has %3 client(s), and its replication "
                                 "stream grew %4%5 bytes past the point where the new master's history left it (writes "
                                 "and PUBLISHes, some perhaps queued while it hung), which its resync will discard")
                                  .arg(n.status.address, n.staleBecause)
                                  .arg(zombie.connectedClients)
                                  .arg(w.divergenceExact ? QString() : tr("at least "))
                                  .arg(accepted),
                              {{QStringLiteral("stale_master"), n.status.address},
                               {QStringLiteral("master"), w.master},
                               {QStringLiteral("named_by"), n.staleBecause},
                               {QStringLiteral("named_by_kind"), n.staleKind},
                               {QStringLiteral("clients"), zombie.connectedClients},
                               {QStringLiteral("accepted_bytes"), accepted},
                               {QStringLiteral("accepted_exact"), w.divergenceExact},
                               {QStringLiteral("stale_offset"), zombie.masterReplOffset},
                               {QStringLiteral("diverged_at"), w.divergedAt}});
        // Stamped when it was first seen: that is when the split brain began.
        e.time = QDateTime::fromMSecsSinceEpoch(w.firstMs, Qt::UTC);
        events << e;
    }
    for (auto it = m_open.begin(); it != m_open.end();) {
        // One not reported yet must be seen without a break to be confirmed.
        if (!it->reported && !seen.contains(it.key())) {
            it = m_open.erase(it);
            continue;
        }
        // Not a split brain this time, but over only when the zombie stopped being one: converted,
        // gone, or named by the sentinels. A blip of the new master's connection, a Sentinel
        // failover starting, or the zombie's own reconnect (Sentinel converting it kills its
        // clients) ends nothing.
        const GraphNode *node = graph.node(it.key());
        const bool stillMaster = node && node->info() && node->info()->isMaster();
        const bool present = node && (node->reachable() || node->status.reconnecting());
        if (seen.contains(it.key()) || (stillMaster && present && !node->namedBySentinels)) {
            ++it;
            continue;
        }
        const Open w = it.value();
        const QString address = it.key();
        it = m_open.erase(it);
        if (!w.reported)
            continue;
        const bool converted = node && node->reachable() && node->info() && node->info()->isReplica();
        const qint64 discarded = std::max<qint64>(0, w.lastOffset - w.divergedAt);
        const QString outcome = !node ? QStringLiteral("unmonitored")
            : converted               ? QStringLiteral("converted")
            : !node->reachable()      ? QStringLiteral("unreachable")
                                      : QStringLiteral("named_master");
        const QString how = converted                 ? tr("now replicates from %1").arg(node->info()->masterAddress())
            : outcome == QLatin1String("unreachable") ? tr("is unreachable")
            : outcome == QLatin1String("unmonitored") ? tr("is no longer monitored")
                                                      : tr("is the master the sentinels name now");
        const QString atLeast = w.divergenceExact ? QString() : tr("at least ");
        Event e = Event::make(
            QStringLiteral("replication.split_brain_ended"), discarded > 0 ? Severity::Warning : Severity::Info, address,
            converted
                ? tr("split brain over: %1 %2; its resync discarded %3%4 bytes it had accepted as master").arg(address, how, atLeast).arg(discarded)
                : tr("split brain over: %1 %2; %3%4 bytes it accepted as master are not on %5")
                      .arg(address, how, atLeast)
                      .arg(discarded)
                      .arg(w.master),
            {{QStringLiteral("stale_master"), address},
             {QStringLiteral("master"), w.master},
             {QStringLiteral("outcome"), outcome},
             {QStringLiteral("discarded_bytes"), discarded},
             {QStringLiteral("discarded_exact"), w.divergenceExact},
             {QStringLiteral("lasted_ms"), nowMs - w.firstMs}});
        e.time = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC);
        events << e;
    }
    return events;
}

} // namespace vigil
