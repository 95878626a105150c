// Replication cycles over time, from successive topology graphs.
#pragma once

#include "journal/event.h"
#include "topologygraph.h"

#include <QHash>

namespace vigil {

// Replication cycles over time: `replication.cycle` once a loop of replicas has lasted
// kConfirmRounds looks (a failover can show one for an instant), `replication.cycle_ended` when it
// is gone.
class ReplicationCycleTracker
{
public:
    static constexpr int kConfirmRounds = 3;
    QList<Event> update(const TopologyGraph &graph, qint64 nowMs);
    void clear() { m_seen.clear(); }

private:
    struct Seen
    {
        QStringList members;
        int rounds = 0;
        bool reported = false;
        qint64 firstMs = 0;
    };
    QHash<QString, Seen> m_seen; // by the sorted members
};

} // namespace vigil
