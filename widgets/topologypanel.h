// The Topology panel: the fleet overview (a tile per group, worst first) above the diagram on the
// left, the diagram showing the group selected there or every group; on the right the selected
// node's details (health, every parsed field, the raw INFO) and charts of Redis round trips and
// replica byte lag.
#pragma once

#include "monitor/fleet.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QSplitter;
class QTabWidget;
class QTreeWidget;

namespace vigil {

class FleetOverview;
class IncidentModel;
class LatencyChart;
class PromoteDialog;
class SnapshotDialog;
class Monitor;
class TopologyHistory;
class TopologyView;

class TopologyPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TopologyPanel)

public:
    explicit TopologyPanel(Monitor *monitor, QWidget *parent = nullptr);

    TopologyView *view() const { return m_view; }
    FleetOverview *fleet() const { return m_fleet; }
    // Open incidents are counted on their groups' tiles.
    void setIncidents(IncidentModel *incidents);
    // The group the diagram shows (its GroupSummary::id; "" for every group), as the fleet overview
    // selected it.
    QString shownGroup() const { return m_group; }
    QTreeWidget *fields() const { return m_fields; }
    QPlainTextEdit *rawInfo() const { return m_raw; }
    LatencyChart *roundTripChart() const { return m_rttChart; }
    LatencyChart *lagChart() const { return m_lagChart; }
    const TopologyGraph &graph() const { return m_graph; }

    // Rebuilds from the monitor now (normally coalesced to at most four times a second).
    void refresh();
    // What the fleet overview counted at the last refresh.
    const FleetCounts &fleetCounts() const { return m_counts; }
    // Open the guarded actions' dialogs for a node (as its card's buttons and context menu do).
    PromoteDialog *promote(const QString &address);
    SnapshotDialog *snapshot(const QString &address);

Q_SIGNALS:
    // After each refresh: the fleet's counts may have changed.
    void refreshed();

private:
    void showDetails();
    void showContextMenu(const QString &key, const QPoint &globalPos);

    Monitor *m_monitor;
    TopologyHistory *m_history;
    TopologyGraph m_graph;
    TopologyView *m_view;
    FleetOverview *m_fleet;
    QSplitter *m_fleetSplitter;
    IncidentModel *m_incidents = nullptr;
    QString m_group;
    bool m_refreshing = false;
    FleetCounts m_counts;
    QLabel *m_summary;
    QLabel *m_title;
    QTabWidget *m_tabs;
    QTreeWidget *m_fields;
    QPlainTextEdit *m_raw;
    LatencyChart *m_rttChart;
    LatencyChart *m_lagChart;
    QTimer m_refresh;
    QString m_detailsShownFor;
};

} // namespace vigil
