// A recorded journal opened read-only.
#include "journalwindow.h"

#include "eventspanel.h"
#include "icons.h"
#include "incidents/incidentmodel.h"
#include "incidentspanel.h"
#include "journal/eventmodel.h"
#include "journal/incidentstore.h"
#include "journal/journal.h"

#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>

namespace vigil {

JournalWindow::JournalWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_events(new EventModel(this))
    , m_incidents(new IncidentModel(this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("journalWindow"));
    setWindowIcon(svgIcon(QStringLiteral("vigil")));
    m_status->setObjectName(QStringLiteral("journalWindowStatus"));
    statusBar()->addWidget(m_status);
    resize(1400, 950);
}

bool JournalWindow::load(const QString &path, QString *error)
{
    // The newest events the Events panel holds, and every incident.
    JournalQuery recent;
    recent.limit = m_events->maximumRows();
    QString why;
    const QList<Event> events = readJournal(path, recent, &why);
    if (!why.isEmpty()) {
        *error = why;
        return false;
    }
    QList<Incident> incidents;
    QString note;
    if (!loadIncidents(path, {}, nullptr, &incidents, &note, error))
        return false;
    m_events->reset(events);
    m_incidents->reset(incidents);

    const QString file = QFileInfo(path).absoluteFilePath();
    setWindowTitle(tr("Vigil \u2014 %1 (read-only)").arg(file));
    m_eventsPanel = new EventsPanel(m_events, this);
    m_incidentsPanel = new IncidentsPanel(m_incidents, file, nullptr, this);
    auto *incidentsDock = new QDockWidget(tr("Incidents"), this);
    incidentsDock->setObjectName(QStringLiteral("incidentsDock"));
    incidentsDock->setWidget(m_incidentsPanel);
    auto *eventsDock = new QDockWidget(tr("Events"), this);
    eventsDock->setObjectName(QStringLiteral("eventsDock"));
    eventsDock->setWidget(m_eventsPanel);
    addDockWidget(Qt::TopDockWidgetArea, incidentsDock);
    addDockWidget(Qt::BottomDockWidgetArea, eventsDock);
    connect(m_incidentsPanel, &IncidentsPanel::eventActivated, m_eventsPanel, &EventsPanel::selectEvent);
    connect(m_incidentsPanel, &IncidentsPanel::eventOpened, m_eventsPanel, &EventsPanel::selectEvent);
    connect(m_eventsPanel, &EventsPanel::eventSelected, m_incidentsPanel, qOverload<qint64>(&IncidentsPanel::showEvent));
    // The incidents are what a journal is opened for: most of the height.
    resizeDocks({incidentsDock, eventsDock}, {height() * 7 / 10, height() * 3 / 10}, Qt::Vertical);

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(tr("&Close"), this, &QWidget::close)->setShortcut(QKeySequence::Close);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(incidentsDock->toggleViewAction());
    view->addAction(eventsDock->toggleViewAction());

    m_status->setText(tr("%1 events%2, %3 incidents%4; read-only, no server connected")
                          .arg(events.size())
                          .arg(events.size() >= recent.limit ? tr(" (the newest)") : QString())
                          .arg(incidents.size())
                          .arg(note.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(note)));
    return true;
}

QString JournalWindow::summary() const
{
    return m_status->text();
}

} // namespace vigil
