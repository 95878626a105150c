// Tells the operator about incidents when the window is not in front: a desktop notification per
// incident (IncidentAlerts decides when), or, with no notification server, the in-window banner.
// Also the state a tray icon shows (the worst open incident) and the hour's mute.
#pragma once

#include "desktopnotifications.h"
#include "incidents/alerts.h"

#include <QObject>

#include <functional>

class QTimer;

namespace vigil {

class IncidentNotifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IncidentNotifier)

public:
    using Clock = std::function<qint64()>; // ms since the epoch

    IncidentNotifier(const QDBusConnection &bus, const IncidentAlerts::Options &options = {}, QObject *parent = nullptr);

    // Tests drive time themselves; the default is the wall clock.
    void setClock(Clock clock) { m_clock = std::move(clock); }
    // The incidents open at start (from the journal): known, not announced.
    void seed(const QList<Incident> &incidents);
    // What the journal's writer stored (Journal::incidentsChanged).
    void incidentsChanged(const QList<vigil::Incident> &changed, const QList<qint64> &removed);
    // Gives what is due by the clock; the timer calls it, tests may too.
    void tick();

    // The operator asked to see the incident of a notice (its notification or the banner clicked):
    // incidentActivated with the incident's id as it stands now.
    void activate(qint64 key);

    void muteFor(qint64 ms);
    void unmute();
    bool isMuted() const { return m_alerts.isMuted(m_clock()); }
    qint64 mutedUntilMs() const { return m_alerts.mutedUntilMs(); }

    Severity worstOpen() const { return m_alerts.worstOpen(); }
    int openCount() const { return m_alerts.openCount(); }
    DesktopNotifications *desktop() const { return m_desktop; }

Q_SIGNALS:
    // Every notice given, whichever way it was shown.
    void noticeGiven(const vigil::IncidentNotice &notice);
    // A notice no notification server took: the window shows it.
    void bannerNotice(const vigil::IncidentNotice &notice);
    // The operator clicked a notification: the incident to show.
    void incidentActivated(qint64 incidentId);
    // The open incidents changed (the tray icon's state).
    void openChanged(vigil::Severity worst, int open);
    void muteChanged(bool muted);

private:
    void deliver(const QList<IncidentNotice> &notices);
    void schedule();
    void reportOpen();

    IncidentAlerts m_alerts;
    DesktopNotifications *m_desktop;
    Clock m_clock;
    QTimer *m_timer;
    QHash<qint64, IncidentNotice> m_lastByKey; // the last notice of each key: a failed one goes to the banner
    Severity m_reportedWorst = Severity::Info;
    int m_reportedOpen = -1;
};

} // namespace vigil
