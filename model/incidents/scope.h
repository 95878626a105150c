// Which replication group an event concerns, stamped into the event when it is raised, so that
// incidents can be grouped again from the journal alone, later and elsewhere.
#pragma once

#include "journal/event.h"
#include "monitor/topologygraph.h"

#include <QHash>
#include <QString>

namespace vigil {

struct Scope
{
    // "sentinel:<master group name>" for a group Sentinel watches, "cluster" for a Redis Cluster's
    // nodes, "replication:<master address>" for a master and its replicas; empty when unknown.
    QString id;
    QString master; // the group's master (its root in the topology) when known

    bool isValid() const { return !id.isEmpty(); }
};

// The scope of every server in one topology graph (aliases included). Cheap to look up; rebuilt
// from each poll's graph.
class ScopeIndex
{
public:
    static ScopeIndex fromGraph(const TopologyGraph &graph);

    Scope of(const QString &address) const { return m_byAddress.value(address); }
    // The scope of what `event` concerns: a Sentinel event's master group, a heartbeat event's
    // carrier, else the server the event is about (its source). Invalid for Vigil's own events.
    Scope scopeOf(const Event &event) const;
    // Adds `scope` and `scope_master` to the event's data when its scope is known (and it has none).
    void stamp(Event &event) const;

private:
    QHash<QString, Scope> m_byAddress;
};

} // namespace vigil
