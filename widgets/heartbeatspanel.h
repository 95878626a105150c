// The Heartbeats panel: the node table (sortable, filterable) above the latency chart.
#pragma once

#include "heartbeat/latencyhistory.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;

namespace vigil {

class HeartbeatService;
class LatencyChart;
class NodeFilterModel;
class NodeModel;
struct HeartbeatUpdate;

class HeartbeatsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeartbeatsPanel)

public:
    explicit HeartbeatsPanel(HeartbeatService *service, QWidget *parent = nullptr);

    NodeModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    LatencyChart *chart() const { return m_chart; }
    const LatencyHistory &history() const { return m_history; }

    void apply(const HeartbeatUpdate &update);
    // Selects these nodes' rows (those the filter shows), and so narrows the chart to them.
    void selectNodes(const QStringList &nodes);
    void focusFilter();
    // Nodes down in the last update.
    int downCount() const { return m_down; }

Q_SIGNALS:
    // An update was shown: downCount() may have changed.
    void countsChanged();

private:
    void selectionChanged();

    LatencyHistory m_history;
    NodeModel *m_model;
    NodeFilterModel *m_filter;
    QLineEdit *m_text;
    QLabel *m_summary;
    QTableView *m_view;
    LatencyChart *m_chart;
    int m_down = 0;
};

} // namespace vigil
