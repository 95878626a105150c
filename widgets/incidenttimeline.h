// An incident's timeline (QCustomPlot): one lane per source on one time axis, its members as
// markers by severity and role (the root ringed, symptoms linked to their cause, notes and actions
// as diamonds), the incident's span shaded, and below on the same axis the stored charts of what
// it involves (heartbeat latency, round trip, replica byte lag). Times as T+ from its start, UTC
// or local time (the zone always written); hovering a marker tells what it is; drag and wheel
// zoom and pan the time axis, N / P step through the events, F fits it.
#pragma once

#include "incidents/grouping.h"

#include <QHash>
#include <QWidget>

class QCPAxisRect;
class QCPMarginGroup;
class QComboBox;
class QCustomPlot;
class QLabel;

namespace vigil {

class IncidentTimeline final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IncidentTimeline)

public:
    explicit IncidentTimeline(QWidget *parent = nullptr);

    // Draws `incident` from the journal at `path` (its charts from the stored series).
    void show(const Incident &incident, const QString &path);
    void clear();

    QCustomPlot *plot() const { return m_plot; }
    // The member the cursor is on (N / P, a click), or -1.
    qint64 currentEvent() const { return m_current; }
    void setCurrentEvent(qint64 eventId);
    // Shows the whole incident.
    void fit();
    int chartCount() const { return m_charts; }
    // Its sources' lanes, in the order they joined: at most kMaxLanes of them. Thousands of lanes
    // (10,000 nodes silent at once) are neither readable nor quick to lay out; the incident's
    // member list holds every source.
    const QStringList &lanes() const { return m_lanes; }
    int sourceCount() const { return m_sources; }
    static constexpr int kMaxLanes = 60;

    // How the time axis is labelled.
    enum class Clock { Offset, Utc, Local };
    void setClock(Clock clock);
    Clock clock() const { return m_clock; }
    // The time axis's title: what its labels mean, with the zone.
    QString timeAxisLabel() const;
    // What hovering the member says.
    QString describe(const IncidentMember &m) const;

Q_SIGNALS:
    void eventActivated(qint64 eventId);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void redraw();
    void step(int direction);
    void clicked(QMouseEvent *event);
    void hovered(QMouseEvent *event);
    const IncidentMember *memberAt(const QPoint &pos) const;
    void applyClock();
    // A moment written in full: UTC with its Z, or local time with its zone, as the axis reads.
    QString fullTime(const QDateTime &at) const;

    QCustomPlot *m_plot;
    QLabel *m_caption;
    QComboBox *m_clockBox;
    Clock m_clock = Clock::Offset;
    QCPMarginGroup *m_margins = nullptr; // aligns the lanes and the charts; owned by the plot
    Incident m_incident;
    QStringList m_lanes;
    QHash<QString, int> m_laneOf; // lane index by source
    int m_sources = 0;            // with a lane or not
    qint64 m_current = -1;
    int m_charts = 0;
};

} // namespace vigil
