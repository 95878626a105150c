// The Topology panel over a real master, replica and sentinel: cards, lag-labelled edges, the
// sentinels' view, details with the raw INFO, live updates that keep selection and zoom, and a
// replica promoted by hand redrawn as its own group.
#include "latencychart.h"
#include "monitor/monitor.h"
#include "redisfixture.h"
#include "topologypanel.h"
#include "topologyview.h"

#include <QApplication>
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
        if (const QString missing = RedisFixture::missing(true); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        m_redis = std::make_unique<RedisFixture>();
    }

    void cleanupTestCase() { m_redis.reset(); }

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
        QVERIFY(view->cardText(m).join(QLatin1Char('\n')).contains(QStringLiteral("saved never")));
        const QStringList sentinelCard = view->cardText(QStringLiteral("sentinel ") + m_redis->uri(sentinel).address());
        QVERIFY2(sentinelCard.join(QLatin1Char('\n')).contains(QStringLiteral("tp \u2192 %1 up").arg(m)), qPrintable(sentinelCard.join(QLatin1Char('|'))));

        // Selecting the replica shows its fields and raw INFO; they stay through live updates, as
        // does the zoom.
        view->select(r);
        Q_EMIT view->selectionChanged(r);
        QTRY_VERIFY(panel.rawInfo()->toPlainText().contains(QStringLiteral("role:slave")));
        QVERIFY(!panel.fields()->findItems(QStringLiteral("master_link_status"), Qt::MatchRecursive, 0).isEmpty());
        view->setZoom(0.75);
        const int refreshesBefore = panel.graph().servers.size();
        QTest::qWait(1200);
        QCOMPARE(refreshesBefore, 2);
        QCOMPARE(view->selectedAddress(), r);
        QCOMPARE(view->zoom(), 0.75);
        QVERIFY(panel.rawInfo()->toPlainText().contains(QStringLiteral("role:slave")));
        // The round-trip chart draws the selected node.
        QTRY_VERIFY(panel.roundTripChart()->replotNow() > 0);

        // Promoted by hand: two groups, no edge, both masters.
        QCOMPARE(m_redis->command(replica, {"REPLICAOF", "NO", "ONE"}).string, QByteArray("OK"));
        QTRY_VERIFY_WITH_TIMEOUT(view->edgeLabel(r).isEmpty() && view->cardText(r).value(1) == QLatin1String("master"), 5000);
        QCOMPARE(panel.graph().groups().size(), 2);
        // The old master dies: its card turns critical and says so.
        m_redis->topology().kill(master);
        QTRY_VERIFY_WITH_TIMEOUT(view->cardHealth(m) == Health::Critical, 3000);
        QCOMPARE(view->cardText(m).value(2), QStringLiteral("unreachable"));
        monitor.stop();
    }
};

QTEST_MAIN(TestTopologyPanel)
#include "tst_topologypanel.moc"
