// The event table model and its filter, checked by QAbstractItemModelTester.
#include "journal/eventmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace vigil;

namespace {

Event ev(const QString &kind, Severity s, const QString &source, const QString &message)
{
    return Event::make(kind, s, source, message);
}

} // namespace

class TestEventModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appendAndTrim()
    {
        EventModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy kinds(&model, &EventModel::kindsChanged);
        model.append({ev(QStringLiteral("redis.reachable"), Severity::Info, QStringLiteral("a:1"), QStringLiteral("up"))});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.columnCount(), int(EventModel::ColumnCount));
        QCOMPARE(model.index(0, EventModel::KindColumn).data().toString(), QStringLiteral("redis.reachable"));
        QCOMPARE(model.index(0, EventModel::SeverityColumn).data().toString(), QStringLiteral("info"));
        QCOMPARE(model.index(0, 0).data(EventModel::SeverityRole).toInt(), int(Severity::Info));
        QCOMPARE(kinds.count(), 1);

        model.setMaximumRows(5);
        QList<Event> more;
        for (int i = 0; i < 8; ++i)
            more << ev(QStringLiteral("test.n"), Severity::Warning, QStringLiteral("s"), QString::number(i));
        model.append(more);
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.index(0, EventModel::MessageColumn).data().toString(), QStringLiteral("3"));
        QCOMPARE(model.index(4, EventModel::MessageColumn).data().toString(), QStringLiteral("7"));
        QCOMPARE(model.kinds(), (QStringList{QStringLiteral("redis.reachable"), QStringLiteral("test.n")}));
        QCOMPARE(kinds.count(), 2);

        model.reset({});
        QCOMPARE(model.rowCount(), 0);
    }

    // Sentinel events are merged across sentinels before they are recorded: one can arrive after
    // events stamped later than it, and takes its place by time.
    void lateEventsInTimeOrder()
    {
        EventModel model;
        const QDateTime t0 = QDateTime::fromMSecsSinceEpoch(1'000'000, Qt::UTC);
        auto at = [&](const QString &message, int ms) {
            Event e = ev(QStringLiteral("test.n"), Severity::Info, QStringLiteral("s"), message);
            e.time = t0.addMSecs(ms);
            return e;
        };
        model.append({at(QStringLiteral("a"), 0), at(QStringLiteral("c"), 2000)});
        model.append({at(QStringLiteral("d"), 3000)});
        model.append({at(QStringLiteral("b"), 1000), at(QStringLiteral("e"), 4000)});
        QStringList order;
        for (int row = 0; row < model.rowCount(); ++row)
            order << model.index(row, EventModel::MessageColumn).data().toString();
        QCOMPARE(order, (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d"),
                                     QStringLiteral("e")}));
    }

    void filters()
    {
        EventModel model;
        EventFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append({
            ev(QStringLiteral("redis.reachable"), Severity::Info, QStringLiteral("10.0.0.1:6379"), QStringLiteral("connected")),
            ev(QStringLiteral("redis.unreachable"), Severity::Critical, QStringLiteral("10.0.0.1:6379"), QStringLiteral("lost connection: closed")),
            ev(QStringLiteral("redis.auth_failed"), Severity::Critical, QStringLiteral("10.0.0.2:6379"), QStringLiteral("WRONGPASS")),
            ev(QStringLiteral("monitor.started"), Severity::Info, QStringLiteral("vigil"), QStringLiteral("monitoring 2 targets")),
            ev(QStringLiteral("redis.error"), Severity::Warning, QStringLiteral("10.0.0.2:6379"), QStringLiteral("PING refused")),
        });
        QCOMPARE(filter.rowCount(), 5);
        filter.setMinimumSeverity(Severity::Warning);
        QCOMPARE(filter.rowCount(), 3);
        filter.setMinimumSeverity(Severity::Critical);
        QCOMPARE(filter.rowCount(), 2);
        filter.setMinimumSeverity(Severity::Info);
        filter.setKindPrefix(QStringLiteral("monitor."));
        QCOMPARE(filter.rowCount(), 1);
        filter.setKindPrefix({});
        filter.setText(QStringLiteral("10.0.0.2"));
        QCOMPARE(filter.rowCount(), 2);
        filter.setText(QStringLiteral("LOST"));
        QCOMPARE(filter.rowCount(), 1);
        filter.setText(QStringLiteral("auth_failed"));
        QCOMPARE(filter.rowCount(), 1);
        // Live rows pass through the active filter.
        model.append({ev(QStringLiteral("redis.auth_failed"), Severity::Critical, QStringLiteral("x:1"), QStringLiteral("NOAUTH"))});
        QCOMPARE(filter.rowCount(), 2);
    }
};

QTEST_APPLESS_MAIN(TestEventModel)
#include "tst_eventmodel.moc"
