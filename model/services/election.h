// Which instance of a service acts as its primary: the decisions of `vigil-beat --role auto`, on an
// injected clock. The lease in Redis decides (only its holder renews it); this class says when to
// try for it, when to renew it and when to give it up, so that a primary that cannot renew stops
// claiming before its lease can expire. The caller runs the Redis commands and reports back.
#pragma once

#include "heartbeat/detector.h"

#include <QString>

namespace vigil {

struct ElectionSettings
{
    int intervalMs = 1000; // the node's own beat period; the lease is renewed at every beat
    int leaseMs = 3000;    // the lease's time to live, at least three intervals
    // A primary stops claiming this long before its lease could expire (a third of the lease:
    // with the defaults, a primary survives one failed renewal and gives up at the second).
    qint64 guardMs() const { return leaseMs / 3; }
};

class Election
{
public:
    enum class Role { Standby, Primary };
    // What the caller should do now.
    enum class Step {
        None,
        Acquire, // try to take the lease (the primary is gone and may have left it free)
        Renew,   // renew the lease (a primary, at every beat)
        Demote,  // stop claiming primary at once (the lease may expire, or was lost)
    };

    Election(QString node, ElectionSettings settings, qint64 startMs);

    const ElectionSettings &settings() const { return m_settings; }
    Role role() const { return m_role; }
    bool isPrimary() const { return m_role == Role::Primary; }
    qint64 epoch() const { return m_epoch; }               // while primary; -1 otherwise
    qint64 highestEpoch() const { return m_highestEpoch; } // the highest seen anywhere
    QString primary() const { return m_primary; }          // the peer thought to be primary, if any
    // Why the latest step was taken, for the log.
    QString reason() const { return m_reason; }
    // The time by which a primary must have renewed or demoted; -1 for a standby.
    qint64 demoteAtMs() const { return m_role == Role::Primary ? m_demoteAtMs : -1; }

    // Another instance's beat. Returns Acquire when the primary just said it left (its lease was
    // released), Demote when a primary with a higher epoch appeared while this one claims.
    Step peerBeat(const QString &node, const QString &role, qint64 epoch, int intervalMs, qint64 nowMs);
    // The step due at `nowMs` (at every beat, and when the demotion deadline comes).
    Step tick(qint64 nowMs);

    // The outcome of the caller's commands. `sentMs` is when the command was sent: the lease runs
    // at least until sentMs + leaseMs, so the deadline counts from there.
    void acquired(qint64 epoch, qint64 sentMs);
    void refused(const QString &holder, qint64 holderEpoch, qint64 nowMs);
    void renewed(qint64 sentMs);
    void demoted(const QString &reason, qint64 nowMs);

private:
    bool primaryGone(qint64 nowMs);

    QString m_node;
    ElectionSettings m_settings;
    DetectorSettings m_detectorSettings;
    IntervalDetector m_detector;
    Role m_role = Role::Standby;
    qint64 m_epoch = -1;
    qint64 m_highestEpoch = -1;
    qint64 m_demoteAtMs = -1;
    qint64 m_startMs = 0;
    QString m_primary;           // the peer seen claiming primary (or holding the lease)
    qint64 m_primaryLastMs = -1; // its latest beat as primary
    bool m_primaryLeft = false;  // it said it is no longer primary
    QString m_reason;
};

} // namespace vigil
