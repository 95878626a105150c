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
    // Looked up by address: every node is polled each second, so no copy of the whole status here.
    const TargetStatus *n = m_monitor->statusOf(address);
    if (!n)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (n->roundTripUs >= 0)
        m_roundTrips.add({BeatSample{n->address, now, n->roundTripUs, -1}});
    if (n->info && n->info->isMaster()) {
        QList<BeatSample> lag;
        for (const ReplicaEntry &e : n->info->replicas) {
            const qint64 bytes = n->info->byteLag(e);
            if (bytes < 0)
                continue;
            // The replica under the name it is monitored by, when it is.
            const TargetStatus *replica = m_monitor->statusOf(e.address());
            // Stored in the history's millisecond field as KiB: the chart draws values as they are.
            lag << BeatSample{replica ? replica->address : e.address(), now, bytes * 1000 / 1024, -1};
        }
        m_lag.add(lag);
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
