// Event scopes from the topology graph.
#include "scope.h"

namespace vigil {

ScopeIndex ScopeIndex::fromGraph(const TopologyGraph &graph)
{
    // A server a sentinel lists (as master or replica) belongs to that group even while the graph
    // shows it apart: a replica just promoted is its own root until the sentinels' next answer.
    QHash<QString, QString> listed;
    for (const TargetStatus &s : graph.sentinels)
        for (const SentinelView &v : s.sentinelViews) {
            listed.insert(v.master.address(), v.master.name);
            for (const SentinelInstance &r : v.replicas)
                listed.insert(r.address(), v.master.name);
        }
    auto listedName = [&listed](const TargetStatus &s) {
        QString name = listed.value(s.address);
        for (qsizetype i = 0; name.isEmpty() && i < s.aliases.size(); ++i)
            name = listed.value(s.aliases.at(i));
        return name;
    };
    ScopeIndex index;
    for (const GraphNode &n : graph.servers) {
        Scope scope;
        scope.master = n.group;
        if (!n.clusterId.isEmpty()) {
            scope.id = QStringLiteral("cluster");
        } else if (const QString name = graph.sentinelGroupName(n.group); !name.isEmpty()) {
            scope.id = QStringLiteral("sentinel:") + name;
        } else if (const QString member = listedName(n.status); !member.isEmpty()) {
            scope.id = QStringLiteral("sentinel:") + member;
        } else {
            scope.id = QStringLiteral("replication:") + n.group;
        }
        index.m_byAddress.insert(n.status.address, scope);
        for (const QString &alias : n.status.aliases)
            index.m_byAddress.insert(alias, scope);
    }
    return index;
}

Scope ScopeIndex::scopeOf(const Event &e) const
{
    if (e.kind.startsWith(QLatin1String("sentinel."))) {
        const QString name = e.data.value(QStringLiteral("master_name")).toString();
        if (name.isEmpty())
            return {};
        const QString master = e.data.value(QStringLiteral("new_master")).toString();
        return {QStringLiteral("sentinel:") + name, master.isEmpty() ? e.data.value(QStringLiteral("master")).toString() : master};
    }
    // A node's events and its service's take the scope of the server its beats come through.
    if (e.kind.startsWith(QLatin1String("heartbeat.")) || e.kind.startsWith(QLatin1String("service.")))
        return of(e.data.value(QStringLiteral("carrier")).toString());
    if (e.kind.startsWith(QLatin1String("monitor.")))
        return {};
    if (const Scope known = of(e.source); known.isValid())
        return known;
    // A server never polled yet (refused from the start, its credentials refused): the group it
    // belongs to is unknown, so it is a scope of its own rather than left out of every incident.
    if (e.kind == QLatin1String("redis.unreachable") || e.kind == QLatin1String("redis.auth_failed"))
        return {QStringLiteral("replication:") + e.source, QString()};
    return {};
}

void ScopeIndex::stamp(Event &e) const
{
    if (e.data.contains(QStringLiteral("scope")))
        return;
    const Scope scope = scopeOf(e);
    if (!scope.isValid())
        return;
    e.data.insert(QStringLiteral("scope"), scope.id);
    if (!scope.master.isEmpty())
        e.data.insert(QStringLiteral("scope_master"), scope.master);
}

} // namespace vigil
