// A client that increments a counter as fast as it can (a window of INCRs in flight) and counts
// the acknowledged ones: the yardstick for "no acknowledged write lost" in promotion tests and
// benchmarks. It stops at the first refusal (-READONLY, -MASTERDOWN...) or lost connection.
#pragma once

#include "redis/connection.h"

#include <QElapsedTimer>
#include <QObject>

namespace vigil {

class CounterWriter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CounterWriter)

public:
    CounterWriter(const ConnectionOptions &target, QByteArray key, int window = 16, QObject *parent = nullptr);

    void start();
    void stop();
    bool isRunning() const { return m_running; }

    qint64 acknowledged() const { return m_acked; }
    qint64 highestValue() const { return m_highest; } // the largest value an INCR returned
    QString stopReason() const { return m_stopReason; }
    // The longest time between two consecutive acknowledgements (a write pause shows here), in ms.
    qint64 longestGapMs() const { return m_longestGapMs; }
    // From the last acknowledgement to the reply or loss that stopped it (-1 while it runs): a write
    // pause that ends in a refusal (-READONLY after a switchover) shows here, not in the gaps.
    qint64 finalStallMs() const { return m_finalStallMs; }

Q_SIGNALS:
    void stopped(const QString &reason);

private:
    void sendOne();
    void halt(const QString &reason);

    Connection *m_connection;
    QByteArray m_key;
    int m_window;
    int m_inFlight = 0;
    bool m_running = false;
    qint64 m_acked = 0;
    qint64 m_highest = 0;
    qint64 m_lastAckMs = -1;
    qint64 m_longestGapMs = 0;
    qint64 m_finalStallMs = -1;
    QElapsedTimer m_clock;
    QString m_stopReason;
};

} // namespace vigil
