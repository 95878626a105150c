// Split brains over time, from successive topology graphs: `replication.split_brain` when a stale
// master takes writes beside its group's master, `replication.split_brain_ended` when it is
// converted, gone, or named by the sentinels, with the bytes its resync discarded.
#pragma once

#include "journal/event.h"
#include "topologygraph.h"

#include <QHash>

namespace vigil {

class SplitBrainTracker
{
public:
    // A split brain is reported once it has lasted this long: a switchover's own moment with two
    // masters (about a second under load) is not one.
    static constexpr qint64 kConfirmMs = 2000;

    // One look at the topology at `nowMs`. While `quiet` (a promotion runs, or just ran), a new
    // split brain is tracked but not reported: its own instant between promoting the candidate and
    // demoting the old master is not one. Returns the events to journal.
    QList<Event> update(const TopologyGraph &graph, qint64 nowMs, bool quiet);
    // Forgets everything (monitoring stopped).
    void clear() { m_open.clear(); }
    int openCount() const { return int(m_open.size()); }

private:
    struct Open
    {
        QString master;
        qint64 divergedAt = -1; // replication offset where the histories parted
        bool divergenceExact = false;
        qint64 lastOffset = -1; // the stale master's offset at its last poll as a master
        bool reported = false;
        qint64 firstMs = 0;
    };
    QHash<QString, Open> m_open; // by the stale master's address
};

} // namespace vigil
