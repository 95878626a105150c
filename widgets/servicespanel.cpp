// The Services panel.
#include "servicespanel.h"

#include "heartbeat/heartbeatservice.h"
#include "icondelegate.h"
#include "icons.h"
#include "latencychart.h"
#include "services/servicemodel.h"

#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "qcustomplot_include.h"
#include "theme.h"

namespace vigil {

namespace {

QIcon serviceIcon(ServiceState state)
{
    switch (state) {
    case ServiceState::Healthy: return svgIcon(QStringLiteral("connected"));
    case ServiceState::Degraded: return severityIcon(Severity::Warning);
    case ServiceState::Down:
    case ServiceState::Split: return severityIcon(Severity::Critical);
    }
    return {};
}

const QList<QColor> kGapColors = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c), QColor(0x94, 0x67, 0xbd),
                                  QColor(0x8c, 0x56, 0x4b)};

void setUpTable(QTableView *view)
{
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setStretchLastSection(true);
    view->setMinimumHeight(30); // a small window keeps a row or two, not a window-sized minimum
}

} // namespace

ServicesPanel::ServicesPanel(HeartbeatService *service, const LatencyHistory *history, QWidget *parent)
    : QWidget(parent)
    , m_model(new ServiceModel(this))
    , m_members(new ServiceMemberModel(m_model, this))
    , m_view(new QTableView(this))
    , m_memberView(new QTableView(this))
    , m_gaps(new QCustomPlot(this))
    , m_chart(new LatencyChart(history, this))
    , m_summary(new QLabel(tr("No services yet: nodes whose beats name a service, or nodes grouped here, form one"), this))
    , m_detailTitle(new QLabel(this))
    , m_group(new QPushButton(tr("Group nodes\u2026"), this))
    , m_ungroup(new QPushButton(tr("Ungroup"), this))
{
    m_summary->setObjectName(QStringLiteral("servicesSummary"));
    m_summary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_group->setObjectName(QStringLiteral("groupNodes"));
    m_group->setToolTip(tr("Watch nodes as one service: the recipe's primary and standby beating plain text"));
    m_ungroup->setObjectName(QStringLiteral("ungroupNodes"));
    m_ungroup->setToolTip(tr("Stop watching the selected group of nodes as a service"));

    m_view->setObjectName(QStringLiteral("servicesTable"));
    m_view->setModel(m_model);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    setUpTable(m_view);
    m_view->setItemDelegateForColumn(
        ServiceModel::StateColumn,
        new IconDelegate([](const QModelIndex &index) { return serviceIcon(ServiceState(index.data(ServiceModel::StateRole).toInt())); },
                         QSize(14, 14), m_view));
    const QFontMetrics fm = m_view->fontMetrics();
    m_view->setColumnWidth(ServiceModel::NameColumn, fm.horizontalAdvance(QStringLiteral("service-name-long")) + 16);
    m_view->setColumnWidth(ServiceModel::StateColumn, fm.horizontalAdvance(QStringLiteral("degraded")) + 40);
    m_view->setColumnWidth(ServiceModel::PrimaryColumn, fm.horizontalAdvance(QStringLiteral("worker-long-name-1")) + 16);
    m_view->setColumnWidth(ServiceModel::StandbysColumn, fm.horizontalAdvance(QStringLiteral("x")) * 45);
    m_view->setColumnWidth(ServiceModel::GapColumn, fm.horizontalAdvance(QStringLiteral("10000 ms (arrival)")) + 16);
    // The standbys' readiness takes what room there is.
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(ServiceModel::StandbysColumn, QHeaderView::Stretch);
    m_view->setColumnWidth(ServiceModel::TakeoverColumn, fm.horizontalAdvance(QStringLiteral("worker-1 \u2192 worker-2 at 00:00:00")) + 16);

    m_memberView->setObjectName(QStringLiteral("serviceMembersTable"));
    m_memberView->setModel(m_members);
    m_memberView->setSelectionMode(QAbstractItemView::NoSelection);
    setUpTable(m_memberView);
    m_memberView->setItemDelegateForColumn(
        ServiceMemberModel::StateColumn,
        new IconDelegate([](const QModelIndex &index) { return nodeStateIcon(NodeState(index.data(ServiceMemberModel::StateRole).toInt())); },
                         QSize(14, 14), m_memberView));
    m_memberView->setColumnWidth(ServiceMemberModel::NodeColumn, fm.horizontalAdvance(QStringLiteral("worker-long-name-1")) + 16);
    m_memberView->setColumnWidth(ServiceMemberModel::RoleColumn, fm.horizontalAdvance(QStringLiteral("standby")) + 16);
    m_memberView->setColumnWidth(ServiceMemberModel::StateColumn, fm.horizontalAdvance(QStringLiteral("unknown")) + 40);
    m_memberView->setColumnWidth(ServiceMemberModel::EpochColumn, fm.horizontalAdvance(QStringLiteral("Epoch")) + 24);
    m_memberView->setColumnWidth(ServiceMemberModel::CarrierColumn, fm.horizontalAdvance(QStringLiteral("127.0.0.1:65535")) + 16);
    m_memberView->horizontalHeader()->setStretchLastSection(false);
    m_memberView->horizontalHeader()->setSectionResizeMode(ServiceMemberModel::ReadinessColumn, QHeaderView::Stretch);

    m_gaps->setObjectName(QStringLiteral("takeoverGaps"));
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat(QStringLiteral("HH:mm:ss"));
    ticker->setDateTimeSpec(Qt::LocalTime);
    ticker->setTickCount(4);
    m_gaps->xAxis->setTicker(ticker);
    m_gaps->yAxis->setLabel(tr("takeover gap (ms)"));
    m_gaps->legend->setVisible(true);
    m_gaps->legend->setFont(font());
    followPalette(m_gaps);
    m_gaps->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    m_gaps->setMinimumHeight(40);
    m_gaps->setToolTip(tr("How long each takeover left the service without a primary: the old primary's last "
                          "beat to the new primary's first"));

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_group);
    bar->addWidget(m_ungroup);
    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(4, 4, 4, 0);
    topLayout->addLayout(bar);
    topLayout->addWidget(m_view);

    // Two rows, so that a small window still has room for every part: the services across the
    // width; below, the selected one's members over its takeover gaps, beside its nodes' latency.
    m_detailTitle->setObjectName(QStringLiteral("serviceDetailTitle"));
    m_detailTitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *members = new QWidget(this);
    auto *membersLayout = new QVBoxLayout(members);
    membersLayout->setContentsMargins(4, 0, 0, 0);
    membersLayout->addWidget(m_detailTitle);
    membersLayout->addWidget(m_memberView);
    auto *left = new QSplitter(Qt::Vertical, this);
    left->addWidget(members);
    left->addWidget(m_gaps);
    left->setSizes({400, 600}); // a table's size hint would leave the chart a sliver
    auto *lower = new QSplitter(Qt::Horizontal, this);
    lower->addWidget(left);
    lower->addWidget(m_chart);
    lower->setSizes({550, 450});

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(lower);
    splitter->setSizes({300, 700});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ServicesPanel::selectionChanged);
    // A service appearing or going resets the model: keep the operator's choice selected.
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_keep = selectedService(); });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        if (!m_keep.isEmpty())
            selectService(m_keep);
        selectionChanged();
    });
    connect(m_group, &QPushButton::clicked, this, &ServicesPanel::editGroup);
    connect(m_ungroup, &QPushButton::clicked, this, [this] { setGroup(selectedService(), {}); });
    if (service)
        connect(service, &HeartbeatService::updated, this, &ServicesPanel::apply);
    selectionChanged();
}

void ServicesPanel::setGroups(const QHash<QString, QStringList> &groups)
{
    m_groups = groups;
    updateButtons();
}

void ServicesPanel::setGroup(const QString &name, const QStringList &nodes)
{
    if (name.isEmpty())
        return;
    // A node belongs to one group: joining this one takes it out of any other.
    for (auto it = m_groups.begin(); it != m_groups.end();) {
        if (it.key() != name)
            it.value().removeIf([&](const QString &n) { return nodes.contains(n); });
        it = it.value().isEmpty() ? m_groups.erase(it) : std::next(it);
    }
    if (nodes.isEmpty())
        m_groups.remove(name);
    else
        m_groups.insert(name, nodes);
    updateButtons();
    Q_EMIT groupsChanged(m_groups);
}

QString ServicesPanel::selectedService() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows(ServiceModel::NameColumn);
    return rows.isEmpty() ? QString() : rows.first().data(ServiceModel::NameRole).toString();
}

void ServicesPanel::selectService(const QString &name)
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->index(row, 0).data(ServiceModel::NameRole).toString() == name) {
            m_view->selectRow(row);
            return;
        }
    }
    m_view->clearSelection();
}

void ServicesPanel::apply(const HeartbeatUpdate &update)
{
    for (const NodeStatus &n : update.nodes)
        m_knownNodes.insert(n.node);
    m_model->update(update.services, update.nodes);
    // The first service to appear is shown at once; later the operator's choice stays.
    if (!m_autoSelected && m_model->rowCount() > 0) {
        m_autoSelected = true;
        if (selectedService().isEmpty())
            m_view->selectRow(0);
    }
    // Members join and leave without a reset: the chart follows them.
    if (const QStringList nodes = chartedNodes(); nodes != m_chart->nodes())
        m_chart->setNodes(nodes);
    updateDetailTitle();
    if (!update.services.isEmpty()) {
        QHash<int, int> counts;
        for (const ServiceStatus &s : update.services)
            ++counts[int(s.state)];
        QStringList parts;
        for (ServiceState state : {ServiceState::Healthy, ServiceState::Degraded, ServiceState::Down, ServiceState::Split})
            if (counts.value(int(state)))
                parts << tr("%1 %2").arg(counts.value(int(state))).arg(serviceStateName(state));
        m_summary->setText(tr("%n service(s): %1", nullptr, int(update.services.size())).arg(parts.join(QStringLiteral(", "))));
    }
    updateGapPlot();
    m_chart->scheduleReplot();
}

QStringList ServicesPanel::chartedNodes() const
{
    // The selected service's nodes; with none selected, every service's.
    const QString name = selectedService();
    QStringList nodes;
    for (const ServiceStatus &s : m_model->services())
        if (name.isEmpty() || s.name == name)
            for (const ServiceMember &m : s.members)
                nodes << m.node;
    return nodes;
}

void ServicesPanel::selectionChanged()
{
    const QString name = selectedService();
    m_members->setService(name);
    const ServiceStatus *s = m_model->service(name);
    m_chart->setNodes(chartedNodes());
    if (s)
        Q_EMIT serviceNodesSelected(m_chart->nodes());
    updateDetailTitle();
    updateButtons();
    m_plotted.clear();
    updateGapPlot();
}

void ServicesPanel::updateDetailTitle()
{
    const ServiceStatus *s = m_model->service(selectedService());
    m_detailTitle->setText(s ? tr("Members of %1 \u2014 %2").arg(s->name, serviceStateMeaning(s->state)) : tr("Select a service to see its members"));
}

void ServicesPanel::updateButtons()
{
    m_ungroup->setEnabled(m_groups.contains(selectedService()));
}

void ServicesPanel::updateGapPlot()
{
    const QString selected = selectedService();
    QList<ServiceStatus> shown;
    for (const ServiceStatus &s : m_model->services())
        if (selected.isEmpty() || s.name == selected)
            shown << s;
    // Redraw when a takeover was added, not at every update.
    QString key = selected;
    for (const ServiceStatus &s : shown)
        key += QLatin1Char('|') + s.name + QLatin1Char(':') + QString::number(s.takeovers.size()) + QLatin1Char('@')
            + QString::number(s.takeovers.isEmpty() ? 0 : s.takeovers.first().atMs);
    if (key == m_plotted && m_gaps->graphCount() > 0)
        return;
    m_plotted = key;
    m_gaps->clearGraphs();
    m_gaps->clearItems();
    double minX = 0, maxX = 0, maxY = 0;
    bool any = false;
    for (qsizetype i = 0; i < shown.size(); ++i) {
        const ServiceStatus &s = shown[i];
        QCPGraph *g = m_gaps->addGraph();
        g->setName(s.name);
        const QColor color = kGapColors[i % kGapColors.size()];
        g->setPen(QPen(color, 2));
        g->setLineStyle(QCPGraph::lsImpulse);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, color, 7));
        QVector<double> xs, ys;
        for (auto it = s.takeovers.crbegin(); it != s.takeovers.crend(); ++it) {
            const double x = double(it->atMs) / 1000.0;
            xs << x;
            ys << double(it->gapMs);
            minX = any ? std::min(minX, x) : x;
            maxX = any ? std::max(maxX, x) : x;
            maxY = std::max(maxY, double(it->gapMs));
            any = true;
        }
        g->setData(xs, ys, true);
    }
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    if (!any) {
        m_gaps->xAxis->setRange(now - 300, now);
        m_gaps->yAxis->setRange(0, 1000);
        auto *text = new QCPItemText(m_gaps);
        text->position->setType(QCPItemPosition::ptAxisRectRatio);
        text->position->setCoords(0.5, 0.5);
        text->setText(tr("No takeover seen since Vigil started"));
        text->setColor(palette().color(QPalette::PlaceholderText));
    } else {
        const double span = std::max(60.0, maxX - minX);
        m_gaps->xAxis->setRange(minX - span * 0.1, std::max(maxX, now) + span * 0.1);
        m_gaps->yAxis->setRange(0, std::max(100.0, maxY * 1.25));
    }
    m_gaps->legend->setVisible(shown.size() > 1);
    m_gaps->replot(QCustomPlot::rpQueuedReplot);
}

void ServicesPanel::editGroup()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Group nodes into a service"));
    auto *name = new QLineEdit(&dialog);
    name->setObjectName(QStringLiteral("groupName"));
    auto *list = new QListWidget(&dialog);
    list->setObjectName(QStringLiteral("groupNodesList"));
    const QString selected = selectedService();
    QStringList chosen;
    if (m_groups.contains(selected)) {
        name->setText(selected);
        chosen = m_groups.value(selected);
    }
    QSet<QString> known = m_knownNodes;
    for (const QString &n : chosen)
        known.insert(n);
    QStringList nodes(known.cbegin(), known.cend());
    std::sort(nodes.begin(), nodes.end());
    for (const QString &n : nodes) {
        auto *item = new QListWidgetItem(n, list);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(chosen.contains(n) ? Qt::Checked : Qt::Unchecked);
    }
    auto *note = new QLabel(tr("A node that beats plain text counts as the service's primary while it beats. "
                               "Nodes whose beats name their service need no grouping."),
                            &dialog);
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("Service name:"), name);
    form->addRow(tr("Nodes:"), list);
    form->addRow(note);
    form->addRow(buttons);
    auto checked = [list] {
        QStringList out;
        for (int i = 0; i < list->count(); ++i)
            if (list->item(i)->checkState() == Qt::Checked)
                out << list->item(i)->text();
        return out;
    };
    auto validate = [&] { buttons->button(QDialogButtonBox::Ok)->setEnabled(!name->text().trimmed().isEmpty() && !checked().isEmpty()); };
    connect(name, &QLineEdit::textChanged, &dialog, validate);
    connect(list, &QListWidget::itemChanged, &dialog, validate);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    validate();
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString service = name->text().trimmed();
    if (!selected.isEmpty() && selected != service && m_groups.contains(selected))
        m_groups.remove(selected); // renamed
    setGroup(service, checked());
}

} // namespace vigil
