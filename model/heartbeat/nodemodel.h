// Table model of heartbeat nodes (one row per node), fed by the heartbeat service's snapshots.
#pragma once

#include "tracker.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>
#include <QSortFilterProxyModel>

#include <vector>
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
    enum Role { StateRole = Qt::UserRole, NodeRole };

    explicit NodeModel(QObject *parent = nullptr);

    void update(const QList<NodeStatus> &nodes);
    const NodeStatus &status(int row) const { return m_rows.at(row); }
    int rowOf(const QString &node) const { return m_index.value(node, -1); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // The model keeps its rows in this order as updates arrive (a column of -1: as the nodes came).
    // Worst first by state is StateColumn ascending: down, unknown, suspect, up, each by name.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    void removeMissing(const QSet<QString> &present);
    // Whether row a goes before row b in the order sorted by.
    bool before(int a, int b) const;
    bool sorted() const;
    void rankNames();
    void resort();
    void reindex();
    QList<NodeStatus> m_rows;
    QHash<QString, int> m_index;
    std::vector<int> m_rank; // per row: its name's place among all the names
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

// Filters rows by node name or state. Sorting is the source model's: a proxy re-sorting 10,000
// rows through QVariant comparisons on every update stalled the GUI.
class NodeFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NodeFilterModel)

public:
    explicit NodeFilterModel(QObject *parent = nullptr);
    void setText(const QString &text);
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
};

} // namespace vigil
