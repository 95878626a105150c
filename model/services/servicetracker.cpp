// Services over time: members, primaries, takeovers and the service's state.
#include "servicetracker.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <algorithm>
#include <limits>

namespace vigil {

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("ServiceTracker", text, nullptr, n);
}

const QString kPrimary = QStringLiteral("primary");
const QString kStandby = QStringLiteral("standby");

bool isUp(NodeState state)
{
    return state == NodeState::Up || state == NodeState::Suspect;
}

QString sourceOf(const QString &service)
{
    return QStringLiteral("service ") + service;
}

// `carrier`: the server the service's beats come through, which gives the event its scope.
Event stamped(Event e, qint64 atMs, const QString &carrier)
{
    e.time = QDateTime::fromMSecsSinceEpoch(atMs, Qt::UTC);
    if (!carrier.isEmpty())
        e.data.insert(QStringLiteral("carrier"), carrier);
    return e;
}

} // namespace

QString serviceStateName(ServiceState state)
{
    switch (state) {
    case ServiceState::Healthy: return QStringLiteral("healthy");
    case ServiceState::Degraded: return QStringLiteral("degraded");
    case ServiceState::Down: return QStringLiteral("down");
    case ServiceState::Split: return QStringLiteral("split");
    }
    return {};
}

void ServiceTracker::setGroups(const QHash<QString, QStringList> &groups)
{
    const QHash<QString, QString> before = m_groupOf;
    m_groups = groups;
    m_groupOf.clear();
    for (auto it = groups.cbegin(); it != groups.cend(); ++it)
        for (const QString &node : it.value())
            m_groupOf.insert(node, it.key());
    // A node taken out of its group leaves the service it was in by grouping; a service left
    // without members is forgotten. Its next beat puts it where it now belongs.
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        const QString &node = it.key();
        if (m_groupOf.value(node) == it.value())
            continue;
        if (m_serviceOf.value(node) == it.value())
            m_serviceOf.remove(node);
        else if (m_serviceOf.contains(node))
            continue; // it beats for a service of its own naming
        const auto s = m_services.find(it.value());
        if (s == m_services.end())
            continue;
        s->status.members.removeIf([&](const ServiceMember &x) { return x.node == node; });
        s->claims.remove(node);
        if (s->primary == node)
            s->primary.clear();
        if (s->status.members.isEmpty())
            m_services.erase(s);
    }
    // A group is a service from now on, heard from or not: judged down if none of its nodes beats.
    for (auto it = groups.cbegin(); it != groups.cend(); ++it) {
        for (const QString &node : it.value()) {
            if (m_named.contains(node))
                continue; // its beats name its service
            Service &s = m_services[it.key()];
            s.status.name = it.key();
            if (ServiceMember &m = member(s, node); m.lastBeatMs < 0)
                m.state = NodeState::Unknown; // not heard yet
            m_serviceOf.insert(node, it.key());
        }
    }
    // A service nobody beats for and nobody groups any more is forgotten.
    m_services.removeIf([&](const auto &s) { return s.value().status.members.isEmpty() && !groups.contains(s.key()); });
}

QString ServiceTracker::serviceOf(const ServiceBeat &b) const
{
    return b.service.isEmpty() ? m_groupOf.value(b.node) : b.service;
}

ServiceMember &ServiceTracker::member(Service &s, const QString &node)
{
    for (ServiceMember &m : s.status.members)
        if (m.node == node)
            return m;
    ServiceMember added;
    added.node = node;
    added.state = NodeState::Up;
    s.status.members.append(added);
    std::sort(s.status.members.begin(), s.status.members.end(), [](const ServiceMember &a, const ServiceMember &b) { return a.node < b.node; });
    for (ServiceMember &m : s.status.members)
        if (m.node == node)
            return m;
    Q_UNREACHABLE();
}

QList<Event> ServiceTracker::beat(const ServiceBeat &b)
{
    const QString name = serviceOf(b);
    if (name.isEmpty())
        return {}; // a node of its own: the Heartbeats panel is its view
    QList<Event> events;
    Service &s = m_services[name];
    if (s.status.name.isEmpty())
        s.status.name = name;
    if (s.createdMs < 0)
        s.createdMs = b.arrivalMs;
    if (b.intervalMs > 0) {
        s.intervalMs = s.announced ? std::max<qint64>(s.intervalMs, b.intervalMs) : b.intervalMs;
        s.announced = true;
    }
    // A node that beats for another service now leaves the one it was in.
    if (const QString was = m_serviceOf.value(b.node); !was.isEmpty() && was != name) {
        if (const auto old = m_services.find(was); old != m_services.end()) {
            old->status.members.removeIf([&](const ServiceMember &x) { return x.node == b.node; });
            old->claims.remove(b.node);
            if (old->primary == b.node)
                old->primary.clear();
        }
    }
    m_serviceOf.insert(b.node, name);
    if (!b.service.isEmpty())
        m_named.insert(b.node);
    // A plain beat of a grouped service: the recipe's primary, which beats only while it acts.
    const QString role = b.role.isEmpty() && !m_groupOf.value(b.node).isEmpty() ? kPrimary : b.role;
    ServiceMember &m = member(s, b.node);
    if (m.state == NodeState::Unknown)
        m.state = NodeState::Up; // heard: up until its detector says otherwise
    const QString before = m.role;
    m.role = role;
    m.lastBeatMs = b.arrivalMs;
    if (!b.carrier.isEmpty())
        m.carrier = b.carrier;
    m.epoch = b.epoch; // a standby holds no lease: its beats carry none
    s.hadStandby = s.hadStandby || role == kStandby;
    if (!before.isEmpty() && before != role)
        events << stamped(Event::make(QStringLiteral("service.role_changed"), Severity::Info, sourceOf(name),
                                      tr("%1 of %2: %3 -> %4").arg(b.node, name, before, role),
                                      {{QStringLiteral("service"), name},
                                       {QStringLiteral("node"), b.node},
                                       {QStringLiteral("from"), before},
                                       {QStringLiteral("to"), role}}),
                          b.arrivalMs, b.carrier);
    if (role != kPrimary)
        return events;

    // A primary with an older fencing token than the service has seen: it was one, and is no more.
    if (b.epoch >= 0 && b.epoch < s.highestEpoch) {
        if (!s.staleReported.contains(b.node + QLatin1Char('@') + QString::number(b.epoch))) {
            s.staleReported.insert(b.node + QLatin1Char('@') + QString::number(b.epoch));
            events << stamped(Event::make(QStringLiteral("service.stale_primary"), Severity::Critical, sourceOf(name),
                                          tr("%1 beats as primary of %2 with epoch %3, but epoch %4 has been seen: a "
                                             "former primary that has not stood down")
                                              .arg(b.node, name)
                                              .arg(b.epoch)
                                              .arg(s.highestEpoch),
                                          {{QStringLiteral("service"), name},
                                           {QStringLiteral("node"), b.node},
                                           {QStringLiteral("epoch"), b.epoch},
                                           {QStringLiteral("highest_epoch"), s.highestEpoch}}),
                              b.arrivalMs, b.carrier);
        }
        return events; // a stale primary's claims are no claims: no takeover, no split
    }
    s.highestEpoch = std::max(s.highestEpoch, b.epoch);

    Claim &claim = s.claims[b.node];
    const bool firstClaim = claim.arrivalMs < 0 || b.arrivalMs - claim.arrivalMs > 2 * s.intervalMs;
    if (firstClaim)
        claim.firstArrivalMs = b.arrivalMs;
    if (firstClaim || claim.firstSenderMs < 0)
        claim.firstSenderMs = b.senderMs;
    claim.arrivalMs = b.arrivalMs;
    claim.senderMs = b.senderMs;
    claim.seq = b.seq;

    if (s.primary.isEmpty()) {
        s.primary = b.node;
        return events;
    }
    if (s.primary == b.node)
        return events;
    // Another node claims primary. The one before stopped (its last claim is more than an interval
    // and a half old): a takeover. Both claiming is for update() to judge.
    const Claim old = s.claims.value(s.primary);
    if (old.arrivalMs >= 0 && b.arrivalMs - old.arrivalMs <= s.intervalMs * 3 / 2)
        return events;
    ServiceTakeover t{s.primary, b.node, claim.firstArrivalMs, claim.firstArrivalMs - old.arrivalMs, QStringLiteral("arrival")};
    const bool oldAgrees = old.senderMs >= 0 && std::abs(old.senderMs - old.arrivalMs) <= kClockAgreementMs;
    const bool newAgrees = claim.firstSenderMs >= 0 && std::abs(claim.firstSenderMs - claim.firstArrivalMs) <= kClockAgreementMs;
    if (oldAgrees && newAgrees) {
        t.gapMs = claim.firstSenderMs - old.senderMs;
        t.clock = QStringLiteral("sender");
    }
    t.gapMs = std::max<qint64>(0, t.gapMs);
    s.primary = b.node;
    s.status.takeovers.prepend(t);
    while (s.status.takeovers.size() > kHistory)
        s.status.takeovers.removeLast();
    events << stamped(Event::make(QStringLiteral("service.takeover"), Severity::Info, sourceOf(name),
                                  tr("%1 took over %2 from %3: %4 ms without a primary (by the %5 clock)")
                                      .arg(t.to, name, t.from)
                                      .arg(t.gapMs)
                                      .arg(t.clock == QLatin1String("sender") ? tr("senders'") : tr("arrival")),
                                  {{QStringLiteral("service"), name},
                                   {QStringLiteral("from"), t.from},
                                   {QStringLiteral("to"), t.to},
                                   {QStringLiteral("gap_ms"), t.gapMs},
                                   {QStringLiteral("clock"), t.clock}}),
                      t.atMs, b.carrier);
    return events;
}

void ServiceTracker::setState(const QString &node, NodeState state)
{
    const auto it = m_services.find(m_serviceOf.value(node));
    if (it == m_services.end())
        return;
    member(*it, node).state = state;
}

QList<Event> ServiceTracker::update(qint64 nowMs)
{
    QList<Event> events;
    for (Service &s : m_services) {
        ServiceStatus &st = s.status;
        if (s.createdMs < 0)
            s.createdMs = nowMs; // a group none of whose nodes has beaten yet
        // The nodes claiming now (a claim within the last interval and a half, for jitter), and
        // how long their runs of claims have overlapped: a hand-over, however quick, has none.
        QStringList claimants;
        qint64 overlapFrom = std::numeric_limits<qint64>::min(), overlapUntil = std::numeric_limits<qint64>::max();
        for (auto c = s.claims.cbegin(); c != s.claims.cend(); ++c)
            if (nowMs - c->arrivalMs <= s.intervalMs * 3 / 2) {
                claimants << c.key();
                overlapFrom = std::max(overlapFrom, c->firstArrivalMs);
                overlapUntil = std::min(overlapUntil, c->arrivalMs);
            }
        std::sort(claimants.begin(), claimants.end());
        s.splitSinceMs = claimants.size() >= 2 && overlapUntil > overlapFrom ? overlapFrom : -1;
        st.primaries.clear();
        int standbys = 0;
        for (const ServiceMember &m : std::as_const(st.members)) {
            if (!isUp(m.state))
                continue;
            if (m.role == kPrimary)
                st.primaries << m.node;
            else if (m.role == kStandby)
                ++standbys;
        }
        // Judged once its members had time to be heard: two intervals, and at least the few
        // seconds processes started together take to connect.
        if (nowMs - s.createdMs < std::max<qint64>(2 * s.intervalMs, kSettleMs))
            continue;
        // A hand-over under way: no primary up, but one claimed within the last interval and a
        // half (a primary that said it is stopping, whose successor has not beaten yet). Down is
        // for a service nobody has claimed for longer; the detector needs as long for a crash.
        if (st.primaries.isEmpty() && !claimants.isEmpty())
            continue;
        const ServiceState state = s.splitSinceMs >= 0 && overlapUntil - s.splitSinceMs > s.intervalMs ? ServiceState::Split
            : st.primaries.isEmpty()                                                                   ? ServiceState::Down
            // No standby ever said so (the recipe's standby listens without beating): its
            // readiness is not known, and not judged.
            : s.hadStandby && standbys == 0 ? ServiceState::Degraded
                                            : ServiceState::Healthy;
        const bool changed = s.judged ? state != st.state : state != ServiceState::Healthy;
        const ServiceState before = st.state;
        st.state = state;
        const bool first = !s.judged;
        s.judged = true;
        if (!changed)
            continue;
        QJsonObject data{{QStringLiteral("service"), st.name},
                         {QStringLiteral("state"), serviceStateName(state)},
                         {QStringLiteral("primaries"), QJsonArray::fromStringList(st.primaries)},
                         {QStringLiteral("standbys_up"), standbys}};
        if (!first)
            data.insert(QStringLiteral("from"), serviceStateName(before));
        if (!s.primary.isEmpty())
            data.insert(QStringLiteral("last_primary"), s.primary);
        Event e;
        switch (state) {
        case ServiceState::Split: {
            QJsonArray list;
            for (const QString &node : std::as_const(claimants)) {
                const Claim c = s.claims.value(node);
                const ServiceMember *m = nullptr;
                for (const ServiceMember &x : std::as_const(st.members))
                    if (x.node == node)
                        m = &x;
                QJsonObject claimant{{QStringLiteral("node"), node},
                                     {QStringLiteral("last_claim"), formatTime(QDateTime::fromMSecsSinceEpoch(c.arrivalMs, Qt::UTC))},
                                     {QStringLiteral("epoch"), m ? m->epoch : -1}};
                // What the claimant itself said in its latest claim.
                if (c.seq >= 0)
                    claimant.insert(QStringLiteral("seq"), c.seq);
                if (c.senderMs >= 0)
                    claimant.insert(QStringLiteral("ts"), formatTime(QDateTime::fromMSecsSinceEpoch(c.senderMs, Qt::UTC)));
                list.append(claimant);
            }
            data.insert(QStringLiteral("claimants"), list);
            data.insert(QStringLiteral("since"), formatTime(QDateTime::fromMSecsSinceEpoch(s.splitSinceMs, Qt::UTC)));
            e = Event::make(
                QStringLiteral("service.split_brain"), Severity::Critical, sourceOf(st.name),
                tr("%1: %2 all claim primary, since %3 ms ago").arg(st.name, claimants.join(QStringLiteral(", "))).arg(nowMs - s.splitSinceMs), data);
            break;
        }
        case ServiceState::Down:
            e = Event::make(QStringLiteral("service.down"), Severity::Critical, sourceOf(st.name),
                            s.primary.isEmpty() ? tr("%1 has no primary up").arg(st.name)
                                                : tr("%1 has no primary up (the last was %2)").arg(st.name, s.primary),
                            data);
            break;
        case ServiceState::Degraded:
            e = Event::make(QStringLiteral("service.degraded"), Severity::Warning, sourceOf(st.name),
                            tr("%1: primary %2 up, no standby up: no redundancy left").arg(st.name, st.primaries.join(QStringLiteral(", "))), data);
            break;
        case ServiceState::Healthy:
            e = Event::make(QStringLiteral("service.healthy"), Severity::Info, sourceOf(st.name),
                            tr("%1 healthy: primary %2, %n standby(s) up", standbys).arg(st.name, st.primaries.join(QStringLiteral(", "))), data);
            break;
        }
        QString carrier;
        for (const ServiceMember &m : std::as_const(st.members))
            if (m.node == (st.primaries.isEmpty() ? s.primary : st.primaries.first()))
                carrier = m.carrier;
        events << stamped(e, nowMs, carrier);
    }
    return events;
}

QList<ServiceStatus> ServiceTracker::services() const
{
    QList<ServiceStatus> list;
    for (const Service &s : m_services)
        list << s.status;
    std::sort(list.begin(), list.end(), [](const ServiceStatus &a, const ServiceStatus &b) { return a.name < b.name; });
    return list;
}

const ServiceStatus *ServiceTracker::service(const QString &name) const
{
    const auto it = m_services.constFind(name);
    return it == m_services.cend() ? nullptr : &it->status;
}

} // namespace vigil
