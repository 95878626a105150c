// The Incidents panel: open and past incidents, the timeline and the members of the one selected
// (roles, causes, notes, the charts of what it involves), operator notes, and incident reports.
#pragma once

#include "incidents/grouping.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;
class QTabWidget;
class QTreeWidget;

namespace vigil {

class IncidentModel;
class IncidentTimeline;
class Journal;

class IncidentsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IncidentsPanel)

public:
    // Notes are written to `journal`; without one (a journal opened read-only) there are none to add.
    IncidentsPanel(IncidentModel *model, QString journalPath, Journal *journal, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    QTreeWidget *members() const { return m_members; }
    IncidentTimeline *timeline() const { return m_timeline; }
    // The incident selected, or null.
    const Incident *selectedIncident() const;
    void selectIncident(qint64 id);

    // Shows the event with this id on the timeline: in the incident selected, or in the one that
    // holds it (selected then); false when no incident holds it. Behind another tab, the panel
    // shows it when it is next shown.
    bool showEvent(qint64 eventId);

    // Appends a note on the selected incident (what the note dialog does once accepted).
    bool addNote(const QString &text, const QDateTime &at, const QString &tag);
    // Writes the selected incident's report; the format follows the file's suffix (.md, .html,
    // .json). False with *error when it cannot be written.
    bool exportReport(const QString &path, QString *error);

Q_SIGNALS:
    // The operator stepped to or clicked a member on the timeline: its event id, for the Events
    // panel to select (without hiding the timeline).
    void eventActivated(qint64 eventId);
    // The operator opened a member in the list (Enter, a double click): its event id, for the
    // Events panel to show.
    void eventOpened(qint64 eventId);

protected:
    void showEvent(QShowEvent *event) override;

private:
    // Draws the selected incident, or (hidden behind another tab) leaves it to be drawn when the
    // panel shows: an incident of thousands of members takes a while.
    void showSelected();
    // The panel came into view: draws what changed meanwhile.
    void revealed();
    // Puts the timeline's cursor and the member list's current row on this event.
    void markEvent(qint64 eventId);
    // The incident shown grew: shown again at most once a second, and only while visible (an
    // incident of thousands of events takes a while to draw).
    void shownIncidentChanged();
    void noteDialog();
    void exportDialog();

    IncidentModel *m_model;
    QString m_journalPath;
    Journal *m_journal;
    QTableView *m_view;
    QTreeWidget *m_members;
    IncidentTimeline *m_timeline;
    QTabWidget *m_tabs;
    QLabel *m_summary;
    QPushButton *m_note;
    QPushButton *m_report;
    qint64 m_shown = -1;
    QTimer m_redraw;
    QElapsedTimer m_lastDrawn;
    qint64 m_drawMs = 0;        // how long the last drawing took
    bool m_stale = false;       // changed while hidden
    qint64 m_pendingEvent = -1; // to mark once drawn
};

} // namespace vigil
