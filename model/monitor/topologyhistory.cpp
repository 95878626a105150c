// Round-trip and lag histories from the monitor's polls.
#include "topologyhistory.h"

#include <QDateTime>

namespace vigil {

TopologyHistory::TopologyHistory(Monitor *monitor, QObject *parent)
    : QObject(parent)
    , m_monitor(monitor)
{
    connect(monitor, &Monitor::polled, this, &TopologyHistory::onPolled);
    connect(monitor, &Monitor::statusChanged, this, &TopologyHistory::onStatusChanged);
}

void TopologyHistory::onPolled(const QString &address)
{
    const QList<TargetStatus> nodes = m_monitor->status();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const TargetStatus &n : nodes) {
        if (n.address != address)
            continue;
        if (n.roundTripUs >= 0)
            m_roundTrips.add({BeatSample{n.address, now, n.roundTripUs, -1}});
        if (!n.info || !n.info->isMaster())
            break;
        QList<BeatSample> lag;
        for (const ReplicaEntry &e : n.info->replicas) {
            const qint64 bytes = n.info->byteLag(e);
            if (bytes < 0)
                continue;
            // The replica under the name it is monitored by, when it is.
            QString replica = e.address();
            for (const TargetStatus &r : nodes)
                if (r.answersTo(replica)) {
                    replica = r.address;
                    break;
                }
            // Stored in the history's millisecond field as KiB: the chart draws values as they are.
            lag << BeatSample{replica, now, bytes * 1000 / 1024, -1};
        }
        m_lag.add(lag);
        break;
    }
    Q_EMIT updated();
}

void TopologyHistory::onStatusChanged()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<NodeTransition> transitions;
    for (const TargetStatus &n : m_monitor->status()) {
        auto it = m_reachable.find(n.address);
        if (it == m_reachable.end()) {
            m_reachable.insert(n.address, n.connected);
            continue;
        }
        if (it.value() == n.connected)
            continue;
        it.value() = n.connected;
        transitions << NodeTransition{n.address, now, n.connected ? NodeState::Up : NodeState::Down, false};
    }
    if (!transitions.isEmpty()) {
        m_roundTrips.addTransitions(transitions);
        Q_EMIT updated();
    }
}

} // namespace vigil
