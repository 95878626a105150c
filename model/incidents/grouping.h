// Events grouped into incidents: pure functions over journal events (their `scope` stamped when
// they were raised), so that live grouping and the grouping of a recorded journal agree.
#pragma once

#include "journal/event.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace vigil {

struct IncidentOptions
{
    qint64 gapMs = 5 * 60 * 1000;            // an event joins an incident whose last member is this recent
    qint64 quietMs = 5 * 60 * 1000;          // resolved: every problem recovered and nothing new for this long
    qint64 maxDurationMs = 24 * 3600 * 1000; // an incident never lasts longer
};

enum class MemberRole { Root, Symptom, Action, Recovery, Note, Related };
QString memberRoleName(MemberRole role);
bool parseMemberRole(const QString &name, MemberRole *role);

struct IncidentMember
{
    qint64 eventId = 0;
    qint64 timeMs = 0;
    QString kind;
    QString source;
    Severity severity = Severity::Info;
    MemberRole role = MemberRole::Related;
    qint64 causeId = -1; // the event that caused it (symptoms), -1 otherwise
    QString rule;        // the rule that linked it to its cause, or that made it a root
    int repeats = 1;     // the same kind and source again, counted rather than listed

    bool operator==(const IncidentMember &) const = default;
};

struct Incident
{
    qint64 id = 0; // its first event's id (the event that opened it)
    QString scope;
    QString title; // one line: what happened at the root, what Sentinel did about it
    qint64 openedMs = 0;
    qint64 lastMs = 0;      // the last member's time
    qint64 resolvedMs = -1; // -1 while open
    Severity severity = Severity::Warning;
    qint64 rootId = -1;
    QList<IncidentMember> members; // in time order

    bool isOpen() const { return resolvedMs < 0; }
    bool operator==(const Incident &) const = default;
    const IncidentMember *member(qint64 eventId) const;
};

// The problem a warning or critical event opens, as a key its recovery names too ("redis|ADDR",
// "link|ADDR", ...); empty for one-off problems that need no recovery.
QString problemKey(const Event &e);
// The problems an event ends; empty when it ends none.
QStringList recoveryKeys(const Event &e);

// An operator's note (`note.added`) names its incident in `data.incident` (the incident's id, its
// first event's); it joins that incident as a `note` member without changing when it ends.
inline constexpr const char *kNoteKind = "note.added";
// The incident a note names, or -1 when `e` is no note.
qint64 noteIncident(const Event &e);
IncidentMember noteMember(const Event &e);

// The order incidents take events in: by time, then by what they say (kind, source, message,
// data), and only then by id. Events journalled at the same millisecond in another order (Sentinel's, merged
// across sentinels) are taken in the same order.
bool eventBefore(const Event &a, const Event &b);

// Groups `events` (any order; ids must be unique) as they stand at `nowMs`. The result depends on
// the events only, never on the order they are given in (see eventBefore).
QList<Incident> groupIncidents(QList<Event> events, const IncidentOptions &options, qint64 nowMs);

} // namespace vigil

Q_DECLARE_METATYPE(vigil::Incident)
