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
    // The selected group's key, "" when none is.
    QString selectedGroup() const;
    void selectGroup(const QString &key);
    // Selects the next (or previous) group that is not ok after the selected one, wrapping; false
    // when there is none.
    bool selectNextProblem(bool forward = true);
    void focusFilter();

Q_SIGNALS:
    void groupSelected(const QString &key);

private:
    void updateSummary();

    GroupTileModel *m_model;
    QLineEdit *m_filter;
    QCheckBox *m_problemsOnly;
    QLabel *m_summary;
    QListView *m_tiles;
    QString m_selected; // kept by key across updates
};

} // namespace vigil
