// Live incident grouping over a sliding window of events.
#include "book.h"

#include <algorithm>
#include <limits>

namespace vigil {

IncidentBook::IncidentBook(const IncidentOptions &options)
    : m_options(options)
{
}

void IncidentBook::add(const QList<Event> &events)
{
    m_events += events;
}

IncidentBook::Update IncidentBook::regroup(qint64 nowMs)
{
    Update update;
    const QList<Incident> incidents = groupIncidents(m_events, m_options, nowMs);
    // Until every incident before it has settled, the window's events must stay: grouping from a
    // later point gives the same incidents only when nothing before it can be joined any more.
    qint64 cut = nowMs - kSettleMs;
    const QSet<qint64> settledBefore = m_settled;
    QHash<qint64, Incident> unsettled;
    for (const Incident &incident : incidents) {
        const qint64 id = incident.id;
        const bool settled = !incident.isOpen() && incident.resolvedMs <= nowMs - kSettleMs;
        if (settled) {
            if (m_settled.contains(id))
                continue; // given before
            m_settled.insert(id);
        } else {
            cut = std::min(cut, incident.openedMs);
            unsettled.insert(id, incident);
        }
        const auto before = m_unsettled.constFind(id);
        if (before == m_unsettled.cend() || !(before.value() == incident))
            update.changed << incident;
    }
    // Nor may the cut split an incident (settled or not) in two: its later events alone would
    // group into one never seen before.
    for (bool moved = true; moved;) {
        moved = false;
        for (const Incident &incident : incidents)
            if (incident.openedMs < cut && incident.lastMs >= cut) {
                cut = incident.openedMs;
                moved = true;
            }
    }
    for (auto it = m_unsettled.cbegin(); it != m_unsettled.cend(); ++it)
        if (!unsettled.contains(it.key()) && !m_settled.contains(it.key()))
            update.removed << it.key();
    m_unsettled = std::move(unsettled);

    QSet<qint64> grouped;
    for (const Incident &incident : incidents)
        grouped.insert(incident.id);
    for (const Event &e : std::as_const(m_events)) {
        const qint64 target = noteIncident(e);
        // A note on an incident given as settled before is not in what is given now.
        const bool late = target >= 0 && (!grouped.contains(target) || settledBefore.contains(target));
        if (late && !m_lateNotes.contains(e.id)) {
            update.lateNotes << e;
            m_lateNotes.insert(e.id);
        }
    }

    // A note may be dated before its incident (written later about what was seen then): it stays
    // while its incident does.
    m_events.removeIf([&](const Event &e) { return e.time.toMSecsSinceEpoch() < cut && !m_unsettled.contains(noteIncident(e)); });
    QSet<qint64> held;
    for (const Event &e : std::as_const(m_events))
        held.insert(e.id);
    m_settled.removeIf([&held](qint64 id) { return !held.contains(id); });
    m_lateNotes.removeIf([&held](qint64 id) { return !held.contains(id); });
    update.settledUntilMs = cut;
    return update;
}

} // namespace vigil
