// Heartbeat latency chart (QCustomPlot): one line per node, a time window, live follow and pause,
// zoom and pan on the time axis, a hover read-out, and each node's down periods shaded. Redraws
// are coalesced: at most one every ~33 ms however often data arrives, and none while the chart is
// hidden (another tab in front): it is drawn when it shows.
#pragma once

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QLabel;

namespace vigil {

class LatencyHistory;

class LatencyChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LatencyChart)

public:
    enum Window { FiveMinutes, OneHour, OneDay, All };
    Q_ENUM(Window)

    explicit LatencyChart(const LatencyHistory *history, QWidget *parent = nullptr);

    // Nodes to draw; empty means every node in the history.
    void setNodes(const QStringList &nodes);
    QStringList nodes() const { return m_nodes; }
    void setWindow(Window window);
    void setFollow(bool follow);
    // What the values are (default: heartbeat latency in ms). The chart draws the history's values
    // as they are: a history of round trips or of byte lag reuses it with its own title and unit.
    void setValueAxis(const QString &title, const QString &axisLabel, const QString &unit);
    bool follows() const { return m_follow; }

    // New data arrived: schedules one redraw (when the chart shows, if it is hidden).
    void scheduleReplot();
    // Redraws now (tests and benchmarks); returns the number of points drawn.
    int replotNow();

    QCustomPlot *plot() const { return m_plot; }
    int replotCount() const { return m_replots; }
    int graphCount() const;
    int shadedPeriods() const { return m_shaded; }

    static constexpr int kMinReplotMs = 33;
    // With nothing selected, at most this many nodes are drawn (the rest by selection).
    static constexpr int kMaxAutoNodes = 100;

protected:
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void moveEvent(QMoveEvent *event) override;

private:
    void revealed();
    void showReadout(const QPoint &pos);
    QColor colorFor(const QString &node) const;
    qint64 windowMs() const;

    const LatencyHistory *m_history;
    QCustomPlot *m_plot;
    QComboBox *m_window;
    QCheckBox *m_followBox;
    QLabel *m_readout;
    QLabel *m_title;
    QString m_unit = QStringLiteral("ms");
    QLabel *m_note;
    QTimer m_replot;
    QStringList m_nodes;
    bool m_follow = true;
    bool m_stale = true; // data arrived while hidden
    int m_replots = 0;
    int m_shaded = 0;
};

} // namespace vigil
