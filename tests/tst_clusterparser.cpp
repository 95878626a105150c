// CLUSTER NODES / CLUSTER INFO parsing and the events between two views of a cluster.
#include "topology/clusterparser.h"
#include "topology/infoparser.h"

#include "redisfixture.h"

#include <QTest>

using namespace vigil;

namespace {

QByteArray fixture(const QString &name)
{
    return test::readTestData(QStringLiteral("cluster/") + name);
}

ClusterView view(const QByteArray &nodes, const QString &state)
{
    ClusterView v;
    v.nodes = parseClusterNodes(nodes);
    v.state = state;
    v.observer = QStringLiteral("127.0.0.1:17101");
    return v;
}

QStringList kinds(const QList<Event> &events)
{
    QStringList list;
    for (const Event &e : events)
        list << e.kind;
    return list;
}

} // namespace

class TestClusterParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nodes()
    {
        const QList<ClusterNode> nodes = parseClusterNodes(fixture(QStringLiteral("nodes-ok.txt")));
        QCOMPARE(nodes.size(), 6);
        int primaries = 0, slots = 0;
        for (const ClusterNode &n : nodes) {
            QCOMPARE(n.id.size(), 40);
            QVERIFY(n.linkConnected);
            QCOMPARE(n.busPort, quint16(n.port + 10000));
            if (n.isPrimary()) {
                ++primaries;
                slots += n.slotCount();
                QVERIFY(n.masterId.isEmpty());
            } else {
                QVERIFY(n.isReplica());
                QCOMPARE(n.masterId.size(), 40);
                QVERIFY(n.slots.isEmpty());
            }
        }
        QCOMPARE(primaries, 3);
        QCOMPARE(slots, 16384);
        const ClusterNode &self = *std::find_if(nodes.begin(), nodes.end(), [](const ClusterNode &n) { return n.hasFlag("myself"); });
        QCOMPARE(self.address(), QStringLiteral("127.0.0.1:17101"));
        QCOMPARE(self.slotText(), QStringLiteral("0-5460"));
    }

    void oddLines()
    {
        const QByteArray text =
            "short line\n"
            "0123456789012345678901234567890123456789 10.0.0.1:7000@17000,db-1.example myself,master - 0 0 1 connected 0-10 12 [13->-abcd] 20-29\r\n"
            "abc 10.0.0.2:7001@17001 master - 0 0 1 connected\n" // id too short
            "1123456789012345678901234567890123456789 10.0.0.3:notaport@1 master - 0 0 1 connected\n"
            "2123456789012345678901234567890123456789 :0@0 master,noaddr - 0 0 1 disconnected\n";
        const QList<ClusterNode> nodes = parseClusterNodes(text);
        QCOMPARE(nodes.size(), 2);
        QCOMPARE(nodes[0].hostname, QStringLiteral("db-1.example"));
        QCOMPARE(nodes[0].slotText(), QStringLiteral("0-10,12,20-29"));
        QCOMPARE(nodes[0].slotCount(), 22);
        QVERIFY(nodes[1].hasFlag("noaddr"));
        QVERIFY(!nodes[1].linkConnected);
    }

    void info()
    {
        const auto f = parseInfoFields("cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_known_nodes:6\r\n");
        QCOMPARE(f.value(QStringLiteral("cluster_state")), QStringLiteral("ok"));
        QCOMPARE(f.value(QStringLiteral("cluster_known_nodes")), QStringLiteral("6"));
    }

    void failureEvents()
    {
        const ClusterView ok = view(fixture(QStringLiteral("nodes-ok.txt")), QStringLiteral("ok"));
        const ClusterView failed = view(fixture(QStringLiteral("nodes-failed.txt")), QStringLiteral("fail"));
        QVERIFY(compareClusterViews(&ok, ok, 0).isEmpty());
        QVERIFY(compareClusterViews(nullptr, ok, 0).isEmpty());
        const QList<Event> down = compareClusterViews(&ok, failed, 1000);
        QCOMPARE(kinds(down), (QStringList{QStringLiteral("cluster.state_changed"), QStringLiteral("cluster.node_failed")}));
        QCOMPARE(down[1].data.value(QStringLiteral("node")).toString(), QStringLiteral("127.0.0.1:17102"));
        QCOMPARE(down[1].severity, Severity::Critical);
        QCOMPARE(down[0].source, QStringLiteral("127.0.0.1:17101"));
        // A first view that already shows the failure reports it.
        QCOMPARE(kinds(compareClusterViews(nullptr, failed, 0)),
                 (QStringList{QStringLiteral("cluster.state_changed"), QStringLiteral("cluster.node_failed")}));
        const QList<Event> up = compareClusterViews(&failed, ok, 2000);
        QCOMPARE(kinds(up), (QStringList{QStringLiteral("cluster.state_changed"), QStringLiteral("cluster.node_recovered")}));
        QCOMPARE(up[0].severity, Severity::Info);
    }

    void promotionAndSlots()
    {
        const ClusterView before = view(fixture(QStringLiteral("nodes-ok.txt")), QStringLiteral("ok"));
        ClusterView after = before;
        // 17105 takes over 17102's slots; 17102 becomes its replica; one node leaves.
        ClusterNode *oldPrimary = nullptr, *replica = nullptr;
        for (ClusterNode &n : after.nodes) {
            if (n.port == 17102)
                oldPrimary = &n;
            if (n.port == 17105)
                replica = &n;
        }
        QVERIFY(oldPrimary && replica);
        oldPrimary->flags = {QStringLiteral("slave")};
        replica->flags = {QStringLiteral("master")};
        replica->slots = oldPrimary->slots;
        oldPrimary->slots.clear();
        after.nodes.removeIf([](const ClusterNode &n) { return n.port == 17106; });
        const QList<Event> events = compareClusterViews(&before, after, 0);
        QCOMPARE(kinds(events).count(QStringLiteral("cluster.role_changed")), 2);
        QCOMPARE(kinds(events).count(QStringLiteral("cluster.slots_changed")), 2);
        QCOMPARE(kinds(events).count(QStringLiteral("cluster.node_removed")), 1);
    }
};

QTEST_GUILESS_MAIN(TestClusterParser)
#include "tst_clusterparser.moc"
