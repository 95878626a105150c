// Heartbeat ingest thread.
#include "heartbeatservice.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QElapsedTimer>
#include <QTimer>

#include <memory>
#include <vector>

namespace vigil {

class HeartbeatWorker final : public QObject
{
    Q_OBJECT

public:
    HeartbeatWorker() = default;
    ~HeartbeatWorker() override { shutdown(); }

    void configure(const QList<ConnectionOptions> &targets, const HeartbeatOptions &options)
    {
        shutdown();
        m_tracker = std::make_unique<HeartbeatTracker>(options.detector);
        m_tracker->setEventSink([this](const Event &e) { Q_EMIT eventRaised(e); });
        m_tracker->setProbe([this](int carrier) { probe(carrier); });
        m_services = std::make_unique<ServiceTracker>();
        setServiceGroups(options.services);
        m_clock.start();
        if (!options.enabled())
            return;
        m_options = options;
        m_running = true;
        for (const ConnectionOptions &target : targets)
            addCarrier(target);
        if (!m_check) {
            m_check = new QTimer(this);
            m_check->setTimerType(Qt::PreciseTimer);
            connect(m_check, &QTimer::timeout, this, [this] {
                if (m_tracker)
                    m_tracker->check(m_clock.nsecsElapsed(), QDateTime::currentMSecsSinceEpoch());
            });
            m_snapshot = new QTimer(this);
            connect(m_snapshot, &QTimer::timeout, this, &HeartbeatWorker::publish);
        }
        m_check->start(options.checkIntervalMs);
        m_snapshot->start(options.snapshotIntervalMs);
    }

    // One more server to subscribe on (a node found by discovery); ignored when not running.
    void addCarrier(const ConnectionOptions &target)
    {
        if (!m_running)
            return;
        const int i = int(m_connections.size());
        ConnectionOptions o = target;
        o.clientName = QByteArrayLiteral("vigil-heartbeats");
        auto *c = new Connection(o, this);
        m_tracker->setCarrierAddress(i, o.uri.address());
        m_index.insert(o.uri.address(), i);
        resolveUpstreams();
        // Beats are read in place: the tracker gets views into the connection's buffer.
        c->setPushSink([this, i](const PushMessage &m) {
            m_tracker->ingest(i, QByteArray::fromRawData(m.channel.data(), m.channel.size()),
                              QByteArray::fromRawData(m.payload.data(), m.payload.size()), m_clock.nsecsElapsed(), HeartbeatTracker::wallClockUs());
        });
        connect(c, &Connection::ready, this,
                [this, i] { m_tracker->setCarrierReachable(i, true, m_clock.nsecsElapsed(), QDateTime::currentMSecsSinceEpoch()); });
        connect(c, &Connection::disconnected, this,
                [this, i] { m_tracker->setCarrierReachable(i, false, m_clock.nsecsElapsed(), QDateTime::currentMSecsSinceEpoch()); });
        c->subscribe(m_options.channels);
        c->psubscribe(m_options.patterns);
        c->open();
        m_connections.push_back(c);
    }

    void shutdown()
    {
        m_running = false;
        if (m_check) {
            m_check->stop();
            m_snapshot->stop();
        }
        for (Connection *c : m_connections) {
            if (!c)
                continue; // removed
            QObject::disconnect(c, nullptr, this, nullptr);
            c->close();
            delete c;
        }
        m_connections.clear();
        m_index.clear();
        if (m_tracker)
            publish();
    }

    void setServiceGroups(const QHash<QString, QStringList> &groups)
    {
        m_options.services = groups;
        if (!m_tracker)
            return;
        m_services->setGroups(groups);
        QSet<QString> grouped;
        for (const QStringList &nodes : groups)
            for (const QString &node : nodes)
                grouped.insert(node);
        m_tracker->setServiceSink(
            [this](const ServiceBeat &b) {
                for (const Event &e : m_services->beat(b))
                    Q_EMIT eventRaised(e);
            },
            grouped);
    }

    void removeCarrier(const QString &address)
    {
        const int i = m_index.value(address, -1);
        if (i < 0 || m_connections[size_t(i)] == nullptr)
            return;
        // Unreachable first: it forgets the outstanding probe, whose failure on close is then ignored
        // (a server the operator removed is not "not answering").
        m_tracker->setCarrierReachable(i, false, m_clock.nsecsElapsed(), QDateTime::currentMSecsSinceEpoch());
        Connection *c = m_connections[size_t(i)];
        QObject::disconnect(c, nullptr, this, nullptr);
        c->close();
        c->deleteLater();
        m_connections[size_t(i)] = nullptr; // indexes stay: the tracker knows carriers by them
        m_index.remove(address);
    }

    // `carrier` replicates from `upstream` ("" for none); either may not be a carrier yet.
    void setUpstream(const QString &carrier, const QString &upstream)
    {
        m_upstreams.insert(carrier, upstream);
        resolveUpstreams();
    }

    void setQuiet(bool active)
    {
        if (m_tracker)
            m_tracker->setQuietPeriod(active);
    }

Q_SIGNALS:
    void eventRaised(const vigil::Event &event);
    void updated(const vigil::HeartbeatUpdate &update);

private:
    // Tells the tracker every known "replicates from" by carrier index. Either side may become a
    // carrier after the relation was learnt (discovery adds servers as it goes), so all of them are
    // applied again whenever a carrier or a relation is added: a handful of entries.
    void resolveUpstreams()
    {
        if (!m_tracker)
            return;
        for (auto it = m_upstreams.cbegin(); it != m_upstreams.cend(); ++it)
            if (const int i = m_index.value(it.key(), -1); i >= 0)
                m_tracker->setCarrierUpstream(i, m_index.value(it.value(), -1));
    }

    // An immediate round trip on the carrier's subscriber connection, where its beats arrive:
    // replies and deliveries come in order, so an answer with no beat before it means the server
    // has nothing from the node.
    void probe(int carrier)
    {
        if (carrier < 0 || carrier >= int(m_connections.size()))
            return;
        Connection *c = m_connections[size_t(carrier)];
        if (!c)
            return; // removed: the tracker already sees it unreachable
        c->command(
            {QByteArrayLiteral("PING")}, this,
            [this, carrier](const Reply &r) {
                if (!m_tracker)
                    return;
                // A server error is an answer too: the server is alive, only the command was refused.
                if (r.isError() && r.local)
                    m_tracker->probeFailed(carrier, m_clock.nsecsElapsed(), QDateTime::currentMSecsSinceEpoch());
                else
                    m_tracker->probeAnswered(carrier, m_clock.nsecsElapsed(), QDateTime::currentMSecsSinceEpoch());
            },
            c->options().keepAliveTimeoutMs > 0 ? c->options().keepAliveTimeoutMs : c->options().commandTimeoutMs);
    }

    void publish()
    {
        HeartbeatUpdate u;
        u.nodes = m_tracker->status(m_clock.nsecsElapsed());
        u.samples = m_tracker->takeSamples();
        u.transitions = m_tracker->takeTransitions();
        u.beats = m_tracker->beatCount();
        u.duplicates = m_tracker->duplicateCount();
        u.malformed = m_tracker->malformedCount();
        // The services judged on their members' states as the views get them.
        for (const NodeStatus &n : std::as_const(u.nodes))
            m_services->setState(n.node, n.state);
        for (const Event &e : m_services->update(QDateTime::currentMSecsSinceEpoch()))
            Q_EMIT eventRaised(e);
        u.services = m_services->services();
        Q_EMIT updated(u);
    }

    std::unique_ptr<HeartbeatTracker> m_tracker;
    std::unique_ptr<ServiceTracker> m_services;
    HeartbeatOptions m_options;
    bool m_running = false;
    std::vector<Connection *> m_connections;
    QHash<QString, int> m_index;         // carrier address -> index
    QHash<QString, QString> m_upstreams; // carrier address -> its master's address
    QElapsedTimer m_clock;
    QTimer *m_check = nullptr;
    QTimer *m_snapshot = nullptr;
};

HeartbeatService::HeartbeatService(QObject *parent)
    : QObject(parent)
    , m_worker(new HeartbeatWorker)
{
    qRegisterMetaType<vigil::Event>();
    qRegisterMetaType<vigil::HeartbeatUpdate>();
    m_thread.setObjectName(QStringLiteral("heartbeats"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &HeartbeatWorker::eventRaised, this, &HeartbeatService::eventRaised);
    connect(m_worker, &HeartbeatWorker::updated, this, &HeartbeatService::updated);
    m_thread.start();
}

HeartbeatService::~HeartbeatService()
{
    // Whoever listened may be gone already: deliver nothing from here on.
    QObject::disconnect(this, nullptr, nullptr, nullptr);
    stop();
    m_thread.quit();
    m_thread.wait();
}

void HeartbeatService::start(const QList<ConnectionOptions> &targets, const HeartbeatOptions &options)
{
    HeartbeatWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, targets, options] { worker->configure(targets, options); }, Qt::QueuedConnection);
}

void HeartbeatService::addTarget(const ConnectionOptions &target)
{
    HeartbeatWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, target] { worker->addCarrier(target); }, Qt::QueuedConnection);
}

void HeartbeatService::stop()
{
    if (!m_thread.isRunning())
        return;
    HeartbeatWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker] { worker->shutdown(); }, Qt::BlockingQueuedConnection);
    // Deliver what the worker signalled before it stopped, so that nothing raised is lost.
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
}

void HeartbeatService::removeTarget(const QString &address)
{
    HeartbeatWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, address] { worker->removeCarrier(address); }, Qt::QueuedConnection);
}

void HeartbeatService::setCarrierUpstream(const QString &carrier, const QString &upstream)
{
    HeartbeatWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, carrier, upstream] { worker->setUpstream(carrier, upstream); }, Qt::QueuedConnection);
}

void HeartbeatService::setServiceGroups(const QHash<QString, QStringList> &groups)
{
    HeartbeatWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, groups] { worker->setServiceGroups(groups); }, Qt::QueuedConnection);
}

void HeartbeatService::setQuietPeriod(bool active)
{
    HeartbeatWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, active] { worker->setQuiet(active); }, Qt::QueuedConnection);
}

} // namespace vigil

#include "heartbeatservice.moc"
