// The demo's service `orders`: two `vigil-beat --role auto` processes, a primary and a standby,
// whose primary is SIGKILLed about every minute and restarted a little later, so that the demo
// shows takeovers and a service healing.
#pragma once

#include "redis/connection.h"
#include "services/servicetracker.h"

#include <QObject>
#include <QTimer>

#include <array>

class QProcess;

namespace vigil {

class DemoService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoService)

public:
    struct Timing
    {
        int killEveryMs = 60'000;   // the primary is killed this long after the service healed
        int restartAfterMs = 8'000; // and restarted this long after
    };

    // `program`: the vigil-beat executable. The instances follow the master of `masterName` as
    // the sentinels name it.
    DemoService(QString program, const QList<ConnectionOptions> &sentinels, const QString &masterName, Timing timing, QObject *parent = nullptr);
    ~DemoService() override;

    void start();
    // SIGTERM to both instances (the primary releases its lease), then waits for them.
    void stop();
    // The service as the heartbeat thread judged it (HeartbeatUpdate::services): the demo kills
    // the primary it names, a minute after it took over.
    void observe(const QList<ServiceStatus> &services);
    // The instance that is primary, or -1.
    int primary() const { return m_primary; }

Q_SIGNALS:
    // An instance could not be started.
    void message(const QString &text);

private:
    void launch(int index);
    void killPrimary();

    QString m_program;
    QStringList m_arguments; // common to both instances
    Timing m_timing;
    std::array<QProcess *, 2> m_processes{};
    int m_primary = -1;
    QTimer m_kill;
    bool m_running = false;
};

} // namespace vigil
