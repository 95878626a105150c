// Incident grouping over built event streams: scopes, the gap and the quiet time, recoveries,
// causes and roots, repeats, and independence from the order events arrive in.
#include "incidents/book.h"
#include "incidents/grouping.h"
#include "incidents/incidentmodel.h"
#include "incidents/report.h"
#include "monitor/targets.h"

#include "golden.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace vigil;
using vigil::test::eventFromExportLine;
using vigil::test::matchesGolden;
using vigil::test::readData;

namespace {

const QString M = QStringLiteral("10.0.0.1:6379");
const QString R = QStringLiteral("10.0.0.2:6379");
const QString S = QStringLiteral("10.0.0.9:26379");
const QString G = QStringLiteral("sentinel:orders");
constexpr qint64 T0 = 1'764'000'000'000;

class Stream
{
public:
    Event &add(qint64 atMs, const QString &kind, Severity severity, const QString &source, QJsonObject data = {}, const QString &scope = G)
    {
        if (!scope.isEmpty())
            data.insert(QStringLiteral("scope"), scope);
        Event e = Event::make(kind, severity, source, kind, data);
        e.id = ++m_id;
        e.time = QDateTime::fromMSecsSinceEpoch(T0 + atMs, Qt::UTC);
        events << e;
        return events.last();
    }
    QList<Event> events;

private:
    qint64 m_id = 0;
};

// A Sentinel-managed master SIGKILLed with an application beating through it, as journalled.
Stream killedMaster()
{
    Stream s;
    const QString instance = M; // a master's own +sdown names it as the instance
    s.add(0, QStringLiteral("redis.unreachable"), Severity::Critical, M);
    s.add(5, QStringLiteral("replication.link_down"), Severity::Critical, R, {{QStringLiteral("master"), M}});
    s.add(900, QStringLiteral("heartbeat.unknown"), Severity::Warning, QStringLiteral("app"), {{QStringLiteral("carrier"), M}});
    s.add(1000, QStringLiteral("heartbeat.unknown"), Severity::Warning, QStringLiteral("worker"), {{QStringLiteral("carrier"), M}});
    s.add(2000, QStringLiteral("sentinel.+sdown"), Severity::Warning, S,
          {{QStringLiteral("instance_type"), QStringLiteral("master")}, {QStringLiteral("instance"), instance}});
    s.add(2100, QStringLiteral("sentinel.+odown"), Severity::Critical, S,
          {{QStringLiteral("instance_type"), QStringLiteral("master")}, {QStringLiteral("instance"), instance}});
    s.add(3000, QStringLiteral("sentinel.+switch-master"), Severity::Critical, S,
          {{QStringLiteral("old_master"), M}, {QStringLiteral("new_master"), R}, {QStringLiteral("master"), M}});
    s.add(
        3050, QStringLiteral("redis.role_changed"), Severity::Warning, R,
        {{QStringLiteral("scope_master"), R}, {QStringLiteral("from"), QStringLiteral("replica")}, {QStringLiteral("to"), QStringLiteral("master")}});
    s.add(3500, QStringLiteral("heartbeat.up"), Severity::Info, QStringLiteral("app"), {{QStringLiteral("carrier"), R}});
    s.add(3600, QStringLiteral("heartbeat.up"), Severity::Info, QStringLiteral("worker"), {{QStringLiteral("carrier"), R}});
    s.add(4000, QStringLiteral("sentinel.failover"), Severity::Critical, S, {{QStringLiteral("old_master"), M}, {QStringLiteral("new_master"), R}});
    return s;
}

QString describe(const QList<Incident> &incidents)
{
    QStringList lines;
    for (const Incident &i : incidents) {
        lines << QStringLiteral("incident %1 %2..%3 root %4")
                     .arg(i.scope)
                     .arg(i.openedMs - T0)
                     .arg(i.resolvedMs < 0 ? -1 : i.resolvedMs - T0)
                     .arg(i.rootId);
        for (const IncidentMember &m : i.members)
            lines << QStringLiteral("  %1 %2 %3 %4 cause %5 x%6 %7")
                         .arg(m.eventId)
                         .arg(m.kind, m.source, memberRoleName(m.role))
                         .arg(m.causeId)
                         .arg(m.repeats)
                         .arg(m.rule);
    }
    return lines.join(QLatin1Char('\n'));
}

// A recorded case: tests/data/incidents/<case>/events.jsonl (as `vigil export` wrote it; an
// event's id is its line number) and options.json (the recorder's --incident-gap and -quiet).
struct Case
{
    QList<Event> events;
    IncidentOptions options;
    qint64 judgedAtMs = 0;           // an hour after the last event: every incident has had its chance to end
    QHash<qint64, qint64> canonical; // id -> the first id of an event identical to it (time and content)
};

Case loadCase(const QString &dir)
{
    Case c;
    qint64 id = 0;
    QHash<QByteArray, qint64> firstOf;
    for (const QByteArray &line : readData(dir + QStringLiteral("/events.jsonl")).split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const Event e = eventFromExportLine(line, ++id);
        // The whole exported line: time, kind, source, message and data.
        c.canonical.insert(e.id, firstOf.value(line, e.id));
        firstOf.insert(line, c.canonical.value(e.id));
        c.events << e;
        c.judgedAtMs = std::max(c.judgedAtMs, e.time.toMSecsSinceEpoch() + 3600 * 1000);
    }
    const QJsonObject options = QJsonDocument::fromJson(readData(dir + QStringLiteral("/options.json"))).object();
    c.options.gapMs = parseDurationMs(options.value(QStringLiteral("incident_gap")).toString());
    c.options.quietMs = parseDurationMs(options.value(QStringLiteral("incident_quiet")).toString());
    return c;
}

QByteArray incidentsJson(const QList<Incident> &incidents)
{
    QJsonArray array;
    for (const Incident &i : incidents)
        array.append(incidentToJson(i));
    return QJsonDocument(array).toJson(QJsonDocument::Indented);
}

// Compares `actual` with the golden file, or writes it when VIGIL_UPDATE_GOLDEN is set (then
// review the difference before committing it).
// The same incidents with every event id mapped through `ids`.
QList<Incident> renumbered(QList<Incident> incidents, const QHash<qint64, qint64> &ids)
{
    auto map = [&ids](qint64 id) { return id < 0 ? id : ids.value(id, id); };
    for (Incident &i : incidents) {
        i.id = map(i.id);
        i.rootId = map(i.rootId);
        for (IncidentMember &m : i.members) {
            m.eventId = map(m.eventId);
            m.causeId = map(m.causeId);
        }
    }
    return incidents;
}

} // namespace

class TestIncidents : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killedMasterIsOneIncidentWithItsRoot()
    {
        const Stream s = killedMaster();
        const QList<Incident> incidents = groupIncidents(s.events, {}, T0 + 10'000);
        QCOMPARE(incidents.size(), 1);
        const Incident &inc = incidents.first();
        QVERIFY2(inc.isOpen(), qPrintable(describe(incidents))); // the master is still down
        QCOMPARE(inc.severity, Severity::Critical);
        QCOMPARE(inc.rootId, qint64(1));
        QCOMPARE(inc.member(1)->role, MemberRole::Root);
        for (qint64 symptom : {2, 3, 4, 5, 6, 7, 11}) {
            const IncidentMember *m = inc.member(symptom);
            QVERIFY2(m && m->role == MemberRole::Symptom && m->causeId == 1, qPrintable(describe(incidents)));
            QVERIFY(!m->rule.isEmpty());
        }
        QCOMPARE(inc.member(9)->role, MemberRole::Recovery);
        QCOMPARE(inc.member(8)->role, MemberRole::Recovery); // the promoted replica has no link to lose
    }

    // Sentinel's events are journalled late: one stamped before the outage was known (a higher id,
    // an earlier time) is still its symptom, and the outage still the root.
    void lateJournalledEventsKeepTheirPlace()
    {
        Stream s = killedMaster();
        Event &early = s.add(-1500, QStringLiteral("sentinel.+sdown"), Severity::Warning, QStringLiteral("10.0.0.9:26380"),
                             {{QStringLiteral("instance_type"), QStringLiteral("master")}, {QStringLiteral("instance"), M}});
        const qint64 earlyId = early.id;
        const Incident inc = groupIncidents(s.events, {}, T0 + 10'000).first();
        QCOMPARE(inc.rootId, qint64(1));
        QCOMPARE(inc.member(earlyId)->role, MemberRole::Symptom);
        QCOMPARE(inc.member(earlyId)->causeId, qint64(1));
    }

    // A long outage with nothing in between: its recovery still ends it, past the gap.
    void recoveryPastTheGapEndsItsIncident()
    {
        Stream s;
        s.add(0, QStringLiteral("redis.unreachable"), Severity::Critical, M);
        s.add(20 * 60'000, QStringLiteral("redis.reachable"), Severity::Info, M);
        const QList<Incident> incidents = groupIncidents(s.events, {}, T0 + 30 * 60'000);
        QCOMPARE(incidents.size(), 1);
        QCOMPARE(incidents.first().resolvedMs, T0 + 25 * 60'000);
        // What happens to another server once the outage is over is not its symptom.
        Stream later;
        later.add(0, QStringLiteral("redis.unreachable"), Severity::Critical, M);
        later.add(1000, QStringLiteral("redis.reachable"), Severity::Info, M);
        later.add(60'000, QStringLiteral("replication.link_down"), Severity::Critical, R, {{QStringLiteral("master"), M}});
        const Incident one = groupIncidents(later.events, {}, T0 + 70'000).first();
        QCOMPARE(one.member(3)->role, MemberRole::Related);
        QCOMPARE(one.member(3)->causeId, qint64(-1));
    }

    // A minor problem a little before an outage in the same group (a replica's full sync as the
    // monitor starts) shares its incident, but the outage, which explains the rest, is its root.
    void theRootIsWhatExplainsMost()
    {
        Stream s;
        s.add(-19'000, QStringLiteral("replication.full_sync"), Severity::Warning, M);
        for (const Event &e : killedMaster().events)
            s.add(e.time.toMSecsSinceEpoch() - T0, e.kind, e.severity, e.source, e.data);
        const QList<Incident> incidents = groupIncidents(s.events, {}, T0 + 10'000);
        QCOMPARE(incidents.size(), 1);
        const Incident &inc = incidents.first();
        QCOMPARE(inc.id, qint64(1));
        QCOMPARE(inc.member(inc.rootId)->kind, QStringLiteral("redis.unreachable"));
        QCOMPARE(inc.member(1)->role, MemberRole::Related);
        QVERIFY2(inc.title.startsWith(QStringLiteral("master %1 unreachable").arg(M)) || inc.title.startsWith(QStringLiteral("server %1").arg(M)),
                 qPrintable(inc.title));
    }

    // A cluster node killed: the other nodes mark it failed, its replica takes its slots, and the
    // cluster's state goes to fail and back; the node's outage explains them.
    void clusterNodeFailureIsItsOutages()
    {
        Stream s;
        const QString C = QStringLiteral("cluster");
        const QString N = QStringLiteral("10.0.1.1:7000"), P = QStringLiteral("10.0.1.4:7003");
        s.add(0, QStringLiteral("redis.unreachable"), Severity::Critical, N, {}, C);
        s.add(1500, QStringLiteral("cluster.node_failed"), Severity::Critical, P, {{QStringLiteral("node"), N}}, C);
        s.add(1600, QStringLiteral("cluster.state_changed"), Severity::Critical, P,
              {{QStringLiteral("from"), QStringLiteral("ok")}, {QStringLiteral("to"), QStringLiteral("fail")}, {QStringLiteral("node"), N}}, C);
        s.add(2500, QStringLiteral("cluster.role_changed"), Severity::Warning, P,
              {{QStringLiteral("node"), N}, {QStringLiteral("from"), QStringLiteral("primary")}, {QStringLiteral("to"), QStringLiteral("replica")}},
              C);
        s.add(2600, QStringLiteral("cluster.state_changed"), Severity::Info, P,
              {{QStringLiteral("from"), QStringLiteral("fail")}, {QStringLiteral("to"), QStringLiteral("ok")}, {QStringLiteral("node"), N}}, C);
        const QList<Incident> incidents = groupIncidents(s.events, {}, T0 + 60'000);
        QCOMPARE(incidents.size(), 1);
        const Incident &inc = incidents.first();
        QCOMPARE(inc.rootId, qint64(1));
        for (const qint64 id : {2, 4}) {
            QCOMPARE(inc.member(id)->causeId, qint64(1));
            QCOMPARE(inc.member(id)->rule, QStringLiteral("the server was unreachable"));
        }
        QCOMPARE(inc.member(5)->role, MemberRole::Recovery);
    }

    // A service's primary falls silent: the service is down, the standby takes over, and with no
    // standby left it is degraded. The primary's silence is the root of the outage and takeover.
    void servicePrimarySilenceIsTheRoot()
    {
        Stream s;
        const QString svc = QStringLiteral("service orders");
        const QJsonObject carrier{{QStringLiteral("carrier"), M}};
        s.add(0, QStringLiteral("heartbeat.suspect"), Severity::Warning, QStringLiteral("orders-1"), carrier);
        s.add(100, QStringLiteral("heartbeat.down"), Severity::Critical, QStringLiteral("orders-1"), carrier);
        s.add(200, QStringLiteral("service.down"), Severity::Critical, svc,
              {{QStringLiteral("service"), QStringLiteral("orders")}, {QStringLiteral("last_primary"), QStringLiteral("orders-1")}});
        s.add(900, QStringLiteral("service.takeover"), Severity::Info, svc,
              {{QStringLiteral("service"), QStringLiteral("orders")},
               {QStringLiteral("from"), QStringLiteral("orders-1")},
               {QStringLiteral("to"), QStringLiteral("orders-2")},
               {QStringLiteral("gap_ms"), 900}});
        s.add(1000, QStringLiteral("service.degraded"), Severity::Warning, svc,
              {{QStringLiteral("service"), QStringLiteral("orders")}, {QStringLiteral("last_primary"), QStringLiteral("orders-2")}});
        const QList<Incident> incidents = groupIncidents(s.events, {}, T0 + 60'000);
        QCOMPARE(incidents.size(), 1);
        const Incident &inc = incidents.first();
        // The down, which the service's events follow from, rather than the suspicion before it.
        QCOMPARE(inc.rootId, qint64(2));
        QCOMPARE(inc.member(3)->causeId, qint64(2));
        QCOMPARE(inc.member(3)->rule, QStringLiteral("the service's primary fell silent"));
        QCOMPARE(inc.member(4)->causeId, qint64(2));
        // Degraded with the new primary up: no silence of its own explains it.
        QCOMPARE(inc.member(5)->role, MemberRole::Related);
        QVERIFY(inc.isOpen()); // its problem (degraded) has not recovered
        s.add(5000, QStringLiteral("heartbeat.up"), Severity::Info, QStringLiteral("orders-1"), carrier);
        s.add(5100, QStringLiteral("service.healthy"), Severity::Info, svc, {{QStringLiteral("service"), QStringLiteral("orders")}});
        const Incident healed = groupIncidents(s.events, {}, T0 + 3600'000).first();
        QVERIFY(!healed.isOpen());
        QCOMPARE(healed.member(7)->role, MemberRole::Recovery);
    }

    // Whatever the order events are given in (sorted by time, then id), the same incidents.
    void orderDoesNotMatter()
    {
        const Stream s = killedMaster();
        const QString expected = describe(groupIncidents(s.events, {}, T0 + 10'000));
        QRandomGenerator random(42);
        for (int round = 0; round < 100; ++round) {
            QList<Event> shuffled = s.events;
            std::shuffle(shuffled.begin(), shuffled.end(), random);
            QCOMPARE(describe(groupIncidents(shuffled, {}, T0 + 10'000)), expected);
        }
    }

    void scopesAndGapsSeparateIncidents()
    {
        Stream s;
        s.add(0, QStringLiteral("redis.unreachable"), Severity::Critical, M);
        s.add(30'000, QStringLiteral("redis.unreachable"), Severity::Critical, QStringLiteral("10.1.0.1:6379"), {},
              QStringLiteral("replication:10.1.0.1:6379"));
        QCOMPARE(groupIncidents(s.events, {}, T0 + 60'000).size(), 2);

        Stream apart;
        apart.add(0, QStringLiteral("replication.lag_high"), Severity::Warning, R);
        apart.add(6 * 60'000, QStringLiteral("replication.lag_high"), Severity::Warning, QStringLiteral("10.0.0.3:6379"));
        IncidentOptions options;
        QCOMPARE(groupIncidents(apart.events, options, T0 + 7 * 60'000).size(), 2);
        options.gapMs = 10 * 60'000;
        QCOMPARE(groupIncidents(apart.events, options, T0 + 7 * 60'000).size(), 1);
    }

    void informationNeverOpensOne()
    {
        Stream s;
        s.add(0, QStringLiteral("replication.replica_added"), Severity::Info, M);
        QVERIFY(groupIncidents(s.events, {}, T0 + 1000).isEmpty());
        s.add(1000, QStringLiteral("replication.lag_high"), Severity::Warning, R);
        s.add(2000, QStringLiteral("persistence.bgsave_ok"), Severity::Info, M);
        const QList<Incident> incidents = groupIncidents(s.events, {}, T0 + 3000);
        QCOMPARE(incidents.size(), 1);
        QCOMPARE(incidents.first().members.size(), 2); // the lag and the save after it
    }

    void resolvedOnceRecoveredAndQuiet()
    {
        Stream s;
        s.add(0, QStringLiteral("redis.unreachable"), Severity::Critical, M);
        s.add(14'000, QStringLiteral("redis.reachable"), Severity::Info, M);
        IncidentOptions options;
        options.quietMs = 30'000;
        QVERIFY(groupIncidents(s.events, options, T0 + 20'000).first().isOpen());
        const Incident done = groupIncidents(s.events, options, T0 + 60'000).first();
        QCOMPARE(done.resolvedMs, T0 + 44'000);
        QCOMPARE(done.member(2)->role, MemberRole::Recovery);
        // A problem without its recovery keeps it open (at most a day).
        Stream unrecovered;
        unrecovered.add(0, QStringLiteral("replication.link_down"), Severity::Critical, R, {{QStringLiteral("master"), M}});
        QVERIFY(groupIncidents(unrecovered.events, options, T0 + 3'600'000).first().isOpen());
        QCOMPARE(groupIncidents(unrecovered.events, options, T0 + 25 * 3'600'000).first().resolvedMs, T0 + 24 * 3'600'000);
    }

    // +sdown for a master Vigil still reaches: the sentinels lost it, not Vigil: a network problem.
    void sentinelsLosingAReachableMasterIsTheRoot()
    {
        Stream s;
        s.add(0, QStringLiteral("sentinel.+sdown"), Severity::Warning, S,
              {{QStringLiteral("instance_type"), QStringLiteral("master")}, {QStringLiteral("instance"), M}});
        s.add(500, QStringLiteral("sentinel.+odown"), Severity::Critical, S,
              {{QStringLiteral("instance_type"), QStringLiteral("master")}, {QStringLiteral("instance"), M}});
        const Incident inc = groupIncidents(s.events, {}, T0 + 1000).first();
        QCOMPARE(inc.rootId, qint64(1));
        QVERIFY(inc.member(1)->rule.contains(QStringLiteral("network")));
        QVERIFY(inc.title.contains(QStringLiteral("while Vigil reached it")));

        // Stamped when raised: Vigil could not reach it either (its credentials refused, say),
        // so nothing points at the network.
        for (Event &e : s.events)
            e.data.insert(QStringLiteral("vigil_reaches"), false);
        const Incident lost = groupIncidents(s.events, {}, T0 + 1000).first();
        QCOMPARE(lost.rootId, qint64(1));
        QVERIFY2(lost.member(1)->rule.contains(QStringLiteral("could not reach it either")), qPrintable(lost.member(1)->rule));
        QCOMPARE(lost.title, QStringLiteral("sentinels judged %1 down").arg(M));
    }

    // The sentinels cut off from a master Vigil reaches fail over to the replica; the old master,
    // still a master, is a split brain until they reach it again and convert it. The loss explains
    // the failover and the split brain; the split brain explains the conversion.
    void networkProblemExplainsTheFailoverAndTheSplitBrain()
    {
        Stream s;
        const QJsonObject master{{QStringLiteral("instance_type"), QStringLiteral("master")}, {QStringLiteral("instance"), M}};
        s.add(0, QStringLiteral("sentinel.+sdown"), Severity::Warning, S, master);
        s.add(300, QStringLiteral("sentinel.+odown"), Severity::Critical, S, master);
        s.add(1500, QStringLiteral("redis.role_changed"), Severity::Warning, R,
              {{QStringLiteral("scope_master"), M},
               {QStringLiteral("from"), QStringLiteral("replica")},
               {QStringLiteral("to"), QStringLiteral("master")}});
        s.add(1600, QStringLiteral("sentinel.+switch-master"), Severity::Critical, S,
              {{QStringLiteral("old_master"), M}, {QStringLiteral("new_master"), R}, {QStringLiteral("master"), M}});
        s.add(2500, QStringLiteral("replication.split_brain"), Severity::Critical, M, {{QStringLiteral("master"), R}});
        // The partition heals: the sentinels see the old master and convert it.
        s.add(20'000, QStringLiteral("sentinel.-sdown"), Severity::Info, S,
              {{QStringLiteral("instance_type"), QStringLiteral("slave")}, {QStringLiteral("instance"), M}});
        s.add(28'000, QStringLiteral("sentinel.+convert-to-slave"), Severity::Info, S,
              {{QStringLiteral("instance_type"), QStringLiteral("slave")}, {QStringLiteral("instance"), M}});
        s.add(28'010, QStringLiteral("redis.role_changed"), Severity::Warning, M,
              {{QStringLiteral("scope_master"), R},
               {QStringLiteral("from"), QStringLiteral("master")},
               {QStringLiteral("to"), QStringLiteral("replica")}});
        s.add(28'200, QStringLiteral("replication.full_sync"), Severity::Warning, R, {{QStringLiteral("scope_master"), R}});
        s.add(29'000, QStringLiteral("replication.split_brain_ended"), Severity::Warning, M, {{QStringLiteral("master"), R}});
        // Long after it ended, the old master's link dropping is its own matter.
        s.add(40'000, QStringLiteral("replication.link_down"), Severity::Critical, M, {{QStringLiteral("master"), R}});
        const QList<Incident> incidents = groupIncidents(s.events, {}, T0 + 60'000);
        QCOMPARE(incidents.size(), 1);
        const Incident &inc = incidents.first();
        QCOMPARE(inc.rootId, qint64(1));
        for (const qint64 id : {2, 3, 4, 5}) {
            QCOMPARE(inc.member(id)->causeId, qint64(1));
            QCOMPARE(inc.member(id)->rule, QStringLiteral("the sentinels lost the master"));
        }
        QCOMPARE(inc.member(6)->role, MemberRole::Recovery);
        for (const qint64 id : {7, 8, 9}) {
            QCOMPARE(inc.member(id)->causeId, qint64(5));
            QCOMPARE(inc.member(id)->rule, QStringLiteral("the split brain's stale master was converted"));
        }
        QCOMPARE(inc.member(10)->role, MemberRole::Recovery);
        QVERIFY(inc.member(11));
        QCOMPARE(inc.member(11)->role, MemberRole::Related);
        QVERIFY2(inc.title.contains(QStringLiteral("while Vigil reached it")), qPrintable(inc.title));
    }

    // An event joins the incident where its cause is, though it was stamped with another scope
    // (a node beating through a server of another group); Sentinel's failover summary joins the
    // incident of the master it replaced however late it comes.
    void eventsJoinTheIncidentOfTheirCause()
    {
        Stream s;
        s.add(0, QStringLiteral("redis.unreachable"), Severity::Critical, M);
        s.add(800, QStringLiteral("heartbeat.down"), Severity::Critical, QStringLiteral("billing"), {{QStringLiteral("carrier"), M}},
              QStringLiteral("replication:10.5.0.1:6379"));
        s.add(9 * 60'000, QStringLiteral("sentinel.failover"), Severity::Critical, S,
              {{QStringLiteral("old_master"), M}, {QStringLiteral("new_master"), R}}, QStringLiteral("sentinel:other-name"));
        s.add(10 * 60'000, QStringLiteral("redis.reachable"), Severity::Info, M);
        const QList<Incident> incidents = groupIncidents(s.events, {}, T0 + 11 * 60'000);
        QCOMPARE(incidents.size(), 1);
        const Incident &inc = incidents.first();
        QCOMPARE(inc.members.size(), 4);
        QCOMPARE(inc.member(2)->causeId, qint64(1));
        QCOMPARE(inc.member(3)->causeId, qint64(1));
        QVERIFY2(inc.title.endsWith(QStringLiteral("Sentinel promoted %1").arg(R)), qPrintable(inc.title));

        // Without its cause open, the node's silence is an incident of its own scope.
        s.events.removeFirst();
        const QList<Incident> alone = groupIncidents(s.events, {}, T0 + 11 * 60'000);
        QCOMPARE(alone.first().scope, QStringLiteral("replication:10.5.0.1:6379"));
        QCOMPARE(alone.first().rootId, qint64(2));
    }

    void silentNodeWithItsServerAnsweringIsItsOwnRoot()
    {
        Stream s;
        s.add(0, QStringLiteral("heartbeat.suspect"), Severity::Warning, QStringLiteral("app"), {{QStringLiteral("carrier"), M}});
        s.add(400, QStringLiteral("heartbeat.down"), Severity::Critical, QStringLiteral("app"), {{QStringLiteral("carrier"), M}});
        // The first sign (the suspicion) is the root; the down is the same problem, later.
        const Incident inc = groupIncidents(s.events, {}, T0 + 1000).first();
        QCOMPARE(inc.rootId, qint64(1));
        QVERIFY(inc.member(1)->rule.contains(QStringLiteral("silent")));
        QCOMPARE(inc.member(2)->role, MemberRole::Related);
    }

    void promotionPauseExplainsPausedBeats()
    {
        Stream s;
        s.add(0, QStringLiteral("replication.lag_high"), Severity::Warning, R);
        s.add(1000, QStringLiteral("action.promote.requested"), Severity::Info, R);
        s.add(1200, QStringLiteral("heartbeat.paused"), Severity::Info, QStringLiteral("app"), {{QStringLiteral("carrier"), M}});
        const Incident inc = groupIncidents(s.events, {}, T0 + 2000).first();
        QCOMPARE(inc.member(2)->role, MemberRole::Action);
        QCOMPARE(inc.member(3)->role, MemberRole::Symptom);
        QCOMPARE(inc.member(3)->causeId, qint64(2));
    }

    void repeatsAreCounted()
    {
        Stream s;
        for (int i = 0; i < 5; ++i) {
            s.add(i * 2000, QStringLiteral("redis.unreachable"), Severity::Critical, M);
            s.add(i * 2000 + 1000, QStringLiteral("redis.reachable"), Severity::Info, M);
        }
        const Incident inc = groupIncidents(s.events, {}, T0 + 20'000).first();
        QCOMPARE(inc.members.size(), 2);
        QCOMPARE(inc.members.first().repeats, 5);
        QCOMPARE(inc.members.last().repeats, 5);
    }

    // Lag is journalled by the master about each replica: one replica catching up ends its own
    // lag only, and a replica promoted has no lag left.
    void lagIsPerReplica()
    {
        const QString R2 = QStringLiteral("10.0.0.4:6379");
        Stream s;
        s.add(0, QStringLiteral("replication.lag_high"), Severity::Warning, M, {{QStringLiteral("replica"), R}});
        s.add(10, QStringLiteral("replication.lag_high"), Severity::Warning, M, {{QStringLiteral("replica"), R2}});
        s.add(1000, QStringLiteral("replication.lag_ok"), Severity::Info, M, {{QStringLiteral("replica"), R}});
        IncidentOptions options;
        options.quietMs = 1000;
        Incident inc = groupIncidents(s.events, options, T0 + 60'000).first();
        QVERIFY2(inc.isOpen(), qPrintable(describe({inc}))); // R2 still lags
        s.add(2000, QStringLiteral("redis.role_changed"), Severity::Warning, R2, {{QStringLiteral("to"), QStringLiteral("master")}});
        inc = groupIncidents(s.events, options, T0 + 60'000).first();
        QVERIFY2(!inc.isOpen(), qPrintable(describe({inc})));
        QCOMPARE(inc.member(3)->role, MemberRole::Recovery);
    }

    // Live grouping, one commit at a time and arriving out of order, stores what grouping the
    // whole stream at once gives; a note joins its incident whenever it is written.
    void liveGroupingEqualsGroupingAfterwards()
    {
        Stream s = killedMaster();
        // Two failures in two groups, and a second one in the first group long after.
        s.add(10'000, QStringLiteral("redis.unreachable"), Severity::Critical, R, {}, QStringLiteral("replication:") + R);
        s.add(12'000, QStringLiteral("redis.reachable"), Severity::Info, R, {}, QStringLiteral("replication:") + R);
        // One that began before the first and ended during it, in a third scope: the window held
        // for the open first incident must not cut it in two.
        const QString Z = QStringLiteral("10.0.0.3:6379");
        s.add(-5'000, QStringLiteral("redis.unreachable"), Severity::Critical, Z, {}, QStringLiteral("replication:") + Z);
        s.add(20'000, QStringLiteral("redis.reachable"), Severity::Info, Z, {}, QStringLiteral("replication:") + Z);
        // A note on the second incident, written after it settled while the first is still held.
        const qint64 secondId = s.events.at(s.events.size() - 4).id;
        s.add(200'000, QString::fromLatin1(kNoteKind), Severity::Info, QStringLiteral("operator"), {{QStringLiteral("incident"), secondId}}, {});
        s.add(900'000, QStringLiteral("redis.unreachable"), Severity::Critical, M);
        s.add(903'000, QStringLiteral("redis.reachable"), Severity::Info, M);
        IncidentOptions options;
        options.gapMs = 30'000;
        options.quietMs = 5'000;
        const qint64 firstId = s.events.first().id;
        s.add(950'000, QString::fromLatin1(kNoteKind), Severity::Info, QStringLiteral("operator"), {{QStringLiteral("incident"), firstId}}, {});
        // Past the first incident's longest life (its master never came back within it).
        const qint64 endMs = T0 + 25 * 3600 * 1000;
        const QList<Incident> expected = groupIncidents(s.events, options, endMs);
        QCOMPARE(expected.size(), 4);
        const auto first = std::find_if(expected.cbegin(), expected.cend(), [&](const Incident &i) { return i.id == firstId; });
        QVERIFY(first != expected.cend() && first->member(s.events.last().id));

        for (int round = 0; round < 20; ++round) {
            // Committed in arrival order: each event up to 2.5 s late.
            QList<std::pair<qint64, Event>> arrivals;
            for (const Event &e : std::as_const(s.events))
                arrivals.push_back({e.time.toMSecsSinceEpoch() + QRandomGenerator::global()->bounded(2500), e});
            std::sort(arrivals.begin(), arrivals.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
            IncidentBook book(options);
            QHash<qint64, Incident> stored;
            auto apply = [&](const IncidentBook::Update &u) {
                for (const Incident &i : u.changed)
                    stored.insert(i.id, i);
                for (const qint64 id : u.removed)
                    stored.remove(id);
                for (const Event &note : u.lateNotes)
                    if (stored.contains(noteIncident(note)))
                        stored[noteIncident(note)].members << noteMember(note);
            };
            qint64 now = T0;
            for (const auto &[at, e] : arrivals) {
                // Regrouped every second in between, as the writer does.
                for (; now + 1000 < at; now += 1000)
                    apply(book.regroup(now));
                book.add({e});
                apply(book.regroup(at));
                now = at;
            }
            apply(book.regroup(T0 + 2'000'000));
            QCOMPARE(book.hasUnsettled(), true);
            apply(book.regroup(endMs));
            QCOMPARE(book.hasUnsettled(), false);
            QList<Incident> live = stored.values();
            std::sort(live.begin(), live.end(), [](const Incident &a, const Incident &b) { return a.openedMs < b.openedMs; });
            QCOMPARE(describe(live), describe(expected));
            QCOMPARE(book.eventCount(), 0);
        }
    }

    // The incidents table in opening order: an incident whose opening moves earlier (an event
    // journalled late) moves its row, and a selection on it (a persistent index) goes with it.
    void modelRowsFollowTheirIncident()
    {
        IncidentModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto incident = [](qint64 id, qint64 openedMs) {
            Incident i;
            i.id = id;
            i.openedMs = openedMs;
            i.lastMs = openedMs;
            i.title = QStringLiteral("incident %1").arg(id);
            return i;
        };
        model.reset({incident(2, T0 + 2000), incident(1, T0 + 1000), incident(3, T0 + 3000)});
        QCOMPARE(model.rowOf(1), 0);
        QCOMPARE(model.rowOf(3), 2);
        const QPersistentModelIndex selected = model.index(2, 0);
        QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &IncidentModel::incidentChanged);

        model.apply({incident(3, T0 + 500)}, {});
        QCOMPARE(moved.count(), 1);
        QCOMPARE(removed.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.rowOf(3), 0);
        QCOMPARE(selected.row(), 0);
        QCOMPARE(model.incident(0).openedMs, T0 + 500);
        QCOMPARE(model.rowOf(1), 1);
        QCOMPARE(model.rowOf(2), 2);

        // Growing in place moves nothing; a new one takes its place in the order.
        model.apply({incident(1, T0 + 1000), incident(4, T0 + 1500)}, {});
        QCOMPARE(moved.count(), 1);
        QCOMPARE(model.rowOf(4), 2);
        QCOMPARE(selected.row(), 0);
        // Later, to the end.
        model.apply({incident(3, T0 + 9000)}, {});
        QCOMPARE(model.rowOf(3), 3);
        QCOMPARE(selected.row(), 3);
    }

    // Recorded runs: the incidents grouped from each are the golden ones, also when the events
    // arrive in another order (each up to 3 s late, ids given in arrival order as a journal
    // would), 100 times over; the Markdown report of the first incident is golden too.
    void recordedCases_data()
    {
        QTest::addColumn<QString>("dir");
        const QString root = QFINDTESTDATA(QStringLiteral("data/incidents"));
        for (const QString &name : QDir(root).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            QTest::newRow(qPrintable(name)) << root + QLatin1Char('/') + name;
    }

    void recordedCases()
    {
        QFETCH(QString, dir);
        const Case c = loadCase(dir);
        QVERIFY(!c.events.isEmpty());
        QVERIFY(c.options.gapMs > 0 && c.options.quietMs > 0);
        const QList<Incident> incidents = groupIncidents(c.events, c.options, c.judgedAtMs);
        QString why;
        QVERIFY2(matchesGolden(dir + QStringLiteral("/incidents.json"), incidentsJson(incidents), &why), qPrintable(why));
        QVERIFY(!incidents.isEmpty());
        // What each case is about, whatever the golden says: its incidents' roots, all resolved.
        static const QHash<QString, QStringList> roots{
            {QStringLiteral("sigkill-sentinel-master"), {QStringLiteral("redis.unreachable")}},
            {QStringLiteral("promotion-by-operator"), {QStringLiteral("action.promote.requested")}},
            {QStringLiteral("two-groups-30s-apart"), {QStringLiteral("redis.unreachable"), QStringLiteral("redis.unreachable")}},
            {QStringLiteral("two-failures-past-the-gap"), {QStringLiteral("redis.unreachable"), QStringLiteral("redis.unreachable")}},
            {QStringLiteral("flapping-node"), {QStringLiteral("heartbeat.suspect")}},
            {QStringLiteral("network-problem"), {QStringLiteral("sentinel.+sdown")}},
            {QStringLiteral("sigstop-zombie-master"), {QStringLiteral("redis.unreachable")}},
        };
        const QString name = QFileInfo(dir).fileName();
        QVERIFY2(roots.contains(name), "a new case says what it is about here");
        QStringList rootKinds;
        for (const Incident &i : incidents) {
            rootKinds << (i.member(i.rootId) ? i.member(i.rootId)->kind : QString());
            QVERIFY(!i.isOpen());
        }
        QCOMPARE(rootKinds, roots.value(name));
        if (name == QLatin1String("two-groups-30s-apart"))
            QVERIFY(incidents[0].scope != incidents[1].scope);
        // The zombie's split brain comes of its outage, and its conversion of the split brain.
        if (name == QLatin1String("sigstop-zombie-master") || name == QLatin1String("network-problem")) {
            const Incident &inc = incidents.first();
            const auto brain = std::find_if(inc.members.cbegin(), inc.members.cend(),
                                            [](const IncidentMember &m) { return m.kind == QLatin1String("replication.split_brain"); });
            QVERIFY(brain != inc.members.cend());
            QCOMPARE(brain->causeId, inc.rootId);
            QVERIFY(std::any_of(inc.members.cbegin(), inc.members.cend(), [&](const IncidentMember &m) {
                return m.kind == QLatin1String("redis.role_changed") && m.causeId == brain->eventId;
            }));
        }
        if (name == QLatin1String("flapping-node")) {
            QVERIFY(incidents.first().member(incidents.first().rootId)->repeats > 1);
            QVERIFY(std::any_of(incidents.first().members.cbegin(), incidents.first().members.cend(),
                                [](const IncidentMember &m) { return m.kind == QLatin1String("heartbeat.flapping"); }));
        }
        ReportOptions utc;
        QVERIFY2(matchesGolden(dir + QStringLiteral("/report.md"), incidentReport(incidents.first(), c.events, ReportFormat::Markdown, utc), &why),
                 qPrintable(why));

        for (int round = 0; round < 100; ++round) {
            QList<std::pair<qint64, Event>> arrivals;
            for (const Event &e : c.events)
                arrivals.push_back({e.time.toMSecsSinceEpoch() + QRandomGenerator::global()->bounded(3000), e});
            std::stable_sort(arrivals.begin(), arrivals.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
            QList<Event> journalled;
            QHash<qint64, qint64> original;
            for (auto &[at, e] : arrivals) {
                // Two processes on one journal record the same Sentinel event twice: which of two
                // identical events an incident names is no difference.
                original.insert(journalled.size() + 1, c.canonical.value(e.id, e.id));
                e.id = journalled.size() + 1;
                journalled << e;
            }
            const QList<Incident> again = renumbered(groupIncidents(journalled, c.options, c.judgedAtMs), original);
            QVERIFY2(matchesGolden(dir + QStringLiteral("/incidents.json"), incidentsJson(again), &why), qPrintable(why));
        }
    }
};

QTEST_APPLESS_MAIN(TestIncidents)
#include "tst_incidents.moc"
