// Recovering promotions that never ended.
#include "recovery.h"

#include "journal/journal.h"
#include "topology/infoparser.h"

#include <QFile>
#include <QFileInfo>
#include <QSysInfo>
#include <QJsonArray>
#include <QTimer>

#include <map>
#include <memory>

#include <csignal>

namespace vigil {

namespace {

constexpr int kStepTimeoutMs = 3000;
constexpr int kVerifyAttempts = 50; // every 200 ms: ten seconds for the replicas to attach
constexpr int kWaitStepMs = 250;    // how often a node waited for is asked again
constexpr int kVerifyIntervalMs = 200;

// An event that ends an action: what it changed is settled. A failure past the point of no return
// is not (the roles are as the failure left them), nor a recovery whose verification failed.
bool closes(const Event &e)
{
    if (e.kind == QLatin1String("action.promote.succeeded") || e.kind == QLatin1String("action.promote.aborted"))
        return true;
    if (e.kind == QLatin1String("action.promote.failed"))
        return !e.data.value(QStringLiteral("past_point_of_no_return")).toBool();
    if (e.kind == QLatin1String("action.promote.recovered"))
        return e.data.value(QStringLiteral("ok")).toBool();
    return false;
}

QStringList strings(const QJsonValue &v)
{
    QStringList list;
    for (const QJsonValue &e : v.toArray())
        list << e.toString();
    return list;
}

RecoveryStep makeStep(RecoveryStep::Kind kind, const QString &node, QList<QByteArray> argv, const QString &why)
{
    RecoveryStep step;
    step.kind = kind;
    step.node = node;
    step.argv = std::move(argv);
    step.why = why;
    return step;
}

QList<QByteArray> replicaOf(const QString &host, quint16 port)
{
    return {QByteArrayLiteral("REPLICAOF"), host.toUtf8(), QByteArray::number(port)};
}

} // namespace

QString UnfinishedAction::describe() const
{
    return QStringLiteral("promotion of %1 (%2) by %3 at %4, last journalled: %5")
        .arg(candidate, path, operatorName.isEmpty() ? QStringLiteral("?") : operatorName, formatTime(requestedAt),
             lastIntent.isEmpty() ? QStringLiteral("no step had begun") : lastIntent);
}

bool UnfinishedAction::stillRunning() const
{
    if (pid <= 0 || host != QSysInfo::machineHostName() || ::kill(pid_t(pid), 0) != 0)
        return false;
    // A live process of that id that is a vigil (ids are reused).
    QFile comm(QStringLiteral("/proc/%1/comm").arg(pid));
    return !comm.open(QIODevice::ReadOnly) || comm.readAll().trimmed() == "vigil";
}

qint64 WritesSince::count(const InfoSnapshot &info) const
{
    if (measure == Measure::Offset)
        return !info.replId2.isEmpty() && info.secondReplOffset > 0 ? info.masterReplOffset - (info.secondReplOffset - 1) : -1;
    if (changes < 0 || info.changesSinceSave < 0)
        return -1;
    const bool noSaveSince = saves >= 0 && info.rdbSaves >= 0 ? info.rdbSaves == saves : info.lastSaveTime == lastSave;
    return noSaveSince ? info.changesSinceSave - changes : -1;
}

QList<UnfinishedAction> unfinishedActions(const QList<Event> &events)
{
    std::map<QString, UnfinishedAction> open; // by action id
    QList<QString> order;
    QList<Event> sorted = events;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Event &a, const Event &b) { return a.time < b.time; });
    for (const Event &e : std::as_const(sorted)) {
        if (!e.kind.startsWith(QLatin1String("action.promote.")))
            continue;
        const QString id = e.data.value(QStringLiteral("action_id")).toString();
        if (id.isEmpty())
            continue;
        if (e.kind == QLatin1String("action.promote.requested")) {
            UnfinishedAction a;
            a.actionId = id;
            a.requestedAt = e.time;
            a.operatorName = e.data.value(QStringLiteral("operator")).toString();
            a.pid = e.data.value(QStringLiteral("pid")).toInteger();
            a.host = e.data.value(QStringLiteral("host")).toString();
            a.path = e.data.value(QStringLiteral("path")).toString();
            a.master = e.data.value(QStringLiteral("master")).toString();
            a.candidate = e.data.value(QStringLiteral("candidate")).toString();
            a.candidateHost = e.data.value(QStringLiteral("candidate_host")).toString();
            a.candidatePort = quint16(e.data.value(QStringLiteral("candidate_port")).toInt());
            a.otherReplicas = strings(e.data.value(QStringLiteral("other_replicas")));
            a.sentinelGroup = e.data.value(QStringLiteral("sentinel_group")).toString();
            a.sentinels = strings(e.data.value(QStringLiteral("sentinels")));
            open[id] = a;
            order << id;
            continue;
        }
        const auto it = open.find(id);
        if (it == open.end())
            continue;
        if (closes(e)) {
            open.erase(it);
            continue;
        }
        if (e.kind != QLatin1String("action.promote.intent"))
            continue;
        UnfinishedAction &a = it->second;
        const QString kind = e.data.value(QStringLiteral("kind")).toString();
        a.begun << kind;
        a.lastIntent = e.message;
        if (kind == QLatin1String("priority-zero"))
            a.priorities.insert(e.data.value(QStringLiteral("node")).toString(), e.data.value(QStringLiteral("previous")).toString());
        const auto number = [&e](const char *key) { return e.data.value(QLatin1String(key)).toInteger(-1); };
        if (number("target_offset") >= 0) { // journalled once writes were paused, with the master's counters
            a.masterChanges = number("master_changes");
            a.masterLastSave = number("master_last_save");
            a.masterSaves = number("master_saves");
        }
    }
    QList<UnfinishedAction> list;
    for (const QString &id : std::as_const(order))
        if (const auto it = open.find(id); it != open.end())
            list << it->second;
    return list;
}

bool readUnfinishedActions(const QString &journalPath, QList<UnfinishedAction> *out, QString *error)
{
    QList<Event> events;
    JournalQuery query;
    query.kindPrefix = QStringLiteral("action.promote.");
    const bool ok = forEachJournalEvent(
        journalPath, query,
        [&events](const Event &e) {
            events << e;
            return true;
        },
        error);
    if (ok)
        *out = unfinishedActions(events);
    return ok;
}

QList<Event> unfinishedActionEvents(const QString &journalPath)
{
    QList<UnfinishedAction> unfinished;
    if (!QFileInfo::exists(journalPath) || !readUnfinishedActions(journalPath, &unfinished, nullptr))
        return {};
    QList<Event> events;
    for (const UnfinishedAction &a : std::as_const(unfinished))
        if (!a.stillRunning())
            events << Event::make(QStringLiteral("action.promote.unfinished"), Severity::Warning, a.candidate,
                                  QStringLiteral("unfinished %1: run `vigil recover` to finish or undo it").arg(a.describe()),
                                  {{QStringLiteral("action_id"), a.actionId},
                                   {QStringLiteral("master"), a.master},
                                   {QStringLiteral("candidate"), a.candidate},
                                   {QStringLiteral("begun"), QJsonArray::fromStringList(a.begun)}});
    return events;
}

RecoveryPlan planRecovery(const UnfinishedAction &a, const TopologyGraph &graph, const QString &keep)
{
    RecoveryPlan p;
    QStringList group{a.master, a.candidate};
    for (const QString &r : a.otherReplicas)
        if (!group.contains(r))
            group << r;
    auto infoOf = [&graph](const QString &address) -> const InfoSnapshot * {
        const GraphNode *n = graph.node(address);
        return n && n->reachable() ? n->info() : nullptr;
    };
    // A replica-priority the action set to 0 and nobody has put back yet.
    auto leftAtZero = [&infoOf](const QString &address, const QString &previous) {
        const InfoSnapshot *i = infoOf(address);
        return i && i->replicaPriority == 0 && previous != QLatin1String("0");
    };
    QStringList masters;
    for (const QString &address : std::as_const(group)) {
        const InfoSnapshot *i = infoOf(address);
        if (!i)
            p.found << QStringLiteral("%1 does not answer").arg(address);
        else if (i->isMaster())
            p.found << QStringLiteral("%1 is a master (offset %2)").arg(address).arg(i->masterReplOffset);
        else
            p.found << QStringLiteral("%1 is a replica of %2 (link %3)").arg(address, i->masterAddress(), i->linkStatus);
        if (i && i->isMaster())
            masters << address;
        if (i && i->isMaster() && !i->failoverState.isEmpty() && i->failoverState != QLatin1String("no-failover")) {
            p.refused = QStringLiteral("FAILOVER is still running on %1 (%2); it ends by itself at its timeout").arg(address, i->failoverState);
            p.lookAgain = true;
        }
    }
    if (a.began("pause") || a.began("failover"))
        p.found << QStringLiteral("writes were paused on %1; the pause ends by itself at its timeout").arg(a.master);
    if (p.lookAgain)
        return p;

    // Sentinel decides where it manages the group: Vigil does not fight it.
    QString named;
    bool unanimous = false;       // every sentinel of the action answers and names the same master
    QString sentinelToAsk;        // one of them that answers
    qint64 failoverTimeoutMs = 0; // the longest any of them reports
    if (!a.sentinelGroup.isEmpty()) {
        QHash<QString, int> votes;
        int voters = 0;
        for (const TargetStatus &s : graph.sentinels)
            for (const SentinelView &v : s.sentinelViews) {
                if (v.master.name != a.sentinelGroup || !s.connected)
                    continue;
                ++voters;
                ++votes[v.master.address()];
                failoverTimeoutMs = std::max(failoverTimeoutMs, v.master.fields.value(QStringLiteral("failover-timeout")).toLongLong());
                if ((!v.master.failoverState.isEmpty() && v.master.failoverState != QLatin1String("none"))
                    || v.master.hasFlag("failover_in_progress"))
                    p.lookAgain = true;
            }
        for (auto it = votes.cbegin(); it != votes.cend(); ++it)
            if (it.value() * 2 > voters)
                named = it.key();
        // Every sentinel of the action, each by its address, answers and names the same master.
        unanimous = !a.sentinels.isEmpty() && votes.size() == 1;
        for (const QString &address : a.sentinels) {
            const auto it =
                std::find_if(graph.sentinels.cbegin(), graph.sentinels.cend(), [&](const TargetStatus &s) { return s.answersTo(address); });
            const bool names = it != graph.sentinels.cend() && it->connected
                && std::any_of(it->sentinelViews.cbegin(), it->sentinelViews.cend(),
                               [&](const SentinelView &v) { return v.master.name == a.sentinelGroup && votes.contains(v.master.address()); });
            unanimous = unanimous && names;
            if (names && sentinelToAsk.isEmpty())
                sentinelToAsk = it->address;
        }
        p.found << (named.isEmpty() ? QStringLiteral("the sentinels of %1 agree on no master").arg(a.sentinelGroup)
                                    : QStringLiteral("the sentinels of %1 name %2").arg(a.sentinelGroup, named));
        if (p.lookAgain) {
            p.refused = QStringLiteral("Sentinel's failover of %1 is still running").arg(a.sentinelGroup);
            return p;
        }
        if (const GraphNode *n = named.isEmpty() ? nullptr : graph.node(named))
            named = n->status.address;
        // The master Sentinel names is dead: replacing it is Sentinel's (Vigil promoting another
        // would fight it), once it is down for down-after-milliseconds and failover-timeout has
        // passed since its last failover; or at once, asked with a forced promotion.
        if (!named.isEmpty() && !infoOf(named) && keep.isEmpty()) {
            p.refused = QStringLiteral("the sentinels name %1, which does not answer: Sentinel fails it over by itself (down-after-milliseconds "
                                       "after it went down, and no sooner than twice failover-timeout after its last failover), or now with "
                                       "`vigil promote --sentinel ... --candidate <a replica> --force`")
                            .arg(named);
            for (auto it = a.priorities.cbegin(); it != a.priorities.cend(); ++it)
                if (leftAtZero(it.key(), it.value()))
                    p.found << QStringLiteral("replica-priority of %1 is still 0 (the action set it): Sentinel cannot elect it").arg(it.key());
            return p;
        }
    }

    // The old master and the candidate must answer: one that is only cut off from Vigil may still
    // take writes, and keeping the other would make two masters. Under Sentinel the master it
    // names stays, and Sentinel turns the other into its replica when it is back.
    for (const QString &side : {a.master, a.candidate})
        if (!infoOf(side) && keep.isEmpty() && named.isEmpty()) {
            p.refused = QStringLiteral("%1 does not answer: whether it takes writes cannot be told; when it is down for good, name the master "
                                       "to keep with --keep")
                            .arg(side);
            return p;
        }

    // Writes since the split: the old master's counter against the one journalled when writes were
    // paused, the candidate's offset past its promotion.
    const WritesSince oldSince{WritesSince::Measure::Counter, a.masterChanges, a.masterSaves, a.masterLastSave};
    const WritesSince newSince{WritesSince::Measure::Offset};
    auto sinceOf = [&](const QString &address) { return address == a.candidate ? newSince : oldSince; };
    auto writesText = [](qint64 n) { return n >= 0 ? QString::number(n) : QStringLiteral("an unknown number of"); };

    // Which master stays, and why it must be promoted when it is a replica (REPLICAOF NO ONE).
    QString promoteWhy;
    bool finishThroughSentinel = false;
    if (!keep.isEmpty()) {
        const GraphNode *n = graph.node(keep);
        const QString address = n ? n->status.address : QString();
        // The old master or the candidate left a replica (the other one dead, say) is promoted:
        // the operator's decision, as with a forced promotion. Under Sentinel only the one the
        // sentinels name: a master they do not name would be theirs to fail over.
        const bool promoteIt = (address == a.master || address == a.candidate) && infoOf(address) && infoOf(address)->isReplica()
            && (a.sentinelGroup.isEmpty() || address == named) && !a.isCluster();
        if (!n || !group.contains(address) || (!masters.contains(address) && !promoteIt)) {
            p.refused = QStringLiteral("%1 is not a master among the action's servers (masters: %2)").arg(keep, masters.join(QStringLiteral(", ")));
            return p;
        }
        p.keep = address;
        p.keepNamed = true;
        if (promoteIt && !a.sentinelGroup.isEmpty()) {
            p.found << QStringLiteral("%1 is a replica: it is promoted, as --keep asks; the sentinels name it, and fail it over themselves "
                                      "if they judged it down meanwhile")
                           .arg(address);
            promoteWhy = QStringLiteral("promote the master kept");
        } else if (promoteIt) {
            p.found << QStringLiteral("%1 is a replica: it is promoted, as --keep asks").arg(address);
            promoteWhy = QStringLiteral("promote the master kept");
        }
    } else if (!named.isEmpty()) {
        // The failover Sentinel was asked for ended without promoting the candidate (it could not
        // reach it, say: -failover-abort-slave-timeout), and every sentinel still names the old
        // master the action demoted, with no other master than perhaps the candidate: Sentinel is
        // asked again, to finish the switchover. Promoting the old master back instead would race
        // the sentinels: they see a master that reports a replica's role as down, and may fail it
        // over at any time.
        const bool demotedNamed = !masters.contains(named) && named == a.master && a.began("demote") && infoOf(named) && infoOf(named)->isReplica()
            && std::all_of(masters.cbegin(), masters.cend(), [&a](const QString &m) { return m == a.candidate; });
        if (demotedNamed && !unanimous) {
            p.refused = QStringLiteral("the sentinels name %1, which the action demoted, but not every sentinel of the action answers and names "
                                       "it: whether Sentinel has moved on cannot be told")
                            .arg(named);
            p.lookAgain = true;
            return p;
        }
        if (demotedNamed && !infoOf(a.candidate)) {
            p.refused = QStringLiteral("the sentinels name %1, which the action demoted, and %2 does not answer: Sentinel cannot be asked to "
                                       "finish the switchover until it does; when %2 is down for good, --keep %1 promotes it again")
                            .arg(named, a.candidate);
            return p;
        }
        if (demotedNamed) {
            p.found << QStringLiteral("Sentinel's failover to %1 ended without promoting it, and every sentinel still names %2, which the action "
                                      "demoted: Sentinel is asked again, to finish the switchover")
                           .arg(a.candidate, named);
            p.keep = a.candidate;
            p.keepNamed = true;
            finishThroughSentinel = true;
        } else if (!masters.contains(named)) {
            p.refused = QStringLiteral("the sentinels name %1, which is not a master yet").arg(named);
            p.lookAgain = true;
            return p;
        } else {
            p.keep = named;
            p.keepNamed = true;
        }
    } else if (masters.size() == 1) {
        p.keep = masters.first();
    } else if (masters.isEmpty() && a.sentinelGroup.isEmpty() && !a.isCluster() && a.began("demote") && infoOf(a.candidate)
               && infoOf(a.candidate)->isReplica()) {
        // By hand, stopped between demoting the old master and promoting the candidate: it was
        // demoted only once the candidate had every byte, and with no master nothing was written
        // since. The promotion is finished.
        p.found << QStringLiteral("no master: %1 was demoted once %2 had every write, and nothing could be written since").arg(a.master, a.candidate);
        p.keep = a.candidate;
        promoteWhy = QStringLiteral("finish the promotion");
    } else if (masters.isEmpty()) {
        p.refused = QStringLiteral("no master answers among %1").arg(group.join(QStringLiteral(", ")));
        p.lookAgain = a.isCluster();
        return p;
    } else if (a.isCluster()) {
        p.refused = QStringLiteral("%1 all say master: the cluster has not settled its roles yet").arg(masters.join(QStringLiteral(", ")));
        p.lookAgain = true;
        return p;
    } else if (masters.size() == 2 && masters.contains(a.master) && masters.contains(a.candidate)) {
        // Both masters: the one that took writes since the split stays; if neither did, the
        // promotion is finished as planned (the candidate had every write when it was promoted).
        const qint64 oldWrites = oldSince.count(*infoOf(a.master));
        const qint64 newWrites = newSince.count(*infoOf(a.candidate));
        p.found << QStringLiteral("%1 took %2 write(s) since writes were paused; %3 took %4 byte(s) of writes since its promotion")
                       .arg(a.master, writesText(oldWrites), a.candidate, writesText(newWrites));
        if (oldWrites == 0)
            p.keep = a.candidate;
        else if (newWrites == 0)
            p.keep = a.master;
        else {
            p.refused = QStringLiteral("both %1 and %2 are masters and may both have taken writes: choose the one to keep with --keep (the "
                                       "other's writes since the split are lost)")
                            .arg(a.master, a.candidate);
            return p;
        }
    } else {
        p.refused = QStringLiteral("%1 are all masters: choose the one to keep with --keep").arg(masters.join(QStringLiteral(", ")));
        return p;
    }

    // How the others reach it.
    QString host;
    quint16 port = 0;
    if (p.keep == a.candidate && !a.candidateHost.isEmpty()) {
        host = a.candidateHost;
        port = a.candidatePort;
    } else {
        splitHostPort(p.keep, &host, &port);
    }
    const GraphNode *kept = graph.node(p.keep);
    auto follows = [&](const InfoSnapshot *i) {
        return i->isReplica() && i->masterPort == port && (i->masterHost == host || (kept && kept->status.answersTo(i->masterAddress())));
    };
    const QList<QByteArray> info{QByteArrayLiteral("INFO")};
    const QList<QByteArray> unpause{QByteArrayLiteral("CLIENT"), QByteArrayLiteral("UNPAUSE")};
    // A cluster moves roles itself: nothing is demoted or re-pointed there.
    if (!a.isCluster()) {
        for (const QString &m : std::as_const(masters)) {
            if (m == p.keep)
                continue;
            // Fenced, then asked again: what it took until the fence is lost by demoting it. With
            // --keep or Sentinel's choice that is the decision made; otherwise it must be nothing.
            const RecoveryStep fence =
                makeStep(RecoveryStep::Kind::Fence, m, {QByteArrayLiteral("CLIENT"), QByteArrayLiteral("PAUSE"), "5000", "WRITE"},
                         QStringLiteral("fence writes before demoting it"));
            RecoveryStep check = makeStep(RecoveryStep::Kind::CheckWrites, m, info, QStringLiteral("no write taken since the split"));
            check.writes = sinceOf(m);
            check.mustBeNone = keep.isEmpty() && named.isEmpty();
            if (!check.mustBeNone)
                check.why = QStringLiteral("its writes since the split are lost (counted here)");
            p.steps << fence << check
                    << makeStep(RecoveryStep::Kind::Follow, m, replicaOf(host, port), QStringLiteral("demote: %1 stays the master").arg(p.keep))
                    << makeStep(RecoveryStep::Kind::Unpause, m, unpause, QStringLiteral("its clients now get -READONLY"));
        }
        // Sentinel elects the replica furthest ahead of those it may elect (the candidate, or one
        // as far ahead if the action's rollback restored its priority: nothing was written since
        // the old master was paused), re-points the others, and is waited for until it names the
        // master elected: that one is kept. The priorities are restored after.
        if (finishThroughSentinel) {
            RecoveryStep failover =
                makeStep(RecoveryStep::Kind::SentinelFailover, sentinelToAsk,
                         {QByteArrayLiteral("SENTINEL"), QByteArrayLiteral("FAILOVER"), a.sentinelGroup.toUtf8()},
                         QStringLiteral("finish the switchover: Sentinel elects a replica, %1 or one as far ahead").arg(a.candidate));
            RecoveryStep wait = makeStep(RecoveryStep::Kind::WaitForElection, sentinelToAsk,
                                         {QByteArrayLiteral("SENTINEL"), QByteArrayLiteral("GET-MASTER-ADDR-BY-NAME"), a.sentinelGroup.toUtf8()},
                                         QStringLiteral("until Sentinel names another master than %1; that one is kept").arg(a.master));
            wait.waitMs = int(std::clamp<qint64>(failoverTimeoutMs, 10'000, 180'000));
            p.steps << failover << wait;
            // The others follow it directly, as Sentinel would have them do in time (a chained
            // replica, the old master under the candidate, it re-points only after failover-timeout).
            for (const QString &r : std::as_const(group))
                if (infoOf(r))
                    p.steps << makeStep(RecoveryStep::Kind::FollowElected, r, {QByteArrayLiteral("REPLICAOF"), QByteArrayLiteral("<elected>")},
                                        QStringLiteral("follow the master Sentinel elected (nothing when it is this one)"));
        }
        // Promoted only once no other master takes writes.
        if (!promoteWhy.isEmpty())
            p.steps << makeStep(RecoveryStep::Kind::Promote, p.keep,
                                {QByteArrayLiteral("REPLICAOF"), QByteArrayLiteral("NO"), QByteArrayLiteral("ONE")}, promoteWhy);
        // (A master not kept was fenced and unpaused above.)
        if (a.began("pause") && !a.began("unpause") && infoOf(a.master) && (a.master == p.keep || !masters.contains(a.master)))
            p.steps << makeStep(RecoveryStep::Kind::Unpause, a.master, unpause,
                                a.master == p.keep ? QStringLiteral("end the write pause now rather than at its timeout")
                                                   : QStringLiteral("its paused clients now get -READONLY"));
        for (const QString &r : std::as_const(group)) {
            const InfoSnapshot *i = infoOf(r);
            if (r == p.keep || masters.contains(r) || !i || follows(i) || finishThroughSentinel)
                continue;
            p.steps << makeStep(RecoveryStep::Kind::Follow, r, replicaOf(host, port), QStringLiteral("follow %1").arg(p.keep));
        }
    }
    for (auto it = a.priorities.cbegin(); it != a.priorities.cend(); ++it) {
        const InfoSnapshot *i = infoOf(it.key());
        if (!i) {
            p.found << QStringLiteral("replica-priority of %1 cannot be restored: it does not answer").arg(it.key());
            continue;
        }
        if (leftAtZero(it.key(), it.value()))
            p.steps << makeStep(RecoveryStep::Kind::RestorePriority, it.key(),
                                {QByteArrayLiteral("CONFIG"), QByteArrayLiteral("SET"), QByteArrayLiteral("replica-priority"), it.value().toUtf8()},
                                QStringLiteral("replica-priority back to %1 (the action set 0)").arg(it.value()));
    }
    return p;
}

RecoveryRunner::RecoveryRunner(UnfinishedAction action, RecoveryPlan plan, OptionsFor optionsFor, QObject *parent)
    : QObject(parent)
    , m_action(std::move(action))
    , m_plan(std::move(plan))
    , m_optionsFor(std::move(optionsFor))
{
}

Connection *RecoveryRunner::connectionTo(const QString &node)
{
    if (Connection *c = m_connections.value(node))
        return c;
    ConnectionOptions o = m_optionsFor(node);
    o.clientName = QByteArrayLiteral("vigil-action");
    o.keepAliveIntervalMs = 0;
    auto *c = new Connection(o, this);
    c->open();
    m_connections.insert(node, c);
    return c;
}

void RecoveryRunner::run()
{
    runStep(0);
}

void RecoveryRunner::runStep(int index)
{
    if (index >= m_plan.steps.size()) {
        verify(0);
        return;
    }
    RecoveryStep step = m_plan.steps.at(index);
    if (step.kind == RecoveryStep::Kind::FollowElected) {
        // Known only now: the master Sentinel elected.
        QString host;
        quint16 port = 0;
        if (step.node == m_plan.keep || !splitHostPort(m_plan.keep, &host, &port)) {
            runStep(index + 1);
            return;
        }
        step.argv = replicaOf(host, port);
        step.why = QStringLiteral("follow %1, the master Sentinel elected").arg(m_plan.keep);
    }
    connectionTo(step.node)->command(
        step.argv, this,
        [this, index, step](const Reply &r) {
            const bool wantsInfo = step.kind == RecoveryStep::Kind::CheckWrites;
            if (r.isError() || (wantsInfo && !r.isString())) {
                stop(QStringLiteral("%1 on %2 failed: %3")
                         .arg(QString::fromUtf8(step.argv.join(' ')), step.node, r.isError() ? r.text() : QStringLiteral("no INFO")));
                return;
            }
            QString outcome = QStringLiteral("OK");
            if (step.kind == RecoveryStep::Kind::WaitForElection) {
                if (m_waitingFor != index) {
                    m_waitingFor = index;
                    m_waited.start();
                }
                const bool named = r.isArray() && r.elements.size() == 2 && r.elements[0].isString() && r.elements[1].isString();
                const QString master =
                    named ? formatHostPort(QString::fromUtf8(r.elements[0].string), quint16(r.elements[1].string.toUInt())) : QString();
                if (master.isEmpty() || master == m_action.master) {
                    if (m_waited.elapsed() >= step.waitMs) {
                        stop(QStringLiteral("Sentinel still names %1 %2 s after it was asked to fail over: it found no replica to elect, or "
                                            "gave up; run `vigil recover` again")
                                 .arg(master.isEmpty() ? QStringLiteral("no master") : master)
                                 .arg(step.waitMs / 1000));
                        return;
                    }
                    QTimer::singleShot(kWaitStepMs, this, [this, index] { runStep(index); });
                    return;
                }
                m_plan.keep = master;
                outcome = QStringLiteral("%1 elected, after %2 ms").arg(master).arg(m_waited.elapsed());
            }
            if (step.kind == RecoveryStep::Kind::Fence)
                m_fenced << step.node;
            if (step.kind == RecoveryStep::Kind::Unpause)
                m_fenced.removeAll(step.node);
            if (step.kind == RecoveryStep::Kind::CheckWrites) {
                const qint64 writes = step.writes.count(parseInfo(r.string));
                outcome = writes >= 0 ? QStringLiteral("%1 since the split").arg(writes) : QStringLiteral("cannot be counted");
                if (step.mustBeNone && writes != 0) {
                    stop(QStringLiteral("%1 took writes since the split (%2): it is not demoted; choose the master to keep with --keep")
                             .arg(step.node, outcome));
                    return;
                }
            }
            const QString line = QStringLiteral("%1 on %2: %3 (%4)").arg(QString::fromUtf8(step.argv.join(' ')), step.node, outcome, step.why);
            m_done << line;
            Q_EMIT stepDone(line);
            runStep(index + 1);
        },
        kStepTimeoutMs);
}

void RecoveryRunner::stop(const QString &why)
{
    for (const QString &node : std::as_const(m_fenced))
        connectionTo(node)->command(
            {QByteArrayLiteral("CLIENT"), QByteArrayLiteral("UNPAUSE")}, this, [](const Reply &) {}, kStepTimeoutMs);
    m_done << QStringLiteral("stopped: %1").arg(why);
    // The unpauses go out before the report.
    QTimer::singleShot(100, this, [this, why] { finish(false, why); });
}

// One master (the one kept), every other answering server its replica with the link up, and the
// priorities back; asked again until it holds or the attempts run out.
void RecoveryRunner::verify(int attempt)
{
    QStringList nodes{m_action.master, m_action.candidate};
    for (const QString &r : std::as_const(m_action.otherReplicas))
        if (!nodes.contains(r))
            nodes << r;
    struct Round
    {
        int pending = 0;
        QStringList problems;
        QStringList seen;
    };
    auto round = std::make_shared<Round>();
    round->pending = int(nodes.size());
    for (const QString &node : std::as_const(nodes)) {
        connectionTo(node)->command(
            {QByteArrayLiteral("INFO")}, this,
            [this, node, round, attempt](const Reply &r) {
                if (!r.isString()) {
                    const bool leftOut = m_plan.keepNamed && node != m_plan.keep;
                    round->seen
                        << QStringLiteral("%1 does not answer%2").arg(node, leftOut ? QStringLiteral(" (left out: not the master kept)") : QString());
                    if ((node == m_action.master || node == m_action.candidate) && !leftOut)
                        round->problems << QStringLiteral("%1 does not answer").arg(node);
                } else {
                    const InfoSnapshot s = parseInfo(r.string);
                    if (node == m_plan.keep && !s.isMaster())
                        round->problems << QStringLiteral("%1 is not a master").arg(node);
                    if (node != m_plan.keep && (!s.isReplica() || s.linkStatus != QLatin1String("up")))
                        round->problems << QStringLiteral("%1 is %2")
                                               .arg(node,
                                                    s.isReplica() ? QStringLiteral("a replica with its link %1").arg(s.linkStatus)
                                                                  : QStringLiteral("a master"));
                    if (m_action.priorities.contains(node) && s.replicaPriority == 0 && m_action.priorities.value(node) != QLatin1String("0"))
                        round->problems << QStringLiteral("%1 still has replica-priority 0").arg(node);
                    round->seen << (s.isMaster() ? QStringLiteral("%1 master").arg(node)
                                                 : QStringLiteral("%1 replica of %2 (link %3, priority %4)")
                                                       .arg(node, s.masterAddress(), s.linkStatus)
                                                       .arg(s.replicaPriority));
                }
                if (--round->pending > 0)
                    return;
                if (round->problems.isEmpty() || attempt + 1 >= kVerifyAttempts) {
                    const bool ok = round->problems.isEmpty();
                    finish(ok,
                           ok ? QStringLiteral("one master, %1; %2").arg(m_plan.keep, round->seen.join(QStringLiteral("; ")))
                              : QStringLiteral("not as it should be: %1").arg(round->problems.join(QStringLiteral("; "))));
                    return;
                }
                QTimer::singleShot(kVerifyIntervalMs, this, [this, attempt] { verify(attempt + 1); });
            },
            kStepTimeoutMs);
    }
}

void RecoveryRunner::finish(bool ok, const QString &summary)
{
    if (m_sink)
        m_sink(Event::make(QStringLiteral("action.promote.recovered"), ok ? Severity::Info : Severity::Critical, m_action.candidate,
                           QStringLiteral("unfinished %1 %2: %3").arg(m_action.describe(), ok ? tr("recovered") : tr("NOT recovered"), summary),
                           {{QStringLiteral("action_id"), m_action.actionId},
                            {QStringLiteral("ok"), ok},
                            {QStringLiteral("kept"), m_plan.keep},
                            {QStringLiteral("found"), QJsonArray::fromStringList(m_plan.found)},
                            {QStringLiteral("done"), QJsonArray::fromStringList(m_done)},
                            {QStringLiteral("verification"), summary}}));
    Q_EMIT finished(ok, summary);
}

} // namespace vigil
