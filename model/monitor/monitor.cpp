// The monitor: connection life cycle to journal events.
#include "monitor.h"

#include "incidents/scope.h"
#include "journal/journal.h"
#include "replicationcycletracker.h"
#include "splitbraintracker.h"
#include "topologygraph.h"
#include "topology/inforequest.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

namespace vigil {

namespace {

// A target's redis.error of one reason is journalled at most once a minute (the text of an
// unsolicited error may change every time).
constexpr qint64 kErrorRepeatMs = 60'000;
// Discovered nodes are connected this many at a time, so that a reply naming thousands of them
// cannot hold up the event loop (and the polls of the nodes already watched).
constexpr int kOpenBatch = 32;
constexpr int kOpenBatchIntervalMs = 10;
// A source whose replies keep naming more than can be added is reported again after this long.
constexpr qint64 kCapRepeatMs = 600'000;
// A fleet's polls are spread over the interval, a slice of the targets at a time: all at once, a
// thousand replies arrive together and are read in one pass of the event loop (a stall of the GUI).
constexpr size_t kSpreadAboveTargets = 100;
constexpr int kPollSlices = 10;

} // namespace

Monitor::Monitor(Journal *journal, QObject *parent)
    : QObject(parent)
    , m_journal(journal)
    , m_heartbeats(new HeartbeatService(this))
    , m_sentinelFlush(new QTimer(this))
    , m_pollTimer(new QTimer(this))
    , m_splitBrains(std::make_unique<SplitBrainTracker>())
    , m_cycles(std::make_unique<ReplicationCycleTracker>())
    , m_scopes(std::make_unique<ScopeIndex>())
{
    m_pollTimer->setInterval(1000);
    connect(m_pollTimer, &QTimer::timeout, this, &Monitor::poll);
    m_sliceTimer = new QTimer(this);
    connect(m_sliceTimer, &QTimer::timeout, this, &Monitor::pollSlice);
    m_openTimer = new QTimer(this);
    m_openTimer->setInterval(kOpenBatchIntervalMs);
    connect(m_openTimer, &QTimer::timeout, this, &Monitor::openQueued);
    m_statusTimer = new QTimer(this);
    m_statusTimer->setSingleShot(true);
    connect(m_statusTimer, &QTimer::timeout, this, &Monitor::emitStatusChanged);
    m_sinceStatus.start();
    m_sentinelFlush->setSingleShot(true);
    connect(m_sentinelFlush, &QTimer::timeout, this, [this] { flushSentinelEvents(false); });
    connect(this, &Monitor::polled, this, [this] { m_scopesStale = true; });
    connect(m_heartbeats, &HeartbeatService::eventRaised, this, &Monitor::raise);
    connect(m_heartbeats, &HeartbeatService::updated, this, [this](const HeartbeatUpdate &u) {
        m_heartbeatTotals = {u.beats, u.duplicates, u.malformed, int(u.nodes.size())};
        for (const BeatSample &b : u.samples)
            if (b.latencyUs >= 0)
                recordSample(QStringLiteral("heartbeat.latency_ms"), b.node, b.wallMs, double(b.latencyUs) / 1000.0);
    });
}

void Monitor::setServiceGroups(const QHash<QString, QStringList> &groups)
{
    m_heartbeatOptions.services = groups;
    m_heartbeats->setServiceGroups(groups);
}

void Monitor::recordSample(const QString &metric, const QString &subject, qint64 atMs, double value)
{
    if (!m_journal)
        return;
    // One sample a second per series is what the charts draw; a flood of beats is not stored whole.
    qint64 &last = m_lastSampleMs[metric + QLatin1Char('|') + subject];
    if (atMs - last < kSampleIntervalMs)
        return;
    last = atMs;
    m_journal->appendSample({metric, subject, atMs, value});
}

void Monitor::recordServerSamples(const TargetStatus &status, const InfoSnapshot &info, qint64 atMs)
{
    if (status.roundTripUs >= 0)
        recordSample(QStringLiteral("redis.rtt_ms"), status.address, atMs, double(status.roundTripUs) / 1000.0);
    if (info.usedMemory >= 0)
        recordSample(QStringLiteral("redis.used_memory_bytes"), status.address, atMs, double(info.usedMemory));
    if (info.opsPerSec >= 0)
        recordSample(QStringLiteral("redis.ops_per_sec"), status.address, atMs, info.opsPerSec);
    for (const ReplicaEntry &replica : info.replicas)
        if (const qint64 lag = info.byteLag(replica); lag >= 0)
            recordSample(QStringLiteral("replication.lag_bytes"), replica.address(), atMs, double(lag));
}

// Every poll reply changes the status, and what listens copies all of it: with a fleet, that is
// thousands of copies of thousands of nodes a second. A change is told at once when none was in
// the last kStatusChangedEveryMs; otherwise with the others, at the end of that span.
void Monitor::noteStatusChanged()
{
    if (m_statusTimer->isActive())
        return;
    const qint64 wait = kStatusChangedEveryMs - (m_sinceStatus.elapsed() - m_lastStatusMs);
    if (wait <= 0)
        emitStatusChanged();
    else
        m_statusTimer->start(int(wait));
}

void Monitor::emitStatusChanged()
{
    m_lastStatusMs = m_sinceStatus.elapsed();
    Q_EMIT statusChanged();
}

Monitor::~Monitor()
{
    for (auto &t : m_targets) {
        for (Connection *c : {t->connection, t->events}) {
            if (!c)
                continue;
            QObject::disconnect(c, nullptr, this, nullptr);
            delete c;
        }
    }
}

Monitor::Target &Monitor::addTarget(const ConnectionOptions &options, TargetStatus::Kind kind, const QString &via)
{
    auto target = std::make_unique<Target>();
    target->connection = new Connection(options, this);
    target->status.address = options.uri.address();
    target->status.display = options.uri.toDisplayString();
    target->status.name = options.name;
    target->status.kind = kind;
    target->status.discovered = !via.isEmpty();
    target->status.via = via;
    target->status.lastError = tr("not connected yet");
    attach(*target);
    if (kind == TargetStatus::Kind::Sentinel)
        watchSentinelEvents(*target);
    if (!m_byAddressStale && !m_byAddress.contains(target->status.address))
        m_byAddress.insert(target->status.address, target.get());
    m_targets.push_back(std::move(target));
    return *m_targets.back();
}

// A second connection subscribed to every channel of a sentinel: its events.
void Monitor::watchSentinelEvents(Target &target)
{
    ConnectionOptions options = target.connection->options();
    options.clientName = QByteArrayLiteral("vigil-sentinel-events");
    target.events = new Connection(options, this);
    Target *t = &target;
    connect(target.events, &Connection::message, this,
            [this, t](const QByteArray &channel, const QByteArray &, const QByteArray &payload) { onSentinelMessage(*t, channel, payload); });
    target.events->psubscribe({QByteArrayLiteral("*")});
}

void Monitor::openTarget(Target &target)
{
    target.connection->open();
    if (target.events)
        target.events->open();
}

// Drops the seeds of `kind` and everything discovered (discovery starts again from the seeds).
void Monitor::clearTargets(TargetStatus::Kind kind)
{
    // Take the doomed ones out first: closing a connection runs its pending callbacks, which must
    // find neither a half-updated list nor a target that still counts.
    std::vector<std::unique_ptr<Target>> kept, doomed;
    for (auto &t : m_targets)
        (!t->status.discovered && t->status.kind != kind ? kept : doomed).push_back(std::move(t));
    m_targets = std::move(kept);
    m_byAddressStale = true;
    m_cluster.reset();
    dropTargets(std::move(doomed));
}

// Closes targets already taken out of the list: close() runs their pending callbacks at once, which
// see them retired (and the list without them); then they are freed.
void Monitor::dropTargets(std::vector<std::unique_ptr<Target>> doomed)
{
    for (auto &t : doomed) {
        if (t->carrier && m_running)
            m_heartbeats->removeTarget(t->status.address);
        t->retired = true;
        for (Connection *c : {t->connection, t->events}) {
            if (!c)
                continue;
            QObject::disconnect(c, nullptr, this, nullptr);
            c->close();
            c->deleteLater();
        }
    }
}

void Monitor::setTargets(const QList<ConnectionOptions> &targets)
{
    clearTargets(TargetStatus::Kind::Server);
    for (const ConnectionOptions &options : targets)
        addTarget(options, TargetStatus::Kind::Server, {});
    if (m_running) {
        for (auto &t : m_targets)
            openTarget(*t);
        startHeartbeats();
    }
    noteStatusChanged();
}

// (Re)subscribes for heartbeats on every server known now; discovered ones are added as found.
void Monitor::startHeartbeats()
{
    QList<ConnectionOptions> carriers;
    for (auto &t : m_targets) {
        t->carrier = t->status.kind == TargetStatus::Kind::Server;
        if (t->carrier)
            carriers << t->connection->options();
    }
    m_heartbeats->start(carriers, m_heartbeatOptions);
}

void Monitor::setSentinels(const QList<ConnectionOptions> &sentinels, const QStringList &masterNames)
{
    clearTargets(TargetStatus::Kind::Sentinel);
    m_masterNames = masterNames;
    for (ConnectionOptions options : sentinels) {
        options.uri.db = 0; // sentinels have no databases
        Target &t = addTarget(options, TargetStatus::Kind::Sentinel, {});
        if (m_running)
            openTarget(t);
    }
    noteStatusChanged();
}

TargetSet Monitor::targetSet() const
{
    TargetSet set;
    for (const auto &t : m_targets)
        if (!t->status.discovered && !t->retired)
            (t->status.kind == TargetStatus::Kind::Server ? set.servers : set.sentinels) << t->connection->options();
    set.masters = m_masterNames;
    return set;
}

void Monitor::changeTargets(const TargetSet &wanted)
{
    auto same = [](const ConnectionOptions &a, const ConnectionOptions &b) {
        return a.uri.toFullString() == b.uri.toFullString() && a.tls.caFile == b.tls.caFile && a.tls.certFile == b.tls.certFile
            && a.tls.keyFile == b.tls.keyFile && a.tls.serverName == b.tls.serverName && a.tls.insecure == b.tls.insecure;
    };
    struct Want
    {
        ConnectionOptions options;
        TargetStatus::Kind kind;
        bool matched = false;
    };
    QList<Want> wants;
    for (const ConnectionOptions &o : wanted.servers)
        wants.append({o, TargetStatus::Kind::Server});
    for (ConnectionOptions o : wanted.sentinels) {
        o.uri.db = 0;
        wants.append({o, TargetStatus::Kind::Sentinel});
    }
    QStringList added, removed;
    // Nodes that stay keep everything; a discovered node now given becomes a seed.
    std::vector<std::unique_ptr<Target>> kept, doomed;
    for (auto &t : m_targets) {
        Want *match = nullptr;
        for (Want &w : wants)
            if (!w.matched && w.kind == t->status.kind && t->status.answersTo(w.options.uri.address()) && same(w.options, t->connection->options()))
                match = &w;
        if (match) {
            match->matched = true;
            t->status.discovered = false;
            t->status.via.clear();
            kept.push_back(std::move(t));
        } else if (t->status.discovered) {
            kept.push_back(std::move(t)); // judged below, by what it was found through
        } else {
            removed << t->status.display;
            doomed.push_back(std::move(t));
        }
    }
    m_targets = std::move(kept);
    m_byAddressStale = true;
    // Discovered nodes stay while something that stays names them (the node they were found
    // through, or another one whose last reply lists them).
    QStringList dropped;
    for (bool changed = true; changed;) {
        changed = false;
        for (auto it = m_targets.begin(); it != m_targets.end(); ++it) {
            Target &node = **it;
            if (!node.status.discovered || find(node.status.via))
                continue;
            if (const Target *other = namerOf(node)) {
                node.status.via = other->status.address;
                continue;
            }
            dropped << node.status.display;
            doomed.push_back(std::move(*it));
            m_targets.erase(it);
            m_byAddressStale = true;
            changed = true;
            break;
        }
    }
    if (!doomed.empty())
        m_cluster.reset();
    dropTargets(std::move(doomed));
    const bool mastersChanged = m_masterNames != wanted.masters;
    m_masterNames = wanted.masters;
    for (const Want &w : wants) {
        if (w.matched)
            continue;
        Target &t = addTarget(w.options, w.kind, {});
        added << t.status.display;
        if (m_running) {
            openTarget(t);
            if (w.kind == TargetStatus::Kind::Server) {
                t.carrier = true;
                m_heartbeats->addTarget(t.connection->options());
            }
        }
    }
    // A node given again with other credentials or TLS settings (a password typed when the server
    // asked) is reconnected, not added and removed.
    QStringList reconnected;
    for (const QString &node : std::as_const(added))
        if (removed.contains(node))
            reconnected << node;
    for (const QString &node : std::as_const(reconnected)) {
        added.removeOne(node);
        removed.removeOne(node);
    }
    if (!added.isEmpty() || !removed.isEmpty() || !dropped.isEmpty() || !reconnected.isEmpty() || mastersChanged) {
        QString message = tr("targets changed: %1 added, %2 removed, %3 found through them no longer watched")
                              .arg(added.size())
                              .arg(removed.size())
                              .arg(dropped.size());
        if (!reconnected.isEmpty())
            message += tr("; %1 reconnected with new credentials or TLS settings").arg(reconnected.join(QStringLiteral(", ")));
        raise(Event::make(QStringLiteral("monitor.targets_changed"), Severity::Info, QStringLiteral("vigil"), message,
                          {{QStringLiteral("added"), QJsonArray::fromStringList(added)},
                           {QStringLiteral("removed"), QJsonArray::fromStringList(removed)},
                           {QStringLiteral("dropped"), QJsonArray::fromStringList(dropped)},
                           {QStringLiteral("reconnected"), QJsonArray::fromStringList(reconnected)},
                           {QStringLiteral("masters"), QJsonArray::fromStringList(m_masterNames)}}));
    }
    if (m_running)
        QTimer::singleShot(0, this, &Monitor::poll);
    noteStatusChanged();
}

// A monitored node (other than `node`) whose last reply names `node`: as its master, as one of its
// replicas, or in a sentinel's view.
const Monitor::Target *Monitor::namerOf(const Target &node) const
{
    for (const auto &t : m_targets) {
        if (t.get() == &node || t->retired)
            continue;
        if (const InfoSnapshot *s = t->status.info.get()) {
            if (s->isReplica() && node.status.answersTo(s->masterAddress()))
                return t.get();
            for (const ReplicaEntry &r : s->replicas)
                if (node.status.answersTo(r.address()))
                    return t.get();
        }
        for (const SentinelView &v : t->status.sentinelViews) {
            if (node.status.answersTo(v.master.address()))
                return t.get();
            for (const QList<SentinelInstance> *list : {&v.replicas, &v.sentinels})
                for (const SentinelInstance &i : *list)
                    if (node.status.answersTo(i.address()))
                        return t.get();
        }
    }
    return nullptr;
}

QList<ConnectionOptions> Monitor::targets() const
{
    QList<ConnectionOptions> list;
    for (const auto &t : m_targets)
        if (!t->status.discovered && t->status.kind == TargetStatus::Kind::Server)
            list << t->connection->options();
    return list;
}

void Monitor::attach(Target &target)
{
    Connection *c = target.connection;
    Target *t = &target;
    connect(c, &Connection::ready, this, [this, t] { onReady(*t); });
    connect(c, &Connection::disconnected, this, [this, t](ErrorKind reason, const QString &message) { onDisconnected(*t, reason, message); });
    connect(c, &Connection::authFailed, this, [this, t](ErrorKind reason, const QString &message) { onAuthFailed(*t, reason, message); });
    connect(c, &Connection::serverError, this, [this, t](ErrorKind kind, const QString &message) { onServerError(*t, kind, message); });
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
    m_baseline = {};
    m_baseline.active = true;
    m_baseline.startMs = QDateTime::currentMSecsSinceEpoch();
    for (auto &t : m_targets)
        openTarget(*t);
    startHeartbeats();
    if (m_pollTimer->interval() > 0)
        m_pollTimer->start();
}

void Monitor::setPollInterval(int ms)
{
    m_pollTimer->setInterval(std::max(0, ms));
    if (ms <= 0) {
        m_pollTimer->stop();
        m_sliceTimer->stop();
    } else if (m_running)
        m_pollTimer->start();
}

Monitor::Target *Monitor::find(const QString &address) const
{
    if (m_byAddressStale) {
        m_byAddress.clear();
        for (const auto &t : m_targets) {
            for (const QString &name : QStringList{t->status.address} + t->status.aliases)
                if (!m_byAddress.contains(name))
                    m_byAddress.insert(name, t.get());
        }
        m_byAddressStale = false;
    }
    return m_byAddress.value(address, nullptr);
}

const TargetStatus *Monitor::statusOf(const QString &address) const
{
    const Target *t = find(address);
    return t && !t->retired ? &t->status : nullptr;
}

const InfoSnapshot *Monitor::snapshot(const QString &address) const
{
    const TargetStatus *s = statusOf(address);
    return s ? s->info.get() : nullptr;
}

ConnectionOptions Monitor::connectionOptions(const QString &address) const
{
    const Target *t = find(address);
    return t ? t->connection->options() : ConnectionOptions{};
}

int Monitor::targetCount() const
{
    return int(std::count_if(m_targets.begin(), m_targets.end(), [](const auto &t) { return !t->retired; }));
}

bool Monitor::isSettled() const
{
    if (m_clusterPolling)
        return false;
    return std::all_of(m_targets.begin(), m_targets.end(), [](const auto &t) { return t->retired || (t->answered && !t->polling); });
}

void Monitor::poll()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    judgeClosedConnections(now);
    checkSplitBrains(now);
    constexpr qint64 kBaselineMinMs = 2000, kBaselineMaxMs = 15'000;
    if (m_baseline.active && now - m_baseline.startMs >= kBaselineMinMs && now - m_baseline.lastDiscoveryMs >= kBaselineMinMs
        && (isSettled() || now - m_baseline.startMs >= kBaselineMaxMs))
        finishBaseline(now);
    // The last round's slices that a late event loop has not run yet go first: every target is
    // polled once a round, however late its slice.
    while (m_sliceTimer->isActive() && m_slice < m_slices)
        pollSlice();
    m_slice = 0;
    m_slices = m_targets.size() > kSpreadAboveTargets && m_pollTimer->interval() >= 10 * kPollSlices ? kPollSlices : 1;
    // The slices over the first four fifths of the interval: the last one is due well before the
    // next round, late as the event loop or the timers' slack may make it.
    if (m_slices > 1)
        m_sliceTimer->start(m_pollTimer->interval() * 4 / 5 / (m_slices - 1));
    pollSlice();
}

void Monitor::pollSlice()
{
    // Index loop: a reply handled synchronously may discover (append) targets.
    for (size_t i = size_t(m_slice); i < m_targets.size(); i += size_t(m_slices)) {
        Target &t = *m_targets[i];
        if (!t.retired && t.status.connected && !t.polling)
            pollTarget(t);
    }
    if (++m_slice >= m_slices)
        m_sliceTimer->stop();
}

void Monitor::pollTarget(Target &t)
{
    if (t.status.kind == TargetStatus::Kind::Sentinel) {
        pollSentinel(t);
        return;
    }
    t.polling = true;
    Target *target = &t;
    // One INFO command a poll where the server takes it: a fleet's servers answer a sixth as many.
    const InfoCommands commands =
        t.status.info && !t.infoCombinedRefused && takesSeveralInfoSections(t.status.info->version) ? InfoCommands::One : InfoCommands::OnePerSection;
    requestInfo(
        t.connection, t.connection,
        [this, target](bool ok, const InfoSnapshot &current, ErrorKind kind, const QString &error) {
            target->polling = false;
            target->infoCombinedRefused = target->infoCombinedRefused || current.combinedRefused;
            target->answered = true;
            if (target->retired)
                return;
            if (!ok) {
                if (kind != ErrorKind::Closed) {
                    const QString text = kind == ErrorKind::Protocol ? tr("INFO from %1 is unusable: %2").arg(target->status.address, error)
                                                                     : tr("INFO refused by %1: %2").arg(target->status.address, error);
                    target->status.lastError = text;
                    onServerError(*target, kind, text);
                }
                return;
            }
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            for (const Event &e : compareSnapshots(target->status.address, target->status.info.get(), current, m_thresholds, target->alarms, now))
                raise(e);
            target->status.info = std::make_shared<const InfoSnapshot>(current);
            target->status.infoTimeMs = now;
            target->status.role = roleName(current.role);
            target->status.replOffset = current.masterReplOffset;
            if (current.mode == QLatin1String("sentinel")) {
                // Given with --connect but a sentinel: watch it as one.
                target->status.kind = TargetStatus::Kind::Sentinel;
                target->status.role = QStringLiteral("sentinel");
                target->status.replOffset = -1;
                watchSentinelEvents(*target);
                target->events->open();
                pollSentinel(*target);
                noteStatusChanged();
                return;
            }
            if (retireIfAlias(*target)) {
                noteStatusChanged();
                return;
            }
            if (!target->carrier && m_running) {
                target->carrier = true;
                m_heartbeats->addTarget(target->connection->options());
            }
            followUpstream(*target);
            discoverFromInfo(*target);
            recordServerSamples(target->status, current, now);
            if (current.mode == QLatin1String("cluster"))
                pollCluster(*target);
            Q_EMIT polled(target->status.address);
            noteStatusChanged();
        },
        commands);
}

bool Monitor::retireIfAlias(Target &t)
{
    const QString runId = t.status.info ? t.status.info->runId : QString();
    // Checked once per run id: of two targets that are one server, the later to see it finds the other.
    if (runId.isEmpty() || runId == t.aliasCheckedRunId)
        return false;
    t.aliasCheckedRunId = runId;
    for (auto &other : m_targets) {
        Target &o = *other;
        if (&o == &t || o.retired || o.status.kind != t.status.kind || !o.status.info || o.status.info->runId != runId)
            continue;
        // The same server under two addresses: keep the given one (or the older), retire the other.
        Target &keep = !t.status.discovered && o.status.discovered ? t : o;
        Target &drop = &keep == &o ? t : o;
        drop.retired = true;
        keep.status.aliases << drop.status.address << drop.status.aliases;
        m_byAddressStale = true;
        for (Connection *c : {drop.connection, drop.events})
            if (c)
                c->close();
        return &drop == &t;
    }
    return false;
}

Monitor::Discovery Monitor::beginDiscovery(const QString &via) const
{
    Discovery batch;
    batch.via = via;
    return batch;
}

void Monitor::discover(Discovery &batch, const QString &address, TargetStatus::Kind kind, const ConnectionOptions &like)
{
    if (!m_discovery || address.isEmpty())
        return;
    ConnectionOptions o = like;
    if (!splitHostPort(address, &o.uri.host, &o.uri.port))
        return;
    o.uri.scheme = like.uri.isTls() ? RedisUri::Scheme::Tls : RedisUri::Scheme::Tcp;
    o.uri.path.clear();
    // The one spelling of the address ("[::1]:6380", never "::1:6380"), so a node is found once.
    const QString normalized = o.uri.address();
    if (find(normalized) || batch.named.contains(normalized))
        return;
    batch.named.insert(normalized);
    if (batch.discovered < 0)
        batch.discovered = int(std::count_if(m_targets.begin(), m_targets.end(), [](const auto &t) { return t->status.discovered; }));
    if (batch.added >= kMaxDiscoveredPerReply || batch.discovered + batch.added >= kMaxDiscovered)
        return;
    if (kind == TargetStatus::Kind::Sentinel)
        o.uri.db = 0;
    if (!m_forwardAuth) {
        o.uri.user.clear();
        o.uri.password.clear();
    }
    o.name.clear();
    o.tls.serverName.clear();
    ++batch.added;
    Target &t = addTarget(o, kind, batch.via);
    const QString what = kind == TargetStatus::Kind::Sentinel ? QStringLiteral("sentinel") : QStringLiteral("server");
    raise(Event::make(QStringLiteral("monitor.node_discovered"), Severity::Info, t.status.address,
                      tr("found %1 %2 through %3").arg(what, t.status.address, batch.via),
                      {{QStringLiteral("kind"), what}, {QStringLiteral("via"), batch.via}}));
    if (m_running) {
        m_toOpen << t.status.address;
        if (!m_openTimer->isActive()) {
            m_openTimer->start();
            openQueued();
        }
    }
    Q_EMIT nodeDiscovered(t.status.address);
}

void Monitor::finishDiscovery(const Discovery &batch)
{
    const int left = int(batch.named.size()) - batch.added;
    if (left <= 0)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto it = m_capReportedMs.constFind(batch.via);
    if (it != m_capReportedMs.cend() && now - it.value() < kCapRepeatMs)
        return;
    m_capReportedMs.insert(batch.via, now);
    const bool full = batch.discovered + batch.added >= kMaxDiscovered;
    raise(Event::make(QStringLiteral("monitor.discovery_capped"), Severity::Warning, batch.via,
                      full ? tr("%1 names %2 nodes not watched yet; none more are added: %3 discovered nodes is the most Vigil watches")
                                 .arg(batch.via)
                                 .arg(left)
                                 .arg(kMaxDiscovered)
                           : tr("%1 named %2 new nodes in one reply; %3 were added, the rest follow at the next polls "
                                "(at most %4 per reply)")
                                 .arg(batch.via)
                                 .arg(batch.named.size())
                                 .arg(batch.added)
                                 .arg(kMaxDiscoveredPerReply),
                      {{QStringLiteral("named"), int(batch.named.size())},
                       {QStringLiteral("added"), batch.added},
                       {QStringLiteral("left"), left},
                       {QStringLiteral("per_reply_limit"), kMaxDiscoveredPerReply},
                       {QStringLiteral("total_limit"), kMaxDiscovered}}));
}

void Monitor::openQueued()
{
    for (int n = 0; n < kOpenBatch && !m_toOpen.isEmpty(); ++n) {
        Target *t = find(m_toOpen.takeFirst());
        if (t && !t->retired && m_running)
            openTarget(*t);
    }
    if (m_toOpen.isEmpty())
        m_openTimer->stop();
}

void Monitor::discoverFromInfo(Target &t)
{
    const InfoSnapshot &s = *t.status.info;
    const ConnectionOptions like = t.connection->options();
    Discovery batch = beginDiscovery(t.status.address);
    if (s.isReplica() && !s.masterHost.isEmpty() && s.masterPort != 0)
        discover(batch, s.masterAddress(), TargetStatus::Kind::Server, like);
    for (const ReplicaEntry &r : s.replicas)
        discover(batch, r.address(), TargetStatus::Kind::Server, like);
    finishDiscovery(batch);
}

ConnectionOptions Monitor::dataTemplate(const Target &sentinel) const
{
    for (const auto &t : m_targets)
        if (!t->status.discovered && t->status.kind == TargetStatus::Kind::Server)
            return t->connection->options();
    return sentinel.connection->options();
}

void Monitor::pollSentinel(Target &t)
{
    struct Round
    {
        QList<SentinelView> views;
        int pending = 0;
    };
    t.polling = true;
    Target *target = &t;
    Connection *c = t.connection;
    c->command({QByteArrayLiteral("INFO"), QByteArrayLiteral("server")}, c, [target](const Reply &r) {
        if (r.isString()) {
            auto info = std::make_shared<InfoSnapshot>(parseInfo(r.string));
            info->raw = r.string;
            target->status.info = info;
            target->status.infoTimeMs = QDateTime::currentMSecsSinceEpoch();
        }
    });
    c->command({QByteArrayLiteral("SENTINEL"), QByteArrayLiteral("MASTERS")}, c, [this, target, c](const Reply &r) {
        auto finish = [this, target](const QList<SentinelView> &views) {
            target->polling = false;
            target->answered = true;
            if (target->retired)
                return;
            target->status.role = QStringLiteral("sentinel");
            target->status.sentinelViews = views;
            if (retireIfAlias(*target)) {
                noteStatusChanged();
                return;
            }
            const ConnectionOptions data = dataTemplate(*target);
            const ConnectionOptions self = target->connection->options();
            Discovery batch = beginDiscovery(target->status.address);
            for (const SentinelView &v : views) {
                discover(batch, v.master.address(), TargetStatus::Kind::Server, data);
                for (const SentinelInstance &replica : v.replicas)
                    discover(batch, replica.address(), TargetStatus::Kind::Server, data);
                for (const SentinelInstance &s : v.sentinels)
                    discover(batch, s.address(), TargetStatus::Kind::Sentinel, self);
            }
            finishDiscovery(batch);
            Q_EMIT polled(target->status.address);
            noteStatusChanged();
        };
        if (r.isError() || target->retired) {
            target->polling = false;
            target->answered = true;
            if (!r.local && !target->retired)
                onServerError(*target, classifyServerError(r.string), tr("SENTINEL MASTERS refused by %1: %2").arg(target->status.address, r.text()));
            return;
        }
        QList<SentinelInstance> masters = parseSentinelInstances(r);
        if (!m_masterNames.isEmpty()) {
            masters.removeIf([this](const SentinelInstance &m) { return !m_masterNames.contains(m.name); });
            for (const QString &name : m_masterNames)
                if (std::none_of(masters.begin(), masters.end(), [&name](const SentinelInstance &m) { return m.name == name; }))
                    onServerError(*target, ErrorKind::Server, tr("sentinel %1 does not monitor a master named %2").arg(target->status.address, name));
        }
        if (masters.isEmpty()) {
            finish({});
            return;
        }
        auto round = std::make_shared<Round>();
        round->pending = int(masters.size()) * 2;
        for (const SentinelInstance &m : masters) {
            SentinelView view;
            view.sentinel = target->status.address;
            view.master = m;
            round->views << view;
        }
        for (qsizetype i = 0; i < masters.size(); ++i) {
            const QByteArray name = masters[i].name.toUtf8();
            for (const bool replicas : {true, false}) {
                const QByteArray what = replicas ? QByteArrayLiteral("REPLICAS") : QByteArrayLiteral("SENTINELS");
                c->command({QByteArrayLiteral("SENTINEL"), what, name}, c, [round, i, replicas, finish](const Reply &list) {
                    if (replicas)
                        round->views[i].replicas = parseSentinelInstances(list);
                    else
                        round->views[i].sentinels = parseSentinelInstances(list);
                    if (--round->pending == 0)
                        finish(round->views);
                });
            }
        }
    });
}

void Monitor::pollCluster(Target &t)
{
    // One node describes the cluster: the first reachable cluster node, in the order found.
    Target *observer = nullptr;
    for (const auto &o : m_targets)
        if (!o->retired && o->status.connected && o->status.info && o->status.info->mode == QLatin1String("cluster")) {
            observer = o.get();
            break;
        }
    if (observer != &t || m_clusterPolling)
        return;
    m_clusterPolling = true;
    auto view = std::make_shared<ClusterView>();
    view->observer = t.status.address;
    Target *target = &t;
    Connection *c = t.connection;
    c->command({QByteArrayLiteral("CLUSTER"), QByteArrayLiteral("INFO")}, c, [view](const Reply &r) {
        if (!r.isString())
            return;
        const QHash<QString, QString> f = parseInfoFields(r.string);
        view->state = f.value(QStringLiteral("cluster_state"));
        view->knownNodes = f.value(QStringLiteral("cluster_known_nodes"), QStringLiteral("-1")).toInt();
        view->slotsAssigned = f.value(QStringLiteral("cluster_slots_assigned"), QStringLiteral("-1")).toInt();
        view->currentEpoch = f.value(QStringLiteral("cluster_current_epoch"), QStringLiteral("-1")).toLongLong();
    });
    c->command({QByteArrayLiteral("CLUSTER"), QByteArrayLiteral("NODES")}, c, [this, view, target](const Reply &r) {
        m_clusterPolling = false;
        if (target->retired)
            return;
        if (!r.isString()) {
            if (r.isError() && !r.local)
                onServerError(*target, classifyServerError(r.string), tr("CLUSTER NODES refused by %1: %2").arg(target->status.address, r.text()));
            return;
        }
        view->nodes = parseClusterNodes(r.string);
        for (const Event &e : compareClusterViews(m_cluster.get(), *view, QDateTime::currentMSecsSinceEpoch()))
            raise(e);
        m_cluster = std::make_unique<ClusterView>(*view);
        const ConnectionOptions like = target->connection->options();
        Discovery batch = beginDiscovery(target->status.address);
        for (const ClusterNode &n : view->nodes)
            if (n.port != 0 && !n.ip.isEmpty() && !n.hasFlag("noaddr") && !n.hasFlag("handshake"))
                discover(batch, n.address(), TargetStatus::Kind::Server, like);
        finishDiscovery(batch);
        noteStatusChanged();
    });
}

void Monitor::onSentinelMessage(Target &t, const QByteArray &channel, const QByteArray &payload)
{
    if (channel.startsWith("__sentinel__") || t.retired)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!m_sentinelEvents.add(t.status.address, channel, payload, now))
        return;
    if (!m_sentinelFlush->isActive())
        m_sentinelFlush->start(int(std::max<qint64>(0, m_sentinelEvents.nextDeadline() - now)));
    if (channel == "+switch-master") {
        // Follow the failover at once rather than at the next poll.
        const SentinelEvent e = parseSentinelEvent(channel, payload);
        Discovery batch = beginDiscovery(t.status.address);
        discover(batch, e.newAddress, TargetStatus::Kind::Server, dataTemplate(t));
        QTimer::singleShot(0, this, &Monitor::poll);
    }
}

void Monitor::flushSentinelEvents(bool all)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const Event &e : all ? m_sentinelEvents.flushAll() : m_sentinelEvents.flush(now)) {
        raise(e);
        for (const Event &summary : m_failovers.add(e))
            raise(summary);
    }
    const qint64 next = m_sentinelEvents.nextDeadline();
    if (next >= 0)
        m_sentinelFlush->start(int(std::max<qint64>(0, next - now)));
}

void Monitor::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_pollTimer->stop();
    m_sliceTimer->stop();
    m_openTimer->stop();
    m_toOpen.clear();
    m_heartbeats->stop();
    m_sentinelFlush->stop();
    flushSentinelEvents(true);
    if (m_baseline.active)
        finishBaseline(QDateTime::currentMSecsSinceEpoch());
    for (auto &t : m_targets) {
        t->connection->close();
        if (t->events)
            t->events->close();
        t->status.connected = false;
        t->polling = false;
        t->status.closedAtMs = -1;
    }
    m_splitBrains->clear();
    m_cycles->clear();
    m_clusterPolling = false;
    raise(Event::make(QStringLiteral("monitor.stopped"), Severity::Info, QStringLiteral("vigil"), tr("monitoring stopped")));
    noteStatusChanged();
}

int Monitor::connectedCount() const
{
    return int(std::count_if(m_targets.begin(), m_targets.end(), [](const auto &t) { return !t->retired && t->status.connected; }));
}

QList<TargetStatus> Monitor::status() const
{
    QList<TargetStatus> list;
    for (const auto &t : m_targets)
        if (!t->retired)
            list << t->status;
    return list;
}

void Monitor::raise(const Event &event)
{
    if (absorbedInBaseline(event))
        return;
    ++m_eventsRaised;
    Event e = event;
    // Consequences an action intends are not problems (a failed action says so itself).
    const bool intended = e.kind.startsWith(QLatin1String("sentinel.")) || e.kind == QLatin1String("redis.role_changed")
        || e.kind.startsWith(QLatin1String("replication.replica_")) || e.kind.startsWith(QLatin1String("replication.link_"));
    if (intended && e.severity != Severity::Info && duringAction(e.time.toMSecsSinceEpoch())) {
        e.severity = Severity::Info;
        e.data.insert(QStringLiteral("during_action"), true);
    }
    // Scopes as of the latest polls: an action right after discovery (vigil promote) is stamped
    // with the topology it acts on, not the empty one before the first poll.
    if (m_scopesStale) {
        *m_scopes = ScopeIndex::fromGraph(buildTopologyGraph(status(), m_cluster.get()));
        m_scopesStale = false;
    }
    m_scopes->stamp(e);
    // Whether Vigil itself reached the server a Sentinel event judges, at that moment: the
    // sentinels losing a master Vigil reaches points at the network between them.
    if (e.kind.startsWith(QLatin1String("sentinel.")))
        if (const Target *t = find(e.data.value(QLatin1String("instance")).toString()))
            e.data.insert(QStringLiteral("vigil_reaches"), t->status.connected && !t->reportedDown);
    if (m_journal)
        m_journal->append(e);
    Q_EMIT eventRaised(e);
}

bool Monitor::absorbedInBaseline(const Event &e)
{
    if (!m_baseline.active)
        return false;
    if (e.severity != Severity::Info) {
        ++m_baseline.problems;
        return false;
    }
    if (e.kind == QLatin1String("redis.reachable") && !e.data.value(QStringLiteral("reconnect")).toBool()) {
        ++m_baseline.reachable;
        return true;
    }
    if (e.kind == QLatin1String("monitor.node_discovered")) {
        ++m_baseline.discovered;
        m_baseline.lastDiscoveryMs = QDateTime::currentMSecsSinceEpoch();
        return true;
    }
    if (e.kind == QLatin1String("heartbeat.up") && !e.data.contains(QStringLiteral("from"))) {
        m_baseline.firstBeats << e.source;
        return true;
    }
    return false;
}

// One event for what was found at the start: every server with its role, the sentinels, who is
// unreachable, the heartbeat nodes already beating.
void Monitor::finishBaseline(qint64 nowMs)
{
    m_baseline.active = false;
    QHash<QString, int> roles;
    QJsonArray servers, sentinels, unreachable;
    int serverCount = 0, sentinelCount = 0;
    for (const auto &t : m_targets) {
        if (t->retired)
            continue;
        const TargetStatus &s = t->status;
        if (!s.connected)
            unreachable.append(QJsonObject{{QStringLiteral("address"), s.address}, {QStringLiteral("error"), s.lastError}});
        if (s.isSentinel()) {
            ++sentinelCount;
            sentinels.append(s.address);
            continue;
        }
        ++serverCount;
        const QString role = s.role.isEmpty() ? QStringLiteral("unknown") : s.role;
        ++roles[role];
        QJsonObject server{{QStringLiteral("address"), s.address}, {QStringLiteral("role"), role}, {QStringLiteral("reachable"), s.connected}};
        if (!s.via.isEmpty())
            server.insert(QStringLiteral("via"), s.via);
        servers.append(server);
    }
    QStringList roleText;
    for (const QString &role : {QStringLiteral("master"), QStringLiteral("replica"), QStringLiteral("unknown")})
        if (roles.value(role) > 0)
            roleText << QStringLiteral("%1 %2%3").arg(roles.value(role)).arg(role, roles.value(role) > 1 ? QStringLiteral("s") : QString());
    QStringList beats = m_baseline.firstBeats;
    beats.sort();
    const QString message =
        tr("baseline after %1 s: %2 server(s) (%3), %4 sentinel(s), %5; %6 heartbeat node(s) beating%7")
            .arg(double(nowMs - m_baseline.startMs) / 1000.0, 0, 'f', 1)
            .arg(serverCount)
            .arg(roleText.join(QStringLiteral(", ")))
            .arg(sentinelCount)
            .arg(unreachable.isEmpty() ? tr("all reachable") : tr("%n unreachable", nullptr, int(unreachable.size())))
            .arg(beats.size())
            .arg(m_baseline.problems > 0 ? tr("; %n problem(s) found at start, journalled", nullptr, m_baseline.problems) : QString());
    raise(Event::make(QStringLiteral("monitor.baseline"), unreachable.isEmpty() ? Severity::Info : Severity::Warning, QStringLiteral("vigil"),
                      message,
                      {{QStringLiteral("servers"), servers},
                       {QStringLiteral("sentinels"), sentinels},
                       {QStringLiteral("unreachable"), unreachable},
                       {QStringLiteral("heartbeat_nodes"), QJsonArray::fromStringList(beats)},
                       {QStringLiteral("reachable"), m_baseline.reachable},
                       {QStringLiteral("discovered"), m_baseline.discovered},
                       {QStringLiteral("problems"), m_baseline.problems},
                       {QStringLiteral("after_ms"), nowMs - m_baseline.startMs}}));
}

bool Monitor::duringAction(qint64 ms) const
{
    // What an action causes may be seen a little after it ends (the next poll, Sentinel's reconfiguration).
    constexpr qint64 kActionTailMs = 5000;
    return m_actionStartMs >= 0 && ms >= m_actionStartMs && (m_actionEndMs < 0 || ms <= m_actionEndMs + kActionTailMs);
}

void Monitor::setActionRunning(bool running)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (running) {
        m_actionStartMs = now;
        m_actionEndMs = -1;
    } else if (m_actionStartMs >= 0) {
        m_actionEndMs = now;
    }
    m_heartbeats->setQuietPeriod(running);
}

void Monitor::onReady(Target &t)
{
    if (t.retired)
        return;
    const bool again = t.everConnected;
    t.everConnected = true;
    t.reportedDown = false;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    t.status.connected = true;
    t.status.connectedAtMs = now;
    t.status.authFailed = false;
    t.status.lastError.clear();
    const qint64 gapMs = t.status.reconnecting() ? now - t.status.closedAtMs : 0;
    if (t.status.reconnecting() && gapMs >= reconnectGraceMs()) {
        // Back, but later than a reconnect: that was an outage (judged here before a poll tick did).
        raiseOutage(t, tr("lost connection: %1; back after %2 ms").arg(t.closedMessage).arg(gapMs), errorKindName(ErrorKind::Closed),
                    t.status.closedAtMs);
    }
    if (t.status.reconnecting()) {
        // Closed by the server and back at once: Sentinel reconfiguring it, CLIENT KILL, not an outage.
        raise(Event::make(QStringLiteral("redis.reconnected"), Severity::Info, t.status.address,
                          tr("the server closed the connection (%1); reconnected after %2 ms").arg(t.closedMessage).arg(gapMs),
                          {{QStringLiteral("uri"), t.status.display},
                           {QStringLiteral("reason"), errorKindName(ErrorKind::Closed)},
                           {QStringLiteral("error"), t.closedMessage},
                           {QStringLiteral("gap_ms"), gapMs}}));
        t.status.closedAtMs = -1;
    } else {
        raise(Event::make(QStringLiteral("redis.reachable"), Severity::Info, t.status.address,
                          again ? tr("reconnected to %1").arg(t.status.display) : tr("connected to %1").arg(t.status.display),
                          {{QStringLiteral("uri"), t.status.display}, {QStringLiteral("reconnect"), again}}));
    }
    // Poll at once: discovery and the first state should not wait for the timer.
    if (m_running && m_pollTimer->interval() > 0 && !t.polling)
        pollTarget(t);
    noteStatusChanged();
}

void Monitor::onDisconnected(Target &t, ErrorKind reason, const QString &message)
{
    if (t.retired)
        return;
    t.answered = true;
    const bool wasConnected = t.status.connected;
    t.status.connected = false;
    const bool authFailure = reason == ErrorKind::WrongPass || reason == ErrorKind::NoAuth;
    if (!(authFailure && t.status.authFailed))
        t.status.lastError = message; // an authentication failure keeps its own, fuller message
    if (reason == ErrorKind::Protocol || reason == ErrorKind::Tls)
        onServerError(t, reason, message);
    if (wasConnected && reason == ErrorKind::Closed && m_running) {
        // The connection reconnects at once: its outcome decides (judgeClosedConnections).
        t.status.closedAtMs = QDateTime::currentMSecsSinceEpoch();
        t.closedMessage = message;
        noteStatusChanged();
        return;
    }
    if (t.status.closedAtMs >= 0) {
        // The reconnect after a close failed (a killed server refuses it): the outage began at the close.
        raiseOutage(t, tr("lost connection: %1; reconnecting: %2").arg(t.closedMessage, message), errorKindName(ErrorKind::Closed),
                    t.status.closedAtMs, errorKindName(reason));
        noteStatusChanged();
        return;
    }
    // One event per outage: the transition from connected, or the first failed attempt.
    // Authentication failures have their own event.
    if (wasConnected)
        raiseOutage(t, tr("lost connection: %1").arg(message), errorKindName(reason), -1);
    else if (!t.reportedDown && !authFailure) {
        t.reportedDown = true;
        raise(Event::make(
            QStringLiteral("redis.unreachable"), Severity::Warning, t.status.address, tr("cannot connect: %1").arg(message),
            {{QStringLiteral("reason"), errorKindName(reason)}, {QStringLiteral("error"), message}, {QStringLiteral("was_connected"), false}}));
    }
    noteStatusChanged();
}

// A connection that worked is gone: critical. `atMs` (when >= 0) is when it was lost.
void Monitor::raiseOutage(Target &t, const QString &message, const QString &reason, qint64 atMs, const QString &reconnectReason)
{
    t.reportedDown = true;
    t.status.closedAtMs = -1;
    QJsonObject data{{QStringLiteral("reason"), reason}, {QStringLiteral("error"), t.status.lastError}, {QStringLiteral("was_connected"), true}};
    if (!reconnectReason.isEmpty())
        data.insert(QStringLiteral("reconnect_error"), reconnectReason);
    Event e = Event::make(QStringLiteral("redis.unreachable"), Severity::Critical, t.status.address, message, data);
    if (atMs >= 0)
        e.time = QDateTime::fromMSecsSinceEpoch(atMs, Qt::UTC);
    raise(e);
}

// A server close whose reconnect has not succeeded within a poll period is an outage.
qint64 Monitor::reconnectGraceMs() const
{
    return std::max(pollInterval(), 1000);
}

void Monitor::judgeClosedConnections(qint64 nowMs)
{
    const qint64 grace = reconnectGraceMs();
    for (auto &t : m_targets)
        if (!t->retired && t->status.closedAtMs >= 0 && !t->status.connected && nowMs - t->status.closedAtMs >= grace) {
            raiseOutage(*t, tr("lost connection: %1; not back within %2 ms").arg(t->closedMessage).arg(nowMs - t->status.closedAtMs),
                        errorKindName(ErrorKind::Closed), t->status.closedAtMs);
            noteStatusChanged();
        }
}

// Tells the heartbeat service which monitored server a server replicates from.
void Monitor::followUpstream(Target &t)
{
    const InfoSnapshot *s = t.status.info.get();
    const Target *master = s && s->isReplica() ? find(s->masterAddress()) : nullptr;
    const QString upstream = master ? master->status.address : QString();
    if (upstream == t.upstream)
        return;
    t.upstream = upstream;
    m_heartbeats->setCarrierUpstream(t.status.address, upstream);
}

void Monitor::checkSplitBrains(qint64 nowMs)
{
    const TopologyGraph graph = buildTopologyGraph(status(), m_cluster.get());
    *m_scopes = ScopeIndex::fromGraph(graph);
    m_scopesStale = false;
    for (const Event &e : m_splitBrains->update(graph, nowMs, duringAction(nowMs)))
        raise(e);
    for (const Event &e : m_cycles->update(graph, nowMs))
        raise(e);
}

void Monitor::onAuthFailed(Target &t, ErrorKind reason, const QString &message)
{
    if (t.retired)
        return;
    t.answered = true;
    // Where a missing password can come from, wherever the error is shown (status, panels, journal).
    t.status.lastError = reason == ErrorKind::NoAuth
        ? tr("%1 (give the password in the URI, in REDISCLI_AUTH, with --askpass, or when the window asks; a profile can keep it in the keyring)")
              .arg(message)
        : message;
    if (reason == ErrorKind::Denied)
        t.status.lastError = tr("%1 (the server admits no client from this address without a password: it needs a "
                                "password, or its bind and protected-mode settings must admit this workstation)")
                                 .arg(message);
    if (t.status.authFailed)
        return;
    t.status.authFailed = true;
    t.reportedDown = true;
    const QString user = t.connection->options().uri.user;
    raise(Event::make(QStringLiteral("redis.auth_failed"), Severity::Critical, t.status.address,
                      reason == ErrorKind::NoAuth       ? tr("server requires a password: %1").arg(t.status.lastError)
                          : reason == ErrorKind::Denied ? tr("server refuses Vigil: %1").arg(t.status.lastError)
                                                        : tr("authentication refused: %1").arg(message),
                      {{QStringLiteral("reason"), errorKindName(reason)},
                       {QStringLiteral("user"), user.isEmpty() ? QStringLiteral("default") : user},
                       {QStringLiteral("error"), message}}));
    noteStatusChanged();
}

void Monitor::onServerError(Target &t, ErrorKind kind, const QString &message)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    Target::ErrorReport &report = t.errorReports[int(kind)];
    if (report.atMs > 0 && now - report.atMs < kErrorRepeatMs) {
        ++report.suppressed;
        return;
    }
    QJsonObject data{{QStringLiteral("reason"), errorKindName(kind)}};
    QString text = message;
    if (report.suppressed > 0) {
        data.insert(QStringLiteral("suppressed"), report.suppressed);
        text += tr(" (and %n more error(s) of this kind in the last minute, not journalled)", nullptr, report.suppressed);
    }
    report = {now, 0};
    raise(Event::make(QStringLiteral("redis.error"), Severity::Warning, t.status.address, text, data));
}

} // namespace vigil
