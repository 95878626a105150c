// The promotion planner, the snapshot checks, the replication trees and the health verdicts over
// plain data, against golden files, with no server:
//
//   tests/data/plans/<case>/topology.json   what the monitor holds (see topologyfixture.h)
//                          /request.json    the operator's request
//                          /plan.txt        the checks and steps planned (golden)
//                          /graph.txt       buildTopologyGraph and assessServer/assessSentinel (golden)
//   tests/data/recovery/<case>/topology.json   the servers when `vigil recover` looks
//                             /action.json     the unfinished action as its journal tells it, and
//                                              --keep
//                             /recovery.txt    what it found and plans (golden)
//   tests/data/snapshots/<case>/info.txt    the node's INFO
//                              /request.json
//                              /checks.txt  (golden)
//
// Run with VIGIL_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change.
#include "actions/promotionplan.h"
#include "actions/recovery.h"
#include "actions/snapshot.h"
#include "monitor/fleet.h"
#include "topology/infoparser.h"

#include "golden.h"
#include "topologyfixture.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace vigil;
using vigil::test::matchesGolden;
using vigil::test::readData;

namespace {

QString yesNo(bool value)
{
    return value ? QStringLiteral("yes") : QStringLiteral("no");
}

QString orDash(const QString &text)
{
    return text.isEmpty() ? QStringLiteral("-") : text;
}

QString checkLine(const PreflightCheck &c)
{
    return QStringLiteral("  %1 %2 (%3): %4").arg(checkResultName(c.result), c.id, c.name, c.detail);
}

QByteArray planText(const PromotionPlan &plan)
{
    QStringList out;
    out << QStringLiteral("path: %1").arg(promotionPathName(plan.path)) << QStringLiteral("summary: %1").arg(plan.summary)
        << QStringLiteral("candidate: %1, reached as %2 %3").arg(plan.candidate, orDash(plan.candidateHost)).arg(plan.candidatePort)
        << QStringLiteral("master: %1 (%2)")
               .arg(orDash(plan.master), plan.masterReachable ? QStringLiteral("reachable") : QStringLiteral("unreachable"))
        << QStringLiteral("other replicas: %1").arg(orDash(plan.otherReplicas.join(QStringLiteral(", "))))
        << QStringLiteral("sentinel group: %1 (sentinels %2)").arg(orDash(plan.sentinelGroup), orDash(plan.sentinels.join(QStringLiteral(", "))))
        << QStringLiteral("cluster: %1 (primaries %2)").arg(orDash(plan.candidateClusterId), orDash(plan.clusterPrimaries.join(QStringLiteral(", "))))
        << QStringLiteral("expected loss: %1 bytes (acked gap %2)").arg(plan.expectedLossBytes).arg(plan.ackedLagBytes)
        << QStringLiteral("blocked: %1, needs override: %2").arg(yesNo(plan.blocked()), yesNo(plan.needsOverride())) << QStringLiteral("checks:");
    for (const PreflightCheck &c : plan.checks)
        out << checkLine(c);
    out << QStringLiteral("steps:");
    for (int i = 0; i < plan.steps.size(); ++i) {
        const PlanStep &s = plan.steps.at(i);
        QStringList flags;
        if (s.renewed)
            flags << QStringLiteral("renewed");
        if (s.pointOfNoReturn)
            flags << QStringLiteral("point of no return");
        out << QStringLiteral("  %1. %2 on %3: %4 (%5 ms)%6")
                   .arg(i + 1)
                   .arg(stepKindName(s.kind), s.node, s.command)
                   .arg(s.timeoutMs)
                   .arg(flags.isEmpty() ? QString() : QStringLiteral(" [%1]").arg(flags.join(QStringLiteral(", "))));
        if (!s.argv.isEmpty() && QString::fromUtf8(s.argv.join(' ')) != s.command)
            out << QStringLiteral("     sends: %1").arg(QString::fromUtf8(s.argv.join(' ')));
        out << QStringLiteral("     for: %1").arg(s.purpose);
        if (!s.undo.isEmpty())
            out << QStringLiteral("     undo: %1").arg(s.undo);
    }
    out << QStringLiteral("authorized by ACL DRYRUN:");
    for (const auto &[node, argv] : commandsToAuthorize(plan))
        out << QStringLiteral("  %1 on %2").arg(QString::fromUtf8(argv.join(' ')), node);
    return out.join(QLatin1Char('\n')).toUtf8() + '\n';
}

QString healthText(const NodeHealth &h)
{
    return h.reasons.isEmpty() ? healthName(h.level) : QStringLiteral("%1 (%2)").arg(healthName(h.level), h.reasons.join(QStringLiteral("; ")));
}

QByteArray graphText(const TopologyGraph &graph)
{
    QStringList out{QStringLiteral("servers:")};
    for (const GraphNode &n : graph.servers) {
        QStringList facts{QStringLiteral("group %1").arg(n.group)};
        if (n.depth > 0)
            facts << QStringLiteral("master %1%2").arg(n.master, n.masterKnown ? QString() : QStringLiteral(" (not monitored)"));
        if (n.lagBytes >= 0 || n.lagSeconds >= 0)
            facts << QStringLiteral("lag %1 B, %2 s").arg(n.lagBytes).arg(n.lagSeconds);
        if (!n.replicaState.isEmpty())
            facts << QStringLiteral("state %1").arg(n.replicaState);
        if (n.staleMaster)
            facts << QStringLiteral("stale master (%1: %2)").arg(n.staleKind, n.staleBecause);
        if (n.splitBrain)
            facts << QStringLiteral("split brain");
        if (n.namedBySentinels)
            facts << QStringLiteral("named by the sentinels");
        if (!n.cycle.isEmpty())
            facts << QStringLiteral("cycle %1").arg(n.cycle);
        if (!n.clusterId.isEmpty())
            facts << QStringLiteral("cluster %1 %2 %3").arg(n.clusterId, n.clusterRole, orDash(n.slots));
        out << QStringLiteral("  %1%2: %3").arg(QString(n.depth * 2, QLatin1Char(' ')), n.status.address, facts.join(QStringLiteral(", ")))
            << QStringLiteral("  %1  health: %2").arg(QString(n.depth * 2, QLatin1Char(' ')), healthText(assessServer(n, TopologyThresholds{})));
    }
    out << QStringLiteral("sentinels:");
    for (const TargetStatus &s : graph.sentinels)
        out << QStringLiteral("  %1: %2").arg(s.address, healthText(assessSentinel(s)));
    out << QStringLiteral("groups: %1").arg(graph.groups().join(QStringLiteral(", ")));
    // The fleet overview's tiles, worst first, as of a fixed time.
    out << QStringLiteral("overview:");
    const QList<GroupSummary> groups = summarizeGroups(graph, TopologyThresholds{}, 1'764'130'400);
    for (const GroupSummary &g : groups)
        out << QStringLiteral("  %1 (%2, %3): master %4, %5/%6 reachable, %7/%8 replicas linked, worst lag %9 B / %10 s, oldest save %11 s%12")
                   .arg(g.name, groupKindName(g.kind), healthName(g.health), orDash(g.master))
                   .arg(g.reachable)
                   .arg(g.servers)
                   .arg(g.replicasLinked)
                   .arg(g.replicas)
                   .arg(g.worstLagBytes)
                   .arg(g.worstLagSeconds)
                   .arg(g.oldestSaveSeconds)
                   .arg(g.neverSaved ? QStringLiteral(" (never saved)") : QString())
            << QStringLiteral("    %1").arg(g.reasons.isEmpty() ? QStringLiteral("-") : g.reasons.join(QStringLiteral("; ")));
    const FleetCounts counts = countFleet(graph, groups);
    out << QStringLiteral("counts: %1/%2 servers reachable, %3 groups, %4 degraded, %5/%6 sentinels reachable")
               .arg(counts.reachable)
               .arg(counts.servers)
               .arg(counts.groups)
               .arg(counts.degraded)
               .arg(counts.sentinelsReachable)
               .arg(counts.sentinels);
    return out.join(QLatin1Char('\n')).toUtf8() + '\n';
}

QJsonObject readJson(const QString &path)
{
    return QJsonDocument::fromJson(readData(path)).object();
}

PromotionRequest requestFrom(const QJsonObject &o)
{
    PromotionRequest r;
    r.candidate = o.value(QStringLiteral("candidate")).toString();
    r.force = o.value(QStringLiteral("force")).toBool();
    parseSwitchoverMethod(o.value(QStringLiteral("method")).toString(QStringLiteral("auto")), &r.method);
    r.maxLagBytes = o.value(QStringLiteral("max_lag_bytes")).toInteger(r.maxLagBytes);
    r.maxLagSeconds = o.value(QStringLiteral("max_lag_seconds")).toInt(r.maxLagSeconds);
    r.pauseTimeoutMs = o.value(QStringLiteral("pause_timeout_ms")).toInt(r.pauseTimeoutMs);
    return r;
}

QStringList caseDirs(const QString &root)
{
    QStringList dirs;
    for (const QString &name : QDir(root).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        dirs << root + QLatin1Char('/') + name;
    return dirs;
}

QStringList stringsOf(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &s : v.toArray())
        out << s.toString();
    return out;
}

QDateTime timeOf(const QJsonObject &o, const char *key)
{
    return QDateTime::fromString(o.value(QLatin1String(key)).toString(), Qt::ISODateWithMs);
}

UnfinishedAction actionFrom(const QJsonObject &o)
{
    UnfinishedAction a;
    a.actionId = QStringLiteral("a1");
    a.requestedAt = timeOf(o, "requested_at");
    a.operatorName = QStringLiteral("alice");
    a.path = o.value(QStringLiteral("path")).toString();
    a.master = o.value(QStringLiteral("master")).toString();
    a.candidate = o.value(QStringLiteral("candidate")).toString();
    a.otherReplicas = stringsOf(o.value(QStringLiteral("other_replicas")));
    a.sentinelGroup = o.value(QStringLiteral("sentinel_group")).toString();
    a.sentinels = stringsOf(o.value(QStringLiteral("sentinels")));
    a.begun = stringsOf(o.value(QStringLiteral("begun")));
    const QJsonObject priorities = o.value(QStringLiteral("priorities")).toObject();
    for (auto it = priorities.begin(); it != priorities.end(); ++it)
        a.priorities.insert(it.key(), it.value().toString());
    a.masterChanges = o.value(QStringLiteral("master_changes")).toInteger(-1);
    a.masterSaves = o.value(QStringLiteral("master_saves")).toInteger(-1);
    return a;
}

QString recoveryKindName(RecoveryStep::Kind kind)
{
    switch (kind) {
    case RecoveryStep::Kind::Promote: return QStringLiteral("promote");
    case RecoveryStep::Kind::Fence: return QStringLiteral("fence");
    case RecoveryStep::Kind::CheckWrites: return QStringLiteral("check-writes");
    case RecoveryStep::Kind::Follow: return QStringLiteral("follow");
    case RecoveryStep::Kind::Unpause: return QStringLiteral("unpause");
    case RecoveryStep::Kind::RestorePriority: return QStringLiteral("restore-priority");
    case RecoveryStep::Kind::SentinelFailover: return QStringLiteral("sentinel-failover");
    case RecoveryStep::Kind::WaitForElection: return QStringLiteral("wait-for-election");
    case RecoveryStep::Kind::FollowElected: return QStringLiteral("follow-elected");
    }
    return {};
}

QByteArray recoveryText(const RecoveryPlan &plan)
{
    QStringList out{QStringLiteral("found:")};
    for (const QString &f : plan.found)
        out << QStringLiteral("  %1").arg(f);
    out << QStringLiteral("refused: %1").arg(orDash(plan.refused)) << QStringLiteral("look again: %1").arg(yesNo(plan.lookAgain))
        << QStringLiteral("keep: %1%2").arg(orDash(plan.keep), plan.keepNamed ? QStringLiteral(" (named)") : QString()) << QStringLiteral("steps:");
    for (const RecoveryStep &s : plan.steps)
        out << QStringLiteral("  %1 on %2: %3 (%4)%5")
                   .arg(recoveryKindName(s.kind), s.node, QString::fromUtf8(s.argv.join(' ')), s.why,
                        s.kind == RecoveryStep::Kind::CheckWrites ? (s.mustBeNone ? QStringLiteral(" [must be none]") : QStringLiteral(" [counted]"))
                                                                  : QString());
    return out.join(QLatin1Char('\n')).toUtf8() + '\n';
}

struct PlannedCase
{
    PromotionPlan plan;
    TopologyGraph graph;
};

PlannedCase planCase(const QString &dir)
{
    test::TopologyFixture topology;
    QString error;
    if (!test::loadTopology(readJson(dir + QStringLiteral("/topology.json")), &topology, &error))
        qFatal("%s: %s", qPrintable(dir), qPrintable(error));
    PlannedCase c;
    c.graph = buildTopologyGraph(topology.servers, topology.clusterView());
    c.plan = planPromotion(c.graph, requestFrom(readJson(dir + QStringLiteral("/request.json"))));
    return c;
}

} // namespace

class TestPlans : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plans_data()
    {
        QTest::addColumn<QString>("dir");
        for (const QString &dir : caseDirs(QFINDTESTDATA(QStringLiteral("data/plans"))))
            QTest::newRow(qPrintable(QFileInfo(dir).fileName())) << dir;
    }

    void plans()
    {
        QFETCH(QString, dir);
        const PlannedCase c = planCase(dir);
        QString why;
        QVERIFY2(matchesGolden(dir + QStringLiteral("/graph.txt"), graphText(c.graph), &why), qPrintable(why));
        QVERIFY2(matchesGolden(dir + QStringLiteral("/plan.txt"), planText(c.plan), &why), qPrintable(why));
        // Whatever the golden says: a plan that is not refused ends with its verification, and
        // every step that changes a server before the point of no return says what undoes it.
        if (!c.plan.blocked()) {
            QVERIFY(!c.plan.steps.isEmpty());
            QCOMPARE(c.plan.steps.last().kind, StepKind::Verify);
        }
        for (const PlanStep &s : c.plan.steps) {
            if (s.pointOfNoReturn)
                break;
            if (s.kind == StepKind::Pause || s.kind == StepKind::PriorityZero || s.kind == StepKind::Failover)
                QVERIFY2(!s.undo.isEmpty(), qPrintable(s.command));
        }
    }

    // One case per path, per refusal and per warning: the cases together make every path, fail
    // every check that can refuse and warn every check that can warn.
    void plansCoverEveryOutcome()
    {
        QSet<QString> paths, refusals, warnings;
        for (const QString &dir : caseDirs(QFINDTESTDATA(QStringLiteral("data/plans")))) {
            const PromotionPlan plan = planCase(dir).plan;
            if (!plan.blocked())
                paths << promotionPathName(plan.path);
            for (const PreflightCheck &c : plan.checks) {
                if (c.result == PreflightCheck::Result::Fail)
                    refusals << c.id;
                if (c.result == PreflightCheck::Result::Warn)
                    warnings << c.id;
            }
        }
        const QSet<QString> allPaths{QStringLiteral("failover"),
                                     QStringLiteral("switchover-by-hand"),
                                     QStringLiteral("sentinel-switchover"),
                                     QStringLiteral("forced"),
                                     QStringLiteral("forced-sentinel"),
                                     QStringLiteral("cluster-failover"),
                                     QStringLiteral("cluster-failover-force")};
        const QSet<QString> allRefusals{QStringLiteral("candidate-known"),
                                        QStringLiteral("candidate-reachable"),
                                        QStringLiteral("candidate-replica"),
                                        QStringLiteral("candidate-address"),
                                        QStringLiteral("direct-replica"),
                                        QStringLiteral("master-down"),
                                        QStringLiteral("master-reachable"),
                                        QStringLiteral("failover-available"),
                                        QStringLiteral("link-up"),
                                        QStringLiteral("state-online"),
                                        QStringLiteral("not-loading"),
                                        QStringLiteral("byte-gap"),
                                        QStringLiteral("lag"),
                                        QStringLiteral("no-failover-running"),
                                        QStringLiteral("candidate-electable")};
        const QSet<QString> allWarnings{QStringLiteral("possible-loss"), QStringLiteral("no-split-brain"), QStringLiteral("best-candidate"),
                                        QStringLiteral("other-replicas")};
        QCOMPARE(QSet<QString>(allPaths - paths), QSet<QString>());
        QCOMPARE(QSet<QString>(allRefusals - refusals), QSet<QString>());
        QCOMPARE(QSet<QString>(refusals - allRefusals), QSet<QString>()); // a new refusal is listed above
        QCOMPARE(QSet<QString>(allWarnings - warnings), QSet<QString>());
        QCOMPARE(QSet<QString>(warnings - allWarnings), QSet<QString>());
    }

    // `vigil recover` over the servers as they are: what it finds, keeps, does or refuses.
    void recoveries_data()
    {
        QTest::addColumn<QString>("dir");
        for (const QString &dir : caseDirs(QFINDTESTDATA(QStringLiteral("data/recovery"))))
            QTest::newRow(qPrintable(QFileInfo(dir).fileName())) << dir;
    }

    void recoveries()
    {
        QFETCH(QString, dir);
        test::TopologyFixture topology;
        QString error;
        QVERIFY2(test::loadTopology(readJson(dir + QStringLiteral("/topology.json")), &topology, &error), qPrintable(error));
        const QJsonObject o = readJson(dir + QStringLiteral("/action.json"));
        const UnfinishedAction action = actionFrom(o);
        QVERIFY(!action.master.isEmpty() && !action.candidate.isEmpty());
        const RecoveryPlan plan =
            planRecovery(action, buildTopologyGraph(topology.servers, topology.clusterView()), o.value(QStringLiteral("keep")).toString());
        QString why;
        QVERIFY2(matchesGolden(dir + QStringLiteral("/recovery.txt"), recoveryText(plan), &why), qPrintable(why));
        // Whatever the golden says: a plan either refuses or keeps a master, never both.
        QVERIFY(plan.refused.isEmpty() != plan.keep.isEmpty());
    }

    void snapshots_data()
    {
        QTest::addColumn<QString>("dir");
        for (const QString &dir : caseDirs(QFINDTESTDATA(QStringLiteral("data/snapshots"))))
            QTest::newRow(qPrintable(QFileInfo(dir).fileName())) << dir;
    }

    void snapshots()
    {
        QFETCH(QString, dir);
        const InfoSnapshot info = parseInfo(readData(dir + QStringLiteral("/info.txt")));
        const QJsonObject o = readJson(dir + QStringLiteral("/request.json"));
        SnapshotRequest request;
        request.node = QStringLiteral("10.0.0.1:6379");
        request.schedule = o.value(QStringLiteral("schedule")).toBool();
        QStringList out;
        const QList<PreflightCheck> checks = snapshotChecks(info, request);
        for (const PreflightCheck &c : checks)
            out << checkLine(c);
        out << QStringLiteral("refused: %1").arg(orDash(refusalReasons(checks, false).join(QStringLiteral("; "))));
        QString why;
        QVERIFY2(matchesGolden(dir + QStringLiteral("/checks.txt"), out.join(QLatin1Char('\n')).toUtf8() + '\n', &why), qPrintable(why));
    }
};

QTEST_APPLESS_MAIN(TestPlans)
#include "tst_plans.moc"
