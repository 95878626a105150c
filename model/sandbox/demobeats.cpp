// The demo's heartbeat publishers.
#include "demobeats.h"

namespace vigil {

DemoBeats::DemoBeats(const ConnectionOptions &target, const QList<ConnectionOptions> &sentinels, const QString &masterName, Timing timing,
                     QObject *parent)
    : QObject(parent)
    , m_timing(timing)
{
    struct Spec
    {
        const char *node;
        int intervalMs;
        const char *role;
    };
    // The flapping node comes last.
    for (const Spec &spec :
         {Spec{"api-1", 1000, "primary"}, Spec{"api-2", 1000, "standby"}, Spec{"worker-1", 200, "worker"}, Spec{"batch-1", 1000, "batch"}}) {
        BeatPublisherOptions options;
        options.connection = target;
        options.sentinels = sentinels;
        options.masterName = masterName;
        options.connection.clientName = QByteArrayLiteral("vigil-demo-beat");
        options.connection.keepAliveIntervalMs = 0;
        options.node = QString::fromLatin1(spec.node);
        options.intervalMs = spec.intervalMs;
        options.role = QString::fromLatin1(spec.role);
        m_publishers.push_back(new BeatPublisher(options, this));
    }
    m_flap.setSingleShot(true);
    connect(&m_flap, &QTimer::timeout, this, [this] {
        BeatPublisher *node = flapping();
        node->setPaused(!node->isPaused());
        m_flap.start(node->isPaused() ? m_timing.flapOffMs : m_timing.flapOnMs);
    });
}

DemoBeats::DemoBeats(const ConnectionOptions &target, const QList<ConnectionOptions> &sentinels, const QString &masterName, QObject *parent)
    : DemoBeats(target, sentinels, masterName, Timing{}, parent)
{
}

void DemoBeats::start()
{
    for (BeatPublisher *p : m_publishers)
        p->start();
    m_flap.start(m_timing.flapOnMs);
}

void DemoBeats::stop()
{
    m_flap.stop();
    for (BeatPublisher *p : m_publishers)
        p->stop();
}

} // namespace vigil
