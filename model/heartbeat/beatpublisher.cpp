// Heartbeat publisher.
#include "beatpublisher.h"

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
    , m_connection(new Connection(m_options.connection, this))
{
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &BeatPublisher::tick);
}

QByteArray BeatPublisher::jsonBeat(const QString &node, qint64 seq, qint64 wallUs, int intervalMs, const QString &role)
{
    const QByteArray name = QJsonDocument(QJsonArray{node}).toJson(QJsonDocument::Compact);
    QByteArray payload = "{\"node\":" + name.mid(1, name.size() - 2) + ",\"seq\":" + QByteArray::number(seq)
                         + ",\"ts\":" + QByteArray::number(wallUs / 1'000'000) + '.'
                         + QByteArray::number(wallUs % 1'000'000).rightJustified(6, '0')
                         + ",\"interval_ms\":" + QByteArray::number(intervalMs);
    if (!role.isEmpty()) {
        const QByteArray r = QJsonDocument(QJsonArray{role}).toJson(QJsonDocument::Compact);
        payload += ",\"role\":" + r.mid(1, r.size() - 2);
    }
    return payload + '}';
}

void BeatPublisher::start()
{
    m_connection->open();
    m_timer.start(m_options.intervalMs);
}

void BeatPublisher::stop()
{
    m_timer.stop();
    m_connection->close();
}

void BeatPublisher::tick()
{
    const qint64 seq = ++m_seq;
    if (m_paused)
        return;
    if (!m_connection->isReady()) {
        Q_EMIT publishFailed(QStringLiteral("beat %1 not sent: not connected to %2").arg(seq).arg(m_options.connection.uri.address()));
        return;
    }
    const QByteArray payload = m_options.plain ? QByteArrayLiteral("alive")
                                               : jsonBeat(m_options.node, seq, HeartbeatTracker::wallClockUs(),
                                                          m_options.intervalMs, m_options.role);
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
