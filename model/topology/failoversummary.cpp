// Sentinel failover summaries.
#include "failoversummary.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <vector>

namespace vigil {

namespace {

// A failover's phases, by the sentinel event that marks each (only the first sighting counts).
struct PhaseMark
{
    const char *event;
    const char *name;
    bool masterInstance; // the event names the master itself (not a replica of it)
};
constexpr PhaseMark kPhases[] = {
    {"+sdown", "sdown", true},
    {"+odown", "odown", true},
    {"+elected-leader", "leader elected", true},
    {"+selected-slave", "replica selected", false},
    {"+promoted-slave", "promoted", false},
    {"+switch-master", "switch-master", false},
    {"+failover-end", "failover end", true},
};

// Events older than this before a new +sdown start a new failover record.
constexpr qint64 kStaleMs = 10 * 60 * 1000;

} // namespace

QList<Event> FailoverSummary::add(const Event &e)
{
    if (!e.kind.startsWith(QLatin1String("sentinel.")))
        return {};
    const QString type = e.kind.mid(int(sizeof("sentinel.") - 1));
    const QString group = e.data.value(QStringLiteral("master_name")).toString();
    if (group.isEmpty())
        return {};
    const qint64 t = e.time.toMSecsSinceEpoch();
    const QString instanceType = e.data.value(QStringLiteral("instance_type")).toString();
    // +failover-end-for-timeout is not an abort: Sentinel goes on to +failover-end and +switch-master.
    const bool aborted = type.startsWith(QLatin1String("-failover-abort"));
    const bool timedOut = type == QLatin1String("+failover-end-for-timeout");

    auto it = m_groups.find(group);
    if (it != m_groups.end() && t - it->lastMs > kStaleMs) {
        m_groups.erase(it);
        it = m_groups.end();
    }
    for (const PhaseMark &mark : kPhases) {
        if (type != QLatin1String(mark.event) || (mark.masterInstance && instanceType != QLatin1String("master")))
            continue;
        // A failover record starts with the master's +sdown (or whatever phase is seen first).
        if (it == m_groups.end())
            it = m_groups.insert(group, {});
        Failover &f = *it;
        const bool seen = std::any_of(f.phases.cbegin(), f.phases.cend(), [&mark](const Phase &p) { return p.name == QLatin1String(mark.name); });
        if (!seen)
            f.phases.append({QString::fromLatin1(mark.name), t});
        f.lastMs = std::max(f.lastMs, t);
        if (type == QLatin1String("+switch-master")) {
            f.switched = true;
            f.oldMaster = e.data.value(QStringLiteral("old_master")).toString();
            f.newMaster = e.data.value(QStringLiteral("new_master")).toString();
        } else if (type == QLatin1String("+failover-end")) {
            f.ended = true;
        } else if (type == QLatin1String("+elected-leader")) {
            f.leader = e.source;
        }
        // A retry starts at the leader's election, with no +sdown of its own: it names the master too.
        if (f.oldMaster.isEmpty() && mark.masterInstance)
            f.oldMaster = e.data.value(QStringLiteral("instance")).toString();
    }
    if ((aborted || timedOut) && it != m_groups.end()) {
        it->phases.append({aborted ? type : QStringLiteral("timed out"), t});
        it->timedOut = it->timedOut || timedOut;
    }
    if (it == m_groups.end() || !((it->ended && it->switched) || aborted))
        return {};

    const Failover f = *it;
    m_groups.erase(it);
    std::vector<Phase> phases(f.phases.cbegin(), f.phases.cend());
    std::stable_sort(phases.begin(), phases.end(), [](const Phase &a, const Phase &b) { return a.timeMs < b.timeMs; });
    const qint64 start = phases.front().timeMs;
    QJsonArray list;
    QStringList text;
    for (const Phase &p : phases) {
        list.append(QJsonObject{{QStringLiteral("phase"), p.name},
                                {QStringLiteral("time"), formatTime(QDateTime::fromMSecsSinceEpoch(p.timeMs, Qt::UTC))},
                                {QStringLiteral("after_ms"), p.timeMs - start}});
        text << QStringLiteral("%1 +%2 s").arg(p.name).arg(double(p.timeMs - start) / 1000.0, 0, 'f', 2);
    }
    const qint64 took = phases.back().timeMs - start;
    const QString message = aborted
        ? QStringLiteral("failover of %1 (%2) did not complete: %3 (%4)").arg(group, f.oldMaster, type, text.join(QStringLiteral(", ")))
        : QStringLiteral("failover of %1: %2 -> %3 in %4 s (%5)")
              .arg(group, f.oldMaster, f.newMaster)
              .arg(double(took) / 1000.0, 0, 'f', 2)
              .arg(text.join(QStringLiteral(", ")));
    // Critical either way: a failover means a master was lost (or an operator asked, and then the
    // monitor journals it as information); folded in the Events panel, it stands for its +odown
    // and +switch-master.
    Event summary = Event::make(QStringLiteral("sentinel.failover"), Severity::Critical, e.source, message,
                                {{QStringLiteral("master_name"), group},
                                 {QStringLiteral("old_master"), f.oldMaster},
                                 {QStringLiteral("new_master"), f.newMaster},
                                 {QStringLiteral("leader"), f.leader},
                                 {QStringLiteral("completed"), !aborted},
                                 {QStringLiteral("timed_out"), f.timedOut},
                                 {QStringLiteral("duration_ms"), took},
                                 {QStringLiteral("phases"), list}});
    summary.time = QDateTime::fromMSecsSinceEpoch(phases.back().timeMs, Qt::UTC);
    return {summary};
}

} // namespace vigil
