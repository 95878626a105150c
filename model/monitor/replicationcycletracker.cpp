// Replication cycles over time.
#include "replicationcycletracker.h"

#include <QDateTime>
#include <QJsonArray>
#include <QSet>

namespace vigil {

QList<Event> ReplicationCycleTracker::update(const TopologyGraph &graph, qint64 nowMs)
{
    QList<Event> events;
    QSet<QString> present;
    for (const QStringList &members : graph.cycles) {
        QStringList sorted = members;
        sorted.sort();
        const QString key = sorted.join(QLatin1Char(','));
        present.insert(key);
        Seen &seen = m_seen[key];
        if (seen.rounds++ == 0) {
            seen.members = members;
            seen.firstMs = nowMs;
        }
        if (seen.reported || seen.rounds < kConfirmRounds)
            continue;
        seen.reported = true;
        const QString loop = (members + QStringList{members.first()}).join(QStringLiteral(" -> "));
        Event e = Event::make(QStringLiteral("replication.cycle"), Severity::Critical, members.first(),
                              QStringLiteral("replication cycle %1: every server in it is a replica of another, none is a "
                                             "master, so none takes writes")
                                  .arg(loop),
                              {{QStringLiteral("members"), QJsonArray::fromStringList(members)}});
        e.time = QDateTime::fromMSecsSinceEpoch(seen.firstMs, Qt::UTC);
        events << e;
    }
    for (auto it = m_seen.begin(); it != m_seen.end();) {
        if (present.contains(it.key())) {
            ++it;
            continue;
        }
        if (it->reported)
            events << Event::make(
                QStringLiteral("replication.cycle_ended"), Severity::Info, it->members.first(),
                QStringLiteral("replication cycle of %1 is gone after %2 s")
                    .arg(it->members.join(QStringLiteral(", ")))
                    .arg(double(nowMs - it->firstMs) / 1000.0, 0, 'f', 1),
                {{QStringLiteral("members"), QJsonArray::fromStringList(it->members)}, {QStringLiteral("lasted_ms"), nowMs - it->firstMs}});
        it = m_seen.erase(it);
    }
    return events;
}

} // namespace vigil
