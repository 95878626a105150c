// The main window: wires the panels, docks, menus and status bar together; nothing else.
#pragma once

#include "monitor/monitor.h"

#include <QMainWindow>

class QAction;
class QLabel;
class QMenuBar;

namespace vigil {

class EventModel;
class EventsPanel;
class HeartbeatsPanel;
class IncidentModel;
class IncidentNotifier;
class HelpWindow;
class IncidentsPanel;
class NotificationBanner;
class ProfileSession;
class ServicesPanel;
class Journal;
class Monitor;
class TargetsPanel;
class TopologyPanel;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    struct Options
    {
        bool demo = false; // targets belong to a throwaway topology: never saved
        // The profile the window watches: edits of its targets and services are saved to it. Empty
        // when the command line named the targets without one (File > Save Profile As names it).
        QString profile;
        bool rememberPasswords = false; // that profile keeps its passwords in the keyring
    };

    MainWindow(Monitor *monitor, Journal *journal, EventModel *events, IncidentModel *incidents, Options options, QWidget *parent = nullptr);

    EventsPanel *eventsPanel() const { return m_eventsPanel; }
    TargetsPanel *targetsPanel() const { return m_targetsPanel; }
    HeartbeatsPanel *heartbeatsPanel() const { return m_heartbeatsPanel; }
    TopologyPanel *topologyPanel() const { return m_topologyPanel; }
    ServicesPanel *servicesPanel() const { return m_servicesPanel; }
    IncidentsPanel *incidentsPanel() const { return m_incidentsPanel; }
    IncidentNotifier *notifier() const { return m_notifier; }
    NotificationBanner *banner() const { return m_banner; }
    HelpWindow *helpWindow() const { return m_help; }

    // Brings the window to the front on this incident (a notification or the banner clicked).
    void showIncident(qint64 id);

    // Opens the targets dialog; public so tests and the Targets panel can reach it.
    void editTargets();
    // The profile the window watches, what it saves and the passwords it keeps.
    ProfileSession *profile() const { return m_profile; }
    // Names each promotion the journal says never ended (a Vigil died running it): an
    // action.promote.unfinished event each, and a message with the command that recovers it.
    // Returns how many.
    int reportUnfinishedActions();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    QDockWidget *addPanel(QWidget *panel, const QString &title, const QString &objectName, Qt::DockWidgetArea area);
    void createMenus();
    // Desktop notifications, the banner that stands in for them, the tray icon and the mute.
    void createNotifications();
    // The fleet's next (or previous) group in trouble, in the Topology panel.
    void showNextProblem(bool forward);
    // Ctrl+F: the filter of the panel being used, else the fleet overview's.
    void focusFilter();
    void updateStatus();
    void askSaveProfileAs();
    void showProfiles();
    void exportEvents();
    void openJournal();
    void about();
    // Help: the guide at a document's section (its first when `anchor` is empty).
    void showGuide(const QString &document, const QString &anchor = {});

    Monitor *m_monitor;
    Journal *m_journal;
    QString m_journalFailure; // why the journal is not writing, while it is not
    Options m_options;
    EventsPanel *m_eventsPanel;
    TargetsPanel *m_targetsPanel;
    HeartbeatsPanel *m_heartbeatsPanel;
    TopologyPanel *m_topologyPanel;
    ServicesPanel *m_servicesPanel;
    IncidentModel *m_incidents;
    IncidentsPanel *m_incidentsPanel;
    QMenuBar *m_menuBar = nullptr;
    QMenu *m_viewMenu = nullptr;
    IncidentNotifier *m_notifier = nullptr;
    NotificationBanner *m_banner = nullptr;
    QAction *m_muteAction = nullptr;
    QDockWidget *m_incidentsDock = nullptr;
    HelpWindow *m_help = nullptr; // made when first asked for
    QDockWidget *m_topologyDock = nullptr;
    QLabel *m_targetsLabel;
    QLabel *m_journalLabel;
    QLabel *m_incidentsLabel;
    ProfileSession *m_profile;
};

} // namespace vigil
