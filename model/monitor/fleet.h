// The fleet at a glance: each replication group (a master with its replicas, named by Sentinel when
// Sentinel watches it, or a cluster shard) summed up as one health with its reasons, worst first,
// and the counts a status bar shows.
#pragma once

#include "topologygraph.h"

#include <QAbstractListModel>
#include <QHash>

namespace vigil {

struct GroupSummary
{
    QString key;  // the group's root address, as TopologyGraph::groups() lists it
    QString id;   // what names it through a failover: "sentinel:NAME", "shard:SLOTS", else its root
    QString name; // the Sentinel group's name, else the shard's slots, else the root address
    enum class Kind { Replication, Sentinel, ClusterShard };
    Kind kind = Kind::Replication;
    Health health = Health::Ok;
    QStringList reasons; // what makes it so: the group's own problems first, then each server's
    QString master;      // the reachable master ("" when none answers as master)
    int servers = 0;
    int reachable = 0;
    int replicas = 0;
    int replicasLinked = 0;        // replicas with their link up
    qint64 worstLagBytes = -1;     // the most any replica is behind, -1 when none is known
    qint64 worstLagSeconds = -1;   // the longest since a replica's last ACK
    qint64 oldestSaveSeconds = -1; // since the oldest last save among its reachable servers
    bool neverSaved = false;       // one of them has never saved
    int openIncidents = 0;

    QStringList addresses; // every server of the group, root first
    // True when `text` is part of its name, kind or one of its servers' addresses (any case).
    bool matches(const QString &text) const;
    bool operator==(const GroupSummary &) const = default;
};

// Worst first: critical, warning, unknown, ok.
int healthRank(Health h);
QString groupKindName(GroupSummary::Kind kind);

// Every group of `graph`, worst first, then by name. `openIncidents` counts the open incidents by
// group key; `nowSeconds` is Unix time, for the ages of the last saves.
QList<GroupSummary> summarizeGroups(const TopologyGraph &graph, const TopologyThresholds &thresholds, qint64 nowSeconds,
                                    const QHash<QString, int> &openIncidents = {});

struct FleetCounts
{
    int servers = 0;
    int reachable = 0;
    int groups = 0;
    int degraded = 0; // groups whose health is not ok
    int sentinels = 0;
    int sentinelsReachable = 0;
};
FleetCounts countFleet(const TopologyGraph &graph, const QList<GroupSummary> &groups);

// The groups as tiles, worst first, filtered by text (name, kind, an address) and to problems.
class GroupTileModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GroupTileModel)

public:
    enum Role { IdRole = Qt::UserRole + 1, HealthRole };

    explicit GroupTileModel(QObject *parent = nullptr);

    // Rows change in place while the groups shown stay the same, in the same order (those that
    // changed signal it); otherwise the model is reset (the view keeps its selection by id).
    void setGroups(QList<GroupSummary> groups);
    void setFilter(const QString &text, bool problemsOnly);
    const QList<GroupSummary> &allGroups() const { return m_all; }
    const GroupSummary *summary(int row) const { return row >= 0 && row < m_shown.size() ? &m_shown.at(row) : nullptr; }
    int rowOf(const QString &id) const;
    // The group of that id among all of them (filtered out or not); null when there is none.
    const GroupSummary *group(const QString &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

private:
    void apply();

    QList<GroupSummary> m_all;
    QList<GroupSummary> m_shown;
    QString m_text;
    bool m_problemsOnly = false;
};

} // namespace vigil
