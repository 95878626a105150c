// The GUI under the offscreen platform: the main window opens, events show live in the Events
// panel, the filters work, and the targets dialog adds a target.
#include "eventspanel.h"
#include "fleetoverview.h"
#include "heartbeat/heartbeatservice.h"
#include "heartbeat/nodemodel.h"
#include "heartbeatspanel.h"
#include "helpwindow.h"
#include "latencychart.h"
#include "incidentnotifier.h"
#include "incidents/incidentmodel.h"
#include "incidents/report.h"
#include "icons.h"
#include "incidentspanel.h"
#include "incidenttimeline.h"
#include "qcustomplot_include.h"
#include "journal/incidentstore.h"
#include "journalwindow.h"
#include "journal/eventmodel.h"
#include "journal/journal.h"
#include "language.h"
#include "mainwindow.h"
#include "profiles/profile.h"
#include "notificationbanner.h"
#include "onscreen.h"
#include "services/servicemodel.h"
#include "servicespanel.h"
#include "monitor/monitor.h"
#include "targetsdialog.h"
#include "theme.h"
#include "topologypanel.h"
#include "topologyfixture.h"
#include "topologyview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTextBrowser>
#include <QTableWidget>
#include <QSettings>
#include <QStandardPaths>
#include <QCheckBox>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QListView>
#include <QTabBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QClipboard>
#include <QDateTimeEdit>
#include <QDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QScopeGuard>
#include <QTest>
#include <QXmlStreamReader>
#include <QTimer>
#include <QCryptographicHash>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QTreeWidget>
#include <QToolButton>

using namespace vigil;

// A main window over a fresh journal, wired as the GUI wires it.
struct Gui
{
    QTemporaryDir dir;
    Journal journal;
    EventModel events;
    IncidentModel incidents;
    std::unique_ptr<Monitor> monitor;
    std::unique_ptr<MainWindow> window;

    explicit Gui(MainWindow::Options options = {})
    {
        if (!journal.open(dir.filePath(QStringLiteral("j.sqlite"))))
            return;
        QObject::connect(&journal, &Journal::committed, &events, &EventModel::append);
        QObject::connect(&journal, &Journal::incidentsChanged, &incidents, &IncidentModel::apply);
        monitor = std::make_unique<Monitor>(&journal);
        window = std::make_unique<MainWindow>(monitor.get(), &journal, &events, &incidents, options);
    }
    bool isValid() const { return window != nullptr; }
};

class TestGui : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        // No desktop here: notifications go to the window's banner.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/vigil-test-bus");
        QCoreApplication::setOrganizationName(QStringLiteral("vigil-test"));
        QCoreApplication::setApplicationName(QStringLiteral("vigil-test"));
        QSettings().clear();
        QDir(ProfileStore::defaultDirectory()).removeRecursively();
    }

    void eventsShowLive()
    {
        Gui gui;
        QVERIFY(gui.isValid());
        MainWindow &window = *gui.window;
        Monitor &monitor = *gui.monitor;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.findChild<QLabel *>(QStringLiteral("journalStatus"))->text().contains(gui.journal.path()));
        QVERIFY(window.findChild<QLabel *>(QStringLiteral("targetsStatus"))->text().contains(QStringLiteral("No targets")));
        QVERIFY(window.heartbeatsPanel()->isVisible());

        QTableView *table = window.eventsPanel()->view();
        QCOMPARE(table->model()->rowCount(), 0);
        monitor.raise(Event::make(QStringLiteral("redis.unreachable"), Severity::Critical, QStringLiteral("10.1.1.1:6379"),
                                  QStringLiteral("lost connection: closed")));
        monitor.raise(Event::make(QStringLiteral("redis.reachable"), Severity::Info, QStringLiteral("10.1.1.2:6379"), QStringLiteral("connected")));
        QTRY_COMPARE(table->model()->rowCount(), 2);
        QCOMPARE(table->model()->index(0, EventModel::KindColumn).data().toString(), QStringLiteral("redis.unreachable"));

        auto *text = window.findChild<QLineEdit *>(QStringLiteral("eventsFilterText"));
        QTest::keyClicks(text, QStringLiteral("10.1.1.2"));
        QCOMPARE(table->model()->rowCount(), 1);
        text->clear();
        auto *severity = window.findChild<QComboBox *>(QStringLiteral("eventsFilterSeverity"));
        severity->setCurrentIndex(2); // critical only
        QCOMPARE(table->model()->rowCount(), 1);
        QCOMPARE(table->model()->index(0, EventModel::SeverityColumn).data().toString(), QStringLiteral("critical"));
        severity->setCurrentIndex(0);
        auto *kind = window.findChild<QComboBox *>(QStringLiteral("eventsFilterKind"));
        kind->setEditText(QStringLiteral("redis.reach"));
        QCOMPARE(table->model()->rowCount(), 1);
        // What File > Export offers to write: what is shown.
        QVERIFY(window.eventsPanel()->isFiltered());
        QCOMPARE(window.eventsPanel()->shownEvents().size(), 1);
        QCOMPARE(window.eventsPanel()->shownEvents().first().source, QStringLiteral("10.1.1.2:6379"));
        kind->setEditText(QString());
        QVERIFY(!window.eventsPanel()->isFiltered());

        // Times say their zone; UTC on request.
        auto *utc = window.findChild<QToolButton *>(QStringLiteral("eventsUtc"));
        QVERIFY(table->model()->headerData(EventModel::TimeColumn, Qt::Horizontal).toString().contains(QStringLiteral("local")));
        utc->click();
        QCOMPARE(table->model()->headerData(EventModel::TimeColumn, Qt::Horizontal).toString(), QStringLiteral("Time (UTC)"));
        const QDateTime raised = table->model()->index(0, EventModel::TimeColumn).data(EventModel::TimeRole).toDateTime();
        QCOMPARE(table->model()->index(0, EventModel::TimeColumn).data().toString(),
                 raised.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
        utc->click();
        QCOMPARE(table->model()->rowCount(), 2);

        // Cut-short cells have tooltips; Ctrl+C copies the selected rows as JSON Lines; Enter opens one.
        QCOMPARE(table->model()->index(0, EventModel::SourceColumn).data(Qt::ToolTipRole).toString(), QStringLiteral("10.1.1.1:6379"));
        table->setFocus();
        table->selectAll();
        QTest::keySequence(table, QKeySequence::Copy);
        const QStringList lines = QApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(QJsonDocument::fromJson(lines[0].toUtf8()).object().value(QStringLiteral("kind")).toString(), QStringLiteral("redis.unreachable"));
        table->setCurrentIndex(table->model()->index(1, EventModel::KindColumn));
        QTest::keyClick(table, Qt::Key_Return);
        QTRY_VERIFY(window.findChild<QDialog *>(QStringLiteral("eventDetails")));
        QVERIFY(window.findChild<QPlainTextEdit *>(QStringLiteral("eventDetailsText"))->toPlainText().contains(QStringLiteral("10.1.1.2:6379")));
        window.close();
    }

    // Scrolled to the bottom, the table follows new events, also when they come in bursts; scrolled
    // up, it stays where the operator left it.
    void eventsFollowTheNewest()
    {
        Gui gui;
        QVERIFY(gui.isValid());
        MainWindow &window = *gui.window;
        Monitor &monitor = *gui.monitor;
        window.resize(900, 600);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTableView *table = window.eventsPanel()->view();
        QScrollBar *scroll = table->verticalScrollBar();
        for (int burst = 0; burst < 5; ++burst) {
            for (int i = 0; i < 40; ++i)
                monitor.raise(Event::make(QStringLiteral("test.burst"), Severity::Info, QStringLiteral("n"), QString::number(burst * 40 + i)));
            QTRY_COMPARE(table->model()->rowCount(), (burst + 1) * 40);
            QTRY_COMPARE(scroll->value(), scroll->maximum());
        }
        QVERIFY(scroll->maximum() > 0);
        scroll->setValue(0);
        for (int i = 0; i < 40; ++i)
            monitor.raise(Event::make(QStringLiteral("test.burst"), Severity::Info, QStringLiteral("n"), QStringLiteral("late")));
        QTRY_COMPARE(table->model()->rowCount(), 240);
        QTest::qWait(50);
        QCOMPARE(scroll->value(), 0);
        window.close();
    }

    // A small window: every panel stays inside its own area; none paints over the dock tab bar.
    void smallWindowKeepsPanelsApart()
    {
        Gui gui;
        QVERIFY(gui.isValid());
        MainWindow &window = *gui.window;
        window.show();
        window.resize(600, 400);
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTest::qWait(100);
        if (!qEnvironmentVariableIsEmpty("VIGIL_GRAB"))
            window.grab().save(qEnvironmentVariable("VIGIL_GRAB"));
        QWidget *topology = window.topologyPanel();
        const QRect panel(topology->mapTo(&window, QPoint(0, 0)), topology->size());
        for (QTabBar *bar : window.findChildren<QTabBar *>()) {
            if (!bar->isVisible() || bar->parentWidget() != &window)
                continue;
            const QRect tabs(bar->mapTo(&window, QPoint(0, 0)), bar->size());
            QVERIFY2(!panel.intersects(tabs),
                     qPrintable(QStringLiteral("topology panel %1,%2 %3x%4 over the tab bar at %5,%6")
                                    .arg(panel.x())
                                    .arg(panel.y())
                                    .arg(panel.width())
                                    .arg(panel.height())
                                    .arg(tabs.x())
                                    .arg(tabs.y())));
        }
        QVERIFY(window.rect().contains(panel));
        QCOMPARE(window.size(), QSize(600, 400)); // nothing holds the window wider or taller
        window.close();
    }

    void heartbeatsPanelShowsNodesAndChart()
    {
        HeartbeatsPanel panel(nullptr);
        panel.resize(900, 600);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        HeartbeatUpdate update;
        for (const char *name : {"api-1", "api-2", "worker-1"}) {
            NodeStatus s;
            s.node = QString::fromLatin1(name);
            s.state = qstrcmp(name, "worker-1") == 0 ? NodeState::Down : NodeState::Up;
            s.latencyP50Us = 400;
            update.nodes << s;
            for (int i = 60; i > 0; --i)
                update.samples.append({s.node, now - i * 1000, 300 + i * 10, 1'000'000});
        }
        update.transitions = {{QStringLiteral("worker-1"), now - 20'000, NodeState::Down}};
        panel.apply(update);

        QCOMPARE(panel.view()->model()->rowCount(), 3);
        LatencyChart *chart = panel.chart();
        QCOMPARE(chart->replotNow(), 180);
        QCOMPARE(chart->graphCount(), 3);
        QCOMPARE(chart->shadedPeriods(), 1);

        // Worst first: the node that is down heads the table.
        QCOMPARE(panel.view()->model()->index(0, NodeModel::NodeColumn).data().toString(), QStringLiteral("worker-1"));
        // Selecting a node narrows the chart to it.
        const QModelIndex api2 =
            panel.view()
                ->model()
                ->match(panel.view()->model()->index(0, NodeModel::NodeColumn), Qt::DisplayRole, QStringLiteral("api-2"), 1, Qt::MatchExactly)
                .value(0);
        QVERIFY(api2.isValid());
        panel.view()->selectionModel()->select(api2, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QCOMPARE(chart->replotNow(), 60);
        QCOMPARE(chart->graphCount(), 1);
        QCOMPARE(chart->shadedPeriods(), 0);

        // Filtering the table by state.
        QTest::keyClicks(panel.findChild<QLineEdit *>(QStringLiteral("nodesFilterText")), QStringLiteral("down"));
        QCOMPARE(panel.view()->model()->rowCount(), 1);

        // However often data arrives, redraws are coalesced.
        const int before = chart->replotCount();
        for (int i = 0; i < 200; ++i)
            chart->scheduleReplot();
        QTRY_COMPARE(chart->replotCount(), before + 1);
        QTest::qWait(2 * LatencyChart::kMinReplotMs);
        QCOMPARE(chart->replotCount(), before + 1);

        // Hidden (another tab in front), it draws nothing; shown again, it draws once.
        panel.hide();
        const int hidden = chart->replotCount();
        for (int i = 0; i < 10; ++i)
            chart->scheduleReplot();
        QTest::qWait(3 * LatencyChart::kMinReplotMs);
        QCOMPARE(chart->replotCount(), hidden);
        panel.show();
        QTRY_COMPARE(chart->replotCount(), hidden + 1);
    }

    // A hundred groups of a master and two replicas under Sentinel, one with its master dead, one
    // with a replica that hears nothing from its master: the dead one's tile comes first, then the
    // other, and the next-problem key walks them; the filter finds a group by a replica's address.
    void fleetOverviewFindsTheSickGroup()
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QJsonArray servers, groups;
        auto address = [](int g, int n) { return QStringLiteral("10.1.%1.%2:6379").arg(g).arg(n); };
        const int sick = 37, lagging = 61;
        for (int g = 0; g < 100; ++g) {
            const QString master = address(g, 1);
            const QStringList common{QStringLiteral("redis_version:7.0.15"),
                                     QStringLiteral("loading:0"),
                                     QStringLiteral("rdb_last_save_time:%1").arg(now - 300 - g),
                                     QStringLiteral("rdb_saves:3"),
                                     QStringLiteral("rdb_changes_since_last_save:12"),
                                     QStringLiteral("master_repl_offset:5000")};
            QStringList info = common;
            info << QStringLiteral("role:master") << QStringLiteral("connected_slaves:2");
            if (g == sick)
                servers.append(QJsonObject{{QStringLiteral("address"), master},
                                           {QStringLiteral("connected"), false},
                                           {QStringLiteral("error"), QStringLiteral("Connection refused")}});
            else
                servers.append(QJsonObject{{QStringLiteral("address"), master}, {QStringLiteral("info"), QJsonArray::fromStringList(info)}});
            for (int n = 2; n <= 3; ++n) {
                QStringList replica = common;
                replica << QStringLiteral("role:slave") << QStringLiteral("master_host:10.1.%1.1").arg(g) << QStringLiteral("master_port:6379")
                        << QStringLiteral("master_link_status:%1").arg(g == sick ? QStringLiteral("down") : QStringLiteral("up"))
                        << QStringLiteral("master_last_io_seconds_ago:%1").arg(g == lagging && n == 3 ? 25 : 0)
                        << QStringLiteral("slave_repl_offset:5000") << QStringLiteral("slave_priority:100");
                servers.append(
                    QJsonObject{{QStringLiteral("address"), address(g, n)}, {QStringLiteral("info"), QJsonArray::fromStringList(replica)}});
            }
            groups.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("svc-%1").arg(g, 3, 10, QLatin1Char('0'))},
                                      {QStringLiteral("master"), master},
                                      {QStringLiteral("flags"),
                                       g == sick ? QJsonArray{QStringLiteral("master"), QStringLiteral("s_down"), QStringLiteral("o_down")}
                                                 : QJsonArray{QStringLiteral("master")}},
                                      {QStringLiteral("replicas"), QJsonArray{address(g, 2), address(g, 3)}}});
        }
        const QJsonObject json{
            {QStringLiteral("servers"), servers},
            {QStringLiteral("sentinels"),
             QJsonArray{QJsonObject{{QStringLiteral("address"), QStringLiteral("10.9.0.1:26379")}, {QStringLiteral("groups"), groups}}}}};
        test::TopologyFixture topology;
        QString error;
        QVERIFY2(test::loadTopology(json, &topology, &error), qPrintable(error));
        const TopologyGraph graph = buildTopologyGraph(topology.servers);
        const QList<GroupSummary> summaries = summarizeGroups(graph, TopologyThresholds{}, now);
        QCOMPARE(summaries.size(), 100);
        QCOMPARE(summaries.at(0).name, QStringLiteral("svc-037"));
        QCOMPARE(summaries.at(0).health, Health::Critical);
        QCOMPARE(summaries.at(0).reasons.first(), QStringLiteral("no master answers"));
        QCOMPARE(summaries.at(1).name, QStringLiteral("svc-061"));
        QCOMPARE(summaries.at(1).health, Health::Warning);
        QCOMPARE(summaries.at(2).health, Health::Ok);
        QCOMPARE(countFleet(graph, summaries).degraded, 2);

        FleetOverview overview;
        QAbstractItemModelTester tester(overview.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        overview.resize(1100, 420);
        overview.setGroups(summaries);
        overview.show();
        QVERIFY(QTest::qWaitForWindowExposed(&overview));
        QListView *tiles = overview.tiles();
        QCOMPARE(tiles->model()->rowCount(), 100);
        // The sick group's tile is the first, top left, where the eye starts.
        const QRect first = tiles->visualRect(tiles->model()->index(0, 0));
        QCOMPARE(first.topLeft(), QPoint(0, 0));
        QCOMPARE(tiles->model()->index(0, 0).data().toString(), QStringLiteral("svc-037"));

        QSignalSpy selected(&overview, &FleetOverview::groupSelected);
        QVERIFY(overview.selectNextProblem());
        QCOMPARE(overview.selectedGroup(), QStringLiteral("sentinel:svc-037"));
        QVERIFY(overview.selectNextProblem());
        QCOMPARE(overview.selectedGroup(), QStringLiteral("sentinel:svc-061"));
        QVERIFY(overview.selectNextProblem());
        QCOMPARE(overview.selectedGroup(), QStringLiteral("sentinel:svc-037")); // round again
        QCOMPARE(selected.count(), 3);
        // An update keeps the selection, by group.
        overview.setGroups(summaries);
        QCOMPARE(overview.selectedGroup(), QStringLiteral("sentinel:svc-037"));

        // Filters: problems only, then a replica's address; the selected group stays selected,
        // shown or not, until "All groups".
        overview.findChild<QCheckBox *>(QStringLiteral("fleetProblemsOnly"))->setChecked(true);
        QCOMPARE(tiles->model()->rowCount(), 2);
        QVERIFY(tiles->selectionModel()->isSelected(tiles->model()->index(0, 0)));
        overview.findChild<QCheckBox *>(QStringLiteral("fleetProblemsOnly"))->setChecked(false);
        QTest::keyClicks(overview.filter(), QStringLiteral("10.1.88.3"));
        QCOMPARE(tiles->model()->rowCount(), 1);
        QCOMPARE(tiles->model()->index(0, 0).data().toString(), QStringLiteral("svc-088"));
        QCOMPARE(overview.selectedGroup(), QStringLiteral("sentinel:svc-037"));
        overview.filter()->clear();
        QCOMPARE(tiles->model()->rowCount(), 100);
        overview.findChild<QToolButton *>(QStringLiteral("fleetShowAll"))->click();
        QCOMPARE(overview.selectedGroup(), QString());
        QCOMPARE(selected.count(), 4);
        QVERIFY(!tiles->selectionModel()->hasSelection());
        // A group gone from the fleet is no longer selected.
        overview.selectGroup(QStringLiteral("sentinel:svc-010"));
        overview.setGroups(summaries.mid(0, 10));
        QCOMPARE(overview.selectedGroup(), QString());
        QCOMPARE(selected.count(), 6);
        overview.setGroups(summaries);
        QVERIFY(overview.findChild<QLabel *>(QStringLiteral("fleetSummary"))->text().contains(QStringLiteral("1 critical")));

        // The selected group alone in the diagram.
        TopologyView view;
        view.setGraph(graph.onlyGroup(address(sick, 1)), TopologyThresholds{});
        QCOMPARE(graph.onlyGroup(address(sick, 1)).servers.size(), 3);
        QCOMPARE(graph.onlyGroup(address(sick, 1)).sentinels.size(), 1);
        if (!qEnvironmentVariableIsEmpty("VIGIL_GRAB"))
            overview.grab().save(qEnvironmentVariable("VIGIL_GRAB"));
    }

    // The Services panel: a row per service with its state, primary, standbys' readiness and the
    // last takeover; selecting one shows its members, its takeover gaps and its nodes' latency.
    void servicesPanelShowsServicesAndTheirTakeovers()
    {
        LatencyHistory history;
        ServicesPanel panel(nullptr, &history);
        panel.resize(1100, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        HeartbeatUpdate update;
        for (const char *name : {"orders-1", "orders-2", "api-1"}) {
            NodeStatus n;
            n.node = QString::fromLatin1(name);
            n.state = qstrcmp(name, "orders-1") == 0 ? NodeState::Down : NodeState::Up;
            n.latencyP50Us = 1200;
            n.lastBeatAgeMs = 300;
            update.nodes << n;
            for (int i = 30; i > 0; --i)
                update.samples.append({n.node, now - i * 1000, 1000 + i, 1'000'000});
        }
        history.add(update.samples);
        ServiceStatus orders;
        orders.name = QStringLiteral("orders");
        orders.state = ServiceState::Degraded;
        orders.primaries = {QStringLiteral("orders-2")};
        orders.members = {{QStringLiteral("orders-1"), QStringLiteral("primary"), NodeState::Down, now - 9000, 3, {}},
                          {QStringLiteral("orders-2"), QStringLiteral("primary"), NodeState::Up, now - 300, 4, {}}};
        orders.takeovers = {{QStringLiteral("orders-1"), QStringLiteral("orders-2"), now - 6000, 3002, QStringLiteral("sender")},
                            {QStringLiteral("orders-2"), QStringLiteral("orders-1"), now - 66'000, 2950, QStringLiteral("sender")}};
        ServiceStatus billing;
        billing.name = QStringLiteral("billing");
        billing.state = ServiceState::Down;
        billing.members = {{QStringLiteral("heartbeat:billing-1"), QStringLiteral("primary"), NodeState::Down, now - 20'000, -1, {}}};
        update.services = {orders, billing};
        panel.apply(update);

        ServiceModel *model = panel.model();
        QCOMPARE(model->rowCount(), 2);
        auto cell = [model](int row, int column) { return model->index(row, column).data().toString(); };
        QCOMPARE(cell(0, ServiceModel::NameColumn), QStringLiteral("billing")); // sorted by name
        QCOMPARE(cell(0, ServiceModel::StateColumn), QStringLiteral("down"));
        QCOMPARE(cell(0, ServiceModel::PrimaryColumn), QStringLiteral("none"));
        QCOMPARE(cell(0, ServiceModel::TakeoverColumn), QStringLiteral("none yet"));
        QCOMPARE(cell(1, ServiceModel::PrimaryColumn), QStringLiteral("orders-2"));
        QVERIFY2(cell(1, ServiceModel::StandbysColumn).startsWith(QStringLiteral("orders-1 (not beating")),
                 qPrintable(cell(1, ServiceModel::StandbysColumn)));
        QVERIFY(cell(1, ServiceModel::TakeoverColumn).startsWith(QStringLiteral("orders-1 \u2192 orders-2 at ")));
        QCOMPARE(cell(1, ServiceModel::GapColumn), QStringLiteral("3002 ms"));
        QVERIFY(panel.findChild<QLabel *>(QStringLiteral("servicesSummary"))->text().contains(QStringLiteral("1 degraded, 1 down")));
        // The first service is shown at once; with none selected, every service's nodes are
        // charted (not the others), and every service's takeovers.
        QCOMPARE(panel.selectedService(), QStringLiteral("billing"));
        QCOMPARE(panel.members()->rowCount(), 1);
        QCOMPARE(panel.chart()->replotNow(), 0); // a plain node: no latency
        panel.view()->clearSelection();
        QCOMPARE(panel.selectedService(), QString());
        QCOMPARE(panel.chart()->replotNow(), 60);
        QCOMPARE(panel.gapPlot()->graphCount(), 2);

        panel.selectService(QStringLiteral("orders"));
        QCOMPARE(panel.selectedService(), QStringLiteral("orders"));
        QCOMPARE(panel.members()->rowCount(), 2);
        QCOMPARE(panel.members()->index(1, ServiceMemberModel::EpochColumn).data().toInt(), 4);
        QVERIFY(panel.members()->index(1, ServiceMemberModel::ReadinessColumn).data().toString().contains(QStringLiteral("latency 1.2 ms")));
        QCOMPARE(panel.chart()->replotNow(), 60);
        QCOMPARE(panel.chart()->graphCount(), 2);
        QCOMPARE(panel.gapPlot()->graphCount(), 1);
        QCOMPARE(panel.gapPlot()->graph(0)->dataCount(), 2);
        QCOMPARE(panel.gapPlot()->graph(0)->data()->at(1)->value, 3002.0);

        // A new service appearing keeps the operator's selection; a member joining is charted.
        ServiceStatus carts;
        carts.name = QStringLiteral("carts");
        update.services << carts;
        update.services[0].members.append({QStringLiteral("api-1"), QStringLiteral("standby"), NodeState::Up, now, -1, {}});
        panel.apply(update);
        QCOMPARE(model->rowCount(), 3);
        QCOMPARE(panel.selectedService(), QStringLiteral("orders"));
        QCOMPARE(panel.chart()->replotNow(), 90);
    }

    // Grouping nodes into a service in the panel reaches the monitor and the settings.
    void servicesAreGroupedInThePanel()
    {
        Gui gui({.demo = false, .profile = QStringLiteral("gui"), .rememberPasswords = false});
        QVERIFY(gui.isValid());
        MainWindow &window = *gui.window;
        window.show();
        ServicesPanel *panel = window.servicesPanel();
        QVERIFY(panel);
        HeartbeatUpdate update;
        for (const char *name : {"heartbeat:pay-1", "heartbeat:pay-2", "api-1"}) {
            NodeStatus n;
            n.node = QString::fromLatin1(name);
            update.nodes << n;
        }
        panel->apply(update);
        // Checked after the dialog closed: a failed check inside it would leave it open.
        int listed = -1;
        bool okAtFirst = true, okWithNameOnly = true, okWithNodes = false;
        QTimer::singleShot(0, this, [&] {
            auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            auto *list = dialog->findChild<QListWidget *>(QStringLiteral("groupNodesList"));
            auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
            listed = list->count();
            okAtFirst = ok->isEnabled();
            QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("groupName")), QStringLiteral("payments"));
            okWithNameOnly = ok->isEnabled();
            for (int i = 0; i < list->count(); ++i)
                if (list->item(i)->text().startsWith(QStringLiteral("heartbeat:pay")))
                    list->item(i)->setCheckState(Qt::Checked);
            okWithNodes = ok->isEnabled();
            if (okWithNodes)
                QTest::mouseClick(ok, Qt::LeftButton);
            else
                dialog->reject();
        });
        QTest::mouseClick(panel->findChild<QPushButton *>(QStringLiteral("groupNodes")), Qt::LeftButton);
        QCOMPARE(listed, 3);
        QVERIFY(!okAtFirst);
        QVERIFY(!okWithNameOnly); // no node yet
        QVERIFY(okWithNodes);
        const QHash<QString, QStringList> expected{
            {QStringLiteral("payments"), {QStringLiteral("heartbeat:pay-1"), QStringLiteral("heartbeat:pay-2")}}};
        QCOMPARE(panel->groups(), expected);
        QCOMPARE(gui.monitor->heartbeatOptions().services, expected);
        QString error;
        QCOMPARE(ProfileStore().load(QStringLiteral("gui"), &error).value_or(Profile{}).services, expected);
        // A node moved to another group leaves the first.
        panel->setGroup(QStringLiteral("other"), {QStringLiteral("heartbeat:pay-2")});
        QCOMPARE(panel->groups().value(QStringLiteral("payments")), QStringList{QStringLiteral("heartbeat:pay-1")});
        panel->setGroup(QStringLiteral("payments"), {});
        panel->setGroup(QStringLiteral("other"), {});
        QVERIFY(ProfileStore().load(QStringLiteral("gui"), &error).value_or(Profile{}).services.isEmpty());
        QVERIFY(ProfileStore().contains(QStringLiteral("gui")));

        // Selecting a service selects its nodes in the Heartbeats panel too.
        ServiceStatus payments;
        payments.name = QStringLiteral("payments");
        payments.members = {{QStringLiteral("heartbeat:pay-1"), QStringLiteral("primary"), NodeState::Up, 0, -1, {}},
                            {QStringLiteral("heartbeat:pay-2"), QStringLiteral("standby"), NodeState::Up, 0, -1, {}}};
        update.services = {payments};
        window.heartbeatsPanel()->apply(update);
        panel->apply(update);
        panel->view()->clearSelection();
        panel->selectService(QStringLiteral("payments"));
        QStringList selected;
        for (const QModelIndex &i : window.heartbeatsPanel()->view()->selectionModel()->selectedRows(NodeModel::NodeColumn))
            selected << i.data(NodeModel::NodeRole).toString();
        selected.sort();
        QCOMPARE(selected, (QStringList{QStringLiteral("heartbeat:pay-1"), QStringLiteral("heartbeat:pay-2")}));
        window.close();
    }

    void targetsDialogAddsTarget()
    {
        TargetsDialog dialog({}, Profile{});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *uri = dialog.findChild<QLineEdit *>(QStringLiteral("targetUri"));
        auto *add = dialog.findChild<QPushButton *>(QStringLiteral("targetAdd"));
        auto *list = dialog.findChild<QListWidget *>(QStringLiteral("targetList"));
        auto *error = dialog.findChild<QLabel *>(QStringLiteral("targetError"));

        QTest::keyClicks(uri, QStringLiteral("http://wrong"));
        QTest::mouseClick(add, Qt::LeftButton);
        QVERIFY(error->text().contains(QStringLiteral("unsupported scheme")));
        QCOMPARE(list->count(), 0);

        uri->clear();
        QTest::keyClicks(uri, QStringLiteral("redis://ops:secret@10.0.0.7:6380"));
        QTest::mouseClick(add, Qt::LeftButton);
        QCOMPARE(list->count(), 1);
        QCOMPARE(list->item(0)->text(), QStringLiteral("redis://ops@10.0.0.7:6380"));
        QCOMPARE(dialog.targets().servers.size(), 1);
        QCOMPARE(dialog.targets().servers.first().uri.password, QStringLiteral("secret"));

        // Enter in the address field adds it and leaves the dialog open.
        uri->clear();
        uri->setFocus();
        QTest::keyClicks(uri, QStringLiteral("10.0.0.8:6379"));
        QTest::keyClick(uri, Qt::Key_Return);
        QCOMPARE(list->count(), 2);
        QVERIFY(dialog.isVisible());
        list->setCurrentRow(1);
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("targetRemove")), Qt::LeftButton);
        QCOMPARE(list->count(), 1);

        // The same address twice is refused.
        uri->clear();
        QTest::keyClicks(uri, QStringLiteral("10.0.0.7:6380"));
        QTest::mouseClick(add, Qt::LeftButton);
        QCOMPARE(list->count(), 1);
        QVERIFY(error->text().contains(QStringLiteral("already")));

        // A sentinel, with the master group to follow on it.
        uri->clear();
        dialog.findChild<QComboBox *>(QStringLiteral("targetKind"))->setCurrentIndex(1);
        QTest::keyClicks(uri, QStringLiteral("redis://10.0.0.9:26379/3"));
        QTest::mouseClick(add, Qt::LeftButton);
        QCOMPARE(list->count(), 2);
        QCOMPARE(list->item(1)->text(), QStringLiteral("sentinel redis://10.0.0.9:26379"));
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("targetMasters")), QStringLiteral("orders, carts"));
        const TargetSet set = dialog.targets();
        QCOMPARE(set.servers.size(), 1);
        QCOMPARE(set.sentinels.size(), 1);
        QCOMPARE(set.sentinels.first().uri.db, 0);
        QCOMPARE(set.masters, (QStringList{QStringLiteral("orders"), QStringLiteral("carts")}));
    }

    // Simplified Chinese: the window speaks it, the journal does not (its text is a contract).
    void chineseWindowEnglishJournal()
    {
        QVERIFY(availableLanguages().contains(QStringLiteral("zh_CN")));
        QCOMPARE(installTranslations(QStringLiteral("fr")), QString());
        QCOMPARE(installTranslations(QStringLiteral("zh")), QStringLiteral("zh_CN"));
        QCOMPARE(installTranslations(QStringLiteral("zh-CN")), QStringLiteral("zh_CN"));
        QCOMPARE(installTranslations(QStringLiteral("zh_TW")), QString());
        QCOMPARE(installTranslations(QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
        QCOMPARE(currentLanguage(), QStringLiteral("zh_CN")); // what Open Profile passes on
        auto english = qScopeGuard([] { removeTranslations(); });
        {
            Gui gui;
            QVERIFY(gui.isValid());
            MainWindow &window = *gui.window;
            window.show();
            const QList<QAction *> menus = window.findChild<QMenuBar *>()->actions();
            QVERIFY(!menus.isEmpty());
            QCOMPARE(menus.first()->text(), QStringLiteral("文件(&F)"));
            QTimer::singleShot(0, this, [] {
                auto *dialog = qobject_cast<TargetsDialog *>(QApplication::activeModalWidget());
                if (!dialog)
                    return;
                QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("targetUri")), QStringLiteral("redis://127.0.0.1:1"));
                QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("targetAdd")), Qt::LeftButton);
                dialog->accept();
            });
            window.editTargets();
            QVERIFY(gui.journal.commitNow());
            JournalQuery query;
            query.kindPrefix = QStringLiteral("monitor.targets_changed");
            const QList<Event> changed = gui.journal.query(query);
            QCOMPARE(changed.size(), 1);
            QVERIFY2(changed.first().message.startsWith(QStringLiteral("targets changed: 1 added")), qPrintable(changed.first().message));
            // The Events panel shows the severity in the window's language, the kind as it is.
            QTRY_VERIFY(gui.events.rowCount() > 0);
            const QModelIndex severity = gui.events.index(gui.events.rowCount() - 1, EventModel::SeverityColumn);
            QCOMPARE(severity.data().toString(), QStringLiteral("信息"));
            window.close();
        }
        QCOMPARE(installTranslations(QStringLiteral("en")), QStringLiteral("en"));
        Gui plain;
        QCOMPARE(plain.window->findChild<QMenuBar *>()->actions().first()->text(), QStringLiteral("&File"));
    }

    // Every message of the translation is translated, with the placeholders of its source; a copy
    // refreshed from the code (lupdate) shows a string that was added or changed since.
    void translationIsComplete()
    {
        const QString committed = QFINDTESTDATA(QStringLiteral("../resources/translations/vigil_zh_CN.ts"));
        const QString script = QFINDTESTDATA(QStringLiteral("../scripts/update-translations"));
        QVERIFY2(!committed.isEmpty() && !script.isEmpty(), "the sources are not beside the test");
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("vigil_zh_CN.ts"));
        QVERIFY(QFile::copy(committed, path));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        if (QFile::exists(QStringLiteral("/usr/lib/qt6/bin/lupdate"))) {
            QProcess lupdate;
            lupdate.setProcessChannelMode(QProcess::MergedChannels);
            lupdate.start(QStringLiteral("bash"), {script, path});
            QVERIFY(lupdate.waitForFinished(120'000));
            QVERIFY2(lupdate.exitCode() == 0, lupdate.readAll().constData());
        } else {
            qWarning("lupdate is not installed: only the committed translation is checked");
        }
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        QXmlStreamReader xml(&file);
        QString context, source, translation;
        int messages = 0;
        static const QRegularExpression placeholder(QStringLiteral("%(\\d|n)"));
        auto placeholders = [](const QString &text) {
            QStringList found;
            for (auto it = placeholder.globalMatch(text); it.hasNext();)
                found << it.next().captured(0);
            found.sort();
            found.removeDuplicates();
            return found;
        };
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            if (xml.name() == QLatin1String("name")) {
                context = xml.readElementText();
            } else if (xml.name() == QLatin1String("source")) {
                source = xml.readElementText();
            } else if (xml.name() == QLatin1String("translation")) {
                const bool unfinished = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
                translation = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                ++messages;
                QVERIFY2(!unfinished && !translation.isEmpty(), qPrintable(QStringLiteral("%1: \"%2\" is not translated").arg(context, source)));
                QVERIFY2(placeholders(translation) == placeholders(source),
                         qPrintable(QStringLiteral("%1: \"%2\" -> \"%3\"").arg(context, source, translation)));
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(messages > 400);
    }

    void mainWindowSavesTargetsWithoutPasswords()
    {
        Gui gui({.demo = false, .profile = QStringLiteral("gui"), .rememberPasswords = false});
        QVERIFY(gui.isValid());
        MainWindow &window = *gui.window;
        Monitor &monitor = *gui.monitor;
        window.show();
        // Drive the real dialog the File menu opens.
        QTimer::singleShot(0, this, [] {
            auto *dialog = qobject_cast<TargetsDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            auto *uri = dialog->findChild<QLineEdit *>(QStringLiteral("targetUri"));
            QTest::keyClicks(uri, QStringLiteral("redis://:hunter2@127.0.0.1:1"));
            QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("targetAdd")), Qt::LeftButton);
            dialog->accept();
        });
        window.editTargets();
        QCOMPARE(monitor.targetCount(), 1);
        QVERIFY(window.findChild<QLabel *>(QStringLiteral("targetsStatus"))->text().contains(QStringLiteral("of 1 targets")));
        // Saved to the window's profile, without the password.
        QString error;
        const std::optional<Profile> saved = ProfileStore().load(QStringLiteral("gui"), &error);
        QVERIFY2(saved, qPrintable(error));
        QCOMPARE(saved->servers, QStringList{QStringLiteral("redis://127.0.0.1:1")});
        QFile file(ProfileStore().directory() + QStringLiteral("/gui.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("hunter2"));
        window.close();
    }

    // The Incidents panel lists what the journal's writer grouped; a note written there is kept
    // in the journal, shown again after a restart, and written into the report.
    // A promotion whose Vigil died: the window names it, in the events and in a message that gives
    // the command that recovers it; one that ended is not named.
    void unfinishedPromotionIsNamed()
    {
        Gui gui;
        QVERIFY(gui.isValid());
        const QString candidate = QStringLiteral("10.0.0.2:6379");
        auto action = [&](const QString &id, const QString &kind, const QJsonObject &data) {
            QJsonObject d = data;
            d.insert(QStringLiteral("action_id"), id);
            gui.journal.append(Event::make(kind, Severity::Info, candidate, kind, d));
        };
        const QJsonObject requested{{QStringLiteral("candidate"), candidate},
                                    {QStringLiteral("master"), QStringLiteral("10.0.0.1:6379")},
                                    {QStringLiteral("path"), QStringLiteral("sentinel-switchover")}};
        action(QStringLiteral("ended"), QStringLiteral("action.promote.requested"), requested);
        action(QStringLiteral("ended"), QStringLiteral("action.promote.succeeded"), {});
        action(QStringLiteral("died"), QStringLiteral("action.promote.requested"), requested);
        action(QStringLiteral("died"), QStringLiteral("action.promote.intent"),
               {{QStringLiteral("kind"), QStringLiteral("priority-zero")},
                {QStringLiteral("node"), QStringLiteral("10.0.0.3:6379")},
                {QStringLiteral("previous"), QStringLiteral("100")}});
        QVERIFY(gui.journal.commitNow());
        gui.window->show();
        QCOMPARE(gui.window->reportUnfinishedActions(), 1);
        auto *box = gui.window->findChild<QMessageBox *>(QStringLiteral("unfinishedActions"));
        QVERIFY(box);
        QVERIFY2(box->text().contains(QStringLiteral("vigil recover --journal %1").arg(gui.journal.path())), qPrintable(box->text()));
        QVERIFY2(box->text().contains(QStringLiteral("unfinished promotion of 10.0.0.2:6379 (sentinel-switchover)")), qPrintable(box->text()));
        auto named = [&gui] {
            for (int row = 0; row < gui.events.rowCount(); ++row) {
                const Event &e = gui.events.event(row);
                if (e.kind == QLatin1String("action.promote.unfinished")
                    && e.data.value(QStringLiteral("action_id")).toString() == QLatin1String("died"))
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(named(), 5000);
        box->close();
    }

    void themesDrawChartsInTheirColours()
    {
        // The desktop's look again afterwards, whatever happens here.
        const auto restore = qScopeGuard([] { applyTheme(Theme::System); });
        applyTheme(Theme::Dark);
        Gui gui;
        QVERIFY(gui.isValid());
        MainWindow &window = *gui.window;
        window.show();
        QVERIFY(window.findChild<QAction *>(QStringLiteral("actionThemedark"))->isChecked());
        QVERIFY(isDark(window.palette()));
        const QList<QCustomPlot *> plots = window.findChildren<QCustomPlot *>();
        QVERIFY(plots.size() >= 3); // heartbeat latency, takeover gaps, the incident timeline
        // The timeline has no axes until an incident is shown.
        QCOMPARE(std::count_if(plots.cbegin(), plots.cend(), [](const QCustomPlot *p) { return p->axisRectCount() > 0; }), plots.size() - 1);
        auto drawnDark = [&plots](bool dark) {
            for (QCustomPlot *plot : plots) {
                if (plot->axisRectCount() == 0)
                    continue;
                const int ground = plot->axisRect()->backgroundBrush().color().lightness();
                const int labels = plot->xAxis->tickLabelColor().lightness();
                if (dark ? (ground > 80 || labels < 180) : (ground < 200 || labels > 80))
                    return false;
            }
            return true;
        };
        QVERIFY(drawnDark(true));
        // A sick group's tile: its colour over the dark ground, the light text still readable.
        QVERIFY(tinted(window.palette(), healthColor(Health::Critical), 0.12).lightness() < 80);
        QVERIFY(tinted(window.palette(), healthColor(Health::Critical), 0.12).red() > window.palette().color(QPalette::Base).red());

        // The menu's Light: everything follows, and it is remembered.
        window.findChild<QAction *>(QStringLiteral("actionThemelight"))->trigger();
        QTRY_VERIFY(drawnDark(false));
        QVERIFY(!isDark(window.palette()));
        QCOMPARE(savedTheme(), Theme::Light);
        applyTheme(Theme::System);
        QCOMPARE(savedTheme(), Theme::System);
    }

    void helpIsTheGuideOffline()
    {
        Gui gui;
        QVERIFY(gui.isValid());
        MainWindow &window = *gui.window;
        window.show();
        auto *guide = window.findChild<QAction *>(QStringLiteral("actionUserGuide"));
        QVERIFY(guide);
        QCOMPARE(guide->shortcut(), QKeySequence(Qt::Key_F1));
        guide->trigger();
        HelpWindow *help = window.helpWindow();
        QVERIFY(help);
        QVERIFY(help->isVisible());
        // Every document of the guide is compiled in, cut at its sections.
        QSet<QString> documents;
        for (const HelpWindow::Section &section : help->sections())
            documents.insert(section.document);
        QCOMPARE(documents.size(), HelpWindow::documents().size());
        QCOMPARE(help->contents()->topLevelItemCount(), int(HelpWindow::documents().size()));
        QVERIFY(help->sections().size() > 30);
        QCOMPARE(help->currentSection()->document, QStringLiteral("README.md"));
        QVERIFY(help->browser()->toPlainText().contains(QStringLiteral("replication")));
        // The README's screenshots load from the resources, drawn at a width the page holds.
        const QImage screenshot =
            help->browser()->document()->resource(QTextDocument::ImageResource, QUrl(QStringLiteral("docs/screenshot.png"))).value<QImage>();
        QVERIFY(!screenshot.isNull());
        QVERIFY(help->browser()->document()->idealWidth() < screenshot.width());
        if (qEnvironmentVariableIsSet("VIGIL_GRAB"))
            help->grab().save(qEnvironmentVariable("VIGIL_GRAB"));

        window.findChild<QAction *>(QStringLiteral("actionWhatVigilSends"))->trigger();
        QCOMPARE(help->currentSection()->heading, QStringLiteral("What Vigil sends to your servers"));
        QVERIFY(help->browser()->toPlainText().contains(QStringLiteral("SUBSCRIBE heartbeat")));
        QCOMPARE(help->contents()->currentItem()->text(0), QStringLiteral("What Vigil sends to your servers"));
        // Every link between the documents, followed from the page that gives it, reaches its
        // document and the heading it names (a "## " section, or the section holding a "### ").
        const QRegularExpression link(QStringLiteral("(?<!!)\\[[^\\]]*\\]\\(([^)\\s]+)\\)"));
        int followed = 0;
        const QList<HelpWindow::Section> sections = help->sections();
        for (const HelpWindow::Section &from : sections) {
            for (auto it = link.globalMatch(from.markdown); it.hasNext();) {
                const QUrl url(it.next().captured(1));
                if (!url.scheme().isEmpty())
                    continue; // the web
                QVERIFY(help->showSection(from.document, from.anchor));
                help->openLink(url);
                const HelpWindow::Section *to = help->currentSection();
                const QString where = from.document + QStringLiteral(" links ") + url.toString();
                QVERIFY2(to, qPrintable(where));
                if (!url.path().isEmpty())
                    QVERIFY2(QFileInfo(to->document).fileName() == QFileInfo(url.path()).fileName(),
                             qPrintable(where + QStringLiteral(": ") + to->document));
                if (url.hasFragment()) {
                    bool named = to->anchor == url.fragment();
                    for (const QString &line : to->markdown.split(QLatin1Char('\n')))
                        named = named
                            || (line.startsWith(QLatin1String("###")) && HelpWindow::anchorOf(line.section(QLatin1Char(' '), 1)) == url.fragment());
                    QVERIFY2(named, qPrintable(where + QStringLiteral(": ") + to->heading));
                }
                ++followed;
            }
        }
        QVERIFY2(followed >= 15, qPrintable(QString::number(followed)));

        // The shortcuts: the window's actions and the keys the timeline takes.
        QDialog *dialog = shortcutsDialog(&window);
        auto *table = dialog->findChild<QTableWidget *>(QStringLiteral("shortcuts"));
        QVERIFY(table);
        QSet<QString> rows;
        for (int r = 0; r < table->rowCount(); ++r)
            rows.insert(table->item(r, 0)->text() + QStringLiteral(" = ") + table->item(r, 1)->text());
        for (const char *expected :
             {"F1 = User Guide", "F8 = Next Problem", "Ctrl+F = Find", "Ctrl+T = Targets", "N = Incident timeline: next event"})
            QVERIFY2(rows.contains(QString::fromUtf8(expected)), expected);
        delete dialog;
    }

    void incidentsPanelAndNotes()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("j.sqlite"));
        const QString master = QStringLiteral("10.0.0.1:6379");
        qint64 incidentId = 0;
        {
            Journal journal;
            IncidentModel incidents;
            EventModel events;
            QVERIFY(journal.open(path));
            QObject::connect(&journal, &Journal::committed, &events, &EventModel::append);
            QObject::connect(&journal, &Journal::incidentsChanged, &incidents, &IncidentModel::apply);
            Monitor monitor(&journal);
            MainWindow window(&monitor, &journal, &events, &incidents, MainWindow::Options{});
            window.show();
            auto *status = window.findChild<QLabel *>(QStringLiteral("incidentsStatus"));
            QVERIFY(status);
            QCOMPARE(status->text(), QStringLiteral("No open incident"));

            Event down = Event::make(QStringLiteral("redis.unreachable"), Severity::Critical, master, QStringLiteral("lost connection"),
                                     {{QStringLiteral("scope"), QString(QStringLiteral("replication:") + master)},
                                      {QStringLiteral("scope_master"), master},
                                      {QStringLiteral("reason"), QStringLiteral("refused")}});
            // Its round trip before it was lost: the timeline charts it.
            for (int i = 1; i <= 3; ++i)
                journal.appendSample({QStringLiteral("redis.rtt_ms"), master, down.time.toMSecsSinceEpoch() - i * 1000, 0.2 * i});
            IncidentsPanel *panel = window.incidentsPanel();
            auto *incidentsDock = qobject_cast<QDockWidget *>(panel->parentWidget());
            auto *eventsDock = qobject_cast<QDockWidget *>(window.eventsPanel()->parentWidget());
            window.tabifyDockWidget(eventsDock, incidentsDock);
            eventsDock->raise();
            QTRY_VERIFY(!isOnScreen(panel));
            journal.append(down);
            QTRY_COMPARE_WITH_TIMEOUT(panel->view()->model()->rowCount(), 1, 5000);
            QVERIFY2(status->text().contains(QStringLiteral("1 incident open")), qPrintable(status->text()));
            QVERIFY(panel->selectedIncident()); // the newest is selected
            // Behind the Events tab it is drawn only once the operator looks.
            QCOMPARE(panel->members()->topLevelItemCount(), 0);
            // No notification server here (no session bus): the banner tells, and its button
            // brings the incident to the front.
            NotificationBanner *banner = window.banner();
            QTRY_VERIFY(!banner->isHidden());
            QVERIFY2(banner->text().contains(QStringLiteral("Critical: master %1 unreachable (refused)").arg(master)), qPrintable(banner->text()));
            if (qEnvironmentVariableIsSet("VIGIL_GRAB"))
                window.grab().save(qEnvironmentVariable("VIGIL_GRAB"));
            auto *showIncident = banner->findChild<QPushButton *>();
            QVERIFY(showIncident);
            showIncident->click();
            QTRY_COMPARE(panel->members()->topLevelItemCount(), 1);
            QVERIFY(isOnScreen(panel));
            // The hour's mute, from the View menu, is said in the status bar.
            auto *mute = window.findChild<QAction *>(QStringLiteral("actionMute"));
            QVERIFY(mute);
            mute->trigger();
            QVERIFY(window.notifier()->isMuted());
            QVERIFY2(status->text().contains(QStringLiteral("notifications muted until")), qPrintable(status->text()));
            mute->trigger();
            QVERIFY(!window.notifier()->isMuted());
            QVERIFY(!status->text().contains(QStringLiteral("muted")));
            incidentId = panel->selectedIncident()->id;
            QCOMPARE(panel->selectedIncident()->title, QStringLiteral("master %1 unreachable (refused)").arg(master));
            QCOMPARE(panel->members()->topLevelItemCount(), 1);
            QCOMPARE(panel->members()->topLevelItem(0)->text(3), QStringLiteral("root"));
            // The timeline: one lane, the root's marker, and the round-trip chart below it.
            IncidentTimeline *timeline = panel->timeline();
            QCOMPARE(timeline->chartCount(), 1);
            QCOMPARE(timeline->plot()->axisRectCount(), 2);
            int markers = 0;
            for (int i = 0; i < timeline->plot()->graphCount(); ++i)
                if (timeline->plot()->graph(i)->valueAxis() == timeline->plot()->axisRect(0)->axis(QCPAxis::atLeft))
                    markers += timeline->plot()->graph(i)->dataCount();
            QCOMPARE(markers, 1);
            QCOMPARE(timeline->plot()->graph(timeline->plot()->graphCount() - 1)->dataCount(), 3);
            QTest::keyClick(timeline, Qt::Key_N);
            QCOMPARE(timeline->currentEvent(), panel->selectedIncident()->rootId);
            // Hovering the root says what it is; the axis is labelled T+, UTC or local time, its
            // zone always written.
            const IncidentMember *root = panel->selectedIncident()->member(panel->selectedIncident()->rootId);
            QVERIFY2(timeline->describe(*root).contains(QStringLiteral("redis.unreachable (critical) on %1").arg(master)),
                     qPrintable(timeline->describe(*root)));
            QVERIFY(timeline->describe(*root).contains(QStringLiteral("root: the server became unreachable")));
            QCPAxis *time = timeline->plot()->axisRect(0)->axis(QCPAxis::atBottom);
            QVERIFY2(time->label().startsWith(QStringLiteral("T+ from the start, ")) && time->label().endsWith(QLatin1Char('Z')),
                     qPrintable(time->label()));
            QList<double> ticks;
            auto tickLabels = [time, &ticks] {
                QList<QString> labels;
                time->ticker()->generate(QCPRange(0, 10), QLocale::c(), QLatin1Char('g'), 0, ticks, nullptr, &labels);
                return QStringList(labels);
            };
            QStringList labels = tickLabels();
            QVERIFY2(labels.contains(QStringLiteral("T+00:04")), qPrintable(labels.join(QLatin1Char(' '))));
            timeline->setClock(IncidentTimeline::Clock::Utc);
            QCOMPARE(time->label(), QStringLiteral("UTC"));
            labels = tickLabels();
            // On the clock, ticks fall on whole seconds whatever millisecond the incident began at.
            QVERIFY(!ticks.isEmpty());
            for (qsizetype i = 0; i < ticks.size(); ++i) {
                const qint64 wall = panel->selectedIncident()->openedMs + qRound64(ticks[i] * 1000);
                QCOMPARE(wall % 1000, 0);
                QCOMPARE(labels[i], QDateTime::fromMSecsSinceEpoch(wall, Qt::UTC).toString(QStringLiteral("HH:mm:ss")));
            }
            timeline->setClock(IncidentTimeline::Clock::Local);
            QVERIFY2(time->label().startsWith(QStringLiteral("local time (")) && time->label().contains(QStringLiteral("UTC")),
                     qPrintable(time->label()));
            timeline->setClock(IncidentTimeline::Clock::Offset);
            // The note dialog starts at the timeline's cursor (the root, chosen with N).
            const qint64 rootMs = root->timeMs;
            QDateTime offered;
            QTimer::singleShot(0, panel, [&offered] {
                // Whatever is found, every dialog is closed: the click must return.
                for (QWidget *w : QApplication::topLevelWidgets())
                    if (auto *dialog = qobject_cast<QDialog *>(w); dialog && dialog->isVisible()) {
                        if (auto *noteTime = dialog->findChild<QDateTimeEdit *>(QStringLiteral("noteTime")))
                            offered = noteTime->dateTime();
                        dialog->reject();
                    }
            });
            panel->findChild<QPushButton *>(QStringLiteral("addNoteButton"))->click();
            QVERIFY(offered.isValid());
            QCOMPARE(offered.toMSecsSinceEpoch(), rootMs);

            // Back-dated: noticed a second before Vigil saw the outage.
            const QDateTime at = down.time.addSecs(-1);
            QVERIFY(panel->addNote(QStringLiteral("the master's disk was full"), at, QStringLiteral("diagnosis")));
            QTRY_COMPARE_WITH_TIMEOUT(panel->members()->topLevelItemCount(), 2, 5000);
            QCOMPARE(panel->members()->topLevelItem(0)->text(3), QStringLiteral("note")); // in time order
            QVERIFY(panel->members()->topLevelItem(0)->text(0).startsWith(QStringLiteral("T-00:01")));
            QVERIFY(panel->members()->topLevelItem(0)->text(5).contains(QStringLiteral("disk was full")));
            window.close();
            journal.close();
        }
        // Restarted: the panel reads the stored incident with its note.
        QList<Incident> stored;
        QString grouped = QStringLiteral("unset");
        QString error;
        QVERIFY2(loadIncidents(path, {}, nullptr, &stored, &grouped, &error), qPrintable(error));
        QVERIFY2(grouped.isEmpty(), qPrintable(grouped));
        IncidentModel reloaded;
        reloaded.reset(stored);
        IncidentsPanel panel(&reloaded, path, nullptr);
        QCOMPARE(panel.selectedIncident()->id, incidentId);
        // Drawn once shown.
        QCOMPARE(panel.members()->topLevelItemCount(), 0);
        panel.show();
        QTRY_COMPARE(panel.members()->topLevelItemCount(), 2);
        QVERIFY(!panel.findChild<QPushButton *>(QStringLiteral("addNoteButton"))->isEnabled()); // read-only
        const QString report = dir.filePath(QStringLiteral("incident.md"));
        QVERIFY2(panel.exportReport(report, &error), qPrintable(error));
        QFile written(report);
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QByteArray markdown = written.readAll();
        QVERIFY2(markdown.contains("## Operator notes"), markdown.constData());
        QVERIFY2(markdown.contains("the master's disk was full [diagnosis]"), markdown.constData());
    }

    // A journal recorded elsewhere opens read-only: its events and incidents shown, the file's
    // bytes, its time and its directory as they were.
    void recordedJournalOpensReadOnly()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sent.sqlite"));
        const QString server = QStringLiteral("10.0.0.7:6379");
        {
            Journal journal;
            QVERIFY(journal.open(path));
            journal.append(Event::make(QStringLiteral("redis.unreachable"), Severity::Critical, server, QStringLiteral("lost connection"),
                                       {{QStringLiteral("scope"), QString(QStringLiteral("replication:") + server)}}));
            journal.append(Event::make(QStringLiteral("monitor.stopped"), Severity::Info, QStringLiteral("vigil"), QStringLiteral("stopped")));
            journal.close();
        }
        auto fingerprint = [&] {
            QFile f(path);
            f.open(QIODevice::ReadOnly);
            return QStringList{QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex()),
                               QString::number(QFileInfo(path).lastModified().toMSecsSinceEpoch()),
                               QDir(dir.path()).entryList(QDir::Files).join(QLatin1Char(','))};
        };
        const QStringList before = fingerprint();
        {
            JournalWindow window;
            QString error;
            QVERIFY2(window.load(path, &error), qPrintable(error));
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(window.windowTitle().contains(QStringLiteral("read-only")));
            QCOMPARE(window.eventsPanel()->shownEvents().size(), 2);
            QCOMPARE(window.incidentsPanel()->view()->model()->rowCount(), 1);
            QVERIFY(window.incidentsPanel()->selectedIncident());
            QCOMPARE(window.incidentsPanel()->members()->topLevelItemCount(), 1);
            QVERIFY(!window.findChild<QPushButton *>(QStringLiteral("addNoteButton"))->isEnabled());
            QVERIFY2(window.summary().startsWith(QStringLiteral("2 events, 1 incidents")), qPrintable(window.summary()));
            // An event chosen in the Events panel is shown on the timeline, and the reverse.
            const qint64 rootId = window.incidentsPanel()->selectedIncident()->rootId;
            QVERIFY(window.eventsPanel()->selectEvent(QList<Event>(window.eventsPanel()->shownEvents()).last().id)); // monitor.stopped: no incident
            QCOMPARE(window.incidentsPanel()->timeline()->currentEvent(), qint64(-1));
            QTableView *events = window.eventsPanel()->view();
            for (int row = 0; row < events->model()->rowCount(); ++row)
                if (events->model()->index(row, 0).data(EventModel::IdRole).toLongLong() == rootId)
                    events->setCurrentIndex(events->model()->index(row, 0));
            QCOMPARE(window.incidentsPanel()->timeline()->currentEvent(), rootId);
            events->setCurrentIndex(events->model()->index(events->model()->rowCount() - 1, 0));
            QTest::keyClick(window.incidentsPanel()->timeline(), Qt::Key_P);
            QCOMPARE(events->currentIndex().data(EventModel::IdRole).toLongLong(), rootId);
            window.close();
        }
        QCOMPARE(fingerprint(), before);

        JournalWindow refused;
        QString error;
        QFile text(dir.filePath(QStringLiteral("notes.txt")));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("not a journal at all, only some words that are long enough to look like a file\n");
        text.close();
        QVERIFY(!refused.load(text.fileName(), &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_MAIN(TestGui)
#include "tst_gui.moc"
