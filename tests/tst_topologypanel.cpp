// The Topology panel over a real master, replica and sentinel: cards, lag-labelled edges, the
// sentinels' view, details with the raw INFO, live updates that keep selection and zoom, and a
// replica promoted by hand beside a live master drawn as a stale master in its group, promotion from
// the cards, and a switchover through Sentinel from the dialog that pages nobody.
#include "heartbeat/beatpublisher.h"
#include "fleetoverview.h"
#include "icons.h"
#include "latencychart.h"
#include "monitor/monitor.h"
#include "redisfixture.h"
#include "promotedialog.h"
#include "snapshotdialog.h"
#include "topologypanel.h"
#include "topologyview.h"

#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QPlainTextEdit>
#include <QTest>
#include <QTreeWidget>

using namespace vigil;
using namespace vigil::test;

class TestTopologyPanel : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RedisFixture> m_redis;

private Q_SLOTS:
    void initTestCase()
    {
        // The icons come with the widgets library: cards and checks draw them here too.
        QVERIFY(!checkIcon(PreflightCheck::Result::Fail).isNull());
        QVERIFY(!severityIcon(Severity::Critical).isNull());
        if (const QString missing = RedisFixture::missing(true); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        m_redis = std::make_unique<RedisFixture>();
    }

    void cleanupTestCase() { m_redis.reset(); }

    // Three groups: the overview appears with a tile each; the one whose master is killed comes
    // first, critical; selecting its tile shows that group alone in the diagram, and "All groups"
    // every group again.
    void fleetOverview()
    {
        QList<int> masters;
        for (const char *name : {"fo-a", "fo-b", "fo-c"})
            masters << m_redis->startServer(QString::fromLatin1(name));
        const int replica = m_redis->startReplica(QStringLiteral("fo-b-replica"), masters[1]);
        QVERIFY(!masters.contains(-1) && replica >= 0);
        Monitor monitor(nullptr);
        monitor.setPollInterval(200);
        monitor.setTargets({m_redis->options(masters[0]), m_redis->options(masters[1]), m_redis->options(masters[2])});
        TopologyPanel panel(&monitor);
        panel.resize(1100, 700);
        panel.show();
        monitor.start();
        FleetOverview *fleet = panel.fleet();
        QTRY_VERIFY_WITH_TIMEOUT(panel.view()->cardCount() == 4 && fleet->isVisible(), 5000);
        QCOMPARE(fleet->model()->rowCount(), 3);
        QTRY_COMPARE_WITH_TIMEOUT(panel.fleetCounts().degraded, 0, 5000);

        const QString killed = m_redis->uri(masters[1]).address();
        m_redis->topology().kill(masters[1]);
        // First once it is known to be down (by name it may come first anyway).
        QTRY_VERIFY_WITH_TIMEOUT(fleet->model()->summary(0)->health == Health::Critical, 5000);
        QCOMPARE(fleet->model()->index(0).data(GroupTileModel::IdRole).toString(), killed);
        QCOMPARE(panel.fleetCounts().degraded, 1);

        QVERIFY(fleet->selectNextProblem());
        QTRY_COMPARE(panel.shownGroup(), killed);
        QTRY_COMPARE(panel.view()->cardCount(), 2); // the dead master and its replica
        QCOMPARE(panel.view()->selectedAddress(), killed);
        fleet->selectGroup({});
        QTRY_COMPARE(panel.view()->cardCount(), 4);
        QVERIFY(panel.shownGroup().isEmpty());
        monitor.stop();
    }

    void liveDiagram()
    {
        const int master = m_redis->startServer(QStringLiteral("tp-master"));
        const int replica = m_redis->startReplica(QStringLiteral("tp-replica"), master);
        QVERIFY(master >= 0 && replica >= 0);
        const int sentinel = m_redis->startSentinel(QStringLiteral("tp-sentinel"), QStringLiteral("tp"), master, 1);
        QVERIFY2(sentinel >= 0, qPrintable(m_redis->error()));
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->command(replica, {"INFO", "replication"}).string.contains("master_link_status:up"), 10000);
        const QString m = m_redis->uri(master).address();
        const QString r = m_redis->uri(replica).address();

        Monitor monitor(nullptr);
        monitor.setPollInterval(200);
        monitor.setTargets({m_redis->options(master)});
        monitor.setSentinels({m_redis->options(sentinel)}, {QStringLiteral("tp")});
        TopologyPanel panel(&monitor);
        panel.resize(1100, 600);
        panel.show();
        monitor.start();
        TopologyView *view = panel.view();
        QTRY_VERIFY_WITH_TIMEOUT(view->cardCount() == 3 && !view->edgeLabel(r).isEmpty()
                                     && !view->cardText(QStringLiteral("sentinel ") + m_redis->uri(sentinel).address()).isEmpty(),
                                 5000);
        QTRY_VERIFY_WITH_TIMEOUT(view->edgeLabel(r).endsWith(QStringLiteral(" s")), 5000);
        QVERIFY2(view->edgeLabel(r).contains(QStringLiteral("B")), qPrintable(view->edgeLabel(r)));
        QCOMPARE(view->cardText(m).value(1), QStringLiteral("master"));
        QCOMPARE(view->cardText(r).value(1), QStringLiteral("replica"));
        QCOMPARE(view->cardHealth(m), Health::Ok);
        QCOMPARE(view->cardHealth(r), Health::Ok);
        QVERIFY(view->cardText(m).join(QLatin1Char('\n')).contains(QStringLiteral("never saved")));
        const QStringList sentinelCard = view->cardText(QStringLiteral("sentinel ") + m_redis->uri(sentinel).address());
        QVERIFY2(sentinelCard.join(QLatin1Char('\n')).contains(QStringLiteral("tp \u2192 %1 up").arg(m)),
                 qPrintable(sentinelCard.join(QLatin1Char('|'))));

        // Selecting the replica shows its fields and raw INFO; they stay through live updates, as
        // does the zoom.
        view->select(r);
        Q_EMIT view->selectionChanged(r);
        QTRY_VERIFY(panel.rawInfo()->toPlainText().contains(QStringLiteral("role:slave")));
        QVERIFY(!panel.fields()->findItems(QStringLiteral("master_link_status"), Qt::MatchRecursive, 0).isEmpty());
        // Until the operator zooms, the diagram fits the view as the view is resized.
        QVERIFY(view->fitsAutomatically());
        const QSize size = panel.size();
        panel.resize(420, 300);
        QTRY_VERIFY(view->zoom() < 0.99);
        panel.resize(size);
        QTRY_VERIFY(view->zoom() > 0.99);
        view->setZoom(0.75);
        QVERIFY(!view->fitsAutomatically());
        const int refreshesBefore = panel.graph().servers.size();
        QTest::qWait(1200);
        QCOMPARE(refreshesBefore, 2);
        QCOMPARE(view->selectedAddress(), r);
        QCOMPARE(view->zoom(), 0.75);
        QVERIFY(panel.rawInfo()->toPlainText().contains(QStringLiteral("role:slave")));
        // The round-trip chart draws the selected node.
        QTRY_VERIFY(panel.roundTripChart()->replotNow() > 0);

        // Promoted by hand behind the sentinel's back while the old master lives on: one group. The
        // sentinel still names the old master (and will turn the other back into a replica), so the
        // promoted one is the stale master taking writes, drawn under it.
        QCOMPARE(m_redis->command(replica, {"REPLICAOF", "NO", "ONE"}).string, QByteArray("OK"));
        QTRY_VERIFY_WITH_TIMEOUT(view->edgeLabel(r) == QLatin1String("split brain"), 5000);
        QCOMPARE(panel.graph().groups(), QStringList{m});
        QCOMPARE(view->cardText(r).value(1), QStringLiteral("STALE MASTER"));
        QCOMPARE(view->cardHealth(r), Health::Critical);
        // The old master dies: its card says so, and it stays in its group as a former master.
        m_redis->topology().kill(master);
        QTRY_VERIFY_WITH_TIMEOUT(view->cardText(m).value(2) == QLatin1String("unreachable"), 3000);
        QCOMPARE(view->cardHealth(m), Health::Critical);
        QCOMPARE(view->cardText(m).value(1), QStringLiteral("former master"));
        QCOMPARE(panel.graph().groups(), QStringList{r});
        QVERIFY(view->cardActions(m).isEmpty()); // nothing to do on an unreachable node
        monitor.stop();
    }

    // Promote from a replica's card: the button stays disabled until the typed address matches,
    // and the run ends with the verification shown. Then a snapshot from the new master's card.
    void promoteAndSnapshotFromTheCards()
    {
        const int master = m_redis->startServer(QStringLiteral("pd-master"));
        const int replica = m_redis->startReplica(QStringLiteral("pd-replica"), master);
        QVERIFY(master >= 0 && replica >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->command(master, {"INFO", "replication"}).string.contains("state=online"), 10000);
        const QString m = m_redis->uri(master).address();
        const QString r = m_redis->uri(replica).address();
        Monitor monitor(nullptr);
        QList<Event> events;
        connect(&monitor, &Monitor::eventRaised, &monitor, [&events](const Event &e) { events << e; });
        monitor.setPollInterval(200);
        monitor.setTargets({m_redis->options(master)});
        TopologyPanel panel(&monitor);
        panel.resize(1100, 600);
        panel.show();
        monitor.start();
        TopologyView *view = panel.view();
        QTRY_VERIFY_WITH_TIMEOUT(view->cardActions(r).contains(QStringLiteral("promote")), 5000);
        QCOMPARE(view->cardActions(m), QStringList{QStringLiteral("snapshot")}); // a master is not promoted
        QVERIFY(view->triggerCardAction(r, QStringLiteral("promote")));
        auto *dialog = panel.findChild<PromoteDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isPrepared(), 5000);
        QVERIFY(dialog->checksTable()->rowCount() >= 8);
        // A summary over the checks, with whatever needs the operator on top.
        const QString summary = dialog->findChild<QLabel *>(QStringLiteral("promoteChecksSummary"))->text();
        QVERIFY2(summary.contains(QStringLiteral(" pass, ")) && summary.contains(QStringLiteral(" fail")), qPrintable(summary));
        for (int i = 1; i < dialog->checksTable()->rowCount(); ++i)
            QVERIFY(dialog->checksTable()->item(i - 1, 0)->data(Qt::UserRole).toInt()
                    >= dialog->checksTable()->item(i, 0)->data(Qt::UserRole).toInt());
        QVERIFY(!dialog->confirmation()->placeholderText().contains(r));
        QVERIFY(dialog->planTable()->rowCount() >= 3);
        QVERIFY(!dialog->promoteButton()->isEnabled());
        QTest::keyClicks(dialog->confirmation(), r.left(r.size() - 1));
        QVERIFY(!dialog->promoteButton()->isEnabled());
        QTest::keyClicks(dialog->confirmation(), r.endsWith(QLatin1Char('1')) ? QStringLiteral("2") : QStringLiteral("1"));
        QVERIFY(!dialog->promoteButton()->isEnabled()); // one digit off
        dialog->confirmation()->clear();
        QTest::keyClicks(dialog->confirmation(), r);
        if (dialog->acceptWarnings()->isVisible())
            dialog->acceptWarnings()->setChecked(true);
        QVERIFY(dialog->promoteButton()->isEnabled());
        QTest::mouseClick(dialog->promoteButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isFinished(), 15000);
        QCOMPARE(dialog->result().outcome, PromotionResult::Outcome::Succeeded);
        QVERIFY2(dialog->resultLabel()->text().contains(QStringLiteral("Verified")), qPrintable(dialog->resultLabel()->text()));
        QVERIFY(m_redis->command(replica, {"INFO", "replication"}).string.contains("role:master"));
        QVERIFY(std::any_of(events.begin(), events.end(), [](const Event &e) { return e.kind == QLatin1String("action.promote.succeeded"); }));
        // A switchover the operator asked for pages nobody, and its success is not a warning.
        QTest::qWait(1500); // the polls that see the roles change
        for (const Event &e : events) {
            QVERIFY2(e.severity != Severity::Critical, qPrintable(e.kind + QLatin1Char(' ') + e.message));
            if (e.kind.startsWith(QLatin1String("action.promote.")))
                QCOMPARE(e.severity, Severity::Info);
        }
        dialog->close();

        // The new master's card offers a snapshot; the dialog saves and says so.
        QTRY_VERIFY_WITH_TIMEOUT(view->cardActions(r) == QStringList{QStringLiteral("snapshot")}, 5000);
        QVERIFY(view->triggerCardAction(r, QStringLiteral("snapshot")));
        auto *snapshot = panel.findChild<SnapshotDialog *>();
        QVERIFY(snapshot);
        QTRY_VERIFY_WITH_TIMEOUT(snapshot->startButton()->isEnabled(), 5000);
        QTest::mouseClick(snapshot->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(snapshot->isFinished(), 10000);
        QVERIFY2(snapshot->resultLabel()->text().contains(QStringLiteral("Saved")), qPrintable(snapshot->resultLabel()->text()));
        QVERIFY(std::any_of(events.begin(), events.end(), [](const Event &e) { return e.kind == QLatin1String("action.snapshot.succeeded"); }));
        monitor.stop();
    }

    // The demo's third scenario: a switchover through Sentinel from the promote dialog, with an
    // application beating through the master and following Sentinel. Nobody is paged: no critical,
    // no suspect or down for the application, which is up again through the new master.
    void sentinelSwitchoverFromTheDialogPagesNobody()
    {
        const RedisFixture::Group group = m_redis->startGroup(QStringLiteral("sw"), 2, 3);
        QTRY_VERIFY_WITH_TIMEOUT(m_redis->groupReady(group), 30000);
        const int master = group.master, r1 = group.replicas[0], r2 = group.replicas[1];
        const QList<int> sentinelIndexes = group.sentinels;
        QList<ConnectionOptions> sentinels;
        for (int s : sentinelIndexes)
            sentinels << m_redis->options(s);
        const QString candidate = m_redis->uri(r1).address();

        Monitor monitor(nullptr);
        QList<Event> events;
        QHash<QString, NodeStatus> nodes;
        connect(&monitor, &Monitor::eventRaised, &monitor, [&events](const Event &e) { events << e; });
        connect(monitor.heartbeats(), &HeartbeatService::updated, &monitor, [&nodes](const HeartbeatUpdate &u) {
            for (const NodeStatus &n : u.nodes)
                nodes.insert(n.node, n);
        });
        monitor.setSentinels(sentinels, {QStringLiteral("sw")});
        BeatPublisherOptions beat;
        beat.connection = m_redis->options(master);
        beat.sentinels = sentinels;
        beat.masterName = QStringLiteral("sw");
        beat.node = QStringLiteral("app");
        beat.intervalMs = 200;
        BeatPublisher app(beat);
        TopologyPanel panel(&monitor);
        panel.resize(1100, 700);
        panel.show();
        monitor.start();
        app.start();
        QTRY_VERIFY_WITH_TIMEOUT(monitor.connectedCount() == 6 && nodes.value(QStringLiteral("app")).state == NodeState::Up, 10000);
        QTest::qWait(2000); // the detector learns the interval
        const qint64 before = events.size();

        TopologyView *view = panel.view();
        QTRY_VERIFY_WITH_TIMEOUT(view->cardActions(candidate).contains(QStringLiteral("promote")), 5000);
        QVERIFY(view->triggerCardAction(candidate, QStringLiteral("promote")));
        auto *dialog = panel.findChild<PromoteDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isPrepared(), 10000);
        QTest::keyClicks(dialog->confirmation(), candidate);
        if (dialog->acceptWarnings()->isVisible())
            dialog->acceptWarnings()->setChecked(true);
        QVERIFY(dialog->promoteButton()->isEnabled());
        QTest::mouseClick(dialog->promoteButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isFinished(), 30000);
        QCOMPARE(dialog->result().outcome, PromotionResult::Outcome::Succeeded);
        QTRY_VERIFY_WITH_TIMEOUT(nodes.value(QStringLiteral("app")).carrier == candidate && nodes.value(QStringLiteral("app")).state == NodeState::Up,
                                 10000);
        QTest::qWait(4000); // Sentinel's events merged across sentinels, the polls after the switch
        QStringList journal;
        for (qsizetype i = before; i < events.size(); ++i) {
            const Event &e = events.at(i);
            journal << QStringLiteral("%1 %2 %3").arg(e.kind, severityName(e.severity), e.message);
            QVERIFY2(e.severity != Severity::Critical, qPrintable(journal.join(QLatin1Char('\n'))));
            QVERIFY2(e.kind != QLatin1String("heartbeat.down") && e.kind != QLatin1String("heartbeat.suspect"),
                     qPrintable(journal.join(QLatin1Char('\n'))));
        }
        qInfo("%s", qPrintable(journal.join(QLatin1Char('\n'))));
        dialog->close();
        app.stop();
        monitor.stop();
        for (int s : sentinelIndexes)
            m_redis->topology().kill(s);
        for (int n : {master, r1, r2})
            m_redis->topology().kill(n);
    }
};

QTEST_MAIN(TestTopologyPanel)
#include "tst_topologypanel.moc"
