// The Heartbeats panel.
#include "heartbeatspanel.h"

#include "heartbeat/heartbeatservice.h"
#include "heartbeat/nodemodel.h"
#include "icondelegate.h"
#include "icons.h"
#include "latencychart.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace vigil {

HeartbeatsPanel::HeartbeatsPanel(HeartbeatService *service, QWidget *parent)
    : QWidget(parent)
    , m_model(new NodeModel(this))
    , m_filter(new NodeFilterModel(this))
    , m_text(new QLineEdit(this))
    , m_summary(new QLabel(this))
    , m_view(new QTableView(this))
    , m_chart(new LatencyChart(&m_history, this))
{
    m_filter->setSourceModel(m_model);
    m_text->setObjectName(QStringLiteral("nodesFilterText"));
    m_text->setPlaceholderText(tr("Filter nodes by name or state"));
    m_text->setClearButtonEnabled(true);
    m_summary->setObjectName(QStringLiteral("nodesSummary"));

    m_view->setObjectName(QStringLiteral("nodesTable"));
    m_view->setModel(m_filter);
    m_view->setSortingEnabled(true);
    // Worst first: down, unknown, suspect, then up, each by name.
    m_view->sortByColumn(NodeModel::StateColumn, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setItemDelegateForColumn(
        NodeModel::StateColumn,
        new IconDelegate([](const QModelIndex &index) { return nodeStateIcon(NodeState(index.data(NodeModel::StateRole).toInt())); }, QSize(14, 14),
                         m_view));
    const QFontMetrics fm = m_view->fontMetrics();
    m_view->setColumnWidth(NodeModel::NodeColumn, fm.horizontalAdvance(QStringLiteral("worker-long-name-1")) + 16);
    m_view->setColumnWidth(NodeModel::StateColumn, fm.horizontalAdvance(QStringLiteral("unknown")) + 40);
    for (int c = NodeModel::LastBeatColumn; c < NodeModel::ColumnCount; ++c)
        m_view->setColumnWidth(c, fm.horizontalAdvance(QStringLiteral("Latency p50")) + 16);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_text, 1);
    bar->addWidget(m_summary);
    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(4, 4, 4, 0);
    topLayout->addLayout(bar);
    topLayout->addWidget(m_view);

    m_view->setMinimumHeight(40); // a small window keeps a few rows, not a window-sized minimum
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(m_chart);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    connect(m_text, &QLineEdit::textChanged, m_filter, &NodeFilterModel::setText);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HeartbeatsPanel::selectionChanged);
    if (service)
        connect(service, &HeartbeatService::updated, this, &HeartbeatsPanel::apply);
    m_summary->setText(tr("No heartbeats yet"));
}

void HeartbeatsPanel::apply(const HeartbeatUpdate &update)
{
    m_history.add(update.samples);
    m_history.addTransitions(update.transitions);
    m_model->update(update.nodes);
    int up = 0, down = 0, other = 0;
    for (const NodeStatus &s : update.nodes)
        (s.state == NodeState::Up ? up : s.state == NodeState::Down ? down : other) += 1;
    m_down = down;
    if (!update.nodes.isEmpty()) {
        QString text = tr("%n node(s): %1 up", nullptr, int(update.nodes.size())).arg(up);
        if (down)
            text += tr(", %1 down").arg(down);
        if (other)
            text += tr(", %1 suspect or unknown").arg(other);
        if (update.malformed)
            text += tr(" \u00b7 %1 malformed").arg(update.malformed);
        m_summary->setText(text);
    }
    m_chart->scheduleReplot();
    Q_EMIT countsChanged();
}

void HeartbeatsPanel::selectNodes(const QStringList &nodes)
{
    QItemSelection selection;
    for (int row = 0; row < m_filter->rowCount(); ++row) {
        const QModelIndex index = m_filter->index(row, NodeModel::NodeColumn);
        if (nodes.contains(index.data(NodeModel::NodeRole).toString()))
            selection.select(index, index);
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void HeartbeatsPanel::selectionChanged()
{
    QStringList nodes;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows(NodeModel::NodeColumn))
        nodes << index.data(NodeModel::NodeRole).toString();
    m_chart->setNodes(nodes);
}

void HeartbeatsPanel::focusFilter()
{
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
}

} // namespace vigil
