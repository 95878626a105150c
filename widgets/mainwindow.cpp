// The main window: panels in docks, menus, status bar, persisted layout.
#include "mainwindow.h"

#include "actions/recovery.h"
#include "eventspanel.h"
#include "fleetoverview.h"
#include "heartbeatspanel.h"
#include "helpwindow.h"
#include "servicespanel.h"
#include "icons.h"
#include "incidents/incidentmodel.h"
#include "incidentnotifier.h"
#include "incidentspanel.h"
#include "journalwindow.h"
#include "language.h"
#include "journal/exporter.h"
#include "journal/journal.h"
#include "journal/eventmodel.h"
#include "monitor/monitor.h"
#include "notificationbanner.h"
#include "profilesdialog.h"
#include "profilesession.h"
#include "targetsdialog.h"
#include "targetspanel.h"
#include "theme.h"
#include "trayicon.h"
#include "topologypanel.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QDockWidget>
#include <QFileDialog>
#include <QInputDialog>
#include <QLineEdit>
#include <QProcess>
#include <QTimer>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QVBoxLayout>

namespace vigil {

namespace {

// Bumped when the set of panels changes, so that an old saved layout is not applied to new docks.
constexpr int kLayoutVersion = 5;

} // namespace

MainWindow::MainWindow(Monitor *monitor, Journal *journal, EventModel *events, IncidentModel *incidents, Options options, QWidget *parent)
    : QMainWindow(parent)
    , m_monitor(monitor)
    , m_journal(journal)
    , m_options(options)
    , m_eventsPanel(new EventsPanel(events, this))
    , m_targetsPanel(new TargetsPanel(monitor, this))
    , m_heartbeatsPanel(new HeartbeatsPanel(monitor->heartbeats(), this))
    , m_topologyPanel(new TopologyPanel(monitor, this))
    , m_servicesPanel(new ServicesPanel(monitor->heartbeats(), &m_heartbeatsPanel->history(), this))
    , m_incidents(incidents)
    , m_incidentsPanel(new IncidentsPanel(incidents, journal->path(), journal, this))
    , m_targetsLabel(new QLabel(this))
    , m_journalLabel(new QLabel(this))
    , m_incidentsLabel(new QLabel(this))
    , m_profile(new ProfileSession(monitor, journal, options.profile, options.rememberPasswords, options.demo, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(options.demo                    ? tr("Vigil \u2014 demo topology")
                       : options.profile.isEmpty() ? tr("Vigil")
                                                   : tr("Vigil \u2014 %1").arg(options.profile));
    setWindowIcon(svgIcon(QStringLiteral("vigil")));
    setDockNestingEnabled(true);
    setDockOptions(dockOptions() | QMainWindow::AllowTabbedDocks);

    QDockWidget *topologyDock = addPanel(m_topologyPanel, tr("Topology"), QStringLiteral("topologyDock"), Qt::TopDockWidgetArea);
    QDockWidget *heartbeatsDock = addPanel(m_heartbeatsPanel, tr("Heartbeats"), QStringLiteral("heartbeatsDock"), Qt::TopDockWidgetArea);
    QDockWidget *servicesDock = addPanel(m_servicesPanel, tr("Services"), QStringLiteral("servicesDock"), Qt::TopDockWidgetArea);
    QDockWidget *targetsDock = addPanel(m_targetsPanel, tr("Targets"), QStringLiteral("targetsDock"), Qt::TopDockWidgetArea);
    QDockWidget *eventsDock = addPanel(m_eventsPanel, tr("Events"), QStringLiteral("eventsDock"), Qt::BottomDockWidgetArea);
    QDockWidget *incidentsDock = addPanel(m_incidentsPanel, tr("Incidents"), QStringLiteral("incidentsDock"), Qt::BottomDockWidgetArea);
    m_topologyDock = topologyDock;
    m_incidentsDock = incidentsDock;
    m_topologyPanel->setIncidents(incidents);
    connect(m_topologyPanel, &TopologyPanel::refreshed, this, &MainWindow::updateStatus);
    connect(m_heartbeatsPanel, &HeartbeatsPanel::countsChanged, this, &MainWindow::updateStatus);
    tabifyDockWidget(eventsDock, incidentsDock);
    eventsDock->raise();
    tabifyDockWidget(topologyDock, heartbeatsDock);
    tabifyDockWidget(heartbeatsDock, servicesDock);
    tabifyDockWidget(servicesDock, targetsDock);
    m_servicesPanel->setGroups(monitor->heartbeatOptions().services);
    connect(m_servicesPanel, &ServicesPanel::serviceNodesSelected, m_heartbeatsPanel, &HeartbeatsPanel::selectNodes);
    connect(m_servicesPanel, &ServicesPanel::groupsChanged, this, [this](const QHash<QString, QStringList> &groups) {
        m_monitor->setServiceGroups(groups);
        m_profile->setServiceGroups(groups);
    });
    connect(m_profile, &ProfileSession::nameChanged, this, [this](const QString &name) { setWindowTitle(tr("Vigil \u2014 %1").arg(name)); });
    topologyDock->raise();
    connect(m_targetsPanel, &TargetsPanel::editRequested, this, &MainWindow::editTargets);
    connect(m_eventsPanel, &EventsPanel::eventSelected, m_incidentsPanel, qOverload<qint64>(&IncidentsPanel::showEvent));
    // Stepping through the timeline selects each event in the Events panel behind it; opening a
    // member brings the Events panel to the front.
    connect(m_incidentsPanel, &IncidentsPanel::eventActivated, m_eventsPanel, &EventsPanel::selectEvent);
    connect(m_incidentsPanel, &IncidentsPanel::eventOpened, this, [this, eventsDock](qint64 id) {
        eventsDock->raise();
        m_eventsPanel->selectEvent(id);
    });

    createNotifications();
    createMenus();
    statusBar()->addWidget(m_targetsLabel);
    statusBar()->addPermanentWidget(m_incidentsLabel);
    statusBar()->addPermanentWidget(m_journalLabel);
    m_incidentsLabel->setObjectName(QStringLiteral("incidentsStatus"));
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(incidents, signal, this, &MainWindow::updateStatus);
    connect(incidents, &QAbstractItemModel::dataChanged, this, &MainWindow::updateStatus);
    connect(incidents, &QAbstractItemModel::modelReset, this, &MainWindow::updateStatus);
    m_targetsLabel->setObjectName(QStringLiteral("targetsStatus"));
    m_journalLabel->setObjectName(QStringLiteral("journalStatus"));
    connect(monitor, &Monitor::statusChanged, this, &MainWindow::updateStatus);
    // A journal that cannot write says so until it writes again: events wait in memory meanwhile.
    connect(journal, &Journal::writeFailed, this, [this](const QString &message) {
        m_journalFailure = message;
        updateStatus();
    });
    connect(journal, &Journal::writeRecovered, this, [this] {
        m_journalFailure.clear();
        updateStatus();
    });
    updateStatus();

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        // The first start: most of the screen, for a console that stays open.
        const QSize room = screen() ? screen()->availableGeometry().size() * 0.9 : QSize(1200, 800);
        resize(room.expandedTo(QSize(1000, 700)).boundedTo(screen() ? screen()->availableGeometry().size() : room));
    }
    if (!restoreState(settings.value(QStringLiteral("window/state")).toByteArray(), kLayoutVersion))
        resizeDocks({topologyDock, eventsDock}, {height() * 2 / 3, height() / 3}, Qt::Vertical);
}

QDockWidget *MainWindow::addPanel(QWidget *panel, const QString &title, const QString &objectName, Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(panel);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    addDockWidget(area, dock);
    if (m_viewMenu)
        m_viewMenu->addAction(dock->toggleViewAction());
    return dock;
}

void MainWindow::createNotifications()
{
    m_notifier = new IncidentNotifier(QDBusConnection::sessionBus(), {}, this);
    QList<Incident> open;
    for (int row = 0; row < m_incidents->rowCount(); ++row)
        if (m_incidents->incident(row).isOpen())
            open << m_incidents->incident(row);
    m_notifier->seed(open);
    connect(m_journal, &Journal::incidentsChanged, m_notifier, &IncidentNotifier::incidentsChanged);
    connect(m_notifier, &IncidentNotifier::incidentActivated, this, &MainWindow::showIncident);

    // The banner under the menu bar, above the docks: the menu widget holds both.
    m_menuBar = new QMenuBar;
    m_banner = new NotificationBanner;
    auto *top = new QWidget;
    auto *layout = new QVBoxLayout(top);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_menuBar);
    layout->addWidget(m_banner);
    setMenuWidget(top);
    connect(m_notifier, &IncidentNotifier::bannerNotice, m_banner, &NotificationBanner::showNotice);
    connect(m_banner, &NotificationBanner::showRequested, m_notifier, &IncidentNotifier::activate);

    m_muteAction = new QAction(tr("&Mute Notifications for 1 Hour"), this);
    m_muteAction->setObjectName(QStringLiteral("actionMute"));
    m_muteAction->setCheckable(true);
    connect(m_muteAction, &QAction::toggled, m_notifier, [this](bool on) {
        if (on)
            m_notifier->muteFor(3600 * 1000);
        else
            m_notifier->unmute();
    });
    connect(m_notifier, &IncidentNotifier::muteChanged, this, [this](bool muted) {
        const QSignalBlocker blocker(m_muteAction);
        m_muteAction->setChecked(muted);
        updateStatus();
    });

    if (QSystemTrayIcon::isSystemTrayAvailable())
        new TrayIcon(m_notifier, m_muteAction, this);
}

void MainWindow::showIncident(qint64 id)
{
    if (isMinimized())
        showNormal();
    raise();
    activateWindow();
    m_incidentsDock->show();
    m_incidentsDock->raise();
    m_incidentsPanel->selectIncident(id);
}

void MainWindow::createMenus()
{
    QMenu *file = m_menuBar->addMenu(tr("&File"));
    QAction *targets = file->addAction(tr("&Targets\u2026"), this, &MainWindow::editTargets);
    targets->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    targets->setObjectName(QStringLiteral("actionTargets"));
    QAction *profiles = file->addAction(tr("Open &Profile\u2026"), this, &MainWindow::showProfiles);
    profiles->setObjectName(QStringLiteral("actionProfiles"));
    profiles->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    QAction *saveAs = file->addAction(tr("&Save Profile As\u2026"), this, &MainWindow::askSaveProfileAs);
    saveAs->setObjectName(QStringLiteral("actionSaveProfileAs"));
    saveAs->setEnabled(!m_options.demo);
    file->addSeparator();
    file->addAction(tr("&Open Journal\u2026"), this, &MainWindow::openJournal)->setShortcut(QKeySequence::Open);
    file->addAction(tr("&Export Events\u2026"), this, &MainWindow::exportEvents)->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    file->addSeparator();
    file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);

    m_viewMenu = m_menuBar->addMenu(tr("&View"));
    QAction *next = m_viewMenu->addAction(tr("&Next Problem"), this, [this] { showNextProblem(true); });
    next->setObjectName(QStringLiteral("actionNextProblem"));
    next->setShortcut(QKeySequence(Qt::Key_F8));
    QAction *previous = m_viewMenu->addAction(tr("&Previous Problem"), this, [this] { showNextProblem(false); });
    previous->setObjectName(QStringLiteral("actionPreviousProblem"));
    previous->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F8));
    QAction *find = m_viewMenu->addAction(tr("&Find"), this, &MainWindow::focusFilter);
    find->setObjectName(QStringLiteral("actionFind"));
    find->setShortcut(QKeySequence::Find);
    m_viewMenu->addAction(m_muteAction);
    // Light or dark: the desktop's, or one of Vigil's own.
    QMenu *themes = m_viewMenu->addMenu(tr("&Theme"));
    auto *themeGroup = new QActionGroup(this);
    for (const auto &[theme, label] :
         {std::pair{Theme::System, tr("&System")}, std::pair{Theme::Light, tr("&Light")}, std::pair{Theme::Dark, tr("&Dark")}}) {
        QAction *action = themes->addAction(label, this, [theme] { applyTheme(theme); });
        action->setObjectName(QStringLiteral("actionTheme") + themeKey(theme));
        action->setCheckable(true);
        action->setChecked(currentTheme() == theme);
        themeGroup->addAction(action);
    }
    m_viewMenu->addSeparator();
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        m_viewMenu->addAction(dock->toggleViewAction());

    QMenu *help = m_menuBar->addMenu(tr("&Help"));
    QAction *guide = help->addAction(tr("&User Guide"), this, [this] { showGuide(QStringLiteral("README.md")); });
    guide->setObjectName(QStringLiteral("actionUserGuide"));
    guide->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&Keyboard Shortcuts"), this, [this] { shortcutsDialog(this)->show(); })->setObjectName(QStringLiteral("actionShortcuts"));
    help->addAction(tr("What Vigil &Sends"), this,
                    [this] { showGuide(QStringLiteral("README.md"), QStringLiteral("what-vigil-sends-to-your-servers")); })
        ->setObjectName(QStringLiteral("actionWhatVigilSends"));
    help->addSeparator();
    help->addAction(tr("&About Vigil"), this, &MainWindow::about);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::showGuide(const QString &document, const QString &anchor)
{
    if (!m_help)
        m_help = new HelpWindow(this);
    m_help->showSection(document, anchor);
    m_help->show();
    m_help->raise();
    m_help->activateWindow();
}

void MainWindow::showNextProblem(bool forward)
{
    m_topologyDock->show();
    m_topologyDock->raise();
    if (!m_topologyPanel->fleet()->selectNextProblem(forward))
        statusBar()->showMessage(tr("Every group is healthy"), 3000);
}

void MainWindow::focusFilter()
{
    const QWidget *focus = QApplication::focusWidget();
    if (focus && m_heartbeatsPanel->isAncestorOf(focus)) {
        m_heartbeatsPanel->focusFilter();
        return;
    }
    if (focus && m_eventsPanel->isAncestorOf(focus)) {
        m_eventsPanel->focusFilter();
        return;
    }
    m_topologyDock->show();
    m_topologyDock->raise();
    m_topologyPanel->fleet()->focusFilter();
}

void MainWindow::updateStatus()
{
    const int total = m_monitor->targetCount();
    const int up = m_monitor->connectedCount();
    const FleetCounts &fleet = m_topologyPanel->fleetCounts();
    QString targets = total == 0 ? tr("No targets: add one with File \u2192 Targets")
        : fleet.servers == 0     ? tr("%1 of %2 targets connected").arg(up).arg(total)
                                 : tr("%1 of %2 servers reachable").arg(fleet.reachable).arg(fleet.servers);
    if (fleet.groups > 0)
        targets += fleet.degraded == 0 ? tr(" \u00b7 %n group(s), all healthy", nullptr, fleet.groups)
                                       : tr(" \u00b7 %1 of %2 groups degraded").arg(fleet.degraded).arg(fleet.groups);
    if (const int down = m_heartbeatsPanel->downCount(); down > 0)
        targets += tr(" \u00b7 %n node(s) down", nullptr, down);
    m_targetsLabel->setText(targets);
    const int open = m_incidents->openCount();
    QString incidents = open == 0
        ? tr("No open incident")
        : QStringLiteral("<span style=\"color:#c62828\"><b>%1</b></span>").arg(open == 1 ? tr("1 incident open") : tr("%1 incidents open").arg(open));
    if (m_notifier && m_notifier->isMuted())
        incidents +=
            tr(" · notifications muted until %1").arg(QDateTime::fromMSecsSinceEpoch(m_notifier->mutedUntilMs()).toString(QStringLiteral("HH:mm")));
    m_incidentsLabel->setText(incidents);
    m_journalLabel->setText(tr("Journal: %1").arg(m_journal->isOpen() ? m_journal->path() : tr("not open")));
    m_journalLabel->setToolTip(m_journalFailure);
    if (!m_journalFailure.isEmpty())
        m_journalLabel->setText(QStringLiteral("<span style=\"color:#c62828\"><b>%1</b></span>")
                                    .arg(tr("Journal NOT WRITING: events wait in memory and are retried every second "
                                            "(hover for why)")
                                             .toHtmlEscaped()));
}

void MainWindow::editTargets()
{
    TargetsDialog dialog(m_monitor->targetSet(), m_profile->current(m_profile->name()), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const TargetSet targets = dialog.targets();
    const Profile edited = dialog.profile();
    // The poll period applies at once (the TLS files with the targets); the heartbeat channels and
    // the incident settings (the journal's writer takes them when it opens) at the next start.
    m_monitor->setPollInterval(edited.pollIntervalMs);
    IncidentOptions incidents = m_journal->incidentOptions();
    incidents.gapMs = edited.incidentGapMs;
    incidents.quietMs = edited.incidentQuietMs;
    m_journal->setIncidentOptions(incidents);
    m_monitor->changeTargets(targets);
    m_profile->forgetAsked();
    m_profile->keepPasswords(targets, edited.rememberPasswords);
    m_profile->setChannels(edited.channels, edited.patterns); // saves the profile
    updateStatus();
}

void MainWindow::askSaveProfileAs()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save Profile As"),
                                               tr("Save what this window watches (targets, sentinels, heartbeat channels, services, "
                                                  "TLS files, poll period, incident settings; no password) as the profile:"),
                                               QLineEdit::Normal, m_profile->name(), &ok)
                             .trimmed();
    if (!ok || name.isEmpty())
        return;
    if (name != m_profile->name() && ProfileStore().contains(name)
        && QMessageBox::question(this, tr("Save Profile As"), tr("A profile %1 exists. Replace it?").arg(name), QMessageBox::Yes | QMessageBox::No)
            != QMessageBox::Yes)
        return;
    m_profile->saveAs(name);
}

void MainWindow::showProfiles()
{
    ProfilesDialog dialog(ProfileStore(), m_profile->name(), this);
    if (dialog.exec() != QDialog::Accepted || dialog.chosen().isEmpty())
        return;
    // Another profile: Vigil starts again on it (its targets, channels and settings from the start),
    // with the same journal; this process ends, journal windows included.
    const QStringList args{QStringLiteral("--profile"), dialog.chosen(),          QStringLiteral("--journal"),
                           m_journal->path(),           QStringLiteral("--lang"), currentLanguage()};
    if (!QProcess::startDetached(QCoreApplication::applicationFilePath(), args)) {
        QMessageBox::warning(this, tr("Open Profile"), tr("Vigil could not be started on the profile %1.").arg(dialog.chosen()));
        return;
    }
    if (close())
        QCoreApplication::quit();
}

void MainWindow::openJournal()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Journal"), QString(), tr("Vigil journals (*.sqlite);;All files (*)"));
    if (path.isEmpty())
        return;
    // Its own window, read-only: this one keeps watching the live servers.
    auto *window = new JournalWindow;
    window->setAttribute(Qt::WA_DeleteOnClose);
    QString error;
    if (!window->load(path, &error)) {
        delete window;
        QMessageBox::warning(this, tr("Open Journal"), tr("%1 cannot be read: %2").arg(path, error));
        return;
    }
    window->show();
}

void MainWindow::exportEvents()
{
    // What the Events panel shows, or everything the journal holds: the operator says which when
    // the panel is filtered (or shows only the recent part of a long journal).
    QString error;
    QList<Event> events = m_journal->query({}, &error);
    if (!error.isEmpty()) {
        QMessageBox::warning(this, tr("Export Events"), tr("The events could not be read: %1").arg(error));
        return;
    }
    const QList<Event> shown = m_eventsPanel->shownEvents();
    if (m_eventsPanel->isFiltered() || events.size() != shown.size()) {
        QMessageBox ask(QMessageBox::Question, tr("Export Events"),
                        tr("The Events panel shows %n event(s) of the journal's %1.", nullptr, int(shown.size())).arg(events.size()),
                        QMessageBox::Cancel, this);
        ask.setObjectName(QStringLiteral("exportScope"));
        QPushButton *shownButton = ask.addButton(tr("Export What Is Shown"), QMessageBox::AcceptRole);
        QPushButton *allButton = ask.addButton(tr("Export Everything"), QMessageBox::AcceptRole);
        ask.setDefaultButton(shownButton);
        ask.exec();
        if (ask.clickedButton() != shownButton && ask.clickedButton() != allButton)
            return;
        if (ask.clickedButton() == shownButton)
            events = shown;
    }
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export Events"), QStringLiteral("vigil-events.jsonl"), tr("JSON Lines (*.jsonl);;CSV (*.csv)"));
    if (path.isEmpty())
        return;
    const ExportFormat format = path.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive) ? ExportFormat::Csv : ExportFormat::JsonLines;
    if (!writeEventsToFile(path, format, events, &error)) {
        QMessageBox::warning(this, tr("Export Events"), tr("The events could not be exported: %1").arg(error));
        return;
    }
    statusBar()->showMessage(tr("Exported %n event(s) to %1", nullptr, int(events.size())).arg(path), 5000);
}

void MainWindow::about()
{
    QMessageBox::about(this, tr("About Vigil"),
                       tr("<h3>Vigil %1</h3>"
                          "<p>Watches Redis heartbeats and replication from an operator's workstation, "
                          "and keeps a journal of what happened for the incident report.</p>"
                          "<p>Built with Qt %2, QCustomPlot and hiredis.</p>")
                           .arg(QStringLiteral(VIGIL_VERSION), QString::fromLatin1(qVersion())));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState(kLayoutVersion));
    event->accept();
}

int MainWindow::reportUnfinishedActions()
{
    const QList<Event> unfinished = unfinishedActionEvents(m_journal->path());
    if (unfinished.isEmpty())
        return 0;
    QStringList lines;
    for (const Event &e : unfinished) {
        m_monitor->raise(e);
        lines << e.message.toHtmlEscaped();
    }
    auto *box =
        new QMessageBox(QMessageBox::Warning, tr("Unfinished promotion"),
                        tr("<p>The journal holds %n promotion(s) that never ended: the Vigil running them stopped mid-way.</p>"
                           "<p>%1</p><p>Writes paused by it have resumed by themselves. To restore what it changed and leave one "
                           "master, run:</p><pre>vigil recover --journal %2</pre><p>It shows what it finds and asks before changing anything.</p>",
                           nullptr, int(unfinished.size()))
                            .arg(lines.join(QStringLiteral("<br>")), m_journal->path().toHtmlEscaped()),
                        QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("unfinishedActions"));
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    return int(unfinished.size());
}

} // namespace vigil
