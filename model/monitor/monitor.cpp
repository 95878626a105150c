// The monitor: connection life cycle to journal events.
#include "monitor.h"

#include "journal/journal.h"
#include "topology/inforequest.h"

#include <QDateTime>
#include <QJsonArray>

namespace vigil {

namespace {

// The same redis.error message from the same target is journalled at most once a minute.
constexpr qint64 kErrorRepeatMs = 60'000;

} // namespace

Monitor::Monitor(Journal *journal, QObject *parent)
    : QObject(parent)
    , m_journal(journal)
    , m_heartbeats(new HeartbeatService(this))
    , m_pollTimer(new QTimer(this))
{
    m_pollTimer->setInterval(1000);
    connect(m_pollTimer, &QTimer::timeout, this, &Monitor::poll);
    connect(m_heartbeats, &HeartbeatService::eventRaised, this, &Monitor::raise);
    connect(m_heartbeats, &HeartbeatService::updated, this, [this](const HeartbeatUpdate &u) {
        m_heartbeatTotals = {u.beats, u.duplicates, u.malformed, int(u.nodes.size())};
    });
}

Monitor::~Monitor()
{
    for (auto &t : m_targets) {
        QObject::disconnect(t->connection, nullptr, this, nullptr);
        delete t->connection;
    }
}

void Monitor::setTargets(const QList<ConnectionOptions> &targets)
{
    const bool wasRunning = m_running;
    for (auto &t : m_targets) {
        QObject::disconnect(t->connection, nullptr, this, nullptr);
        t->connection->close();
        t->connection->deleteLater();
    }
    m_targets.clear();
    for (const ConnectionOptions &options : targets) {
        auto target = std::make_unique<Target>();
        target->connection = new Connection(options, this);
        target->status.address = options.uri.address();
        target->status.display = options.uri.toDisplayString();
        target->status.name = options.name;
        target->status.lastError = tr("not connected yet");
        attach(*target);
        m_targets.push_back(std::move(target));
    }
    if (wasRunning) {
        for (auto &t : m_targets)
            t->connection->open();
        m_heartbeats->start(targets, m_heartbeatOptions);
    }
    Q_EMIT statusChanged();
}

QList<ConnectionOptions> Monitor::targets() const
{
    QList<ConnectionOptions> list;
    for (const auto &t : m_targets)
        list << t->connection->options();
    return list;
}

void Monitor::attach(Target &target)
{
    Connection *c = target.connection;
    Target *t = &target;
    connect(c, &Connection::ready, this, [this, t] { onReady(*t); });
    connect(c, &Connection::disconnected, this,
            [this, t](ErrorKind reason, const QString &message) { onDisconnected(*t, reason, message); });
    connect(c, &Connection::authFailed, this,
            [this, t](ErrorKind reason, const QString &message) { onAuthFailed(*t, reason, message); });
    connect(c, &Connection::serverError, this,
            [this, t](ErrorKind kind, const QString &message) { onServerError(*t, kind, message); });
    connect(c, &Connection::roundTrip, this, [t](qint64 us) { t->status.roundTripUs = us; });
}

void Monitor::start()
{
    if (m_running)
        return;
    m_running = true;
    QStringList addresses;
    for (const auto &t : m_targets)
        addresses << t->status.display;
    raise(Event::make(QStringLiteral("monitor.started"), Severity::Info, QStringLiteral("vigil"),
                      tr("monitoring %n target(s)", nullptr, int(m_targets.size())),
                      {{QStringLiteral("targets"), QJsonArray::fromStringList(addresses)}}));
    for (auto &t : m_targets)
        t->connection->open();
    m_heartbeats->start(targets(), m_heartbeatOptions);
    if (m_pollTimer->interval() > 0)
        m_pollTimer->start();
}

void Monitor::setPollInterval(int ms)
{
    m_pollTimer->setInterval(std::max(0, ms));
    if (ms <= 0)
        m_pollTimer->stop();
    else if (m_running)
        m_pollTimer->start();
}

const InfoSnapshot *Monitor::snapshot(int index) const
{
    return index >= 0 && index < int(m_targets.size()) ? m_targets[size_t(index)]->snapshot.get() : nullptr;
}

void Monitor::poll()
{
    for (auto &t : m_targets)
        if (t->status.connected && !t->polling)
            pollTarget(*t);
}

void Monitor::pollTarget(Target &t)
{
    t.polling = true;
    Target *target = &t;
    requestInfo(t.connection, t.connection,
                [this, target](bool ok, const InfoSnapshot &current, ErrorKind kind, const QString &error) {
                    target->polling = false;
                    if (!ok) {
                        if (kind != ErrorKind::Closed)
                            onServerError(*target, kind, tr("INFO refused by %1: %2").arg(target->status.address, error));
                        return;
                    }
                    const qint64 now = QDateTime::currentMSecsSinceEpoch();
                    for (const Event &e : compareSnapshots(target->status.address, target->snapshot.get(), current,
                                                           m_thresholds, target->alarms, now))
                        raise(e);
                    const QString role = current.mode == QLatin1String("sentinel") ? QStringLiteral("sentinel")
                                                                                    : roleName(current.role);
                    const bool changed = role != target->status.role || current.masterReplOffset != target->status.replOffset;
                    target->status.role = role;
                    target->status.replOffset = current.masterReplOffset;
                    target->snapshot = std::make_unique<InfoSnapshot>(current);
                    if (changed)
                        Q_EMIT statusChanged();
                });
}

void Monitor::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_pollTimer->stop();
    m_heartbeats->stop();
    for (auto &t : m_targets) {
        t->connection->close();
        t->status.connected = false;
    }
    raise(Event::make(QStringLiteral("monitor.stopped"), Severity::Info, QStringLiteral("vigil"),
                      tr("monitoring stopped")));
    Q_EMIT statusChanged();
}

int Monitor::connectedCount() const
{
    return int(std::count_if(m_targets.begin(), m_targets.end(), [](const auto &t) { return t->status.connected; }));
}

QList<TargetStatus> Monitor::status() const
{
    QList<TargetStatus> list;
    for (const auto &t : m_targets)
        list << t->status;
    return list;
}

void Monitor::raise(const Event &event)
{
    ++m_eventsRaised;
    if (m_journal)
        m_journal->append(event);
    Q_EMIT eventRaised(event);
}

void Monitor::onReady(Target &t)
{
    const bool again = t.everConnected;
    t.everConnected = true;
    t.reportedDown = false;
    t.status.connected = true;
    t.status.authFailed = false;
    t.status.lastError.clear();
    raise(Event::make(QStringLiteral("redis.reachable"), Severity::Info, t.status.address,
                      again ? tr("reconnected to %1").arg(t.status.display) : tr("connected to %1").arg(t.status.display),
                      {{QStringLiteral("uri"), t.status.display}, {QStringLiteral("reconnect"), again}}));
    Q_EMIT statusChanged();
}

void Monitor::onDisconnected(Target &t, ErrorKind reason, const QString &message)
{
    const bool wasConnected = t.status.connected;
    t.status.connected = false;
    t.status.lastError = message;
    if (reason == ErrorKind::Protocol || reason == ErrorKind::Tls)
        onServerError(t, reason, message);
    // One event per outage: the transition from connected, or the first failed attempt.
    // Authentication failures have their own event.
    const bool authFailure = reason == ErrorKind::WrongPass || reason == ErrorKind::NoAuth;
    if ((wasConnected || !t.reportedDown) && !(authFailure && !wasConnected)) {
        t.reportedDown = true;
        raise(Event::make(QStringLiteral("redis.unreachable"), wasConnected ? Severity::Critical : Severity::Warning,
                          t.status.address,
                          wasConnected ? tr("lost connection: %1").arg(message) : tr("cannot connect: %1").arg(message),
                          {{QStringLiteral("reason"), errorKindName(reason)},
                           {QStringLiteral("error"), message},
                           {QStringLiteral("was_connected"), wasConnected}}));
    }
    Q_EMIT statusChanged();
}

void Monitor::onAuthFailed(Target &t, ErrorKind reason, const QString &message)
{
    t.status.lastError = message;
    if (t.status.authFailed)
        return;
    t.status.authFailed = true;
    t.reportedDown = true;
    const QString user = t.connection->options().uri.user;
    raise(Event::make(QStringLiteral("redis.auth_failed"), Severity::Critical, t.status.address,
                      reason == ErrorKind::NoAuth ? tr("server requires a password: %1").arg(message)
                                                  : tr("authentication refused: %1").arg(message),
                      {{QStringLiteral("reason"), errorKindName(reason)},
                       {QStringLiteral("user"), user.isEmpty() ? QStringLiteral("default") : user},
                       {QStringLiteral("error"), message}}));
    Q_EMIT statusChanged();
}

void Monitor::onServerError(Target &t, ErrorKind kind, const QString &message)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto it = t.lastErrorReport.find(message);
    if (it != t.lastErrorReport.end() && now - it.value() < kErrorRepeatMs)
        return;
    t.lastErrorReport.insert(message, now);
    raise(Event::make(QStringLiteral("redis.error"), Severity::Warning, t.status.address, message,
                      {{QStringLiteral("reason"), errorKindName(kind)}}));
}

} // namespace vigil
