// Publishes heartbeats on a Redis channel: JSON beats {node, seq, ts, interval_ms, role, service} or the
// classic plain "alive". Used by vigil-beat and by the demo's publishers.
#pragma once

#include "redis/connection.h"

#include <QObject>
#include <QTimer>

namespace vigil {

class MasterLocator;

struct BeatPublisherOptions
{
    // The server to publish on; with sentinels, how to reach the group's master (credentials, TLS).
    ConnectionOptions connection;
    // When given, the master of `masterName` is found through these sentinels and followed across
    // failovers.
    QList<ConnectionOptions> sentinels;
    QString masterName;
    QString node;
    int intervalMs = 1000;
    QByteArray channel; // default: heartbeat:<node>
    bool plain = false; // publish "alive" instead of JSON
    QString role;
    QString service; // the service the node beats for (JSON beats only)
    // When given, the beats published on channels matching it are delivered by peerMessage()
    // (over a second connection to the same server: a subscribed connection runs no commands).
    QByteArray watchPattern;
};

class BeatPublisher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BeatPublisher)

public:
    explicit BeatPublisher(BeatPublisherOptions options, QObject *parent = nullptr);

    void start();
    void stop();
    // Skips beats while paused (the demo's flapping node); the sequence keeps counting.
    void setPaused(bool paused) { m_paused = paused; }
    bool isPaused() const { return m_paused; }

    QByteArray channel() const { return m_channel; }
    qint64 sequence() const { return m_seq; }
    qint64 published() const { return m_published; }
    // "host:port" of the server beats go to (the current master when following Sentinel).
    QString target() const;
    bool isConnected() const { return m_connection && m_connection->isReady(); }

    // The role and epoch announced from the next beat on (an epoch below 0 is left out).
    void setClaim(const QString &role, qint64 epoch);
    // Beats now, without waiting for the period (a new primary says so at once).
    void beatNow() { tick(); }
    // Runs a command on the publishing connection; when it is not connected, the callback gets a
    // local error at once.
    void command(const QList<QByteArray> &argv, QObject *context, Connection::Callback callback, int timeoutMs = -1);

    // The JSON payload for one beat (public for tests).
    static QByteArray jsonBeat(const QString &node, qint64 seq, qint64 wallUs, int intervalMs, const QString &role, const QString &service = {},
                               qint64 epoch = -1);

Q_SIGNALS:
    // Emitted before every beat is built: the last moment to change the claim it carries.
    void aboutToBeat();
    void beatPublished(qint64 seq, qint64 receivers);
    void publishFailed(const QString &message);
    // The connection to the target is up (after a reconnect or a move to a new master too).
    void connected(const QString &address);
    void connectionLost(const QString &message);
    // Following Sentinel: the beats now go to `address`.
    void targetChanged(const QString &address, const QString &how);
    // A message on a channel matching watchPattern.
    void peerMessage(const QByteArray &channel, const QByteArray &payload);

private:
    void tick();
    void connectTo(const ConnectionOptions &options);

    BeatPublisherOptions m_options;
    QByteArray m_channel;
    Connection *m_connection = nullptr;
    Connection *m_watch = nullptr;
    MasterLocator *m_locator = nullptr;
    bool m_running = false;
    QTimer m_timer;
    qint64 m_seq = 0;
    qint64 m_published = 0;
    bool m_paused = false;
    qint64 m_epoch = -1;
};

} // namespace vigil
