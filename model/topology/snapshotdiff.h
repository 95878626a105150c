// Events from two consecutive INFO snapshots of one server: role changes, restarts, replication
// link and lag, replicas coming and going, full syncs, saves and AOF errors.
#pragma once

#include "infoparser.h"
#include "journal/event.h"

#include <QSet>
#include "common/format.h"

namespace vigil {

struct TopologyThresholds
{
    qint64 lagBytes = 1024 * 1024;  // a replica this far behind its master's offset...
    int lagSeconds = 10;            // ...or this many seconds since its last ACK, is lagging
    qint64 saveStaleSeconds = 3600; // unsaved changes older than this are stale
};

// What the comparison remembers between polls of one server (for alarms with a recovery).
struct TopologyAlarms
{
    QSet<QString> laggingReplicas; // addresses currently reported as lagging
    bool saveStale = false;
    bool aofError = false;
};

// Compares `previous` (null for the first poll) with `current` and returns the events, stamped
// `nowMs`. `source` is the server's "host:port".
QList<Event> compareSnapshots(const QString &source, const InfoSnapshot *previous, const InfoSnapshot &current, const TopologyThresholds &thresholds,
                              TopologyAlarms &alarms, qint64 nowMs);

} // namespace vigil
