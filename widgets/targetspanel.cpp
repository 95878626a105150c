// The Targets panel: connection state per monitored server, refreshed on change and every second.
#include "targetspanel.h"

#include "icondelegate.h"
#include "icons.h"
#include "monitor/monitor.h"
#include "monitor/targetstatusmodel.h"

#include <QHeaderView>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace vigil {

TargetsPanel::TargetsPanel(Monitor *monitor, QWidget *parent)
    : QWidget(parent)
    , m_monitor(monitor)
    , m_model(new TargetStatusModel(this))
    , m_view(new QTableView(this))
{
    m_view->setObjectName(QStringLiteral("targetsTable"));
    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(TargetStatusModel::StateColumn,
                                     new IconDelegate(
                                         [](const QModelIndex &index) {
                                             const bool up = index.data(TargetStatusModel::ConnectedRole).toBool();
                                             return svgIcon(up ? QStringLiteral("connected") : QStringLiteral("disconnected"));
                                         },
                                         QSize(12, 12), m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    const QFontMetrics fm = m_view->fontMetrics();
    m_view->setColumnWidth(TargetStatusModel::TargetColumn, fm.horizontalAdvance(QStringLiteral("sentinel-3  redis://127.0.0.1:63790")) + 24);
    m_view->setColumnWidth(TargetStatusModel::StateColumn, fm.horizontalAdvance(QStringLiteral("disconnected")) + 40);
    m_view->setColumnWidth(TargetStatusModel::RoleColumn, fm.horizontalAdvance(QStringLiteral("sentinel")) + 24);
    m_view->setColumnWidth(TargetStatusModel::OffsetColumn, fm.horizontalAdvance(QStringLiteral("Repl. offset 00")) + 16);
    m_view->setColumnWidth(TargetStatusModel::RoundTripColumn, fm.horizontalAdvance(QStringLiteral("Round trip")) + 24);
    connect(m_view, &QTableView::doubleClicked, this, &TargetsPanel::editRequested);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_view);

    connect(monitor, &Monitor::statusChanged, this, &TargetsPanel::refresh);
    // Round trips change every keep-alive; a 1 s refresh shows them without a signal per PING.
    auto *timer = new QTimer(this);
    timer->start(1000);
    connect(timer, &QTimer::timeout, this, &TargetsPanel::refresh);
    refresh();
}

void TargetsPanel::refresh()
{
    m_model->update(m_monitor->status());
}

} // namespace vigil
