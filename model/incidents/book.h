// Live incident grouping: the recent events of a journal, grouped again as more are committed, with
// what changed since the last time, so that a writer stores incidents as they evolve.
#pragma once

#include "grouping.h"

#include <QHash>
#include <QSet>

namespace vigil {

class IncidentBook
{
public:
    // Incidents resolved this long ago are settled: nothing can join them any more (Sentinel's
    // events arrive at most a few seconds late), so their events are let go.
    static constexpr qint64 kSettleMs = 60 * 1000;

    struct Update
    {
        QList<Incident> changed;   // new or different since the last regroup()
        QList<qint64> removed;     // ids no longer given (a late event became an incident's first)
        QList<Event> lateNotes;    // notes on incidents settled before their events were held
        qint64 settledUntilMs = 0; // every incident opened before this is settled and stored
    };

    explicit IncidentBook(const IncidentOptions &options = {});

    // Events committed to the journal (ids set), in any order.
    void add(const QList<Event> &events);
    // Groups the events held, as they stand at `nowMs`. The grouping equals groupIncidents() over
    // the whole journal for every incident not settled before settledUntilMs.
    Update regroup(qint64 nowMs);
    // Whether an incident is still open or about to settle: regroup() has work even without events.
    bool hasUnsettled() const { return !m_unsettled.isEmpty(); }
    qsizetype eventCount() const { return m_events.size(); }
    const IncidentOptions &options() const { return m_options; }

private:
    IncidentOptions m_options;
    QList<Event> m_events;
    QHash<qint64, Incident> m_unsettled; // by id, as last given
    QSet<qint64> m_settled;              // ids given as settled, whose events may still be held
    QSet<qint64> m_lateNotes;            // notes given as late, still held
};

} // namespace vigil
