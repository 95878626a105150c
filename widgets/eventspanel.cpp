// The Events panel: filter bar over a table of journal events with severity icons.
#include "eventspanel.h"

#include "icondelegate.h"
#include "icons.h"
#include "journal/eventmodel.h"
#include "journal/exporter.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QJsonDocument>
#include <QPlainTextEdit>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSettings>
#include <QToolButton>
#include <QTableView>
#include <QVBoxLayout>

namespace vigil {

namespace {

const QStringList kFamilies = {
    QStringLiteral("monitor."),     QStringLiteral("redis."),    QStringLiteral("heartbeat."), QStringLiteral("replication."),
    QStringLiteral("persistence."), QStringLiteral("sentinel."), QStringLiteral("cluster."),   QStringLiteral("action."),
};

} // namespace

EventsPanel::EventsPanel(EventModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_filter(new EventFilterModel(this))
    , m_text(new QLineEdit(this))
    , m_severity(new QComboBox(this))
    , m_kind(new QComboBox(this))
    , m_view(new QTableView(this))
    , m_count(new QLabel(this))
{
    m_filter->setSourceModel(model);

    m_text->setPlaceholderText(tr("Filter by text (kind, source, message)"));
    m_text->setClearButtonEnabled(true);
    m_text->setObjectName(QStringLiteral("eventsFilterText"));

    m_severity->setObjectName(QStringLiteral("eventsFilterSeverity"));
    m_severity->addItem(tr("All severities"), int(Severity::Info));
    m_severity->addItem(severityIcon(Severity::Warning), tr("Warning and above"), int(Severity::Warning));
    m_severity->addItem(severityIcon(Severity::Critical), tr("Critical only"), int(Severity::Critical));

    m_kind->setObjectName(QStringLiteral("eventsFilterKind"));
    m_kind->setEditable(true);
    m_kind->setInsertPolicy(QComboBox::NoInsert);
    m_kind->setMinimumContentsLength(10);
    m_kind->lineEdit()->setPlaceholderText(tr("All kinds"));
    updateKinds();
    m_kind->setCurrentIndex(-1);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_text, 3);
    bar->addWidget(m_severity, 1);
    bar->addWidget(m_kind, 1);
    bar->addWidget(m_count);
    // Times in UTC or local time, remembered.
    auto *utc = new QToolButton(this);
    utc->setObjectName(QStringLiteral("eventsUtc"));
    utc->setText(tr("UTC"));
    utc->setToolTip(tr("Show times in UTC (otherwise in local time)"));
    utc->setCheckable(true);
    utc->setChecked(QSettings().value(QStringLiteral("events/utc"), false).toBool());
    m_model->setUtc(utc->isChecked());
    connect(utc, &QToolButton::toggled, this, [this](bool on) {
        m_model->setUtc(on);
        QSettings().setValue(QStringLiteral("events/utc"), on);
    });
    bar->addWidget(utc);

    m_view->setObjectName(QStringLiteral("eventsTable"));
    m_view->setMinimumHeight(40);
    m_view->setModel(m_filter);
    m_view->setItemDelegateForColumn(
        EventModel::SeverityColumn,
        new IconDelegate([](const QModelIndex &index) { return severityIcon(Severity(index.data(EventModel::SeverityRole).toInt())); }, QSize(16, 16),
                         m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    const QFontMetrics fm = m_view->fontMetrics();
    m_view->setColumnWidth(EventModel::TimeColumn, fm.horizontalAdvance(QStringLiteral("2026-11-26 04:12:13.123")) + 16);
    m_view->setColumnWidth(EventModel::SeverityColumn, fm.horizontalAdvance(QStringLiteral("critical")) + 40);
    m_view->setColumnWidth(EventModel::KindColumn, fm.horizontalAdvance(QStringLiteral("redis.unreachable")) + 24);
    m_view->setColumnWidth(EventModel::SourceColumn, fm.horizontalAdvance(QStringLiteral("127.0.0.1:63790")) + 24);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_view);

    connect(m_text, &QLineEdit::textChanged, m_filter, &EventFilterModel::setText);
    connect(m_severity, &QComboBox::currentIndexChanged, this, [this] { m_filter->setMinimumSeverity(Severity(m_severity->currentData().toInt())); });
    connect(m_kind, &QComboBox::currentTextChanged, m_filter, &EventFilterModel::setKindPrefix);

    // Follow the newest event while the view is scrolled to the bottom. Whether it is, is decided
    // when the operator scrolls, not when rows arrive: the scroll range grows after insertions, so
    // a check at insertion time sees the bottom move away and stops following.
    QScrollBar *scroll = m_view->verticalScrollBar();
    connect(scroll, &QScrollBar::valueChanged, this, [this, scroll](int value) { m_follow = value >= scroll->maximum() - 2; });
    connect(scroll, &QScrollBar::rangeChanged, this, [this, scroll](int, int maximum) {
        if (m_follow)
            scroll->setValue(maximum);
    });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &EventsPanel::updateCount);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &EventsPanel::updateCount);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &EventsPanel::updateCount);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &EventsPanel::updateCount);
    connect(m_model, &EventModel::kindsChanged, this, &EventsPanel::updateKinds);

    // Double-click or Enter opens an event (or shows a failover's steps); Ctrl+C copies the
    // selected ones as JSON Lines.
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        if (current.isValid() && !m_selecting)
            Q_EMIT eventSelected(m_model->event(m_filter->mapToSource(current).row()).id);
    });
    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        const qint64 id = index.data(EventModel::IdRole).toLongLong();
        if (index.data(EventModel::StepCountRole).toInt() > 0)
            m_filter->setExpanded(id, !m_filter->isExpanded(id));
        else
            openEvent(index);
    });
    auto *details = new QAction(tr("Show Event\u2026"), m_view);
    connect(details, &QAction::triggered, this, [this] { openEvent(m_view->currentIndex()); });
    m_view->addAction(details);
    auto *copy = new QAction(tr("Copy as JSON Lines"), m_view);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copy, &QAction::triggered, this, [this] { QApplication::clipboard()->setText(QString::fromUtf8(selectedJsonLines())); });
    m_view->addAction(copy);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    updateCount();
}

QList<Event> EventsPanel::shownEvents() const
{
    QList<Event> events;
    events.reserve(m_filter->rowCount());
    for (int row = 0; row < m_filter->rowCount(); ++row)
        events << m_model->event(m_filter->mapToSource(m_filter->index(row, 0)).row());
    return events;
}

bool EventsPanel::isFiltered() const
{
    return m_filter->rowCount() != m_model->rowCount();
}

QByteArray EventsPanel::selectedJsonLines() const
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QByteArray text;
    for (const QModelIndex &row : rows)
        text += eventToJsonLine(m_model->event(m_filter->mapToSource(row).row())) + '\n';
    return text;
}

bool EventsPanel::selectEvent(qint64 id)
{
    int row = m_model->rowCount() - 1;
    while (row >= 0 && m_model->event(row).id != id)
        --row;
    if (row < 0)
        return false;
    QModelIndex shown = m_filter->mapFromSource(m_model->index(row, 0));
    if (!shown.isValid()) {
        // Hidden by a filter: show everything rather than pretend it is not there.
        m_text->clear();
        m_severity->setCurrentIndex(0);
        m_kind->setCurrentIndex(0);
        shown = m_filter->mapFromSource(m_model->index(row, 0));
    }
    if (!shown.isValid())
        return false; // a failover step folded into its summary
    m_follow = false;
    // Chosen from elsewhere: not told back to where it came from.
    m_selecting = true;
    m_view->selectRow(shown.row());
    m_selecting = false;
    m_view->scrollTo(shown, QAbstractItemView::PositionAtCenter);
    return true;
}

void EventsPanel::openEvent(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    const Event &e = m_model->event(m_filter->mapToSource(index).row());
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("eventDetails"));
    dialog->setWindowTitle(tr("%1 — %2").arg(e.kind, e.source));
    auto *text = new QPlainTextEdit(dialog);
    text->setReadOnly(true);
    text->setObjectName(QStringLiteral("eventDetailsText"));
    text->setPlainText(QString::fromUtf8(QJsonDocument::fromJson(eventToJsonLine(e)).toJson(QJsonDocument::Indented)));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(text);
    layout->addWidget(buttons);
    dialog->resize(640, 420);
    dialog->show();
}

void EventsPanel::updateKinds()
{
    QStringList items = kFamilies;
    for (const QString &kind : m_model->kinds())
        if (!items.contains(kind))
            items << kind;
    QStringList current;
    for (int i = 0; i < m_kind->count(); ++i)
        current << m_kind->itemText(i);
    if (current == items)
        return;
    const QString text = m_kind->currentText();
    const QSignalBlocker block(m_kind);
    m_kind->clear();
    m_kind->addItems(items);
    m_kind->setEditText(text);
}

void EventsPanel::updateCount()
{
    m_count->setText(tr("%1 of %2").arg(m_filter->rowCount()).arg(m_model->rowCount()));
}

void EventsPanel::focusFilter()
{
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
}

} // namespace vigil
