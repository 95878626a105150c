// Heartbeat ingest on a thread of its own: one subscriber connection per monitored server feeds
// the tracker, whose events and periodic snapshots cross to the owner's thread as values. Rendering
// never slows ingest down, and ingest never waits on the journal.
#pragma once

#include "redis/connection.h"
#include "tracker.h"
#include "services/servicetracker.h"

#include <QObject>
#include <QThread>

namespace vigil {

class HeartbeatWorker;

struct HeartbeatOptions
{
    // Defaults of the command line: channel `heartbeat` and pattern `heartbeat:*`.
    QList<QByteArray> channels{QByteArrayLiteral("heartbeat")};
    QList<QByteArray> patterns{QByteArrayLiteral("heartbeat:*")};
    DetectorSettings detector;
    int checkIntervalMs = 20;     // detector resolution
    int snapshotIntervalMs = 250; // how often views get node states and new samples
    // The operator's services: name -> nodes (`--service NAME=NODE[,NODE...]`).
    QHash<QString, QStringList> services;

    bool enabled() const { return !channels.isEmpty() || !patterns.isEmpty(); }
};

struct HeartbeatUpdate
{
    QList<NodeStatus> nodes;
    QList<BeatSample> samples;
    QList<NodeTransition> transitions;
    QList<ServiceStatus> services;
    qint64 beats = 0; // accepted beats since start
    qint64 duplicates = 0;
    qint64 malformed = 0;
};

class HeartbeatService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeartbeatService)

public:
    explicit HeartbeatService(QObject *parent = nullptr);
    ~HeartbeatService() override;

    // (Re)subscribes on every target; an empty list or disabled options stop ingest.
    void start(const QList<ConnectionOptions> &targets, const HeartbeatOptions &options);
    // Subscribes on one more server as well (a node found by discovery) while running.
    void addTarget(const ConnectionOptions &target);
    // Stops watching one server (by address) for heartbeats; its nodes become unknown in time.
    void removeTarget(const QString &address);
    // Stops ingest; every event raised before returns has been signalled when this returns.
    void stop();
    // `carrier` (a server address) replicates from `upstream` ("" when it is a master): beats that
    // arrive through both were published on the upstream one.
    void setCarrierUpstream(const QString &carrier, const QString &upstream);
    // The operator's services (name -> nodes) from now on, as HeartbeatOptions::services.
    void setServiceGroups(const QHash<QString, QStringList> &groups);
    // While a coordinated promotion pauses writes, silences are annotated instead of paged.
    void setQuietPeriod(bool active);

Q_SIGNALS:
    void eventRaised(const vigil::Event &event);
    void updated(const vigil::HeartbeatUpdate &update);

private:
    QThread m_thread;
    HeartbeatWorker *m_worker = nullptr;
};

} // namespace vigil

Q_DECLARE_METATYPE(vigil::HeartbeatUpdate)
