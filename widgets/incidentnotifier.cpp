// Incident notices to the desktop or, without a server, to the banner.
#include "incidentnotifier.h"

#include <QDateTime>
#include <QTimer>

#include <algorithm>

namespace vigil {

IncidentNotifier::IncidentNotifier(const QDBusConnection &bus, const IncidentAlerts::Options &options, QObject *parent)
    : QObject(parent)
    , m_alerts(options)
    , m_desktop(new DesktopNotifications(bus, this))
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &IncidentNotifier::tick);
    connect(m_desktop, &DesktopNotifications::activated, this, &IncidentNotifier::activate);
    connect(m_desktop, &DesktopNotifications::failed, this, [this](qint64 key, const QString &) {
        if (auto it = m_lastByKey.constFind(key); it != m_lastByKey.cend())
            Q_EMIT bannerNotice(*it);
    });
}

void IncidentNotifier::seed(const QList<Incident> &incidents)
{
    m_alerts.seed(incidents);
    reportOpen();
}

void IncidentNotifier::incidentsChanged(const QList<Incident> &changed, const QList<qint64> &removed)
{
    deliver(m_alerts.update(changed, removed, m_clock()));
    reportOpen();
    schedule();
}

void IncidentNotifier::tick()
{
    const bool muteEnded = m_alerts.mutedUntilMs() >= 0 && !isMuted();
    deliver(m_alerts.due(m_clock()));
    if (muteEnded) {
        m_alerts.muteUntil(-1);
        Q_EMIT muteChanged(false);
    }
    reportOpen();
    schedule();
}

void IncidentNotifier::activate(qint64 key)
{
    if (const qint64 id = m_alerts.incidentIdOf(key); id >= 0)
        Q_EMIT incidentActivated(id);
}

void IncidentNotifier::muteFor(qint64 ms)
{
    m_alerts.muteUntil(m_clock() + ms);
    Q_EMIT muteChanged(true);
    schedule();
}

void IncidentNotifier::unmute()
{
    if (m_alerts.mutedUntilMs() < 0)
        return;
    m_alerts.muteUntil(-1);
    Q_EMIT muteChanged(false);
    tick();
}

void IncidentNotifier::deliver(const QList<IncidentNotice> &notices)
{
    for (const IncidentNotice &n : notices) {
        m_lastByKey.insert(n.key, n);
        Q_EMIT noticeGiven(n);
        m_desktop->show(n.key, {n.summary, n.body, n.severity, n.resolved()});
    }
}

void IncidentNotifier::schedule()
{
    qint64 next = m_alerts.nextDueMs();
    if (m_alerts.mutedUntilMs() >= 0)
        next = next < 0 ? m_alerts.mutedUntilMs() : std::min(next, m_alerts.mutedUntilMs());
    if (next < 0) {
        m_timer->stop();
        return;
    }
    m_timer->start(int(std::clamp<qint64>(next - m_clock(), 0, 3600 * 1000)));
}

void IncidentNotifier::reportOpen()
{
    const Severity worst = m_alerts.worstOpen();
    const int open = m_alerts.openCount();
    if (worst == m_reportedWorst && open == m_reportedOpen)
        return;
    m_reportedWorst = worst;
    m_reportedOpen = open;
    Q_EMIT openChanged(worst, open);
}

} // namespace vigil
