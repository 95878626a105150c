// Per-node histories for the topology view's charts: Redis round trips (ms) with the periods a
// node was unreachable, and each replica's byte lag (KiB) as its master reports it. Fed from the
// monitor's polls; bounded like the heartbeat history it reuses.
#pragma once

#include "heartbeat/latencyhistory.h"
#include "monitor.h"

#include <QHash>
#include <QObject>

namespace vigil {

class TopologyHistory final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TopologyHistory)

public:
    explicit TopologyHistory(Monitor *monitor, QObject *parent = nullptr);

    const LatencyHistory &roundTrips() const { return m_roundTrips; }
    const LatencyHistory &lag() const { return m_lag; }

Q_SIGNALS:
    void updated();

private:
    void onPolled(const QString &address);
    void onStatusChanged();

    Monitor *m_monitor;
    LatencyHistory m_roundTrips;
    LatencyHistory m_lag;
    QHash<QString, bool> m_reachable;
};

} // namespace vigil
