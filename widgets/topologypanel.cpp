// The Topology panel.
#include "topologypanel.h"

#include "fleetoverview.h"
#include "incidents/incidentmodel.h"
#include "incidents/scope.h"
#include "latencychart.h"
#include "monitor/monitor.h"
#include "monitor/topologyhistory.h"
#include "promotedialog.h"
#include "snapshotdialog.h"
#include "topologyview.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace vigil {

namespace {

// Redrawn at most four times a second; a fleet (whose every server's poll asks for a redraw) once
// a second, the poll cadence: rebuilding the graph of hundreds of servers is not free.
constexpr int kRefreshMs = 250;
constexpr int kFleetRefreshMs = 1000;
constexpr qsizetype kFleetServers = 100;

QString valueOrDash(qint64 v)
{
    return v >= 0 ? QString::number(v) : QStringLiteral("-");
}

QTreeWidgetItem *section(QTreeWidget *tree, const QString &title)
{
    auto *item = new QTreeWidgetItem(tree, {title});
    QFont f = item->font(0);
    f.setBold(true);
    item->setFont(0, f);
    item->setFirstColumnSpanned(true);
    item->setExpanded(true);
    return item;
}

void row(QTreeWidgetItem *parent, const QString &key, const QString &value)
{
    new QTreeWidgetItem(parent, {key, value});
}

} // namespace

TopologyPanel::TopologyPanel(Monitor *monitor, QWidget *parent)
    : QWidget(parent)
    , m_monitor(monitor)
    , m_history(new TopologyHistory(monitor, this))
    , m_view(new TopologyView(this))
    , m_fleet(new FleetOverview(this))
    , m_summary(new QLabel(this))
    , m_title(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_fields(new QTreeWidget(this))
    , m_raw(new QPlainTextEdit(this))
    , m_rttChart(new LatencyChart(&m_history->roundTrips(), this))
    , m_lagChart(new LatencyChart(&m_history->lag(), this))
{
    setObjectName(QStringLiteral("topologyPanel"));
    m_summary->setObjectName(QStringLiteral("topologySummary"));
    // Long summaries wrap rather than widen the window past a small screen.
    m_summary->setWordWrap(true);
    m_summary->setMinimumWidth(120);
    m_title->setObjectName(QStringLiteral("topologyDetailsTitle"));
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::PlainText);
    m_fields->setObjectName(QStringLiteral("topologyFields"));
    m_fields->setColumnCount(2);
    m_fields->setHeaderLabels({tr("Field"), tr("Value")});
    m_fields->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_fields->setUniformRowHeights(true);
    m_raw->setObjectName(QStringLiteral("topologyRawInfo"));
    m_raw->setReadOnly(true);
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_rttChart->setValueAxis(tr("Redis round trip"), tr("round trip (ms)"), QStringLiteral("ms"));
    m_lagChart->setValueAxis(tr("Replica byte lag"), tr("lag (KiB)"), QStringLiteral("KiB"));

    auto *fit = new QToolButton(this);
    fit->setText(tr("Fit"));
    fit->setToolTip(tr("Show the whole topology"));
    connect(fit, &QToolButton::clicked, m_view, &TopologyView::fitAll);
    auto *actual = new QToolButton(this);
    actual->setText(tr("100 %"));
    actual->setToolTip(tr("Actual size (the mouse wheel zooms)"));
    connect(actual, &QToolButton::clicked, m_view, [this] { m_view->setZoom(1.0); });
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_summary, 1);
    bar->addWidget(fit);
    bar->addWidget(actual);
    auto *diagram = new QWidget(this);
    auto *diagramLayout = new QVBoxLayout(diagram);
    diagramLayout->setContentsMargins(0, 0, 0, 0);
    diagramLayout->addLayout(bar);
    diagramLayout->addWidget(m_view, 1);
    // The overview appears once there is more than one group: for one, the diagram says it all.
    auto *left = new QSplitter(Qt::Vertical, this);
    m_fleetSplitter = left;
    m_fleet->hide();
    left->setObjectName(QStringLiteral("fleetSplitter"));
    left->setContentsMargins(4, 0, 0, 0);
    left->addWidget(m_fleet);
    left->addWidget(diagram);
    left->setStretchFactor(0, 2);
    left->setStretchFactor(1, 3);

    m_tabs->setObjectName(QStringLiteral("topologyTabs"));
    m_tabs->addTab(m_fields, tr("Details"));
    m_tabs->addTab(m_raw, tr("Raw INFO"));
    m_tabs->addTab(m_rttChart, tr("Round trip"));
    m_tabs->addTab(m_lagChart, tr("Replica lag"));
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 4, 0);
    rightLayout->addWidget(m_title);
    rightLayout->addWidget(m_tabs, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("topologySplitter"));
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({760, 440});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    m_refresh.setSingleShot(true);
    m_refresh.setInterval(kRefreshMs);
    connect(&m_refresh, &QTimer::timeout, this, &TopologyPanel::refresh);
    auto schedule = [this] {
        if (!m_refresh.isActive())
            m_refresh.start();
    };
    connect(monitor, &Monitor::statusChanged, this, schedule);
    connect(monitor, &Monitor::polled, this, schedule);
    connect(m_history, &TopologyHistory::updated, this, [this] {
        m_rttChart->scheduleReplot();
        m_lagChart->scheduleReplot();
    });
    connect(m_view, &TopologyView::selectionChanged, this, &TopologyPanel::showDetails);
    // A tile selected: its group alone in the diagram, its master's details on the right.
    connect(m_fleet, &FleetOverview::groupSelected, this, [this](const QString &id) {
        m_group = id;
        if (m_refreshing)
            return; // the refresh under way draws it
        refresh();
        if (const GroupSummary *g = m_fleet->model()->group(id))
            m_view->select(g->key);
        m_view->fitAll();
    });
    connect(m_view, &TopologyView::contextMenuRequestedFor, this, &TopologyPanel::showContextMenu);
    connect(m_view, &TopologyView::promoteRequested, this, &TopologyPanel::promote);
    connect(m_view, &TopologyView::snapshotRequested, this, &TopologyPanel::snapshot);
    refresh();
}

void TopologyPanel::setIncidents(IncidentModel *incidents)
{
    m_incidents = incidents;
    refresh();
}

void TopologyPanel::refresh()
{
    m_graph = buildTopologyGraph(m_monitor->status(), m_monitor->clusterView());
    m_refresh.setInterval(m_graph.servers.size() > kFleetServers ? kFleetRefreshMs : kRefreshMs);
    // Open incidents by group: an incident's scope is its group's.
    QHash<QString, int> open;
    if (m_incidents) {
        QHash<QString, int> byScope;
        for (int row = 0; row < m_incidents->rowCount(); ++row)
            if (m_incidents->incident(row).isOpen())
                ++byScope[m_incidents->incident(row).scope];
        if (!byScope.isEmpty()) {
            const ScopeIndex scopes = ScopeIndex::fromGraph(m_graph);
            for (const QString &root : m_graph.groups())
                if (const int n = byScope.value(scopes.of(root).id); n > 0)
                    open.insert(root, n);
        }
    }
    QList<GroupSummary> groups = summarizeGroups(m_graph, m_monitor->topologyThresholds(), QDateTime::currentSecsSinceEpoch(), open);
    m_counts = countFleet(m_graph, groups);
    m_refreshing = true;
    m_fleet->setGroups(std::move(groups)); // a group gone is no longer shown alone
    m_refreshing = false;
    const bool several = m_graph.groups().size() > 1;
    if (several && m_fleet->isHidden()) {
        m_fleet->show();
        const int height = m_fleetSplitter->height();
        m_fleetSplitter->setSizes({height * 2 / 5, height - height * 2 / 5});
    } else if (!several && !m_fleet->isHidden()) {
        m_fleet->hide();
    }
    const GroupSummary *shown = m_group.isEmpty() ? nullptr : m_fleet->model()->group(m_group);
    m_view->setGraph(shown ? m_graph.onlyGroup(shown->key) : m_graph, m_monitor->topologyThresholds());
    int reachable = 0;
    for (const GraphNode &n : m_graph.servers)
        reachable += n.reachable() ? 1 : 0;
    QString text = tr("%1 of %2 servers reachable, %n group(s)", nullptr, int(m_graph.groups().size())).arg(reachable).arg(m_graph.servers.size());
    if (!m_graph.sentinels.isEmpty())
        text += tr(", %n sentinel(s)", nullptr, int(m_graph.sentinels.size()));
    if (const ClusterView *c = m_monitor->clusterView())
        text += tr(", cluster %1").arg(c->state);
    if (m_graph.servers.isEmpty() && m_graph.sentinels.isEmpty())
        text = tr("No servers: add targets with File \u2192 Targets, or start with --connect or --sentinel");
    if (shown)
        text += tr(" \u00b7 showing %1 alone").arg(shown->name);
    m_summary->setText(text);
    showDetails();
    Q_EMIT refreshed();
}

void TopologyPanel::showDetails()
{
    const QString key = m_view->selectedAddress();
    const bool sentinel = isSentinelNodeName(key);
    const QString address = nodeAddress(key);
    const GraphNode *node = sentinel ? nullptr : m_graph.node(address);
    const TargetStatus *sentinelStatus = nullptr;
    for (const TargetStatus &s : m_graph.sentinels)
        if (sentinel && s.address == address)
            sentinelStatus = &s;

    // Charts: the selected node's round trip; the lag of the selected replica or of a master's replicas.
    QStringList lagNodes;
    if (node) {
        for (const GraphNode &n : m_graph.servers)
            if (n.group == node->group && n.depth > 0 && (node->depth == 0 || n.status.address == address || n.master == address))
                lagNodes << n.status.address;
    }
    m_rttChart->setNodes(node || sentinelStatus ? QStringList{address} : QStringList{});
    m_lagChart->setNodes(lagNodes);

    // Rebuilt on every refresh; the scroll position is kept while the same node stays selected.
    const int scroll = m_fields->verticalScrollBar()->value();
    m_fields->setUpdatesEnabled(false);
    m_fields->clear();
    if (!node && !sentinelStatus) {
        m_title->setText(tr("Click a node to see its details."));
        m_raw->clear();
        m_fields->setUpdatesEnabled(true);
        m_detailsShownFor.clear();
        return;
    }
    if (node) {
        const NodeHealth health = assessServer(*node, m_monitor->topologyThresholds());
        const InfoSnapshot *s = node->info();
        m_title->setText(QStringLiteral("%1 \u2014 %2%3")
                             .arg(node->status.address, s ? roleName(s->role) : tr("not polled"),
                                  health.reasons.isEmpty() ? QString() : QStringLiteral(" \u2014 ") + health.reasons.join(QStringLiteral("; "))));
        QTreeWidgetItem *overview = section(m_fields, tr("Overview"));
        row(overview, tr("health"), healthName(health.level));
        row(overview, tr("reachable"), node->reachable() ? tr("yes") : tr("no: %1").arg(node->status.lastError));
        row(overview, tr("round trip"),
            node->reachable() && node->status.roundTripUs >= 0 ? QStringLiteral("%1 µs").arg(node->status.roundTripUs) : QStringLiteral("-"));
        row(overview, tr("found"), node->status.discovered ? tr("through %1").arg(node->status.via) : tr("given"));
        if (!node->status.aliases.isEmpty())
            row(overview, tr("also known as"), node->status.aliases.join(QStringLiteral(", ")));
        if (s) {
            // An unreachable node shows what it said last.
            const QString stale = node->reachable()
                ? QString()
                : tr(" (last known, %1)").arg(humanAge((QDateTime::currentMSecsSinceEpoch() - node->status.infoTimeMs) / 1000));
            QTreeWidgetItem *repl = section(m_fields, tr("Replication") + stale);
            row(repl, tr("role"), roleName(s->role));
            if (s->isReplica()) {
                row(repl, tr("master"), node->master);
                row(repl, tr("link"), s->linkStatus);
                row(repl, tr("last I/O"), s->lastIoSecondsAgo >= 0 ? tr("%1 s ago").arg(s->lastIoSecondsAgo) : QStringLiteral("-"));
                row(repl, tr("offset"), valueOrDash(s->replicaOffset));
                row(repl, tr("byte lag"), node->lagBytes >= 0 ? humanBytes(node->lagBytes) : QStringLiteral("-"));
                row(repl, tr("seconds since ACK"), valueOrDash(node->lagSeconds));
                row(repl, tr("sync in progress"), s->syncInProgress ? tr("yes") : tr("no"));
                row(repl, tr("replica priority"), valueOrDash(s->replicaPriority));
            } else {
                row(repl, tr("offset"), valueOrDash(s->masterReplOffset));
                row(repl, tr("replicas"), valueOrDash(s->connectedReplicas));
                for (const ReplicaEntry &e : s->replicas)
                    row(repl, e.address(), tr("%1, offset %2, lag %3 (%4 s)").arg(e.state).arg(e.offset).arg(humanBytes(s->byteLag(e))).arg(e.lag));
            }
            row(repl, tr("failover state"), s->failoverState.isEmpty() ? QStringLiteral("-") : s->failoverState);
            row(repl, tr("loading"), s->loading ? tr("yes") : tr("no"));
            if (!node->clusterId.isEmpty()) {
                row(repl, tr("cluster node"), node->clusterId);
                row(repl, tr("cluster role"), node->clusterRole);
                row(repl, tr("slots"), node->slots.isEmpty() ? QStringLiteral("-") : node->slots);
                row(repl, tr("cluster flags"), node->clusterFlags.join(QLatin1Char(',')));
            }
            QTreeWidgetItem *persistence = section(m_fields, tr("Persistence") + stale);
            row(persistence, tr("last save"),
                s->neverSaved() ? tr("never")
                                : QDateTime::fromSecsSinceEpoch(s->lastSaveTime).toString(Qt::ISODate) + QStringLiteral(" (")
                        + humanAge(QDateTime::currentSecsSinceEpoch() - s->lastSaveTime) + QLatin1Char(')'));
            row(persistence, tr("changes since save"), valueOrDash(s->changesSinceSave));
            row(persistence, tr("bgsave"), s->bgsaveInProgress ? tr("running") : tr("idle"));
            row(persistence, tr("last bgsave"),
                s->lastBgsaveTimeSec < 0 ? tr("never") : tr("%1, took %2 s").arg(s->lastBgsaveStatus).arg(s->lastBgsaveTimeSec));
            row(persistence, tr("AOF"), s->aofEnabled ? tr("on, last write %1").arg(s->aofLastWriteStatus) : tr("off"));
            row(persistence, tr("AOF rewrite"), s->aofRewriteInProgress ? tr("running") : s->aofRewriteScheduled ? tr("scheduled") : tr("idle"));
            QTreeWidgetItem *server = section(m_fields, tr("Server") + stale);
            row(server, tr("version"), s->version);
            row(server, tr("run id"), s->runId);
            row(server, tr("uptime"), tr("%1 s").arg(s->uptimeSeconds));
            row(server, tr("clients"), valueOrDash(s->connectedClients));
            row(server, tr("memory"), humanBytes(s->usedMemory));
            QTreeWidgetItem *all = section(m_fields, tr("Every INFO field"));
            QList<std::pair<QString, QString>> fields = s->fieldList();
            std::sort(fields.begin(), fields.end());
            for (const auto &[name, value] : fields)
                row(all, name, value);
            all->setExpanded(false);
            if (m_detailsShownFor != key || m_raw->toPlainText().size() != s->raw.size())
                m_raw->setPlainText(QString::fromUtf8(s->raw).remove(QLatin1Char('\r')));
        } else {
            m_raw->setPlainText(tr("No INFO reply yet."));
        }
    } else {
        const NodeHealth health = assessSentinel(*sentinelStatus);
        m_title->setText(
            tr("sentinel %1%2", "sentinel address, then its problems")
                .arg(address, health.reasons.isEmpty() ? QString() : QStringLiteral(" \u2014 ") + health.reasons.join(QStringLiteral("; "))));
        QTreeWidgetItem *overview = section(m_fields, tr("Overview"));
        row(overview, tr("health"), healthName(health.level));
        row(overview, tr("reachable"), sentinelStatus->connected ? tr("yes") : tr("no: %1").arg(sentinelStatus->lastError));
        row(overview, tr("found"), sentinelStatus->discovered ? tr("through %1").arg(sentinelStatus->via) : tr("given"));
        for (const SentinelView &v : sentinelStatus->sentinelViews) {
            QTreeWidgetItem *group = section(m_fields, tr("Master group %1").arg(v.master.name));
            QStringList keys = v.master.fields.keys();
            keys.sort();
            for (const QString &k : keys)
                row(group, k, v.master.fields.value(k));
            for (const SentinelInstance &r : v.replicas)
                row(group, tr("replica %1").arg(r.address()),
                    tr("%1, link %2, priority %3, offset %4")
                        .arg(r.flags.join(QLatin1Char(',')), r.masterLinkStatus.isEmpty() ? QStringLiteral("-") : r.masterLinkStatus,
                             valueOrDash(r.replicaPriority), valueOrDash(r.replicaReplOffset)));
            for (const SentinelInstance &o : v.sentinels)
                row(group, tr("sentinel %1").arg(o.address()), o.flags.join(QLatin1Char(',')));
        }
        const InfoSnapshot *s = sentinelStatus->info.get();
        m_raw->setPlainText(s ? QString::fromUtf8(s->raw).remove(QLatin1Char('\r')) : tr("No INFO reply yet."));
    }
    m_fields->setUpdatesEnabled(true);
    if (m_detailsShownFor == key)
        m_fields->verticalScrollBar()->setValue(scroll);
    m_detailsShownFor = key;
}

PromoteDialog *TopologyPanel::promote(const QString &address)
{
    auto *dialog = new PromoteDialog(m_monitor, address, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

SnapshotDialog *TopologyPanel::snapshot(const QString &address)
{
    auto *dialog = new SnapshotDialog(m_monitor, address, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void TopologyPanel::showContextMenu(const QString &key, const QPoint &globalPos)
{
    const QString address = nodeAddress(key);
    QMenu menu(this);
    const QStringList actions = m_view->cardActions(key);
    QAction *promote = menu.addAction(tr("Promote\u2026"), this, [this, address] { this->promote(address); });
    promote->setEnabled(actions.contains(QStringLiteral("promote")));
    QAction *snapshot = menu.addAction(tr("Snapshot\u2026"), this, [this, address] { this->snapshot(address); });
    snapshot->setEnabled(actions.contains(QStringLiteral("snapshot")));
    menu.addSeparator();
    menu.addAction(tr("Details"), this, [this] { m_tabs->setCurrentWidget(m_fields); });
    menu.addAction(tr("Raw INFO"), this, [this] { m_tabs->setCurrentWidget(m_raw); });
    menu.addAction(tr("Round-trip chart"), this, [this] { m_tabs->setCurrentWidget(m_rttChart); });
    menu.addSeparator();
    menu.addAction(tr("Copy address"), this, [address] { QApplication::clipboard()->setText(address); });
    menu.exec(globalPos);
}

} // namespace vigil
