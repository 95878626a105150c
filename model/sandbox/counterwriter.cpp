// The counting writer.
#include "counterwriter.h"

namespace vigil {

CounterWriter::CounterWriter(const ConnectionOptions &target, QByteArray key, int window, QObject *parent)
    : QObject(parent)
    , m_key(std::move(key))
    , m_window(std::max(1, window))
{
    ConnectionOptions o = target;
    o.autoReconnect = false;
    o.keepAliveIntervalMs = 0;
    o.clientName = QByteArrayLiteral("vigil-writer");
    o.commandTimeoutMs = 30'000; // paused writes wait; they must not be counted as failed meanwhile
    m_connection = new Connection(o, this);
    connect(m_connection, &Connection::disconnected, this,
            [this](ErrorKind, const QString &message) { halt(QStringLiteral("connection lost: %1").arg(message)); });
}

void CounterWriter::start()
{
    if (m_running)
        return;
    m_running = true;
    m_clock.start();
    m_connection->open();
    for (int i = 0; i < m_window; ++i)
        sendOne();
}

void CounterWriter::stop()
{
    halt(QStringLiteral("stopped"));
}

void CounterWriter::sendOne()
{
    if (!m_running)
        return;
    ++m_inFlight;
    m_connection->command({QByteArrayLiteral("INCR"), m_key}, this, [this](const Reply &r) {
        --m_inFlight;
        if (!m_running)
            return;
        if (!r.isInteger()) {
            halt(r.isError() ? r.text() : QStringLiteral("unexpected reply"));
            return;
        }
        ++m_acked;
        m_highest = std::max(m_highest, r.integer);
        const qint64 now = m_clock.elapsed();
        if (m_lastAckMs >= 0)
            m_longestGapMs = std::max(m_longestGapMs, now - m_lastAckMs);
        m_lastAckMs = now;
        sendOne();
    });
}

void CounterWriter::halt(const QString &reason)
{
    if (!m_running)
        return;
    m_running = false;
    m_stopReason = reason;
    m_finalStallMs = m_clock.elapsed() - std::max<qint64>(0, m_lastAckMs);
    m_connection->close();
    Q_EMIT stopped(reason);
}

} // namespace vigil
