// The Incidents panel.
#include "incidentspanel.h"

#include "actions/operatorname.h"
#include "icons.h"
#include "onscreen.h"
#include "incidents/incidentmodel.h"
#include "incidenttimeline.h"
#include "incidents/report.h"
#include "journal/exporter.h"
#include "journal/incidentstore.h"
#include "journal/journal.h"

#include <QComboBox>
#include <QScopeGuard>
#include <QDateTimeEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <utility>

namespace vigil {

namespace {

enum MemberColumn { OffsetColumn, TimeColumn, SeverityColumn, RoleColumn, SourceColumn, EventColumn, CauseColumn, MemberColumns };
constexpr int kEventIdRole = Qt::UserRole;

} // namespace

IncidentsPanel::IncidentsPanel(IncidentModel *model, QString journalPath, Journal *journal, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_journalPath(std::move(journalPath))
    , m_journal(journal)
    , m_view(new QTableView(this))
    , m_members(new QTreeWidget(this))
    , m_timeline(new IncidentTimeline(this))
    , m_tabs(new QTabWidget(this))
    , m_summary(new QLabel(this))
    , m_note(new QPushButton(tr("Add &note..."), this))
    , m_report(new QPushButton(tr("Export &report..."), this))
{
    setObjectName(QStringLiteral("incidentsPanel"));
    m_view->setObjectName(QStringLiteral("incidentsView"));
    m_view->setModel(model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(IncidentModel::TitleColumn, QHeaderView::Stretch);
    for (const int column : {IncidentModel::StateColumn, IncidentModel::SeverityColumn, IncidentModel::OpenedColumn, IncidentModel::DurationColumn})
        m_view->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);

    m_members->setObjectName(QStringLiteral("incidentMembers"));
    m_members->setRootIsDecorated(false);
    m_members->setAlternatingRowColors(true);
    m_members->setHeaderLabels({tr("T+"), tr("Time (UTC)"), tr("Severity"), tr("Role"), tr("Source"), tr("Event"), tr("Cause")});
    m_members->header()->setSectionResizeMode(EventColumn, QHeaderView::Stretch);
    m_members->header()->setStretchLastSection(false);
    // Columns sized from the first rows, not from every member of an incident of thousands, and
    // rows of one height (none is laid out to find its own).
    m_members->header()->setResizeContentsPrecision(200);
    m_members->setUniformRowHeights(true);
    m_summary->setObjectName(QStringLiteral("incidentSummary"));
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setMinimumWidth(1); // a long title is cut, not a reason for a wider window
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->setObjectName(QStringLiteral("addNoteButton"));
    m_report->setObjectName(QStringLiteral("exportReportButton"));
    m_note->setToolTip(m_journal ? tr("Write a note on the selected incident: what was seen, tried or decided")
                                 : tr("This journal is open read-only"));

    auto *detail = new QWidget(this);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(m_note);
    buttons->addWidget(m_report);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addLayout(buttons);
    m_tabs->setObjectName(QStringLiteral("incidentTabs"));
    m_tabs->addTab(m_timeline, tr("Timeline"));
    m_tabs->addTab(m_members, tr("Members"));
    m_timeline->setMinimumHeight(30);
    detailLayout->addWidget(m_tabs);
    // In a small window the detail is squeezed rather than the window held taller.
    detail->setMinimumHeight(60);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(detail);
    split->setChildrenCollapsible(false);
    m_view->setMinimumHeight(30);
    m_members->setMinimumHeight(30);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 4);
    split->setSizes({100, 400});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    // Another incident chosen is drawn at once; the same one again (its row moved as it grew, or
    // the rows around it changed) as often as a growing incident is.
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        const Incident *incident = selectedIncident();
        if (incident && incident->id == m_shown)
            shownIncidentChanged();
        else
            showSelected();
    });
    m_redraw.setSingleShot(true);
    connect(&m_redraw, &QTimer::timeout, this, &IncidentsPanel::showSelected);
    connect(m_model, &IncidentModel::incidentChanged, this, [this](qint64 id) {
        if (id == m_shown)
            shownIncidentChanged();
    });
    // The newest incident is the one to look at when nothing is chosen yet.
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (!m_view->currentIndex().isValid() && m_model->rowCount() > 0)
            m_view->selectRow(m_model->rowCount() - 1);
    });
    connect(m_timeline, &IncidentTimeline::eventActivated, this, &IncidentsPanel::eventActivated);
    connect(m_members, &QTreeWidget::itemActivated, this,
            [this](QTreeWidgetItem *item) { Q_EMIT eventOpened(item->data(0, kEventIdRole).toLongLong()); });
    connect(m_note, &QPushButton::clicked, this, &IncidentsPanel::noteDialog);
    connect(m_report, &QPushButton::clicked, this, &IncidentsPanel::exportDialog);
    if (m_model->rowCount() > 0)
        m_view->selectRow(m_model->rowCount() - 1);
    showSelected();
}

const Incident *IncidentsPanel::selectedIncident() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? &m_model->incident(current.row()) : nullptr;
}

void IncidentsPanel::selectIncident(qint64 id)
{
    if (const int row = m_model->rowOf(id); row >= 0)
        m_view->selectRow(row);
}

bool IncidentsPanel::showEvent(qint64 eventId)
{
    const Incident *shown = selectedIncident();
    if (!shown || !shown->member(eventId)) {
        int row = m_model->rowCount() - 1;
        while (row >= 0 && !m_model->incident(row).member(eventId))
            --row;
        if (row < 0)
            return false;
        m_view->selectRow(row);
    }
    // Marked now on the incident as drawn; once it is drawn again when that is due (behind another
    // tab, or a grown incident's redraw waiting), or when the panel shows.
    if (m_stale || m_redraw.isActive() || !isOnScreen(this))
        m_pendingEvent = eventId;
    else
        markEvent(eventId);
    return true;
}

void IncidentsPanel::markEvent(qint64 eventId)
{
    m_timeline->setCurrentEvent(eventId);
    for (int i = 0; i < m_members->topLevelItemCount(); ++i)
        if (m_members->topLevelItem(i)->data(0, kEventIdRole).toLongLong() == eventId)
            m_members->setCurrentItem(m_members->topLevelItem(i));
}

void IncidentsPanel::shownIncidentChanged()
{
    if (!isOnScreen(this)) {
        m_stale = true;
        return;
    }
    if (m_redraw.isActive())
        return;
    // At most once a second, and never more than a twentieth of the time: an incident of
    // thousands of members takes a while to draw.
    const qint64 every = std::max<qint64>(1000, 20 * m_drawMs);
    const qint64 since = m_lastDrawn.isValid() ? m_lastDrawn.elapsed() : every;
    if (since >= every)
        showSelected();
    else
        m_redraw.start(int(every - since));
}

void IncidentsPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    callWhenRevealed(this, [this] { revealed(); });
    if (!m_stale && m_pendingEvent < 0)
        return;
    if (isOnScreen(this))
        revealed();
    else // not laid out yet, or behind another tab
        QTimer::singleShot(0, this, &IncidentsPanel::revealed);
}

void IncidentsPanel::revealed()
{
    if (!isOnScreen(this))
        return;
    if (m_stale)
        showSelected();
    else if (m_pendingEvent >= 0 && !m_redraw.isActive())
        markEvent(std::exchange(m_pendingEvent, -1));
}

void IncidentsPanel::showSelected()
{
    if (!isOnScreen(this)) {
        m_stale = true;
        m_redraw.stop();
        return;
    }
    m_stale = false;
    m_redraw.stop();
    m_lastDrawn.start();
    const auto drawn = qScopeGuard([this] { m_drawMs = m_lastDrawn.elapsed(); });
    const Incident *incident = selectedIncident();
    m_note->setEnabled(incident && m_journal);
    m_report->setEnabled(incident != nullptr);
    m_members->clear();
    m_shown = incident ? incident->id : -1;
    if (!incident) {
        m_timeline->clear();
        m_summary->setText(m_model->rowCount() == 0 ? tr("No incidents: every warning and critical event opens or joins one.")
                                                    : tr("Select an incident."));
        return;
    }
    QList<Event> events;
    QString error;
    readIncidentEvents(m_journalPath, *incident, &events, &error);
    QHash<qint64, Event> byId;
    for (const Event &e : std::as_const(events))
        byId.insert(e.id, e);
    const IncidentMember *root = incident->member(incident->rootId);
    m_summary->setText(tr("<b>%1</b><br>%2 %3; probable root cause: %4")
                           .arg(incident->title.toHtmlEscaped(), incident->isOpen() ? tr("Open for") : tr("Resolved after"),
                                formatDuration((incident->isOpen() ? incident->lastMs : incident->resolvedMs) - incident->openedMs),
                                root ? QStringLiteral("%1 on %2 (%3)").arg(root->kind, root->source, root->rule).toHtmlEscaped() : tr("none found")));
    for (const IncidentMember &m : incident->members) {
        const Event e = byId.value(m.eventId);
        QString what = e.id ? QStringLiteral("%1: %2").arg(m.kind, e.message) : m.kind;
        if (m.repeats > 1)
            what += tr(" (x%1)").arg(m.repeats);
        auto *item = new QTreeWidgetItem(m_members);
        item->setText(OffsetColumn, formatOffset(m.timeMs - incident->openedMs));
        item->setText(TimeColumn, formatTime(QDateTime::fromMSecsSinceEpoch(m.timeMs, Qt::UTC)));
        item->setText(SeverityColumn, severityLabel(m.severity));
        item->setIcon(SeverityColumn, severityIcon(m.severity));
        item->setText(RoleColumn, memberRoleName(m.role));
        item->setText(SourceColumn, m.source);
        item->setText(EventColumn, what);
        item->setToolTip(EventColumn, what);
        item->setText(CauseColumn, m.causeId >= 0 ? QString::number(m.causeId) : QString());
        item->setToolTip(CauseColumn, m.rule);
        item->setData(0, kEventIdRole, m.eventId);
        if (m.role == MemberRole::Root || m.role == MemberRole::Note) {
            QFont bold = item->font(0);
            bold.setBold(true);
            for (int c = 0; c < MemberColumns; ++c)
                item->setFont(c, bold);
        }
    }
    for (int c = 0; c < MemberColumns; ++c)
        if (c != EventColumn)
            m_members->resizeColumnToContents(c);
    m_timeline->show(*incident, m_journalPath);
    if (m_pendingEvent >= 0)
        markEvent(std::exchange(m_pendingEvent, -1));
}

bool IncidentsPanel::addNote(const QString &text, const QDateTime &at, const QString &tag)
{
    const Incident *incident = selectedIncident();
    if (!incident || !m_journal || text.trimmed().isEmpty())
        return false;
    QJsonObject fields{{QStringLiteral("incident"), incident->id}, {QStringLiteral("author"), operatorName()}};
    if (!tag.isEmpty())
        fields.insert(QStringLiteral("tag"), tag);
    Event note = Event::make(QString::fromLatin1(kNoteKind), Severity::Info, operatorName(), text.trimmed(), fields);
    note.time = at.toUTC();
    m_journal->append(note);
    return true;
}

void IncidentsPanel::noteDialog()
{
    const Incident *incident = selectedIncident();
    if (!incident || !m_journal)
        return;
    QDialog dialog(this);
    dialog.setObjectName(QStringLiteral("noteDialog"));
    dialog.setWindowTitle(tr("Note on incident %1").arg(incident->id));
    auto *text = new QPlainTextEdit(&dialog);
    text->setObjectName(QStringLiteral("noteText"));
    text->setPlaceholderText(tr("What was seen, tried or decided"));
    // At the timeline's cursor (the event chosen there) when there is one, else now; any time may
    // be typed (earlier, for something noticed before it was written down).
    const IncidentMember *atCursor = incident->member(m_timeline->currentEvent());
    const QDateTime cursorTime = atCursor ? QDateTime::fromMSecsSinceEpoch(atCursor->timeMs, Qt::UTC) : QDateTime();
    auto *when = new QDateTimeEdit(cursorTime.isValid() ? cursorTime : QDateTime::currentDateTimeUtc(), &dialog);
    when->setObjectName(QStringLiteral("noteTime"));
    when->setTimeSpec(Qt::UTC);
    when->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz 'UTC'"));
    when->setToolTip(tr("When it happened: at the timeline's cursor, now, or any time typed here"));
    auto *now = new QPushButton(tr("Now"), &dialog);
    now->setObjectName(QStringLiteral("noteTimeNow"));
    connect(now, &QPushButton::clicked, when, [when] { when->setDateTime(QDateTime::currentDateTimeUtc()); });
    auto *cursor = new QPushButton(tr("At the cursor"), &dialog);
    cursor->setObjectName(QStringLiteral("noteTimeCursor"));
    cursor->setEnabled(cursorTime.isValid());
    cursor->setToolTip(atCursor ? QStringLiteral("%1 %2").arg(atCursor->kind, atCursor->source) : tr("Choose an event on the timeline first"));
    connect(cursor, &QPushButton::clicked, when, [when, cursorTime] { when->setDateTime(cursorTime); });
    auto *timeRow = new QHBoxLayout;
    timeRow->addWidget(when, 1);
    timeRow->addWidget(cursor);
    timeRow->addWidget(now);
    auto *tag = new QComboBox(&dialog);
    tag->setObjectName(QStringLiteral("noteTag"));
    tag->addItem(tr("(none)"), QString());
    for (const char *t : {"detection", "diagnosis", "repair", "key moment"})
        tag->addItem(QString::fromLatin1(t), QString::fromLatin1(t));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("Note:"), text);
    form->addRow(tr("Time:"), timeRow);
    form->addRow(tr("Marks:"), tag);
    form->addRow(tr("Author:"), new QLabel(operatorName(), &dialog));
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    // The incident may have moved while the dialog was open (a late event re-ordered the list).
    const qint64 id = incident->id;
    if (dialog.exec() == QDialog::Accepted) {
        selectIncident(id);
        addNote(text->toPlainText(), when->dateTime(), tag->currentData().toString());
    }
}

bool IncidentsPanel::exportReport(const QString &path, QString *error)
{
    const Incident *incident = selectedIncident();
    if (!incident) {
        *error = tr("no incident selected");
        return false;
    }
    ReportFormat format = ReportFormat::Markdown;
    parseReportFormat(QFileInfo(path).suffix().toLower(), &format);
    QList<Event> events;
    if (!readIncidentEvents(m_journalPath, *incident, &events, error))
        return false;
    ReportOptions options;
    if (format == ReportFormat::Html)
        options.charts = readIncidentCharts(m_journalPath, *incident);
    const QByteArray report = incidentReport(*incident, events, format, options);
    ExportFile out(path);
    if (!out.open(error))
        return false;
    if (out.device()->write(report) != report.size()) {
        *error = out.device()->errorString();
        return false;
    }
    return out.commit(error);
}

void IncidentsPanel::exportDialog()
{
    const Incident *incident = selectedIncident();
    if (!incident)
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export incident report"), QStringLiteral("incident-%1.html").arg(incident->id),
                                                      tr("HTML page (*.html);;Markdown (*.md);;JSON (*.json)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportReport(path, &error))
        QMessageBox::warning(this, tr("Export incident report"), tr("The report could not be written: %1").arg(error));
}

} // namespace vigil
