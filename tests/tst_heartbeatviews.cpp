// The heartbeat node model (under QAbstractItemModelTester) and the latency history: ageing into
// buckets, down periods, and bounded memory.
#include "heartbeat/latencyhistory.h"
#include "heartbeat/nodemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace vigil;

namespace {

NodeStatus node(const QString &name, NodeState state = NodeState::Up, qint64 p50 = 500)
{
    NodeStatus s;
    s.node = name;
    s.state = state;
    s.latencyP50Us = p50;
    s.latencyP99Us = p50 * 2;
    s.meanIntervalUs = 1'000'000;
    s.jitterUs = 20'000;
    return s;
}

} // namespace

class TestHeartbeatViews : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nodeModelRowsAndSignals()
    {
        NodeModel model;
        NodeFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

        model.update({node(QStringLiteral("api-1")), node(QStringLiteral("api-2"))});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.index(0, NodeModel::LatencyP50Column).data().toString(), QStringLiteral("500 \u00b5s"));
        QCOMPARE(model.index(1, NodeModel::IntervalColumn).data().toString(), QStringLiteral("1.00 s"));

        // Unchanged rows signal nothing; one changed row signals once.
        model.update({node(QStringLiteral("api-1")), node(QStringLiteral("api-2"))});
        QCOMPARE(changed.count(), 0);
        model.update({node(QStringLiteral("api-1"), NodeState::Down), node(QStringLiteral("api-2"))});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 0);
        // The name column never changes: a view sorted by name is not re-sorted by updates.
        QCOMPARE(changed.first().at(0).toModelIndex().column(), int(NodeModel::StateColumn));
        QCOMPARE(model.index(0, NodeModel::StateColumn).data().toString(), QStringLiteral("down"));
        QCOMPARE(model.index(0, NodeModel::PhiColumn).data().toString(), QStringLiteral("\u2014"));

        // A new node is appended (updates carry every node the tracker holds).
        model.update(
            {node(QStringLiteral("api-1"), NodeState::Down), node(QStringLiteral("api-2")), node(QStringLiteral("worker-1"), NodeState::Unknown)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.rowOf(QStringLiteral("worker-1")), 2);
        QVERIFY(model.index(2, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("may be fine")));

        filter.setText(QStringLiteral("api"));
        QCOMPARE(filter.rowCount(), 2);
        filter.setText(QStringLiteral("down"));
        QCOMPARE(filter.rowCount(), 1);
        filter.setText({});
        // By state, worst first: down, then unknown, then up.
        filter.sort(NodeModel::StateColumn, Qt::AscendingOrder);
        QCOMPARE(filter.index(0, NodeModel::NodeColumn).data().toString(), QStringLiteral("api-1"));
        QCOMPARE(filter.index(1, NodeModel::NodeColumn).data().toString(), QStringLiteral("worker-1"));
        QCOMPARE(filter.index(2, NodeModel::NodeColumn).data().toString(), QStringLiteral("api-2"));

        // A node the tracker forgot (a one-off name long silent) leaves the table.
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.update({node(QStringLiteral("api-1"), NodeState::Down), node(QStringLiteral("worker-1"), NodeState::Unknown)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(model.rowOf(QStringLiteral("worker-1")), 1);
        QCOMPARE(model.rowOf(QStringLiteral("api-2")), -1);
        QCOMPARE(filter.rowCount(), 2);
    }

    void nodeModelKeepsItsOrder()
    {
        NodeModel model;
        NodeFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto names = [&filter] {
            QStringList out;
            for (int row = 0; row < filter.rowCount(); ++row)
                out << filter.index(row, NodeModel::NodeColumn).data().toString();
            return out;
        };
        // Sorting the proxy sorts the source: worst first, each state by name.
        filter.sort(NodeModel::StateColumn, Qt::AscendingOrder);
        model.update({node(QStringLiteral("c")), node(QStringLiteral("a")), node(QStringLiteral("b"), NodeState::Down)});
        QCOMPARE(names(), (QStringList{QStringLiteral("b"), QStringLiteral("a"), QStringLiteral("c")}));
        QCOMPARE(model.rowOf(QStringLiteral("c")), 2);

        // A row followed by a persistent index (a selection) moves with its node when its state does.
        const QPersistentModelIndex selected = filter.index(2, NodeModel::NodeColumn);
        QCOMPARE(selected.data().toString(), QStringLiteral("c"));
        QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
        model.update({node(QStringLiteral("c"), NodeState::Down), node(QStringLiteral("a")), node(QStringLiteral("b"), NodeState::Down)});
        QCOMPARE(layout.count(), 1);
        QCOMPARE(names(), (QStringList{QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("a")}));
        QCOMPARE(selected.row(), 1);
        QCOMPARE(selected.data().toString(), QStringLiteral("c"));
        QCOMPARE(model.rowOf(QStringLiteral("a")), 2);

        // Figures that leave the order as it is do not re-sort; a new node takes its place.
        model.update({node(QStringLiteral("c"), NodeState::Down, 900), node(QStringLiteral("a"), NodeState::Up, 700),
                      node(QStringLiteral("b"), NodeState::Down), node(QStringLiteral("aa"), NodeState::Suspect)});
        QCOMPARE(layout.count(), 2);
        QCOMPARE(names(), (QStringList{QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("aa"), QStringLiteral("a")}));
        model.update({node(QStringLiteral("c"), NodeState::Down, 950), node(QStringLiteral("a"), NodeState::Up, 750),
                      node(QStringLiteral("b"), NodeState::Down), node(QStringLiteral("aa"), NodeState::Suspect)});
        QCOMPARE(layout.count(), 2);

        // By a figure, highest first; ties by name, reversed with the order.
        filter.sort(NodeModel::LatencyP50Column, Qt::DescendingOrder);
        QCOMPARE(names(), (QStringList{QStringLiteral("c"), QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("aa")}));
        QCOMPARE(selected.data().toString(), QStringLiteral("c"));
        // The filter still applies over the source's order.
        filter.setText(QStringLiteral("down"));
        QCOMPARE(names(), (QStringList{QStringLiteral("c"), QStringLiteral("b")}));
    }

    // Many rows, some changing state, one new: worst first, each state by name; by name reversed.
    void nodeModelSortsManyRows()
    {
        NodeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.sort(NodeModel::StateColumn, Qt::AscendingOrder);
        QList<NodeStatus> many;
        for (int i = 0; i < 200; ++i)
            many << node(QStringLiteral("n%1").arg(i, 3, 10, QLatin1Char('0')), i % 50 == 0 ? NodeState::Suspect : NodeState::Up);
        model.update(many);
        for (int i : {7, 100, 151, 199})
            many[i].state = NodeState::Down;
        many[0].state = NodeState::Up;
        many << node(QStringLiteral("m-new"), NodeState::Down);
        model.update(many);
        QStringList expected;
        for (NodeState state : {NodeState::Down, NodeState::Suspect, NodeState::Up})
            for (const NodeStatus &s : std::as_const(many))
                if (s.state == state)
                    expected << s.node;
        std::stable_sort(expected.begin(), expected.begin() + 5); // the down ones by name: m-new first
        QStringList rows;
        for (int row = 0; row < model.rowCount(); ++row)
            rows << model.index(row, NodeModel::NodeColumn).data().toString();
        QCOMPARE(rows, expected);
        QCOMPARE(model.rowOf(QStringLiteral("n151")), 3);

        model.sort(NodeModel::NodeColumn, Qt::DescendingOrder);
        QCOMPARE(model.index(0, NodeModel::NodeColumn).data().toString(), QStringLiteral("n199"));
        QCOMPARE(model.index(model.rowCount() - 1, NodeModel::NodeColumn).data().toString(), QStringLiteral("m-new"));
        model.sort(NodeModel::StateColumn, Qt::DescendingOrder);
        QCOMPARE(model.index(0, NodeModel::NodeColumn).data().toString(), QStringLiteral("n198")); // up, last by name
        QCOMPARE(model.index(model.rowCount() - 1, NodeModel::NodeColumn).data().toString(), QStringLiteral("m-new"));
    }

    void historyKeepsRawThenBuckets()
    {
        LatencyHistory::Limits limits;
        limits.rawWindowMs = 60'000;
        limits.bucketMs = 10'000;
        limits.keepMs = 3'600'000;
        LatencyHistory history(limits);
        const qint64 t0 = 1'764'130'000'000;
        QList<BeatSample> samples;
        for (int i = 0; i < 300; ++i) // five minutes at 1 Hz, latency i % 10 ms
            samples.append({QStringLiteral("n"), t0 + i * 1000, qint64(i % 10) * 1000, 1'000'000});
        history.add(samples);
        QCOMPARE(history.nodes(), QStringList{QStringLiteral("n")});
        QVERIFY(history.rawCount() <= 61);
        QVERIFY(history.bucketCount() >= 23);

        const QList<LatencyPoint> all = history.series(QStringLiteral("n"), t0, t0 + 300'000);
        // Older points are bucket means with their range; recent ones raw.
        QVERIFY(all.size() < 300);
        const LatencyPoint firstBucket = all.first();
        QCOMPARE(firstBucket.min, 0.0f);
        QCOMPARE(firstBucket.max, 9.0f);
        QCOMPARE(firstBucket.mean, 4.5f);
        const LatencyPoint last = all.last();
        QCOMPARE(last.ms, t0 + 299'000);
        QCOMPARE(last.mean, 9.0f);
        for (int i = 1; i < all.size(); ++i)
            QVERIFY(all[i].ms > all[i - 1].ms);
        // A window picks its part.
        QCOMPARE(history.series(QStringLiteral("n"), t0 + 290'000, t0 + 300'000).size(), 10);
        QVERIFY(history.series(QStringLiteral("missing"), t0, t0 + 1000).isEmpty());

        // Plain beats (no latency) add no points.
        history.add({{QStringLiteral("plain"), t0, -1, -1}});
        QVERIFY(history.series(QStringLiteral("plain"), t0 - 1000, t0 + 1000).isEmpty());
        QCOMPARE(history.nodes().size(), 2);
        QCOMPARE(history.indexOf(QStringLiteral("n")), 0);
        QCOMPARE(history.indexOf(QStringLiteral("plain")), 1);
        QCOMPARE(history.indexOf(QStringLiteral("missing")), -1);
    }

    void downPeriods()
    {
        LatencyHistory history;
        const QString n = QStringLiteral("flappy");
        history.addTransitions({{n, 1000, NodeState::Up},
                                {n, 5000, NodeState::Suspect},
                                {n, 6000, NodeState::Down},
                                {n, 9000, NodeState::Up},
                                {n, 20000, NodeState::Unknown}});
        const QList<DownPeriod> periods = history.downPeriods(n, 0, 100000);
        QCOMPARE(periods.size(), 2);
        QCOMPARE(periods[0].startMs, 6000);
        QCOMPARE(periods[0].endMs, 9000);
        QCOMPARE(periods[1].state, NodeState::Unknown);
        QCOMPARE(periods[1].endMs, -1);
        QCOMPARE(history.downPeriods(n, 10000, 15000).size(), 0);
        QCOMPARE(history.downPeriods(n, 8000, 8500).size(), 1);
    }

    // 1,000 nodes beating at 1 Hz for 24 hours stay well under 300 MB (bench_history prints the
    // measured figure; this checks the bound the structure itself keeps).
    void memoryIsBounded()
    {
        LatencyHistory history;
        const qint64 t0 = 1'764'130'000'000;
        const int nodes = 100;
        const int seconds = 6 * 3600; // six hours of one node-second each, 100 nodes
        QList<BeatSample> batch;
        batch.reserve(nodes);
        QStringList names;
        for (int n = 0; n < nodes; ++n)
            names << QStringLiteral("node-%1").arg(n);
        for (int s = 0; s < seconds; ++s) {
            batch.clear();
            for (int n = 0; n < nodes; ++n)
                batch.append({names.at(n), t0 + qint64(s) * 1000, 400 + n, 1'000'000});
            history.add(batch);
        }
        const qint64 perNode = history.memoryBytes() / nodes;
        // 15 minutes raw (900 x 16 bytes) and 6 h of 1-minute buckets (360 x 32 bytes): ~26 KB.
        QVERIFY2(perNode < 40'000, qPrintable(QString::number(perNode)));
        QVERIFY(history.rawCount() <= qint64(nodes) * 901);
    }
};

QTEST_APPLESS_MAIN(TestHeartbeatViews)
#include "tst_heartbeatviews.moc"
