// The Services panel: a row per service (state, primary, standbys and their readiness, the last
// takeover and its gap); for the selected one its members, the history of its takeover gaps, and
// the heartbeat latency of its nodes. The operator groups nodes into services here too.
#pragma once

#include <QHash>
#include <QSet>
#include <QStringList>
#include <QWidget>

class QCustomPlot;
class QLabel;
class QPushButton;
class QTableView;

namespace vigil {

class HeartbeatService;
class LatencyChart;
class LatencyHistory;
class ServiceMemberModel;
class ServiceModel;
struct HeartbeatUpdate;

class ServicesPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServicesPanel)

public:
    // `history`: the heartbeat latencies (the Heartbeats panel's), drawn for the selected service.
    ServicesPanel(HeartbeatService *service, const LatencyHistory *history, QWidget *parent = nullptr);

    ServiceModel *model() const { return m_model; }
    ServiceMemberModel *members() const { return m_members; }
    QTableView *view() const { return m_view; }
    LatencyChart *chart() const { return m_chart; }
    QCustomPlot *gapPlot() const { return m_gaps; }

    // The operator's groups (name -> nodes), as given on the command line or saved.
    void setGroups(const QHash<QString, QStringList> &groups);
    QHash<QString, QStringList> groups() const { return m_groups; }
    // Adds or replaces a group, or removes it when `nodes` is empty; emits groupsChanged.
    void setGroup(const QString &name, const QStringList &nodes);
    // The service shown below the table.
    QString selectedService() const;
    void selectService(const QString &name);

    void apply(const HeartbeatUpdate &update);

Q_SIGNALS:
    void groupsChanged(const QHash<QString, QStringList> &groups);
    // The operator selected a service: these are its nodes (the Heartbeats panel selects them too).
    void serviceNodesSelected(const QStringList &nodes);

private:
    void selectionChanged();
    QStringList chartedNodes() const;
    void editGroup();
    void updateGapPlot();
    void updateButtons();
    void updateDetailTitle();

    ServiceModel *m_model;
    ServiceMemberModel *m_members;
    QTableView *m_view;
    QTableView *m_memberView;
    QCustomPlot *m_gaps;
    LatencyChart *m_chart;
    QLabel *m_summary;
    QLabel *m_detailTitle;
    QPushButton *m_group;
    QPushButton *m_ungroup;
    QHash<QString, QStringList> m_groups;
    QSet<QString> m_knownNodes; // every node heard, for the grouping dialog
    QString m_plotted;          // what the gap plot shows, to redraw only on change
    QString m_keep;             // the selection across a model reset
    bool m_autoSelected = false;
};

} // namespace vigil
