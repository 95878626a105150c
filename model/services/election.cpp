// The decisions of an instance that may become its service's primary.
#include "election.h"

#include <QCoreApplication>

#include <algorithm>

namespace vigil {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Election", text);
}

const QString kPrimary = QStringLiteral("primary");

} // namespace

Election::Election(QString node, ElectionSettings settings, qint64 startMs)
    : m_node(std::move(node))
    , m_settings(settings)
    , m_detector(&m_detectorSettings)
    , m_startMs(startMs)
{
    m_detectorSettings.defaultIntervalUs = qint64(m_settings.intervalMs) * 1000;
}

bool Election::primaryGone(qint64 nowMs)
{
    if (m_primaryLeft) {
        m_reason = tr("%1 left the primary's place").arg(m_primary);
        return true;
    }
    const qint64 downAfterMs = m_detector.downAfterUs() / 1000;
    if (m_primary.isEmpty()) {
        if (nowMs - m_startMs < downAfterMs)
            return false;
        m_reason = tr("no primary has been heard for %1 ms").arg(nowMs - m_startMs);
        return true;
    }
    const qint64 silenceMs = nowMs - m_primaryLastMs;
    if (silenceMs < downAfterMs)
        return false;
    m_reason = tr("%1 has not beaten as primary for %2 ms").arg(m_primary).arg(silenceMs);
    return true;
}

Election::Step Election::peerBeat(const QString &node, const QString &role, qint64 epoch, int intervalMs, qint64 nowMs)
{
    if (node == m_node)
        return Step::None;
    const bool claims = role == kPrimary;
    if (claims && epoch >= 0 && epoch < m_highestEpoch)
        return Step::None; // a stale primary: its claims count for nothing
    if (epoch > m_highestEpoch)
        m_highestEpoch = epoch;
    if (m_role == Role::Primary) {
        if (claims && epoch > m_epoch) {
            m_reason = tr("%1 claims primary with epoch %2, above this one's %3").arg(node).arg(epoch).arg(m_epoch);
            return Step::Demote;
        }
        return Step::None;
    }
    if (!claims) {
        if (node != m_primary || m_primaryLeft)
            return Step::None;
        m_primaryLeft = true;
        m_reason = tr("%1 left the primary's place (it beats as %2)").arg(node, role.isEmpty() ? tr("nothing") : role);
        return Step::Acquire;
    }
    if (node != m_primary) {
        m_primary = node;
        m_detector.reset();
    } else if (m_primaryLastMs >= 0 && !m_primaryLeft) {
        m_detector.addInterval((nowMs - m_primaryLastMs) * 1000);
    }
    if (intervalMs > 0)
        m_detector.announce(qint64(intervalMs) * 1000);
    m_primaryLastMs = nowMs;
    m_primaryLeft = false;
    return Step::None;
}

Election::Step Election::tick(qint64 nowMs)
{
    if (m_role == Role::Primary) {
        if (nowMs < m_demoteAtMs)
            return Step::Renew;
        m_reason = tr("the lease was not renewed in time (it may expire %1 ms from now)")
                       .arg(std::max<qint64>(0, m_demoteAtMs + m_settings.guardMs() - nowMs));
        return Step::Demote;
    }
    return primaryGone(nowMs) ? Step::Acquire : Step::None;
}

void Election::acquired(qint64 epoch, qint64 sentMs)
{
    m_role = Role::Primary;
    m_epoch = epoch;
    m_highestEpoch = std::max(m_highestEpoch, epoch);
    m_demoteAtMs = sentMs + m_settings.leaseMs - m_settings.guardMs();
    m_primary.clear();
    m_primaryLastMs = -1;
    m_primaryLeft = false;
    m_detector.reset();
}

void Election::refused(const QString &holder, qint64 holderEpoch, qint64 nowMs)
{
    m_highestEpoch = std::max(m_highestEpoch, holderEpoch);
    if (holder.isEmpty() || holder == m_primary)
        return;
    // Someone else holds the lease: it is the primary, heard of now.
    m_primary = holder;
    m_primaryLastMs = nowMs;
    m_primaryLeft = false;
    m_detector.reset();
}

void Election::renewed(qint64 sentMs)
{
    if (m_role == Role::Primary)
        m_demoteAtMs = std::max(m_demoteAtMs, sentMs + m_settings.leaseMs - m_settings.guardMs());
}

void Election::demoted(const QString &reason, qint64 nowMs)
{
    m_role = Role::Standby;
    m_epoch = -1;
    m_demoteAtMs = -1;
    m_reason = reason;
    // Another instance gets a detector's time to take over before this one tries again.
    m_startMs = nowMs;
    m_primary.clear();
    m_primaryLastMs = -1;
    m_primaryLeft = false;
}

} // namespace vigil
