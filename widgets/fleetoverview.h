// The fleet at a glance, above the Topology panel's diagram: every replication group, Sentinel
// group and cluster shard as a tile (its health and why, its master, replicas, worst lag, oldest
// save, open incidents), worst first, with a filter; selecting a tile shows that group alone.
#pragma once

#include "monitor/fleet.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListView;

namespace vigil {

class FleetOverview final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FleetOverview)

public:
    explicit FleetOverview(QWidget *parent = nullptr);

    void setGroups(QList<GroupSummary> groups);
    GroupTileModel *model() const { return m_model; }
    QListView *tiles() const { return m_tiles; }
    QLineEdit *filter() const { return m_filter; }
    // The selected group's id (GroupSummary::id), "" when none is.
    QString selectedGroup() const { return m_selected; }
    // Selects the group of that id; "" selects none (every group in the diagram).
    void selectGroup(const QString &id);
    // Selects the next (or previous) group that is not ok after the selected one, wrapping; false
    // when there is none.
    bool selectNextProblem(bool forward = true);
    void focusFilter();

Q_SIGNALS:
    // The group the operator selected (its id), or "" for none, also when the selected group is
    // gone from the fleet.
    void groupSelected(const QString &id);

private:
    void updateSummary();

    GroupTileModel *m_model;
    QLineEdit *m_filter;
    QCheckBox *m_problemsOnly;
    QLabel *m_summary;
    QListView *m_tiles;
    void setSelected(const QString &id);
    void restoreSelection();

    QString m_selected; // kept by id across updates and filters
};

} // namespace vigil
