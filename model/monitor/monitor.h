// The monitor: owns a connection per target, turns what happens on them into journal events.
// The one object that both the GUI and the command line drive.
#pragma once

#include "heartbeat/heartbeatservice.h"
#include "journal/event.h"
#include "redis/connection.h"

#include <QHash>
#include <QObject>

#include <memory>
#include <vector>

namespace vigil {

class Journal;

struct TargetStatus
{
    QString address;       // journal source: "host:port" or socket path
    QString display;       // URI without password
    QString name;          // optional label
    bool connected = false;
    bool authFailed = false;
    QString lastError;     // why it is not connected, if it is not
    qint64 roundTripUs = -1;
};

class Monitor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Monitor)

public:
    // The journal may be null (events are then only signalled).
    explicit Monitor(Journal *journal, QObject *parent = nullptr);
    ~Monitor() override;

    void setTargets(const QList<ConnectionOptions> &targets);
    QList<ConnectionOptions> targets() const;
    // Which channels and patterns carry heartbeats; applies from the next start or target change.
    void setHeartbeatOptions(const HeartbeatOptions &options) { m_heartbeatOptions = options; }
    const HeartbeatOptions &heartbeatOptions() const { return m_heartbeatOptions; }
    HeartbeatService *heartbeats() const { return m_heartbeats; }
    // Totals of the last heartbeat snapshot (beats, duplicates, malformed; nodes as a count).
    struct HeartbeatTotals
    {
        qint64 beats = 0;
        qint64 duplicates = 0;
        qint64 malformed = 0;
        int nodes = 0;
    };
    HeartbeatTotals heartbeatTotals() const { return m_heartbeatTotals; }

    void start();
    void stop();
    bool isRunning() const { return m_running; }

    int targetCount() const { return int(m_targets.size()); }
    int connectedCount() const;
    QList<TargetStatus> status() const;
    qint64 eventsRaised() const { return m_eventsRaised; }

    // Records an event in the journal and signals it.
    void raise(const Event &event);

Q_SIGNALS:
    void eventRaised(const vigil::Event &event);
    void statusChanged();

private:
    struct Target
    {
        Connection *connection = nullptr;
        TargetStatus status;
        bool everConnected = false;
        bool reportedDown = false;
        QHash<QString, qint64> lastErrorReport; // message -> ms, rate limit for redis.error
    };

    void attach(Target &target);
    void onReady(Target &target);
    void onDisconnected(Target &target, ErrorKind reason, const QString &message);
    void onAuthFailed(Target &target, ErrorKind reason, const QString &message);
    void onServerError(Target &target, ErrorKind kind, const QString &message);

    Journal *m_journal;
    HeartbeatService *m_heartbeats;
    HeartbeatOptions m_heartbeatOptions;
    HeartbeatTotals m_heartbeatTotals;
    std::vector<std::unique_ptr<Target>> m_targets;
    bool m_running = false;
    qint64 m_eventsRaised = 0;
};

} // namespace vigil
