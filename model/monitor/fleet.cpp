// Fleet overview: groups summed up from the topology graph.
#include "fleet.h"

#include <QCoreApplication>

#include <algorithm>

namespace vigil {

int healthRank(Health h)
{
    switch (h) {
    case Health::Critical: return 3;
    case Health::Warning: return 2;
    case Health::Unknown: return 1;
    case Health::Ok: return 0;
    }
    return 0;
}

QString groupKindName(GroupSummary::Kind kind)
{
    switch (kind) {
    case GroupSummary::Kind::Replication: return QCoreApplication::translate("vigil::FleetOverview", "replication");
    case GroupSummary::Kind::Sentinel: return QCoreApplication::translate("vigil::FleetOverview", "sentinel");
    case GroupSummary::Kind::ClusterShard: return QCoreApplication::translate("vigil::FleetOverview", "cluster shard");
    }
    return {};
}

bool GroupSummary::matches(const QString &text) const
{
    if (text.isEmpty() || name.contains(text, Qt::CaseInsensitive) || groupKindName(kind).contains(text, Qt::CaseInsensitive))
        return true;
    return std::any_of(addresses.cbegin(), addresses.cend(), [&text](const QString &a) { return a.contains(text, Qt::CaseInsensitive); });
}

namespace {

void worsen(GroupSummary &g, Health level, const QString &reason)
{
    if (healthRank(level) > healthRank(g.health))
        g.health = level;
    if (!g.reasons.contains(reason))
        g.reasons << reason;
}

} // namespace

QList<GroupSummary> summarizeGroups(const TopologyGraph &graph, const TopologyThresholds &thresholds, qint64 nowSeconds,
                                    const QHash<QString, int> &openIncidents)
{
    QList<GroupSummary> list;
    QHash<QString, qsizetype> byKey;
    for (const GraphNode &rootNode : graph.servers) {
        if (rootNode.depth != 0)
            continue; // a group is its root's
        const QString &root = rootNode.status.address;
        const GraphNode *r = &rootNode;
        GroupSummary g;
        g.key = root;
        g.id = root;
        g.openIncidents = openIncidents.value(root);
        const QString sentinelName = graph.sentinelGroupName(root);
        if (!r->clusterId.isEmpty()) {
            g.kind = GroupSummary::Kind::ClusterShard;
            g.name = r->slots.isEmpty() ? root : QStringLiteral("slots %1").arg(r->slots);
            if (!r->slots.isEmpty())
                g.id = QStringLiteral("shard:%1").arg(r->slots);
        } else if (!sentinelName.isEmpty()) {
            g.kind = GroupSummary::Kind::Sentinel;
            g.name = sentinelName;
            g.id = QStringLiteral("sentinel:%1").arg(sentinelName);
        } else {
            g.name = root;
        }
        byKey.insert(root, list.size());
        list << g;
    }
    // Each server's own health, under its address.
    QList<QStringList> serverReasons(list.size());
    for (const GraphNode &n : graph.servers) {
        const qsizetype at = byKey.value(n.group, -1);
        if (at < 0)
            continue;
        GroupSummary &g = list[at];
        ++g.servers;
        g.addresses << n.status.address;
        const NodeHealth h = assessServer(n, thresholds);
        if (healthRank(h.level) > healthRank(g.health))
            g.health = h.level;
        for (const QString &reason : h.reasons)
            serverReasons[at] << QStringLiteral("%1: %2").arg(n.status.address, reason);
        if (!n.reachable())
            continue;
        ++g.reachable;
        const InfoSnapshot *s = n.info();
        if (s && s->isMaster() && !n.staleMaster && n.depth == 0)
            g.master = n.status.address;
        if (n.depth > 0 && !n.staleMaster) {
            ++g.replicas;
            if (s && s->isReplica() && s->linkStatus == QLatin1String("up"))
                ++g.replicasLinked;
            g.worstLagBytes = std::max(g.worstLagBytes, n.lagBytes);
            g.worstLagSeconds = std::max(g.worstLagSeconds, n.lagSeconds);
        }
        if (s && s->lastSaveTime >= 0) {
            g.neverSaved = g.neverSaved || s->neverSaved();
            g.oldestSaveSeconds = std::max(g.oldestSaveSeconds, std::max<qint64>(0, nowSeconds - s->lastSaveTime));
        }
    }
    // The group's own problems, ahead of its servers'.
    const QList<const GraphNode *> splitBrains = graph.splitBrains();
    for (qsizetype i = 0; i < list.size(); ++i) {
        GroupSummary &g = list[i];
        if (g.master.isEmpty())
            worsen(g, Health::Critical, QCoreApplication::translate("vigil::FleetOverview", "no master answers"));
        if (g.replicas > g.replicasLinked)
            worsen(g, Health::Warning,
                   QCoreApplication::translate("vigil::FleetOverview", "%1 of %2 replicas not linked")
                       .arg(g.replicas - g.replicasLinked)
                       .arg(g.replicas));
        for (const GraphNode *n : splitBrains)
            if (n->group == g.key)
                worsen(g, Health::Critical,
                       QCoreApplication::translate("vigil::FleetOverview", "split brain: %1 takes writes too").arg(n->status.address));
        if (g.openIncidents > 0)
            worsen(g, Health::Warning, QCoreApplication::translate("vigil::FleetOverview", "%1 open incident(s)").arg(g.openIncidents));
        // The sentinels watching it that do not answer.
        for (const TargetStatus &s : graph.sentinels)
            if (!s.connected && g.kind == GroupSummary::Kind::Sentinel
                && std::any_of(s.sentinelViews.cbegin(), s.sentinelViews.cend(), [&g](const SentinelView &v) { return v.master.name == g.name; }))
                worsen(g, Health::Warning, QCoreApplication::translate("vigil::FleetOverview", "sentinel %1 unreachable").arg(s.address));
        g.reasons << serverReasons.at(i);
    }
    std::stable_sort(list.begin(), list.end(), [](const GroupSummary &a, const GroupSummary &b) {
        if (healthRank(a.health) != healthRank(b.health))
            return healthRank(a.health) > healthRank(b.health);
        return a.name < b.name;
    });
    return list;
}

GroupTileModel::GroupTileModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void GroupTileModel::setGroups(QList<GroupSummary> groups)
{
    m_all = std::move(groups);
    apply();
}

void GroupTileModel::setFilter(const QString &text, bool problemsOnly)
{
    m_text = text.trimmed();
    m_problemsOnly = problemsOnly;
    apply();
}

void GroupTileModel::apply()
{
    QList<GroupSummary> shown;
    for (const GroupSummary &g : std::as_const(m_all))
        if ((!m_problemsOnly || g.health != Health::Ok) && g.matches(m_text))
            shown << g;
    const bool sameRows = shown.size() == m_shown.size()
        && std::equal(shown.cbegin(), shown.cend(), m_shown.cbegin(), [](const GroupSummary &a, const GroupSummary &b) { return a.id == b.id; });
    if (!sameRows) {
        beginResetModel();
        m_shown = std::move(shown);
        endResetModel();
        return;
    }
    for (int row = 0; row < shown.size(); ++row) {
        if (shown.at(row) == m_shown.at(row))
            continue;
        m_shown[row] = shown.at(row);
        Q_EMIT dataChanged(index(row), index(row), {Qt::DisplayRole, Qt::ToolTipRole, HealthRole});
    }
}

int GroupTileModel::rowOf(const QString &id) const
{
    for (int row = 0; row < m_shown.size(); ++row)
        if (m_shown.at(row).id == id)
            return row;
    return -1;
}

const GroupSummary *GroupTileModel::group(const QString &id) const
{
    for (const GroupSummary &g : m_all)
        if (g.id == id)
            return &g;
    return nullptr;
}

int GroupTileModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_shown.size());
}

QVariant GroupTileModel::data(const QModelIndex &index, int role) const
{
    const GroupSummary *g = summary(index.row());
    if (!g || index.parent().isValid())
        return {};
    switch (role) {
    case Qt::DisplayRole: return g->name;
    case Qt::ToolTipRole: {
        QString tip = QStringLiteral("%1 (%2): %3").arg(g->name, groupKindName(g->kind), healthName(g->health));
        for (const QString &reason : g->reasons)
            tip += QLatin1Char('\n') + reason;
        return tip;
    }
    case IdRole: return g->id;
    case HealthRole: return int(g->health);
    default: return {};
    }
}

FleetCounts countFleet(const TopologyGraph &graph, const QList<GroupSummary> &groups)
{
    FleetCounts c;
    for (const GraphNode &n : graph.servers) {
        ++c.servers;
        c.reachable += n.reachable() ? 1 : 0;
    }
    c.groups = int(groups.size());
    for (const GroupSummary &g : groups)
        c.degraded += g.health == Health::Ok ? 0 : 1;
    for (const TargetStatus &s : graph.sentinels) {
        ++c.sentinels;
        c.sentinelsReachable += s.connected ? 1 : 0;
    }
    return c;
}

} // namespace vigil
