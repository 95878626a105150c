// A recorded journal opened read-only (`vigil open FILE`, File > Open Journal...): its events and
// incidents, with their notes and reports; no connection to any server, the file left as it was.
#pragma once

#include <QMainWindow>

class QLabel;

namespace vigil {

class EventModel;
class EventsPanel;
class IncidentModel;
class IncidentsPanel;

class JournalWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JournalWindow)

public:
    explicit JournalWindow(QWidget *parent = nullptr);

    // Reads the journal at `path`; false with *error when it is no journal this Vigil reads.
    bool load(const QString &path, QString *error);

    EventsPanel *eventsPanel() const { return m_eventsPanel; }
    IncidentsPanel *incidentsPanel() const { return m_incidentsPanel; }
    QString summary() const;

private:
    EventModel *m_events;
    IncidentModel *m_incidents;
    EventsPanel *m_eventsPanel = nullptr;
    IncidentsPanel *m_incidentsPanel = nullptr;
    QLabel *m_status;
};

} // namespace vigil
