// The lease commands of an instance that may become its service's primary.
#include "servicerole.h"

#include "heartbeat/beatparser.h"
#include "heartbeat/beatpublisher.h"

namespace vigil {

namespace {

// Takes the lease when nobody holds it: a new epoch from the counter (raised above ARGV[3], the
// highest epoch this instance has seen, should the counter have been lost), then the lease
// "EPOCH NODE" with NX and PX. Refused: {0, holder, its PTTL}.
const QByteArray kAcquire = QByteArrayLiteral("local holder = redis.call('GET', KEYS[1])\n"
                                              "if holder then return {0, holder, redis.call('PTTL', KEYS[1])} end\n"
                                              "local e = redis.call('INCR', KEYS[2])\n"
                                              "local floor = tonumber(ARGV[3])\n"
                                              "if e <= floor then e = floor + 1; redis.call('SET', KEYS[2], e) end\n"
                                              "redis.call('SET', KEYS[1], e .. ' ' .. ARGV[1], 'NX', 'PX', ARGV[2])\n"
                                              "return {1, e}\n");
// Renews the lease only while it is still this holder's.
const QByteArray kRenew = QByteArrayLiteral("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end\n"
                                            "return 0\n");
// Frees the lease only while it is still this holder's.
const QByteArray kRelease = QByteArrayLiteral("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end\n"
                                              "return 0\n");

const QString kStandby = QStringLiteral("standby");
const QString kPrimary = QStringLiteral("primary");

} // namespace

QByteArray ServiceRole::leaseKey(const QString &service)
{
    return QByteArrayLiteral("vigil:lease:{") + service.toUtf8() + '}';
}

QByteArray ServiceRole::epochKey(const QString &service)
{
    return QByteArrayLiteral("vigil:epoch:{") + service.toUtf8() + '}';
}

ServiceRole::ServiceRole(ServiceRoleOptions options, BeatPublisher *publisher, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_publisher(publisher)
    , m_election(m_options.node, ElectionSettings{m_options.intervalMs, m_options.leaseMs}, 0)
{
    m_clock.start();
    m_deadline.setSingleShot(true);
    m_deadline.setTimerType(Qt::PreciseTimer);
    m_retry.setSingleShot(true);
    m_retry.setTimerType(Qt::PreciseTimer);
    m_publisher->setClaim(kStandby, -1);
    // The claim of every beat is decided just before it is built.
    connect(m_publisher, &BeatPublisher::aboutToBeat, this, [this] { act(m_election.tick(nowMs())); });
    connect(m_publisher, &BeatPublisher::peerMessage, this, &ServiceRole::onPeerMessage);
    connect(&m_deadline, &QTimer::timeout, this, &ServiceRole::onDeadline);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        if (!m_election.isPrimary() && m_election.tick(nowMs()) == Election::Step::Acquire)
            acquire();
    });
}

QByteArray ServiceRole::token(qint64 epoch) const
{
    return QByteArray::number(epoch) + ' ' + m_options.node.toUtf8();
}

void ServiceRole::sendRelease(const QByteArray &token, Connection::Callback callback, int timeoutMs)
{
    m_publisher->command({QByteArrayLiteral("EVAL"), kRelease, QByteArrayLiteral("1"), leaseKey(m_options.service), token}, this, std::move(callback),
                         timeoutMs);
}

int ServiceRole::commandTimeoutMs() const
{
    return int(std::max<qint64>(1, m_options.leaseMs - m_election.settings().guardMs()));
}

void ServiceRole::act(Election::Step step)
{
    if (m_stopping)
        return;
    switch (step) {
    case Election::Step::None: return;
    case Election::Step::Acquire: acquire(); return;
    case Election::Step::Renew: renew(); return;
    case Election::Step::Demote: demote(m_election.reason()); return;
    }
}

void ServiceRole::report(const QString &message)
{
    if (message == m_lastProblem)
        return;
    m_lastProblem = message;
    Q_EMIT problem(message);
}

void ServiceRole::acquire()
{
    if (m_acquiring || m_election.isPrimary())
        return;
    m_acquiring = true;
    const QString why = m_election.reason();
    const qint64 sentMs = nowMs();
    m_publisher->command(
        {QByteArrayLiteral("EVAL"), kAcquire, QByteArrayLiteral("2"), leaseKey(m_options.service), epochKey(m_options.service),
         m_options.node.toUtf8(), QByteArray::number(m_options.leaseMs), QByteArray::number(std::max<qint64>(0, m_election.highestEpoch()))},
        this,
        [this, sentMs, why](const Reply &r) {
            m_acquiring = false;
            if (r.isArray() && r.elements.size() >= 2 && r.elements[0].isInteger() && r.elements[0].integer == 1
                && (m_stopping || nowMs() >= sentMs + commandTimeoutMs())) {
                // Won, but too late to act on safely (or while stopping): give it back.
                sendRelease(token(r.elements[1].integer), [](const Reply &) {});
                if (!m_stopping)
                    report(tr("the lease was won too late to be used safely, and given back"));
                return;
            }
            if (m_stopping)
                return;
            if (r.isError()) {
                report(tr("the lease could not be asked for: %1").arg(r.text()));
                return;
            }
            if (!r.isArray() || r.elements.size() < 2 || !r.elements[0].isInteger()) {
                report(tr("the lease script gave an unexpected reply"));
                return;
            }
            m_lastProblem.clear();
            if (r.elements[0].integer == 1) {
                m_election.acquired(r.elements[1].integer, sentMs);
                m_publisher->setClaim(kPrimary, m_election.epoch());
                armDeadline();
                Q_EMIT promoted(m_election.epoch(), why);
                m_publisher->beatNow();
                return;
            }
            // "EPOCH NODE", held by another instance.
            const QByteArray holder = r.elements[1].string;
            const qsizetype space = holder.indexOf(' ');
            const qint64 epoch = space > 0 ? holder.left(space).toLongLong() : -1;
            m_election.refused(QString::fromUtf8(holder.mid(space + 1)), epoch, nowMs());
            const qint64 pttl = r.elements.size() > 2 ? r.elements[2].integer : -1;
            // The holder looks gone: try again the moment its lease runs out.
            if (pttl >= 0 && m_election.tick(nowMs()) == Election::Step::Acquire)
                m_retry.start(int(pttl) + 1);
        },
        commandTimeoutMs());
}

void ServiceRole::renew()
{
    const qint64 sentMs = nowMs();
    const qint64 epoch = m_election.epoch();
    m_publisher->command(
        {QByteArrayLiteral("EVAL"), kRenew, QByteArrayLiteral("1"), leaseKey(m_options.service), token(epoch), QByteArray::number(m_options.leaseMs)},
        this,
        [this, sentMs, epoch](const Reply &r) {
            if (!m_election.isPrimary() || m_election.epoch() != epoch)
                return;
            if (r.isError()) {
                // The deadline decides; until then another renewal may pass.
                report(tr("the lease could not be renewed: %1").arg(r.text()));
                return;
            }
            if (r.isInteger() && r.integer == 1) {
                m_lastProblem.clear();
                m_election.renewed(sentMs);
                armDeadline();
                return;
            }
            demote(tr("the lease is no longer this instance's (it expired or was taken)"));
        },
        commandTimeoutMs());
}

void ServiceRole::demote(const QString &reason)
{
    if (!m_election.isPrimary())
        return;
    const QByteArray held = token(m_election.epoch());
    m_deadline.stop();
    m_election.demoted(reason, nowMs());
    m_publisher->setClaim(kStandby, -1);
    Q_EMIT demoted(reason);
    // Should the lease still be this instance's, a standby need not wait for it to expire.
    sendRelease(held, [](const Reply &) {});
}

void ServiceRole::armDeadline()
{
    m_deadline.start(int(std::max<qint64>(0, m_election.demoteAtMs() - nowMs())));
}

void ServiceRole::onDeadline()
{
    if (!m_election.isPrimary())
        return;
    // Demotes when due; a timer that fired early (rounding) waits again instead of renewing.
    if (m_election.tick(nowMs()) == Election::Step::Demote)
        demote(m_election.reason());
    else
        armDeadline();
}

void ServiceRole::onPeerMessage(const QByteArray &channel, const QByteArray &payload)
{
    const BeatParse parsed = parseBeat(channel, payload);
    if (!parsed.ok() || !parsed.beat.json || QString::fromUtf8(parsed.beat.service) != m_options.service)
        return;
    const Beat &b = parsed.beat;
    act(m_election.peerBeat(QString::fromUtf8(b.node), QString::fromUtf8(b.role), b.epoch, b.intervalMs, nowMs()));
}

void ServiceRole::release(int timeoutMs)
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_retry.stop();
    m_deadline.stop();
    const bool held = m_election.isPrimary();
    const QByteArray heldToken = token(m_election.epoch());
    if (held) {
        m_election.demoted(tr("stopping"), nowMs());
        Q_EMIT demoted(tr("stopping"));
    }
    if (!held || !m_publisher->isConnected()) {
        QTimer::singleShot(0, this, &ServiceRole::released);
        return;
    }
    auto *done = new QTimer(this);
    done->setSingleShot(true);
    connect(done, &QTimer::timeout, this, [this, done] {
        done->deleteLater();
        Q_EMIT released();
    });
    done->start(timeoutMs);
    // The release goes first: a standby that hears the last beat finds the lease free.
    sendRelease(
        heldToken,
        [this](const Reply &r) {
            if (r.isError())
                report(tr("the lease could not be released: %1").arg(r.text()));
        },
        timeoutMs);
    m_publisher->setClaim(QStringLiteral("stopping"), -1);
    m_publisher->beatNow();
    m_publisher->command(
        {QByteArrayLiteral("PING")}, done, [done](const Reply &) { done->start(0); }, timeoutMs);
}

} // namespace vigil
