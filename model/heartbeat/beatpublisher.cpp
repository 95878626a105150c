// Heartbeat publisher.
#include "beatpublisher.h"

#include "topology/masterlocator.h"
#include "tracker.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

namespace vigil {

BeatPublisher::BeatPublisher(BeatPublisherOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_channel(m_options.channel.isEmpty() ? QByteArrayLiteral("heartbeat:") + m_options.node.toUtf8() : m_options.channel)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &BeatPublisher::tick);
    if (m_options.sentinels.isEmpty()) {
        connectTo(m_options.connection);
        return;
    }
    m_locator = new MasterLocator(m_options.sentinels, m_options.masterName, this);
    connect(m_locator, &MasterLocator::masterChanged, this, [this](const QString &address, const QString &how) {
        ConnectionOptions o = m_options.connection;
        if (!splitHostPort(address, &o.uri.host, &o.uri.port))
            return;
        o.uri.path.clear();
        if (o.uri.scheme == RedisUri::Scheme::Unix)
            o.uri.scheme = RedisUri::Scheme::Tcp;
        connectTo(o);
        Q_EMIT targetChanged(address, how);
    });
    connect(m_locator, &MasterLocator::problem, this, &BeatPublisher::publishFailed);
}

// Publishes through a new connection from now on (the old one, if any, is closed).
void BeatPublisher::connectTo(const ConnectionOptions &options)
{
    for (Connection *old : {m_connection, m_watch}) {
        if (!old)
            continue;
        QObject::disconnect(old, nullptr, this, nullptr);
        old->close();
        old->deleteLater();
    }
    m_watch = nullptr;
    if (!m_options.watchPattern.isEmpty()) {
        ConnectionOptions watchOptions = options;
        watchOptions.clientName += QByteArrayLiteral("-watch");
        watchOptions.keepAliveIntervalMs = 1000; // it sends nothing else: a hung server shows here
        m_watch = new Connection(watchOptions, this);
        m_watch->psubscribe({m_options.watchPattern});
        connect(m_watch, &Connection::message, this,
                [this](const QByteArray &channel, const QByteArray &, const QByteArray &payload) { Q_EMIT peerMessage(channel, payload); });
        if (m_running)
            m_watch->open();
    }
    m_connection = new Connection(options, this);
    const QString address = options.uri.address();
    connect(m_connection, &Connection::ready, this, [this, address] { Q_EMIT connected(address); });
    connect(m_connection, &Connection::disconnected, this, [this](ErrorKind, const QString &message) { Q_EMIT connectionLost(message); });
    if (m_running)
        m_connection->open();
}

QString BeatPublisher::target() const
{
    return m_connection ? m_connection->options().uri.address() : QString();
}

void BeatPublisher::setClaim(const QString &role, qint64 epoch)
{
    m_options.role = role;
    m_epoch = epoch;
}

void BeatPublisher::command(const QList<QByteArray> &argv, QObject *context, Connection::Callback callback, int timeoutMs)
{
    if (!isConnected()) {
        callback(Reply::error(QByteArrayLiteral("not connected to ") + target().toUtf8()));
        return;
    }
    m_connection->command(argv, context, std::move(callback), timeoutMs);
}

QByteArray BeatPublisher::jsonBeat(const QString &node, qint64 seq, qint64 wallUs, int intervalMs, const QString &role, const QString &service,
                                   qint64 epoch)
{
    const QByteArray name = QJsonDocument(QJsonArray{node}).toJson(QJsonDocument::Compact);
    QByteArray payload = "{\"node\":" + name.mid(1, name.size() - 2) + ",\"seq\":" + QByteArray::number(seq)
        + ",\"ts\":" + QByteArray::number(wallUs / 1'000'000) + '.' + QByteArray::number(wallUs % 1'000'000).rightJustified(6, '0')
        + ",\"interval_ms\":" + QByteArray::number(intervalMs);
    if (!role.isEmpty()) {
        const QByteArray r = QJsonDocument(QJsonArray{role}).toJson(QJsonDocument::Compact);
        payload += ",\"role\":" + r.mid(1, r.size() - 2);
    }
    if (!service.isEmpty()) {
        const QByteArray s = QJsonDocument(QJsonArray{service}).toJson(QJsonDocument::Compact);
        payload += ",\"service\":" + s.mid(1, s.size() - 2);
    }
    if (epoch >= 0)
        payload += ",\"epoch\":" + QByteArray::number(epoch);
    return payload + '}';
}

void BeatPublisher::start()
{
    m_running = true;
    if (m_connection)
        m_connection->open();
    if (m_watch)
        m_watch->open();
    if (m_locator)
        m_locator->start();
    m_timer.start(m_options.intervalMs);
}

void BeatPublisher::stop()
{
    m_running = false;
    m_timer.stop();
    if (m_locator)
        m_locator->stop();
    if (m_connection)
        m_connection->close();
    if (m_watch)
        m_watch->close();
}

void BeatPublisher::tick()
{
    Q_EMIT aboutToBeat();
    const qint64 seq = ++m_seq;
    if (m_paused)
        return;
    if (!m_connection || !m_connection->isReady()) {
        Q_EMIT publishFailed(m_connection
                                 ? QStringLiteral("beat %1 not sent: not connected to %2").arg(seq).arg(target())
                                 : QStringLiteral("beat %1 not sent: no sentinel has named the master of %2 yet").arg(seq).arg(m_options.masterName));
        return;
    }
    const QByteArray payload = m_options.plain
        ? QByteArrayLiteral("alive")
        : jsonBeat(m_options.node, seq, HeartbeatTracker::wallClockUs(), m_options.intervalMs, m_options.role, m_options.service, m_epoch);
    m_connection->command({QByteArrayLiteral("PUBLISH"), m_channel, payload}, this, [this, seq](const Reply &r) {
        if (r.isError()) {
            Q_EMIT publishFailed(QStringLiteral("beat %1 not published: %2").arg(seq).arg(r.text()));
            return;
        }
        ++m_published;
        Q_EMIT beatPublished(seq, r.integer);
    });
}

} // namespace vigil
