// The monitor: owns a connection per target, turns what happens on them into journal events.
// The one object that both the GUI and the command line drive.
#pragma once

#include "heartbeat/heartbeatservice.h"
#include "journal/event.h"
#include "topology/snapshotdiff.h"
#include "redis/connection.h"

#include <QHash>
#include <QObject>
#include <QTimer>

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
    QString role;          // master, replica, sentinel; empty before the first poll
    qint64 replOffset = -1;
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

    // INFO polling of every connected target (default every second); 0 turns it off.
    void setPollInterval(int ms);
    void setTopologyThresholds(const TopologyThresholds &thresholds) { m_thresholds = thresholds; }
    // The last INFO snapshot of a target, by index (null before the first poll).
    const InfoSnapshot *snapshot(int index) const;

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
        std::unique_ptr<InfoSnapshot> snapshot;
        TopologyAlarms alarms;
        bool polling = false;
    };

    void attach(Target &target);
    void onReady(Target &target);
    void onDisconnected(Target &target, ErrorKind reason, const QString &message);
    void onAuthFailed(Target &target, ErrorKind reason, const QString &message);
    void onServerError(Target &target, ErrorKind kind, const QString &message);
    void poll();
    void pollTarget(Target &target);

    Journal *m_journal;
    HeartbeatService *m_heartbeats;
    HeartbeatOptions m_heartbeatOptions;
    HeartbeatTotals m_heartbeatTotals;
    std::vector<std::unique_ptr<Target>> m_targets;
    bool m_running = false;
    qint64 m_eventsRaised = 0;
    QTimer *m_pollTimer;
    TopologyThresholds m_thresholds;
};

} // namespace vigil
