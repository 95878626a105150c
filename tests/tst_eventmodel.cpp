// The event table model and its filter, checked by QAbstractItemModelTester.
#include "journal/eventmodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonObject>
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
        QCOMPARE(order, (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d"), QStringLiteral("e")}));
    }

    // A failover's Sentinel steps hide behind its summary line until expanded; other events and
    // other groups' events stay.
    void failoverStepsCollapse()
    {
        EventModel model;
        EventFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QDateTime t0 = QDateTime::fromString(QStringLiteral("2026-12-01T10:00:00.000Z"), Qt::ISODateWithMs);
        qint64 id = 0;
        auto at = [&](int ms, const QString &kind, const QString &group) {
            Event e = Event::make(kind, Severity::Info, QStringLiteral("sentinel 127.0.0.1:26379"), kind);
            e.id = ++id;
            e.time = t0.addMSecs(ms);
            if (!group.isEmpty())
                e.data.insert(QStringLiteral("master_name"), group);
            return e;
        };
        model.append({at(0, QStringLiteral("redis.unreachable"), {}), at(1000, QStringLiteral("sentinel.+sdown"), QStringLiteral("g")),
                      at(1100, QStringLiteral("sentinel.+new-epoch"), {}), at(1200, QStringLiteral("sentinel.+sdown"), QStringLiteral("other")),
                      at(2000, QStringLiteral("sentinel.+switch-master"), QStringLiteral("g"))});
        QCOMPARE(filter.rowCount(), 5);
        Event summary = at(2500, QStringLiteral("sentinel.failover"), QStringLiteral("g"));
        summary.data.insert(
            QStringLiteral("phases"),
            QJsonArray{
                QJsonObject{{QStringLiteral("phase"), QStringLiteral("sdown")}, {QStringLiteral("time"), formatTime(t0.addMSecs(1000))}},
                QJsonObject{{QStringLiteral("phase"), QStringLiteral("failover end")}, {QStringLiteral("time"), formatTime(t0.addMSecs(2500))}}});
        model.append({summary});
        // Left: the unreachable, the other group's +sdown, the summary.
        QCOMPARE(filter.rowCount(), 3);
        const QModelIndex line = filter.index(2, EventModel::MessageColumn);
        QCOMPARE(line.data(EventModel::StepCountRole).toInt(), 3);
        QVERIFY(line.data().toString().startsWith(QStringLiteral("\u25b8 3 step(s)")));
        filter.setExpanded(summary.id, true);
        QCOMPARE(filter.rowCount(), 6);
        QVERIFY(filter.index(5, EventModel::MessageColumn).data().toString().startsWith(QStringLiteral("\u25be")));
        filter.setExpanded(summary.id, false);
        QCOMPARE(filter.rowCount(), 3);
        // A step merged late (journalled after its summary) folds behind it too.
        model.append({at(2200, QStringLiteral("sentinel.+slave"), QStringLiteral("g"))});
        QCOMPARE(filter.rowCount(), 3);
        QCOMPARE(filter.index(2, EventModel::MessageColumn).data(EventModel::StepCountRole).toInt(), 4);
        // Asking for Sentinel events by kind shows the steps.
        filter.setKindPrefix(QStringLiteral("sentinel."));
        QCOMPARE(filter.rowCount(), 6);
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
