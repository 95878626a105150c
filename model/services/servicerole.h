// `vigil-beat --role auto`: an instance of a service that beats as its primary while it holds the
// service's lease in Redis, and as a standby otherwise. The lease is a key set with NX and PX and
// renewed or released only by compare-and-set (Lua scripts); each new holder takes an epoch from
// a counter that only grows, and its beats carry it so that a stale primary can be told.
#pragma once

#include "election.h"
#include "redis/connection.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace vigil {

class BeatPublisher;

struct ServiceRoleOptions
{
    QString service;
    QString node;
    int intervalMs = 1000;
    int leaseMs = 3000;
};

class ServiceRole final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceRole)

public:
    // The role drives `publisher`'s claims; `publisher` must watch the service's beats
    // (BeatPublisherOptions::watchPattern) and outlive this object.
    ServiceRole(ServiceRoleOptions options, BeatPublisher *publisher, QObject *parent = nullptr);

    const Election &election() const { return m_election; }

    // Stops taking part: gives the lease up if held, beats once as "stopping" so that a standby
    // takes over at once, and emits released() when Redis confirmed or `timeoutMs` passed. For
    // SIGTERM. Nothing is tried for the lease afterwards.
    void release(int timeoutMs);

    // The keys of a service's lease and of its epoch counter (one hash slot, for Redis Cluster).
    static QByteArray leaseKey(const QString &service);
    static QByteArray epochKey(const QString &service);

Q_SIGNALS:
    void promoted(qint64 epoch, const QString &reason);
    void demoted(const QString &reason);
    // A lease command failed (not connected, refused): said once per kind of failure.
    void problem(const QString &message);
    // release() is done.
    void released();

private:
    qint64 nowMs() const { return m_clock.elapsed(); }
    void act(Election::Step step);
    void acquire();
    void renew();
    void demote(const QString &reason);
    void armDeadline();
    void onDeadline();
    // The time a lease command may take: past it, a reply could not be acted on safely.
    int commandTimeoutMs() const;
    void onPeerMessage(const QByteArray &channel, const QByteArray &payload);
    void report(const QString &message);
    // The lease's value for a holder of `epoch`: "EPOCH NODE".
    QByteArray token(qint64 epoch) const;
    // Frees the lease if it still holds `token` (compare-and-set).
    void sendRelease(const QByteArray &token, Connection::Callback callback, int timeoutMs = -1);

    ServiceRoleOptions m_options;
    BeatPublisher *m_publisher;
    QElapsedTimer m_clock;
    Election m_election;
    QTimer m_deadline; // a primary's last moment to have renewed
    QTimer m_retry;    // a standby's next try, when the lease it was refused runs out
    bool m_acquiring = false;
    bool m_stopping = false; // release() was called: nothing more is tried
    QString m_lastProblem;
};

} // namespace vigil
