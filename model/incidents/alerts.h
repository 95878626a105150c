// What an operator away from the window is told about incidents: one notice when an incident
// opens, then in-place updates when it escalates or resolves, at most one a minute per incident.
// Pure logic over the incidents the journal's writer stores and a clock given by the caller; the
// desktop notifications and the in-window banner present its notices.
#pragma once

#include "grouping.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QString>

namespace vigil {

struct IncidentNotice
{
    enum class Kind { Opened, Escalated, Resolved };

    qint64 incidentId = 0; // the incident's id as it stands when the notice is given
    qint64 key = 0;        // stable for the incident's life, even when its id changes (a late first event)
    Kind kind = Kind::Opened;
    Severity severity = Severity::Warning;
    QString summary; // "Critical: 127.0.0.1:7000 unreachable, Sentinel failed over"
    QString body;    // where, since when, how many events

    bool resolved() const { return kind == Kind::Resolved; }
};

struct AlertOptions
{
    qint64 minUpdateIntervalMs = 60 * 1000; // between two notices of one incident
};

class IncidentAlerts
{
    Q_DECLARE_TR_FUNCTIONS(IncidentAlerts)

public:
    using Options = AlertOptions;

    explicit IncidentAlerts(const Options &options = {});

    // Incidents open before Vigil started (loaded from the journal): known, never announced as
    // new; their escalation still is.
    void seed(const QList<Incident> &incidents);
    // What the journal's writer stored (new or changed incidents, ids no longer given), at `nowMs`:
    // the notices due now. Changes within the minute after a notice wait for nextDueMs().
    QList<IncidentNotice> update(const QList<Incident> &changed, const QList<qint64> &removed, qint64 nowMs);
    // The notices whose minute is up at `nowMs`.
    QList<IncidentNotice> due(qint64 nowMs);
    // When due() has a notice to give, -1 when none waits.
    qint64 nextDueMs() const;

    // No notices until `untilMs` (an hour's mute). When it ends, what still stands is told (an
    // incident still open, an escalation); what began and ended meanwhile is not.
    void muteUntil(qint64 untilMs) { m_mutedUntilMs = untilMs; }
    bool isMuted(qint64 nowMs) const { return nowMs < m_mutedUntilMs; }
    qint64 mutedUntilMs() const { return m_mutedUntilMs; }

    // The incident a notice's key stands for now (its id changes when a late event becomes its
    // first), -1 for a key never given.
    qint64 incidentIdOf(qint64 key) const { return m_idOfKey.value(key, -1); }

    // The open incidents' worst severity (Info when none is open) and their count.
    Severity worstOpen() const;
    int openCount() const;

    static QString summaryOf(const Incident &incident, IncidentNotice::Kind kind);
    static QString bodyOf(const Incident &incident);

private:
    struct Tracked
    {
        Incident latest;
        qint64 key = 0;
        bool announced = false; // a notice was given for it
        Severity toldSeverity = Severity::Info;
        bool toldResolved = false;
        qint64 lastNoticeMs = -1; // when the last notice was given, -1 before
    };

    // The notice `t` has waiting (its state differs from what was told), if any.
    bool pendingKind(const Tracked &t, IncidentNotice::Kind *kind) const;
    IncidentNotice give(Tracked &t, IncidentNotice::Kind kind, qint64 nowMs);
    bool canGive(const Tracked &t, qint64 nowMs) const;

    Options m_options;
    QHash<qint64, Tracked> m_tracked; // by incident id
    QHash<qint64, qint64> m_idOfKey;  // key -> the incident's id as last given
    qint64 m_nextKey = 1;
    qint64 m_mutedUntilMs = -1;
};

} // namespace vigil

Q_DECLARE_METATYPE(vigil::IncidentNotice)
