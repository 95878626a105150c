// Table model of heartbeat nodes (one row per node), fed by the heartbeat service's snapshots.
#pragma once

#include "tracker.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>
#include <QSortFilterProxyModel>
#include "common/format.h"

namespace vigil {

class NodeModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NodeModel)

public:
    enum Column {
        NodeColumn,
        StateColumn,
        LastBeatColumn,
        LatencyP50Column,
        LatencyP99Column,
        IntervalColumn,
        JitterColumn,
        LostColumn,
        PhiColumn,
        ColumnCount
    };
    enum Role { StateRole = Qt::UserRole, SortRole, NodeRole };

    explicit NodeModel(QObject *parent = nullptr);

    void update(const QList<NodeStatus> &nodes);
    const NodeStatus &status(int row) const { return m_rows.at(row); }
    int rowOf(const QString &node) const { return m_index.value(node, -1); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void removeMissing(const QSet<QString> &present);
    QList<NodeStatus> m_rows;
    QList<QString> m_stateKeys; // per row: the state's sort key, worst first, then the name
    QHash<QString, int> m_index;
};

// Sorts numerically and filters rows by node name or state.
class NodeFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NodeFilterModel)

public:
    explicit NodeFilterModel(QObject *parent = nullptr);
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
};

} // namespace vigil
