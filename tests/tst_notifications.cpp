// Notifications of incidents: when a notice is given (one when an incident opens, in-place updates
// at most once a minute, the mute), then the same over a private D-Bus with a stand-in notification
// server, replaying a recorded SIGKILL failover; and the in-window banner when no server answers.
#include "incidentnotifier.h"
#include "incidents/alerts.h"
#include "incidents/book.h"
#include "journal/event.h"
#include "monitor/targets.h"
#include "notificationbanner.h"

#include "golden.h"
#include "privatebus.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace vigil;
using vigil::test::eventFromExportLine;
using vigil::test::readData;

namespace {

constexpr qint64 T0 = 1'800'000'000'000;
constexpr qint64 kMinute = 60 * 1000;

Incident incident(qint64 id, Severity severity, qint64 openedMs, qint64 resolvedMs = -1, const QString &scope = QStringLiteral("sentinel:orders"))
{
    Incident i;
    i.id = id;
    i.scope = scope;
    i.title = QStringLiteral("master 10.0.0.1:6379 unreachable");
    i.openedMs = openedMs;
    i.lastMs = std::max(openedMs, resolvedMs);
    i.resolvedMs = resolvedMs;
    i.severity = severity;
    IncidentMember root;
    root.eventId = id;
    root.timeMs = openedMs;
    root.kind = QStringLiteral("redis.unreachable");
    root.role = MemberRole::Root;
    i.members << root;
    return i;
}

QStringList kinds(const QList<IncidentNotice> &notices)
{
    QStringList out;
    for (const IncidentNotice &n : notices)
        out << (n.kind == IncidentNotice::Kind::Opened          ? QStringLiteral("opened")
                    : n.kind == IncidentNotice::Kind::Escalated ? QStringLiteral("escalated")
                                                                : QStringLiteral("resolved"));
    return out;
}

// A recorded journal (as `vigil export` wrote it) and the incident options it was recorded with.
struct Recording
{
    QList<Event> events;
    IncidentOptions options;
};

Recording loadRecording(const QString &dir)
{
    Recording r;
    qint64 id = 0;
    for (const QByteArray &line : readData(dir + QStringLiteral("/events.jsonl")).split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        r.events << eventFromExportLine(line, ++id);
    }
    std::sort(r.events.begin(), r.events.end(), eventBefore);
    const QJsonObject options = QJsonDocument::fromJson(readData(dir + QStringLiteral("/options.json"))).object();
    r.options.gapMs = parseDurationMs(options.value(QStringLiteral("incident_gap")).toString());
    r.options.quietMs = parseDurationMs(options.value(QStringLiteral("incident_quiet")).toString());
    return r;
}

// Plays `recording` into `notifier` as the journal's writer would: each event committed at its
// time, the incidents regrouped, and the notifier's clock stepped a second at a time until two
// minutes after the last event (the resolution and its deferred notice included).
void replay(const Recording &recording, IncidentNotifier &notifier, qint64 *clock)
{
    IncidentBook book(recording.options);
    auto regroup = [&] {
        const IncidentBook::Update u = book.regroup(*clock);
        notifier.incidentsChanged(u.changed, u.removed);
        notifier.tick();
        QCoreApplication::processEvents(); // the server's answers, as they come in a running GUI
    };
    qint64 step = recording.events.first().time.toMSecsSinceEpoch();
    for (const Event &e : recording.events) {
        for (; step < e.time.toMSecsSinceEpoch(); step += 1000) {
            *clock = step;
            regroup();
        }
        *clock = e.time.toMSecsSinceEpoch();
        book.add({e});
        regroup();
    }
    const qint64 end = recording.events.last().time.toMSecsSinceEpoch() + 2 * kMinute;
    for (; *clock < end; *clock += 1000)
        regroup();
}

} // namespace

class TestNotifications : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void anIncidentPagesOnceThenUpdatesAtMostOnceAMinute()
    {
        IncidentAlerts alerts;
        QList<IncidentNotice> n = alerts.update({incident(1, Severity::Warning, T0)}, {}, T0);
        QCOMPARE(kinds(n), QStringList{QStringLiteral("opened")});
        QCOMPARE(n[0].severity, Severity::Warning);
        QVERIFY2(n[0].summary.startsWith(QStringLiteral("Warning: master 10.0.0.1:6379")), qPrintable(n[0].summary));
        QVERIFY2(n[0].body.contains(QStringLiteral("sentinel:orders")) && n[0].body.contains(QStringLiteral("1 event")), qPrintable(n[0].body));
        const qint64 key = n[0].key;

        // Escalated 5 s later: told when the minute is up, not before.
        QVERIFY(alerts.update({incident(1, Severity::Critical, T0)}, {}, T0 + 5000).isEmpty());
        QCOMPARE(alerts.nextDueMs(), T0 + kMinute);
        QVERIFY(alerts.due(T0 + kMinute - 1).isEmpty());
        n = alerts.due(T0 + kMinute);
        QCOMPARE(kinds(n), QStringList{QStringLiteral("escalated")});
        QCOMPARE(n[0].severity, Severity::Critical);
        QCOMPARE(n[0].key, key);

        // More members, same state: nothing to tell.
        Incident grown = incident(1, Severity::Critical, T0);
        grown.members << grown.members.first();
        QVERIFY(alerts.update({grown}, {}, T0 + 2 * kMinute).isEmpty());
        QCOMPARE(alerts.nextDueMs(), -1);

        // Resolved 10 s after the escalation's notice: told a minute after it, once.
        QVERIFY(alerts.update({incident(1, Severity::Critical, T0, T0 + kMinute + 10'000)}, {}, T0 + kMinute + 10'000).isEmpty());
        n = alerts.due(T0 + 2 * kMinute);
        QCOMPARE(kinds(n), QStringList{QStringLiteral("resolved")});
        QCOMPARE(n[0].key, key);
        QVERIFY2(n[0].summary.startsWith(QStringLiteral("Resolved: ")), qPrintable(n[0].summary));
        QVERIFY(alerts.due(T0 + 10 * kMinute).isEmpty());
        QCOMPARE(alerts.openCount(), 0);
    }

    void aNewIncidentDoesNotWaitForAnotherOnesMinute()
    {
        IncidentAlerts alerts;
        QCOMPARE(alerts.update({incident(1, Severity::Warning, T0)}, {}, T0).size(), 1);
        const QList<IncidentNotice> n =
            alerts.update({incident(2, Severity::Critical, T0 + 1000, -1, QStringLiteral("redis:10.0.0.5:6379"))}, {}, T0 + 1000);
        QCOMPARE(kinds(n), QStringList{QStringLiteral("opened")});
        QCOMPARE(n[0].incidentId, 2);
        QCOMPARE(alerts.openCount(), 2);
        QCOMPARE(alerts.worstOpen(), Severity::Critical);
    }

    void anIncidentGivenAgainUnderAnEarlierIdIsTheSameNotice()
    {
        // A late event became the incident's first: the writer removes id 5 and gives id 3.
        IncidentAlerts alerts;
        const QList<IncidentNotice> first = alerts.update({incident(5, Severity::Critical, T0)}, {}, T0);
        QCOMPARE(first.size(), 1);
        QVERIFY(alerts.update({incident(3, Severity::Critical, T0 - 200)}, {5}, T0 + 1000).isEmpty());
        QCOMPARE(alerts.openCount(), 1);
        const QList<IncidentNotice> resolved = alerts.due(T0 + kMinute); // nothing changed: nothing due
        QVERIFY(resolved.isEmpty());
        alerts.update({incident(3, Severity::Critical, T0 - 200, T0 + 30'000)}, {}, T0 + 30'000);
        const QList<IncidentNotice> n = alerts.due(T0 + kMinute);
        QCOMPARE(kinds(n), QStringList{QStringLiteral("resolved")});
        QCOMPARE(n[0].key, first[0].key);
        QCOMPARE(n[0].incidentId, 3);
    }

    void incidentsOpenAtStartAreNotNewsButTheirEscalationIs()
    {
        IncidentAlerts alerts;
        alerts.seed({incident(1, Severity::Warning, T0 - kMinute)});
        QCOMPARE(alerts.openCount(), 1);
        QVERIFY(alerts.update({incident(1, Severity::Warning, T0 - kMinute)}, {}, T0).isEmpty());
        // Resolved without ever being told: nothing to take back.
        IncidentAlerts quiet;
        quiet.seed({incident(1, Severity::Warning, T0 - kMinute)});
        QVERIFY(quiet.update({incident(1, Severity::Warning, T0 - kMinute, T0)}, {}, T0).isEmpty());
        // Escalated: that is news.
        const QList<IncidentNotice> n = alerts.update({incident(1, Severity::Critical, T0 - kMinute)}, {}, T0 + 1000);
        QCOMPARE(kinds(n), QStringList{QStringLiteral("escalated")});
    }

    void aClickAfterTheIdChangedShowsTheIncidentAsItIsNow()
    {
        IncidentNotifier notifier(QDBusConnection(QStringLiteral("no such bus")));
        notifier.setClock([] { return T0; });
        QSignalSpy given(&notifier, &IncidentNotifier::noticeGiven);
        QSignalSpy activated(&notifier, &IncidentNotifier::incidentActivated);
        notifier.incidentsChanged({incident(5, Severity::Critical, T0)}, {});
        QCOMPARE(given.size(), 1);
        const IncidentNotice notice = given.first().first().value<IncidentNotice>();
        notifier.incidentsChanged({incident(3, Severity::Critical, T0 - 200)}, {5}); // no new notice
        QCOMPARE(given.size(), 1);
        notifier.activate(notice.key);
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.first().first().toLongLong(), 3);
    }

    void aResolvedIncidentReopeningIsTheSameNotification()
    {
        IncidentAlerts alerts;
        const QList<IncidentNotice> opened = alerts.update({incident(1, Severity::Critical, T0)}, {}, T0);
        QCOMPARE(alerts.update({incident(1, Severity::Critical, T0, T0 + 10'000)}, {}, T0 + 10'000).size(), 0);
        QCOMPARE(kinds(alerts.due(T0 + kMinute)), QStringList{QStringLiteral("resolved")});
        QVERIFY(alerts.due(T0 + kMinute + 5000).isEmpty()); // resolved and told, kept until it settles
        // An event joins it before it settles: open again, in the same notification, a minute on.
        QVERIFY(alerts.update({incident(1, Severity::Critical, T0)}, {}, T0 + kMinute + 20'000).isEmpty());
        const QList<IncidentNotice> again = alerts.due(T0 + 2 * kMinute);
        QCOMPARE(kinds(again), QStringList{QStringLiteral("opened")});
        QCOMPARE(again[0].key, opened[0].key);
    }

    void theBannerShowsTheWorstStillOpen()
    {
        NotificationBanner banner;
        auto notice = [](qint64 key, Severity severity, IncidentNotice::Kind kind, const QString &summary) {
            IncidentNotice n;
            n.key = key;
            n.incidentId = key;
            n.severity = severity;
            n.kind = kind;
            n.summary = summary;
            return n;
        };
        banner.showNotice(notice(1, Severity::Critical, IncidentNotice::Kind::Opened, QStringLiteral("Critical: A")));
        banner.showNotice(notice(2, Severity::Warning, IncidentNotice::Kind::Opened, QStringLiteral("Warning: B")));
        QVERIFY2(banner.text().contains(QStringLiteral("Critical: A")), qPrintable(banner.text()));
        banner.showNotice(notice(2, Severity::Warning, IncidentNotice::Kind::Resolved, QStringLiteral("Resolved: B")));
        QVERIFY2(banner.text().contains(QStringLiteral("Critical: A")), qPrintable(banner.text()));
        QCOMPARE(banner.key(), 1);
        banner.showNotice(notice(1, Severity::Critical, IncidentNotice::Kind::Resolved, QStringLiteral("Resolved: A")));
        QVERIFY2(banner.text().contains(QStringLiteral("Resolved: A")), qPrintable(banner.text()));
    }

    void aMuteHoldsNoticesAndTellsWhatStillStandsAfterIt()
    {
        IncidentAlerts alerts;
        alerts.muteUntil(T0 + 3600 * 1000);
        QVERIFY(alerts.update({incident(1, Severity::Critical, T0)}, {}, T0).isEmpty());
        // One that begins and ends under the mute is never told.
        QVERIFY(alerts.update({incident(2, Severity::Warning, T0, -1, QStringLiteral("redis:b"))}, {}, T0).isEmpty());
        QVERIFY(alerts.update({incident(2, Severity::Warning, T0, T0 + 60'000, QStringLiteral("redis:b"))}, {}, T0 + 60'000).isEmpty());
        QCOMPARE(alerts.nextDueMs(), T0 + 3600 * 1000);
        QVERIFY(alerts.due(T0 + 3600 * 1000 - 1).isEmpty());
        const QList<IncidentNotice> n = alerts.due(T0 + 3600 * 1000);
        QCOMPARE(kinds(n), QStringList{QStringLiteral("opened")});
        QCOMPARE(n[0].incidentId, 1);
    }

    void aRecordedFailoverIsOneNotificationOnTheBus()
    {
        PrivateBus bus;
        if (bus.address().isEmpty())
            QSKIP(qPrintable(QStringLiteral("no private D-Bus: %1").arg(bus.why())));
        FakeNotificationServer server;
        QVERIFY(server.start(bus.connect(QStringLiteral("server"))));

        const Recording recording = loadRecording(QFINDTESTDATA(QStringLiteral("data/incidents/sigkill-sentinel-master")));
        QVERIFY2(recording.events.size() >= 40, "a failover of some forty events");
        qint64 clock = recording.events.first().time.toMSecsSinceEpoch();
        IncidentNotifier notifier(bus.connect(QStringLiteral("vigil")));
        notifier.setClock([&clock] { return clock; });
        QSignalSpy given(&notifier, &IncidentNotifier::noticeGiven);
        QSignalSpy banner(&notifier, &IncidentNotifier::bannerNotice);
        QList<qint64> givenAt; // the clock at each notice
        QObject::connect(&notifier, &IncidentNotifier::noticeGiven, &notifier, [&] { givenAt << clock; });
        replay(recording, notifier, &clock);
        QTRY_COMPARE(server.calls().size(), given.size());

        // The incident's life (opened critical, resolved 29 s later) in two notifications, the
        // second replacing the first: at most three, all one id.
        const QList<FakeNotificationServer::Call> &calls = server.calls();
        QVERIFY2(calls.size() >= 2 && calls.size() <= 3, qPrintable(QString::number(calls.size())));
        QCOMPARE(calls.first().replacesId, 0u);
        for (const FakeNotificationServer::Call &c : calls) {
            QCOMPARE(c.id, calls.first().id);
            QCOMPARE(c.appName, QStringLiteral("Vigil"));
            QVERIFY(c.actions.contains(QStringLiteral("default")));
            QCOMPARE(c.hints.value(QStringLiteral("desktop-entry")).toString(), QStringLiteral("vigil"));
        }
        for (qsizetype i = 1; i < calls.size(); ++i)
            QCOMPARE(calls[i].replacesId, calls.first().id);
        const FakeNotificationServer::Call &opened = calls.first();
        QVERIFY2(opened.summary.startsWith(QStringLiteral("Critical: master 127.0.0.1:7000 unreachable")), qPrintable(opened.summary));
        QCOMPARE(opened.hints.value(QStringLiteral("urgency")).metaType(), QMetaType::fromType<uchar>()); // a BYTE on the wire
        QCOMPARE(opened.hints.value(QStringLiteral("urgency")).value<uchar>(), uchar(2));
        QCOMPARE(opened.timeout, 0); // a critical one stays until dismissed
        QCOMPARE(opened.hints.value(QStringLiteral("sound-name")).toString(), QStringLiteral("dialog-error"));
        const FakeNotificationServer::Call &last = calls.last();
        QVERIFY2(last.summary.startsWith(QStringLiteral("Resolved: ")), qPrintable(last.summary));
        QVERIFY2(last.body.contains(QStringLiteral("37 events")), qPrintable(last.body));
        QCOMPARE(last.timeout, -1);
        // Resolved 29 s after it opened, the update waited for the minute since the first notice.
        QCOMPARE(givenAt.size(), calls.size());
        QVERIFY2(givenAt.last() - givenAt.first() >= kMinute, qPrintable(QString::number(givenAt.last() - givenAt.first())));
        QVERIFY(givenAt.last() - givenAt.first() < kMinute + 2000);
        QCOMPARE(banner.size(), 0);
        QCOMPARE(notifier.openCount(), 0);

        // Clicking it asks for that incident.
        QSignalSpy activated(&notifier, &IncidentNotifier::incidentActivated);
        server.click(opened.id);
        QTRY_COMPARE(activated.size(), 1);
        QCOMPARE(activated.first().first().toLongLong(), given.first().first().value<IncidentNotice>().incidentId);
    }

    void withNoNotificationServerTheBannerTells()
    {
        PrivateBus bus;
        if (bus.address().isEmpty())
            QSKIP(qPrintable(QStringLiteral("no private D-Bus: %1").arg(bus.why())));
        for (const bool connected : {true, false}) {
            // A bus nobody serves notifications on, and no bus at all.
            IncidentNotifier notifier(connected ? bus.connect(QStringLiteral("lonely")) : QDBusConnection(QStringLiteral("no such bus")));
            NotificationBanner banner;
            QObject::connect(&notifier, &IncidentNotifier::bannerNotice, &banner, &NotificationBanner::showNotice);
            QSignalSpy shown(&notifier, &IncidentNotifier::incidentActivated);
            QObject::connect(&banner, &NotificationBanner::showRequested, &notifier, &IncidentNotifier::activate);
            notifier.setClock([] { return T0; });
            notifier.incidentsChanged({incident(7, Severity::Critical, T0)}, {});
            QTRY_VERIFY(!banner.isHidden());
            QVERIFY2(banner.text().contains(QStringLiteral("Critical: master 10.0.0.1:6379 unreachable")), qPrintable(banner.text()));
            QVERIFY(banner.key() > 0);
            QVERIFY(!notifier.desktop()->isAvailable());
            banner.findChild<QPushButton *>()->click();
            QCOMPARE(shown.size(), 1);
            QCOMPARE(shown.first().first().toLongLong(), 7);
        }
    }
};

QTEST_MAIN(TestNotifications)
#include "tst_notifications.moc"
