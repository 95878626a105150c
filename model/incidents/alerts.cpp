// When an incident is told: at its opening, then at most once a minute.
#include "alerts.h"

#include "book.h"
#include "common/format.h"

#include <QDateTime>

#include <algorithm>

namespace vigil {

IncidentAlerts::IncidentAlerts(const Options &options)
    : m_options(options)
{
}

void IncidentAlerts::seed(const QList<Incident> &incidents)
{
    for (const Incident &incident : incidents) {
        if (!incident.isOpen() || m_tracked.contains(incident.id))
            continue;
        Tracked t;
        t.latest = incident;
        t.key = m_nextKey++;
        t.toldSeverity = incident.severity; // known already: only a worse state is news
        m_idOfKey.insert(t.key, incident.id);
        m_tracked.insert(incident.id, t);
    }
}

QList<IncidentNotice> IncidentAlerts::update(const QList<Incident> &changed, const QList<qint64> &removed, qint64 nowMs)
{
    // An incident whose first event came late is given again under that event's id: the same
    // incident for the operator (it holds the old first event, or failing that has the same
    // scope), so the same notification.
    QList<Tracked> orphans;
    for (qint64 id : removed)
        if (auto it = m_tracked.find(id); it != m_tracked.end()) {
            orphans << *it;
            m_tracked.erase(it);
        }
    for (const Incident &incident : changed) {
        if (auto it = m_tracked.find(incident.id); it != m_tracked.end()) {
            it->latest = incident;
            continue;
        }
        auto orphan = std::find_if(orphans.begin(), orphans.end(), [&incident](const Tracked &o) { return incident.member(o.latest.id) != nullptr; });
        if (orphan == orphans.end() && !incident.scope.isEmpty())
            orphan = std::find_if(orphans.begin(), orphans.end(), [&incident](const Tracked &o) { return o.latest.scope == incident.scope; });
        Tracked t;
        if (orphan != orphans.end()) {
            t = *orphan;
            orphans.erase(orphan);
        } else if (!incident.isOpen()) {
            continue; // began and ended before it was seen (or long ago): nothing to page about
        } else {
            t.key = m_nextKey++;
        }
        t.latest = incident;
        m_idOfKey.insert(t.key, incident.id);
        m_tracked.insert(incident.id, t);
    }
    return due(nowMs);
}

bool IncidentAlerts::pendingKind(const Tracked &t, IncidentNotice::Kind *kind) const
{
    if (!t.latest.isOpen()) {
        *kind = IncidentNotice::Kind::Resolved;
        return t.announced && !t.toldResolved;
    }
    if (t.toldResolved || (!t.announced && t.toldSeverity == Severity::Info)) {
        *kind = IncidentNotice::Kind::Opened; // new, or open again after its resolution was told
        return true;
    }
    *kind = IncidentNotice::Kind::Escalated;
    return t.latest.severity > t.toldSeverity;
}

bool IncidentAlerts::canGive(const Tracked &t, qint64 nowMs) const
{
    return !isMuted(nowMs) && (t.lastNoticeMs < 0 || nowMs - t.lastNoticeMs >= m_options.minUpdateIntervalMs);
}

IncidentNotice IncidentAlerts::give(Tracked &t, IncidentNotice::Kind kind, qint64 nowMs)
{
    IncidentNotice n;
    n.incidentId = t.latest.id;
    n.key = t.key;
    n.kind = kind;
    n.severity = t.latest.severity;
    n.summary = summaryOf(t.latest, kind);
    n.body = bodyOf(t.latest);
    t.announced = true;
    t.toldSeverity = t.latest.severity;
    t.toldResolved = !t.latest.isOpen();
    t.lastNoticeMs = nowMs;
    return n;
}

QList<IncidentNotice> IncidentAlerts::due(qint64 nowMs)
{
    QList<Tracked *> ready;
    for (auto it = m_tracked.begin(); it != m_tracked.end();) {
        IncidentNotice::Kind kind;
        const bool pending = pendingKind(*it, &kind);
        // Ended, all there is to tell told, and settled (nothing can join it and reopen it).
        if (!pending && !it->latest.isOpen() && nowMs - it->latest.resolvedMs > IncidentBook::kSettleMs) {
            it = m_tracked.erase(it);
            continue;
        }
        if (pending && canGive(*it, nowMs))
            ready << &*it;
        ++it;
    }
    std::sort(ready.begin(), ready.end(), [](const Tracked *a, const Tracked *b) {
        return a->latest.openedMs != b->latest.openedMs ? a->latest.openedMs < b->latest.openedMs : a->key < b->key;
    });
    QList<IncidentNotice> notices;
    for (Tracked *t : ready) {
        IncidentNotice::Kind kind;
        pendingKind(*t, &kind);
        notices << give(*t, kind, nowMs);
    }
    return notices;
}

qint64 IncidentAlerts::nextDueMs() const
{
    qint64 next = -1;
    for (const Tracked &t : m_tracked) {
        IncidentNotice::Kind kind;
        if (!pendingKind(t, &kind))
            continue;
        qint64 at = t.lastNoticeMs < 0 ? 0 : t.lastNoticeMs + m_options.minUpdateIntervalMs;
        at = std::max(at, m_mutedUntilMs);
        if (next < 0 || at < next)
            next = at;
    }
    return next;
}

Severity IncidentAlerts::worstOpen() const
{
    Severity worst = Severity::Info;
    for (const Tracked &t : m_tracked)
        if (t.latest.isOpen())
            worst = std::max(worst, t.latest.severity);
    return worst;
}

int IncidentAlerts::openCount() const
{
    return int(std::count_if(m_tracked.cbegin(), m_tracked.cend(), [](const Tracked &t) { return t.latest.isOpen(); }));
}

QString IncidentAlerts::summaryOf(const Incident &incident, IncidentNotice::Kind kind)
{
    QString state;
    if (kind == IncidentNotice::Kind::Resolved)
        state = tr("Resolved");
    else
        state = incident.severity == Severity::Critical ? tr("Critical") : tr("Warning");
    return tr("%1: %2", "severity: incident title").arg(state, incident.title);
}

QString IncidentAlerts::bodyOf(const Incident &incident)
{
    auto clock = [](qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss")); };
    QStringList parts;
    if (!incident.scope.isEmpty())
        parts << incident.scope;
    if (incident.isOpen())
        parts << tr("since %1").arg(clock(incident.openedMs));
    else
        parts
            << tr("%1 to %2 (%3)").arg(clock(incident.openedMs), clock(incident.resolvedMs), formatDuration(incident.resolvedMs - incident.openedMs));
    parts << (incident.members.size() == 1 ? tr("1 event") : tr("%1 events").arg(incident.members.size()));
    return parts.join(QStringLiteral(" \u00b7 "));
}

} // namespace vigil
