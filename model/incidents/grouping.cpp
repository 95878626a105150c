// Incident grouping: events by scope and time, problems and their recoveries, causes and roots.
#include "grouping.h"

#include <QHash>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <limits>

namespace vigil {

namespace {

// A cause may be stamped this long after its symptom: Sentinel's events are merged across sentinels
// before they are journalled, and a hung server is known to be unreachable only after a timeout.
constexpr qint64 kLateCauseMs = 3000;
// What an operator's promotion sets off goes on for a while after it reports its end: Sentinel
// reconfigures the other replicas, the old master is converted.
constexpr qint64 kActionTailMs = 10000;
// A server back from an outage says so in its own events for a while: its restart, its lost
// replicas, and (confirmed a couple of polls later) that it is a stale master beside the promoted one.
constexpr qint64 kAftermathMs = 10000;

bool isActionEnd(const Event &e)
{
    return e.kind == QLatin1String("action.promote.succeeded") || e.kind == QLatin1String("action.promote.failed")
        || e.kind == QLatin1String("action.promote.aborted");
}

// What a promotion changes on purpose: roles, replication, Sentinel's view, the beats it pauses.
bool promotionChanges(const Event &e)
{
    return e.kind == QLatin1String("redis.role_changed") || e.kind.startsWith(QLatin1String("replication."))
        || e.kind.startsWith(QLatin1String("sentinel.")) || e.kind.startsWith(QLatin1String("heartbeat."));
}

QString text(const Event &e, const char *key)
{
    return e.data.value(QLatin1String(key)).toString();
}

// The replica a lag event is about: the master journals it (its source), naming the replica.
QString laggingReplica(const Event &e)
{
    const QString replica = text(e, "replica");
    return replica.isEmpty() ? e.source : replica;
}

// An event as an incident's member; its role is settled once the incident's events are all known.
IncidentMember memberOf(const Event &e, MemberRole role = MemberRole::Related)
{
    IncidentMember m;
    m.eventId = e.id;
    m.timeMs = e.time.toMSecsSinceEpoch();
    m.kind = e.kind;
    m.source = e.source;
    m.severity = e.severity;
    m.role = role;
    return m;
}

// The same kind from the same source again is a repeat; Sentinel's events come from a sentinel
// about an instance, and a master's lag events about a replica: those tell them apart.
QString repeatKey(const Event &e)
{
    // A kind that both raises and ends a problem (cluster.state_changed to fail, then to ok) is
    // told apart by its severity: the recovery is never counted as the problem again.
    return e.kind + QLatin1Char('|') + e.source + QLatin1Char('|') + text(e, "instance") + QLatin1Char('|') + text(e, "replica") + QLatin1Char('|')
        + QString::number(int(e.severity));
}

// Whether `e` concerns the server at `address`: what an outage of that server explains.
bool concernsServer(const Event &e, const QString &address)
{
    if (e.kind.startsWith(QLatin1String("heartbeat.")))
        return text(e, "carrier") == address;
    if (e.kind.startsWith(QLatin1String("sentinel.")))
        return text(e, "instance") == address || text(e, "master") == address || text(e, "old_master") == address;
    if (e.kind == QLatin1String("replication.link_down"))
        return text(e, "master") == address;
    // Journalled by the master, from its INFO, about one of its replicas.
    if (e.kind == QLatin1String("replication.lag_high"))
        return e.source == address;
    if (e.kind == QLatin1String("cluster.node_failed") || e.kind == QLatin1String("cluster.role_changed"))
        return text(e, "node") == address;
    // A server that was out (hung) and comes back a master beside the promoted one: a split brain;
    // or it comes back restarted (it was killed).
    if (e.kind == QLatin1String("replication.split_brain") || e.kind == QLatin1String("redis.restarted"))
        return e.source == address;
    // A group's master gone: its replicas' roles and the replica lists change.
    if (e.kind == QLatin1String("redis.role_changed") || e.kind.startsWith(QLatin1String("replication.replica_")))
        return text(e, "scope_master") == address || e.source == address;
    return false;
}

// Whether `e` is part of converting the stale master of the split brain `brain` into a replica:
// Sentinel's commands to it, its role and link changing, its master taking it back (a full sync).
bool concernsStaleMaster(const Event &e, const Event &brain)
{
    const QString &zombie = brain.source;
    if (e.kind.startsWith(QLatin1String("sentinel.")))
        return text(e, "instance") == zombie;
    if (e.kind == QLatin1String("replication.full_sync"))
        return e.source == text(brain, "master");
    if (e.kind.startsWith(QLatin1String("replication.replica_")))
        return text(e, "replica") == zombie;
    return (e.kind == QLatin1String("redis.role_changed") || e.kind.startsWith(QLatin1String("replication."))) && e.source == zombie;
}

// The servers an event names (whose problems may explain it).
QStringList serversNamed(const Event &e)
{
    QStringList servers{e.source};
    for (const char *key : {"carrier", "instance", "master", "old_master", "scope_master", "node", "replica"})
        if (const QString s = text(e, key); !s.isEmpty() && !servers.contains(s))
            servers << s;
    return servers;
}

constexpr qint64 kOpenEnd = std::numeric_limits<qint64>::max() - kActionTailMs;

struct Open
{
    Incident incident;
    QSet<QString> problems;          // keys not recovered yet
    QHash<QString, int> memberIndex; // kind + source -> index in members (repeats are counted)
    QList<Event> events;             // every member event, repeats included, for the roles
};

const Event &eventOf(const Open &o, qint64 id)
{
    return *std::find_if(o.events.cbegin(), o.events.cend(), [id](const Event &e) { return e.id == id; });
}

// Why Sentinel's judgement is the root: Vigil reached the server then (stamped when raised), it
// did not either, or (journals from before the stamp) nothing says Vigil lost it.
QString sentinelRootRule(const Event &e)
{
    const QJsonValue reaches = e.data.value(QLatin1String("vigil_reaches"));
    if (reaches.isBool() && !reaches.toBool())
        return QStringLiteral("the sentinels judged the server down, and Vigil could not reach it either");
    return QStringLiteral("the sentinels lost a master Vigil still reaches: a network problem between them");
}

// What explains, for a while, what concerns one server.
enum class PeriodKind { Outage, SplitBrain, SentinelsLost }; // in the order they are looked at
struct Period
{
    PeriodKind kind;
    const Event *cause;
    QString server;
    qint64 fromMs;
    qint64 untilMs = kOpenEnd;
};

bool explains(const Period &p, const Event &e)
{
    return p.kind == PeriodKind::SplitBrain ? concernsStaleMaster(e, *p.cause) : concernsServer(e, p.server);
}

QString periodRule(PeriodKind kind)
{
    switch (kind) {
    case PeriodKind::Outage: return QStringLiteral("the server was unreachable");
    case PeriodKind::SplitBrain: return QStringLiteral("the split brain's stale master was converted");
    case PeriodKind::SentinelsLost: return QStringLiteral("the sentinels lost the master");
    }
    return {};
}

void assignRoles(Open &o)
{
    Incident &inc = o.incident;
    QSet<QString> problemKeys;
    for (const Event &e : o.events)
        if (const QString key = problemKey(e); !key.isEmpty())
            problemKeys.insert(key);
    QHash<qint64, qsizetype> indexOfId;
    for (qsizetype i = 0; i < inc.members.size(); ++i)
        indexOfId.insert(inc.members[i].eventId, i);
    // A repeat is no member: its first occurrence stands for it.
    auto memberIdOf = [&](const Event &e) {
        const qsizetype i = o.memberIndex.value(repeatKey(e), -1);
        return i < 0 ? e.id : inc.members[i].eventId;
    };

    // What explains, while it lasts, what concerns its server: an outage until the server is
    // reachable again; a split brain until it ended (its stale master's conversion); the sentinels
    // losing a master Vigil reached (no outage of it) until they see it again. Looked up by the
    // servers an event names, so that a server failing thousands of times in one incident costs
    // no more than a few.
    std::vector<Period> periods;
    QHash<QString, std::vector<size_t>> byServer;
    QHash<QString, size_t> open; // the problem a period's recovery ends -> the period
    auto add = [&](Period p, const QString &endKey) {
        if (open.contains(endKey))
            return; // the same problem again while it lasts
        open.insert(endKey, periods.size());
        byServer[p.server].push_back(periods.size());
        if (p.kind == PeriodKind::SplitBrain)
            byServer[text(*p.cause, "master")].push_back(periods.size()); // the master it rejoins
        periods.push_back(std::move(p));
    };
    auto close = [&](const QStringList &keys, qint64 t) {
        for (const QString &key : keys)
            if (const auto it = open.constFind(key); it != open.cend() && periods[it.value()].fromMs <= t) {
                periods[it.value()].untilMs = t;
                open.erase(it);
            }
    };
    for (const Event &e : o.events) {
        const qint64 t = e.time.toMSecsSinceEpoch();
        if (e.kind == QLatin1String("redis.unreachable"))
            add({PeriodKind::Outage, &e, e.source, t}, problemKey(e));
        else if (e.kind == QLatin1String("replication.split_brain"))
            add({PeriodKind::SplitBrain, &e, e.source, t}, problemKey(e));
        close(recoveryKeys(e), t);
    }
    // The periods that may explain `e`: of the servers it names, recent enough.
    auto candidates = [&](const Event &e) {
        std::vector<size_t> found;
        const QStringList servers = serversNamed(e);
        const qint64 t = e.time.toMSecsSinceEpoch();
        for (const QString &server : std::as_const(servers)) {
            const auto list = byServer.constFind(server);
            if (list == byServer.cend())
                continue;
            // In time order: from the last that began by then, back a bounded way.
            const auto last =
                std::upper_bound(list->cbegin(), list->cend(), t + kLateCauseMs, [&](qint64 at, size_t i) { return at < periods[i].fromMs; });
            constexpr int kLookBack = 64;
            int looked = 0;
            for (auto it = last; it != list->cbegin() && looked < kLookBack; ++looked)
                found.push_back(*--it);
        }
        return found;
    };
    auto within = [](const Period &p, const Event &e) {
        const qint64 t = e.time.toMSecsSinceEpoch();
        const bool aftermath = p.kind == PeriodKind::Outage && e.source == p.cause->source
            && (e.kind == QLatin1String("redis.restarted") || e.kind == QLatin1String("replication.replica_removed")
                || e.kind == QLatin1String("replication.split_brain"));
        const qint64 late = p.kind == PeriodKind::Outage ? kLateCauseMs : 0;
        const qint64 after = aftermath ? kAftermathMs : kLateCauseMs;
        // At one instant, only what comes first in the order events are taken in.
        if (t == p.fromMs && late == 0 && !eventBefore(*p.cause, e))
            return false;
        return p.fromMs <= t + late && t <= p.untilMs + after;
    };
    for (const Event &e : o.events) {
        const qint64 t = e.time.toMSecsSinceEpoch();
        const QString instance = text(e, "instance");
        if (e.kind == QLatin1String("sentinel.-sdown")) {
            close({QStringLiteral("lost|") + instance}, t);
            continue;
        }
        if (e.kind != QLatin1String("sentinel.+sdown") || text(e, "instance_type") != QLatin1String("master"))
            continue;
        const std::vector<size_t> near = candidates(e);
        const bool outage = std::any_of(near.cbegin(), near.cend(), [&](size_t i) {
            return periods[i].kind == PeriodKind::Outage && periods[i].server == instance && within(periods[i], e);
        });
        if (!outage)
            add({PeriodKind::SentinelsLost, &e, instance, t}, QStringLiteral("lost|") + instance);
    }
    for (auto &list : byServer)
        std::stable_sort(list.begin(), list.end(), [&](size_t a, size_t b) { return periods[a].fromMs < periods[b].fromMs; });

    // The operator's promotions in the incident, each from its request until a while after its end.
    struct Promotion
    {
        const Event *requested;
        qint64 untilMs;
    };
    std::vector<Promotion> promotions;
    for (const Event &e : o.events) {
        if (e.kind == QLatin1String("action.promote.requested"))
            promotions.push_back({&e, std::numeric_limits<qint64>::max()});
        else if (isActionEnd(e) && !promotions.empty() && promotions.back().untilMs == std::numeric_limits<qint64>::max())
            promotions.back().untilMs = e.time.toMSecsSinceEpoch() + kActionTailMs;
    }

    qint64 lastAction = -1;
    QList<qsizetype> uncaused;
    for (const Event &e : o.events) {
        const qsizetype i = indexOfId.value(e.id, -1);
        if (i < 0)
            continue; // a repeat: its first occurrence holds the role
        IncidentMember &m = inc.members[i];
        if (e.kind.startsWith(QLatin1String("action."))) {
            m.role = MemberRole::Action;
            if (e.kind == QLatin1String("action.promote.requested"))
                lastAction = e.id;
            continue;
        }
        if (e.kind == QLatin1String("heartbeat.paused") && lastAction >= 0) {
            m.role = MemberRole::Symptom;
            m.causeId = lastAction;
            m.rule = QStringLiteral("a promotion paused writes");
            continue;
        }
        // Information that ends a problem is its recovery (a -sdown, the server reachable again).
        const QStringList ends = recoveryKeys(e);
        const bool recovers = std::any_of(ends.cbegin(), ends.cend(), [&](const QString &key) { return problemKeys.contains(key); });
        if (recovers && e.severity == Severity::Info) {
            m.role = MemberRole::Recovery;
            continue;
        }
        // An outage, the operator's promotion, a split brain or the sentinels' loss explains what
        // concerns its server while it lasts (also what was stamped a little before: see
        // kLateCauseMs). The first that explains it, in that order, is its cause; never one this
        // event itself explains, and never a problem it ends.
        const qint64 t = e.time.toMSecsSinceEpoch();
        const std::vector<size_t> near = candidates(e);
        auto explainedBy = [&](bool outage) -> const Period * {
            const Period *best = nullptr;
            for (const size_t at : near) {
                const Period &p = periods[at];
                if ((p.kind == PeriodKind::Outage) != outage || p.cause->id == e.id || !within(p, e) || !explains(p, e)
                    || ends.contains(problemKey(*p.cause)))
                    continue;
                const IncidentMember *cause = inc.member(memberIdOf(*p.cause));
                if (cause && cause->causeId == e.id)
                    continue;
                if (!best || std::tuple(int(p.kind), p.fromMs, p.cause->id) < std::tuple(int(best->kind), best->fromMs, best->cause->id))
                    best = &p;
            }
            return best;
        };
        const Period *cause = explainedBy(true);
        // What a promotion changes on purpose while it runs is its consequence, not a problem.
        const auto during = std::find_if(promotions.cbegin(), promotions.cend(),
                                         [&](const Promotion &p) { return p.requested->time.toMSecsSinceEpoch() <= t && t <= p.untilMs; });
        if (!cause && during != promotions.cend() && promotionChanges(e)) {
            m.role = MemberRole::Symptom;
            m.causeId = during->requested->id;
            m.rule = QStringLiteral("the operator's promotion");
            continue;
        }
        if (!cause)
            cause = explainedBy(false);
        if (cause) {
            m.role = MemberRole::Symptom;
            m.causeId = memberIdOf(*cause->cause);
            m.rule = periodRule(cause->kind);
            continue;
        }
        // A service without its primary, and the takeover that ends it, come of the primary
        // falling silent: its latest alarm before them.
        if (e.kind == QLatin1String("service.down") || e.kind == QLatin1String("service.degraded") || e.kind == QLatin1String("service.takeover")) {
            const QString node = text(e, e.kind == QLatin1String("service.takeover") ? "from" : "last_primary");
            const Event *alarm = nullptr;
            for (const Event &c : o.events) {
                if (c.source != node || c.time.toMSecsSinceEpoch() > t)
                    continue;
                if (c.kind == QLatin1String("heartbeat.down") || c.kind == QLatin1String("heartbeat.unknown")
                    || c.kind == QLatin1String("heartbeat.suspect"))
                    alarm = &c;
                else if (c.kind == QLatin1String("heartbeat.up"))
                    alarm = nullptr; // it beat again since
            }
            if (alarm && !node.isEmpty()) {
                m.role = MemberRole::Symptom;
                m.causeId = memberIdOf(*alarm);
                m.rule = QStringLiteral("the service's primary fell silent");
                continue;
            }
        }
        // A problem's end that nothing caused (a promoted replica's new role); a switch-master is
        // both, and the outage's consequence first.
        if (recovers) {
            m.role = MemberRole::Recovery;
            continue;
        }
        if (e.severity != Severity::Info)
            uncaused << i;
    }

    // The root: of the problems nothing explains, the one that explains most (its symptoms and theirs); among equals the earliest, and at one instant the
    // kind that explains most. An unrelated warning a little before an outage is not its root.
    QHash<qint64, int> explained;
    for (const IncidentMember &m : std::as_const(inc.members)) {
        qint64 at = m.causeId;
        for (int depth = 0; at >= 0 && depth < 8; ++depth) {
            ++explained[at];
            const IncidentMember *cause = inc.member(at);
            at = cause ? cause->causeId : -1;
        }
    }
    auto weight = [](const IncidentMember &m) {
        if (m.kind == QLatin1String("replication.split_brain"))
            return 0;
        if (m.kind == QLatin1String("redis.unreachable"))
            return 1;
        if (m.kind == QLatin1String("sentinel.+sdown") || m.kind == QLatin1String("sentinel.+odown"))
            return 2;
        if (m.kind == QLatin1String("heartbeat.down"))
            return 3;
        return 4;
    };
    // Every problem came of a promotion: the operator's request is the root.
    QList<qsizetype> roots = uncaused;
    if (roots.isEmpty() && !promotions.empty())
        roots << indexOfId.value(promotions.front().requested->id, -1);
    if (roots.isEmpty() || roots.first() < 0)
        return;
    const qsizetype root = *std::min_element(roots.cbegin(), roots.cend(), [&](qsizetype a, qsizetype b) {
        const IncidentMember &ma = inc.members[a], &mb = inc.members[b];
        return std::tuple(-explained.value(ma.eventId), ma.timeMs, weight(ma), a)
            < std::tuple(-explained.value(mb.eventId), mb.timeMs, weight(mb), b);
    });
    IncidentMember &r = inc.members[root];
    r.role = MemberRole::Root;
    inc.rootId = r.eventId;
    if (r.kind == QLatin1String("action.promote.requested"))
        r.rule = QStringLiteral("an operator's promotion");
    else if (r.kind == QLatin1String("redis.unreachable"))
        r.rule = QStringLiteral("the server became unreachable");
    else if (r.kind.startsWith(QLatin1String("sentinel.")))
        r.rule = sentinelRootRule(eventOf(o, r.eventId));
    else if (r.kind == QLatin1String("heartbeat.down") || r.kind == QLatin1String("heartbeat.suspect"))
        r.rule = QStringLiteral("the node fell silent while its server answers");
    else if (r.kind == QLatin1String("replication.split_brain"))
        r.rule = eventOf(o, r.eventId).data.value(QLatin1String("accepted_bytes")).toInteger() > 0
            ? QStringLiteral("two masters took writes")
            : QStringLiteral("two servers were masters at once");
    else
        r.rule = QStringLiteral("the first problem nothing else explains");
}

// One line a person reads first: what happened at the root, and what Sentinel did about it.
QString titleOf(const Open &o)
{
    const Incident &inc = o.incident;
    const auto root = std::find_if(o.events.cbegin(), o.events.cend(), [&](const Event &e) { return e.id == inc.rootId; });
    QString title;
    if (root == o.events.cend()) {
        title = QStringLiteral("%1: no problem found at its root").arg(inc.scope);
    } else if (root->kind == QLatin1String("action.promote.requested")) {
        title = QStringLiteral("promotion of %1 by %2").arg(text(*root, "candidate"), text(*root, "operator"));
        if (const QString reason = text(*root, "reason"); !reason.isEmpty())
            title += QStringLiteral(" (%1)").arg(reason);
    } else if (root->kind == QLatin1String("redis.unreachable")) {
        const QString master = text(*root, "scope_master");
        const QString role = master == root->source ? QStringLiteral("master")
            : master.isEmpty()                      ? QStringLiteral("server")
                                                    : QStringLiteral("replica");
        title = QStringLiteral("%1 %2 unreachable").arg(role, root->source);
        if (const QString reason = text(*root, "reason"); !reason.isEmpty())
            title += QStringLiteral(" (%1)").arg(reason);
    } else if (root->kind.startsWith(QLatin1String("sentinel.+"))) {
        const QJsonValue reaches = root->data.value(QLatin1String("vigil_reaches"));
        title = reaches.isBool() && !reaches.toBool() ? QStringLiteral("sentinels judged %1 down").arg(text(*root, "instance"))
                                                      : QStringLiteral("sentinels lost %1 while Vigil reached it").arg(text(*root, "instance"));
    } else {
        title = QStringLiteral("%1: %2").arg(root->source, root->message);
    }
    QStringList promoted;
    for (const Event &e : o.events)
        if (e.kind == QLatin1String("sentinel.+switch-master") || e.kind == QLatin1String("sentinel.failover"))
            if (const QString to = text(e, "new_master"); !to.isEmpty() && !promoted.contains(to))
                promoted << to;
    for (const QString &to : std::as_const(promoted))
        title += QStringLiteral("; Sentinel promoted %1").arg(to);
    return title;
}

// Closes `o` if, by `atMs`, it has recovered and been quiet, or lasted its longest.
void settle(Open &o, qint64 atMs, const IncidentOptions &options)
{
    Incident &inc = o.incident;
    if (!inc.isOpen())
        return;
    if (o.problems.isEmpty() && atMs >= inc.lastMs + options.quietMs)
        inc.resolvedMs = inc.lastMs + options.quietMs;
    else if (atMs >= inc.openedMs + options.maxDurationMs)
        inc.resolvedMs = inc.openedMs + options.maxDurationMs;
}

} // namespace

// The problem a problem event opens, as a key its recovery names too; empty for one-off problems
// (an error, a restart, a full sync), which need no recovery.
QString problemKey(const Event &e)
{
    const QString &k = e.kind;
    if (k == QLatin1String("redis.unreachable") || k == QLatin1String("redis.auth_failed"))
        return QStringLiteral("redis|") + e.source;
    if (k == QLatin1String("replication.link_down"))
        return QStringLiteral("link|") + e.source;
    if (k == QLatin1String("heartbeat.down") || k == QLatin1String("heartbeat.unknown") || k == QLatin1String("heartbeat.suspect"))
        return QStringLiteral("beat|") + e.source;
    if (k == QLatin1String("heartbeat.flapping"))
        return QStringLiteral("flap|") + e.source;
    if (k == QLatin1String("replication.lag_high"))
        return QStringLiteral("lag|") + laggingReplica(e);
    if (k == QLatin1String("sentinel.+sdown"))
        return QStringLiteral("sdown|") + text(e, "instance");
    if (k == QLatin1String("sentinel.+odown"))
        return QStringLiteral("odown|") + text(e, "instance");
    if (k == QLatin1String("cluster.state_changed") && text(e, "to") == QLatin1String("fail"))
        return QStringLiteral("cluster|") + text(e, "scope");
    if (k == QLatin1String("cluster.node_failed"))
        return QStringLiteral("cnode|") + text(e, "node");
    if (k == QLatin1String("replication.split_brain"))
        return QStringLiteral("brain|") + e.source;
    if (k == QLatin1String("replication.cycle"))
        return QStringLiteral("cycle|") + e.source;
    if (k == QLatin1String("service.down") || k == QLatin1String("service.degraded") || k == QLatin1String("service.split_brain"))
        return QStringLiteral("service|") + text(e, "service");
    return {};
}

// The problems a recovery event ends; empty when it ends none.
QStringList recoveryKeys(const Event &e)
{
    const QString &k = e.kind;
    if (k == QLatin1String("redis.reachable") || k == QLatin1String("redis.reconnected"))
        return {QStringLiteral("redis|") + e.source};
    // A replica promoted has no link to lose any more.
    if (k == QLatin1String("redis.role_changed") && text(e, "to") == QLatin1String("master"))
        return {QStringLiteral("link|") + e.source, QStringLiteral("lag|") + e.source};
    if (k == QLatin1String("replication.link_up"))
        return {QStringLiteral("link|") + e.source};
    if (k == QLatin1String("heartbeat.up"))
        return {QStringLiteral("beat|") + e.source};
    if (k == QLatin1String("heartbeat.steady"))
        return {QStringLiteral("flap|") + e.source};
    if (k == QLatin1String("replication.lag_ok"))
        return {QStringLiteral("lag|") + laggingReplica(e)};
    if (k == QLatin1String("sentinel.-sdown"))
        return {QStringLiteral("sdown|") + text(e, "instance")};
    if (k == QLatin1String("sentinel.-odown"))
        return {QStringLiteral("odown|") + text(e, "instance")};
    // Once the group's master is switched the old one is no master the sentinels judge: its
    // objective down state ends (its subjective one ends when it answers them again).
    if (k == QLatin1String("sentinel.+switch-master"))
        return {QStringLiteral("odown|") + text(e, "old_master")};
    if (k == QLatin1String("cluster.state_changed") && text(e, "to") == QLatin1String("ok"))
        return {QStringLiteral("cluster|") + text(e, "scope")};
    if (k == QLatin1String("cluster.node_recovered"))
        return {QStringLiteral("cnode|") + text(e, "node")};
    if (k == QLatin1String("replication.split_brain_ended"))
        return {QStringLiteral("brain|") + e.source};
    if (k == QLatin1String("replication.cycle_ended"))
        return {QStringLiteral("cycle|") + e.source};
    if (k == QLatin1String("service.healthy"))
        return {QStringLiteral("service|") + text(e, "service")};
    return {};
}

QString memberRoleName(MemberRole role)
{
    switch (role) {
    case MemberRole::Root: return QStringLiteral("root");
    case MemberRole::Symptom: return QStringLiteral("symptom");
    case MemberRole::Action: return QStringLiteral("action");
    case MemberRole::Recovery: return QStringLiteral("recovery");
    case MemberRole::Note: return QStringLiteral("note");
    case MemberRole::Related: return QStringLiteral("related");
    }
    return {};
}

bool eventBefore(const Event &a, const Event &b)
{
    const qint64 ta = a.time.toMSecsSinceEpoch(), tb = b.time.toMSecsSinceEpoch();
    if (ta != tb)
        return ta < tb;
    if (std::tie(a.kind, a.source, a.message) != std::tie(b.kind, b.source, b.message))
        return std::tie(a.kind, a.source, a.message) < std::tie(b.kind, b.source, b.message);
    // Two processes journal the same Sentinel event with slightly different data (when each saw
    // the other sentinels): which comes first must not depend on the ids they got.
    if (a.data != b.data) {
        const QByteArray da = QJsonDocument(a.data).toJson(QJsonDocument::Compact), db = QJsonDocument(b.data).toJson(QJsonDocument::Compact);
        if (da != db)
            return da < db;
    }
    return a.id < b.id;
}

bool parseMemberRole(const QString &name, MemberRole *role)
{
    for (const MemberRole r :
         {MemberRole::Root, MemberRole::Symptom, MemberRole::Action, MemberRole::Recovery, MemberRole::Note, MemberRole::Related})
        if (memberRoleName(r) == name) {
            *role = r;
            return true;
        }
    return false;
}

qint64 noteIncident(const Event &e)
{
    return e.kind == QLatin1String(kNoteKind) ? e.data.value(QLatin1String("incident")).toInteger(-1) : -1;
}

IncidentMember noteMember(const Event &e)
{
    return memberOf(e, MemberRole::Note);
}

const IncidentMember *Incident::member(qint64 eventId) const
{
    for (const IncidentMember &m : members)
        if (m.eventId == eventId)
            return &m;
    return nullptr;
}

QList<Incident> groupIncidents(QList<Event> events, const IncidentOptions &options, qint64 nowMs)
{
    std::sort(events.begin(), events.end(), eventBefore);
    std::vector<Open> all;
    QHash<QString, size_t> current; // scope -> the incident an event may still join
    QHash<QString, size_t> holder;  // problem key -> the open incident it is open in
    struct Running
    {
        Event requested;
        qint64 untilMs;
    };
    QHash<QString, Running> promotions; // scope -> the operator's latest promotion there
    for (const Event &e : std::as_const(events)) {
        const QString scope = text(e, "scope");
        if (scope.isEmpty() || e.kind == QLatin1String(kNoteKind))
            continue; // Vigil's own events, or before the topology was known; notes come last
        const qint64 t = e.time.toMSecsSinceEpoch();
        if (e.kind == QLatin1String("action.promote.requested"))
            promotions.insert(scope, {e, std::numeric_limits<qint64>::max()});
        else if (const auto p = promotions.find(scope); p != promotions.end() && isActionEnd(e))
            p->untilMs = std::min(p->untilMs, t + kActionTailMs);
        Open *o = nullptr;
        // A recovery goes to the incident its problem is open in, however long ago that was.
        for (const QString &key : recoveryKeys(e)) {
            if (const auto h = holder.constFind(key); h != holder.cend()) {
                Open &candidate = all[h.value()];
                settle(candidate, t, options);
                if (candidate.incident.isOpen() && candidate.problems.contains(key)) {
                    o = &candidate;
                    break;
                }
            }
        }
        // An open incident that `fits` an event within the gap of its last member (or at any time).
        auto joinable = [&](size_t at, bool anyTime) -> Open * {
            Open &candidate = all[at];
            settle(candidate, t, options);
            return candidate.incident.isOpen() && (anyTime || t - candidate.incident.lastMs <= options.gapMs) ? &candidate : nullptr;
        };
        // An incident holding a problem of a server the event concerns: where its cause is, in
        // whatever scope. Sentinel's failover summary goes to the incident of the master it
        // replaced, however late; anything else in its own scope's incident first.
        auto ofCause = [&](bool anyTime) -> Open * {
            for (const QString &server : serversNamed(e)) {
                if (!concernsServer(e, server))
                    continue;
                for (const char *prefix : {"redis|", "brain|", "sdown|", "odown|"}) {
                    const auto h = holder.constFind(QLatin1String(prefix) + server);
                    if (h == holder.cend() || !all[h.value()].problems.contains(h.key()))
                        continue;
                    if (Open *candidate = joinable(h.value(), anyTime))
                        return candidate;
                }
            }
            return nullptr;
        };
        if (!o && e.kind == QLatin1String("sentinel.failover"))
            o = ofCause(true);
        if (const auto it = current.constFind(scope); !o && it != current.cend())
            o = joinable(it.value(), false);
        if (!o)
            o = ofCause(false);
        if (!o) {
            if (e.severity == Severity::Info)
                continue; // information joins an incident, never opens one
            all.push_back({});
            current.insert(scope, all.size() - 1);
            o = &all.back();
            o->incident.id = e.id;
            o->incident.scope = scope;
            o->incident.openedMs = t;
            o->incident.severity = e.severity;
            // A problem in the group while an operator's promotion runs there: the incident
            // begins with the request.
            if (const auto p = promotions.constFind(scope); p != promotions.cend() && p->requested.time.toMSecsSinceEpoch() <= t && t <= p->untilMs
                && t - p->requested.time.toMSecsSinceEpoch() <= options.gapMs) {
                const Event &r = p->requested;
                o->incident.id = r.id;
                o->incident.openedMs = r.time.toMSecsSinceEpoch();
                o->events << r;
                o->memberIndex.insert(repeatKey(r), 0);
                o->incident.members << memberOf(r);
            }
        }
        Incident &inc = o->incident;
        inc.lastMs = t;
        if (int(e.severity) > int(inc.severity))
            inc.severity = e.severity;
        if (const QString key = problemKey(e); !key.isEmpty()) {
            o->problems.insert(key);
            holder.insert(key, size_t(o - all.data()));
        }
        for (const QString &key : recoveryKeys(e))
            o->problems.remove(key);
        o->events << e;
        const QString key = repeatKey(e);
        if (const auto m = o->memberIndex.constFind(key); m != o->memberIndex.cend()) {
            ++inc.members[m.value()].repeats;
            continue;
        }
        o->memberIndex.insert(key, int(inc.members.size()));
        inc.members << memberOf(e);
    }
    QList<Incident> incidents;
    for (Open &o : all) {
        settle(o, nowMs, options);
        assignRoles(o);
        o.incident.title = titleOf(o);
        incidents << o.incident;
    }
    // Notes last: one may be dated before its incident's first event (written afterwards about
    // what was seen earlier), and a note ends nothing and opens nothing.
    for (const Event &e : std::as_const(events)) {
        const qint64 target = noteIncident(e);
        if (target < 0)
            continue;
        for (Incident &incident : incidents) {
            if (incident.id != target)
                continue;
            const IncidentMember note = noteMember(e);
            const auto at =
                std::upper_bound(incident.members.begin(), incident.members.end(), note, [](const IncidentMember &a, const IncidentMember &b) {
                    return std::tuple(a.timeMs, a.eventId) < std::tuple(b.timeMs, b.eventId);
                });
            incident.members.insert(at, note);
            break;
        }
    }
    std::sort(incidents.begin(), incidents.end(),
              [](const Incident &a, const Incident &b) { return a.openedMs != b.openedMs ? a.openedMs < b.openedMs : a.scope < b.scope; });
    return incidents;
}

} // namespace vigil
