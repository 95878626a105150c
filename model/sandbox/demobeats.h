// The demo's heartbeat publishers: three healthy nodes and one that stops and resumes every
// half minute or so, so that a new user sees a down and a recovery within a minute. Like a real
// application, they follow the master through Sentinel.
#pragma once

#include "heartbeat/beatpublisher.h"

#include <QObject>
#include <QTimer>

#include <vector>

namespace vigil {

class DemoBeats final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoBeats)

public:
    struct Timing
    {
        int flapOnMs = 20'000;  // the flapping node beats this long...
        int flapOffMs = 12'000; // ...then stays silent this long
    };

    // Publishes on `target`, or, with sentinels, on the master of `masterName` as they name it
    // (following failovers, as an application should).
    DemoBeats(const ConnectionOptions &target, const QList<ConnectionOptions> &sentinels, const QString &masterName, Timing timing,
              QObject *parent = nullptr);
    DemoBeats(const ConnectionOptions &target, const QList<ConnectionOptions> &sentinels, const QString &masterName, QObject *parent = nullptr);

    void start();
    void stop();
    const std::vector<BeatPublisher *> &publishers() const { return m_publishers; }
    BeatPublisher *flapping() const { return m_publishers.back(); }

private:
    Timing m_timing;
    std::vector<BeatPublisher *> m_publishers;
    QTimer m_flap;
};

} // namespace vigil
