// Per-node heartbeat tracking and the events it raises.
#include "tracker.h"

#include "services/servicetracker.h"

#include <QJsonObject>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace vigil {

namespace {

constexpr qint64 kClockSkewBehindUs = -100'000;   // a beat from 100 ms in the future: clocks differ
constexpr qint64 kClockSkewAheadUs = 300'000'000; // five minutes in transit is not latency
constexpr double kDuplicateFraction = 0.2;        // plain beats from another carrier this soon are copies

QString seconds(qint64 us)
{
    return QString::number(double(us) / 1e6, 'f', 2) + QStringLiteral(" s");
}

qint64 percentile(std::vector<qint64> values, double p)
{
    if (values.empty())
        return -1;
    const size_t k = std::min(values.size() - 1, size_t(p * double(values.size())));
    std::nth_element(values.begin(), values.begin() + qsizetype(k), values.end());
    return values[k];
}

} // namespace

QString nodeStateName(NodeState state)
{
    switch (state) {
    case NodeState::Up: return QStringLiteral("up");
    case NodeState::Suspect: return QStringLiteral("suspect");
    case NodeState::Down: return QStringLiteral("down");
    case NodeState::Unknown: return QStringLiteral("unknown");
    }
    return QStringLiteral("unknown");
}

struct HeartbeatTracker::Node
{
    explicit Node(const DetectorSettings *settings)
        : detector(settings)
    {
    }

    QByteArray name;
    QString display;
    bool inService = false; // the operator grouped it into a service
    IntervalDetector detector;
    NodeState state = NodeState::Up;
    bool seen = false;
    qint64 lastArrivalNs = 0;
    qint64 lastWallMs = 0;
    qint64 suspectAtNs = 0;
    qint64 downAtNs = 0;
    qint64 outageStartWallMs = 0;
    int carrier = -1; // the carrier the last accepted beat came through first
    int origin = -1;  // the carrier its beats are published on (see noteDelivery)
    // The carriers that delivered its beats lately (copies included), and when.
    std::array<std::pair<int, qint64>, 4> via{{{-1, 0}, {-1, 0}, {-1, 0}, {-1, 0}}};
    bool suspectUnreported = false; // suspect, but its carrier has not answered yet

    bool hasSeq = false;
    qint64 lastSeq = 0;
    std::array<qint64, 8> recentSeqs{};
    int recentCount = 0;
    int recentNext = 0;

    qint64 lost = 0;
    qint64 lostUnreported = 0;
    qint64 lostFirstSeq = 0;
    qint64 lostLastSeq = 0;
    qint64 lostEndedWallMs = 0; // when the last unreported gap ended (its first beat after)
    qint64 lastLostReportNs = -1;
    qint64 beats = 0;
    qint64 restarts = 0;
    qint64 restartsUnreported = 0; // seq resets not journalled yet (rate limit)
    qint64 lastRestartReportNs = -1;

    std::array<qint64, 128> latencies{};
    int latencyCount = 0;
    int latencyNext = 0;
    bool clockSkew = false;
    bool skewReported = false;
    QByteArray role;

    std::array<qint64, 16> alarms{};
    int alarmCount = 0;
    int alarmNext = 0;
    bool flapping = false;
    bool quietNoted = false; // its silence during a quiet period was recorded (once per silence)
    qint64 lastAlarmNs = 0;
    qint64 flapAlarms = 0;
    qint64 flapStartWallMs = 0;

    bool seqSeenRecently(qint64 seq) const
    {
        for (int i = 0; i < recentCount; ++i)
            if (recentSeqs[size_t(i)] == seq)
                return true;
        return false;
    }
    void rememberSeq(qint64 seq)
    {
        recentSeqs[size_t(recentNext)] = seq;
        recentNext = (recentNext + 1) % int(recentSeqs.size());
        recentCount = std::min(recentCount + 1, int(recentSeqs.size()));
    }
    void rearm(qint64 nowNs)
    {
        suspectAtNs = nowNs + detector.suspectAfterUs() * 1000;
        downAtNs = nowNs + detector.downAfterUs() * 1000;
    }
};

HeartbeatTracker::HeartbeatTracker(DetectorSettings settings)
    : m_settings(settings)
{
}

HeartbeatTracker::~HeartbeatTracker() = default;

void HeartbeatTracker::setCarrierAddress(int index, const QString &address)
{
    carrier(index).address = address;
}

bool HeartbeatTracker::carrierObservable(int index) const
{
    const auto it = m_carriers.constFind(index);
    return it == m_carriers.cend() || (it->reachable && !it->hung);
}

void HeartbeatTracker::setCarrierReachable(int index, bool reachable, qint64 nowNs, qint64 wallMs)
{
    Q_UNUSED(wallMs);
    Carrier &c = carrier(index);
    c.reachable = reachable;
    c.probeSentNs = -1;
    if (!reachable)
        return;
    c.hung = false;
    // Nodes we could not observe get a full detection period to show their beats again.
    for (auto &node : m_storage)
        if (node->state == NodeState::Unknown && node->origin == index)
            node->rearm(nowNs);
}

void HeartbeatTracker::setCarrierUpstream(int index, int upstream)
{
    carrier(index).upstream = upstream == index ? -1 : upstream;
}

void HeartbeatTracker::probeAnswered(int index, qint64 nowNs, qint64 wallMs)
{
    Carrier &c = carrier(index);
    if (c.probeSentNs < 0)
        return;
    c.answeredSentNs = c.probeSentNs;
    c.probeSentNs = -1;
    if (c.hung) {
        c.hung = false;
        for (auto &node : m_storage)
            if (node->state == NodeState::Unknown && node->origin == index)
                node->rearm(nowNs);
    }
    // A node whose silence only waited for this answer is decided now, not at the next tick.
    check(nowNs, wallMs);
}

void HeartbeatTracker::probeFailed(int index, qint64 nowNs, qint64 wallMs)
{
    Carrier &c = carrier(index);
    if (c.probeSentNs < 0)
        return;
    c.probeSentNs = -1;
    c.hung = true;
    check(nowNs, wallMs);
}

bool HeartbeatTracker::carrierVouches(Node &n, qint64 nowNs)
{
    if (!m_probe || n.origin < 0)
        return true;
    if (nowNs < n.suspectAtNs)
        return false; // not suspicious (yet, or again after a quiet period re-armed it): nothing to ask
    Carrier &c = carrier(n.origin);
    // The answer must be to a question asked once the silence was already suspicious: an earlier
    // one says nothing about a beat that was not yet due.
    if (c.answeredSentNs >= n.suspectAtNs)
        return true;
    if (c.probeSentNs < 0 && c.reachable && !c.hung) {
        c.probeSentNs = nowNs;
        m_probe(n.origin);
    }
    return false;
}

// Beats published on a master reach Vigil through the master and through each of its replicas
// (they replay PUBLISH). The node belongs to the server it was published on: from the carrier of
// the first copy, go up the replication chain as long as the server above delivered copies too.
void HeartbeatTracker::noteDelivery(Node &n, int carrierIndex, qint64 nowNs)
{
    auto slot = std::find_if(n.via.begin(), n.via.end(), [carrierIndex](const auto &v) { return v.first == carrierIndex; });
    if (slot == n.via.end())
        slot = std::min_element(n.via.begin(), n.via.end(), [](const auto &a, const auto &b) { return a.second < b.second; });
    *slot = {carrierIndex, nowNs};
    if (n.carrier < 0)
        return;
    const qint64 since = n.lastArrivalNs - (2 * n.detector.meanUs() + 100'000) * 1000;
    auto delivered = [&n, since](int c) {
        return std::any_of(n.via.begin(), n.via.end(), [c, since](const auto &v) { return v.first == c && v.second >= since; });
    };
    // An upstream we cannot see (its subscriber reconnecting) keeps the node it had: the copies
    // through the replica say nothing against it.
    const int previous = n.origin;
    int origin = n.carrier;
    for (int hops = 0; hops < 8; ++hops) {
        const auto it = m_carriers.constFind(origin);
        if (it == m_carriers.cend() || it->upstream < 0 || !(delivered(it->upstream) || (it->upstream == previous && !carrierObservable(previous))))
            break;
        origin = it->upstream;
    }
    // Never downstream of where the beats were published before: a replica's copy that arrives
    // while the master's subscription is being restored says nothing about where beats are
    // published (and a node that really moved to publishing on a replica errs on the side of
    // unknown, not down).
    for (int up = origin, hops = 0; previous >= 0 && previous != origin && up >= 0 && hops < 8; ++hops) {
        const auto it = m_carriers.constFind(up);
        up = it == m_carriers.cend() ? -1 : it->upstream;
        if (up == previous) {
            origin = previous;
            break;
        }
    }
    n.origin = origin;
}

HeartbeatTracker::Node *HeartbeatTracker::nodeFor(const QByteArray &name, qint64 nowNs, qint64 wallMs)
{
    if (Node *n = m_nodes.value(name))
        return n;
    if (m_nodes.size() >= m_maxNodes) {
        // A flood of new names must not make every refusal a sweep of every node.
        constexpr qint64 kSweepAtMostEveryNs = 1'000'000'000;
        if (nowNs - m_lastSweepNs >= kSweepAtMostEveryNs)
            forgetOneOffs(nowNs);
        if (m_nodes.size() >= m_maxNodes) {
            ++m_refusedNodes;
            ++m_refusedUnreported;
            if (m_lastCapReportNs < 0 || nowNs - m_lastCapReportNs >= 10 * kReportEveryNs) {
                m_lastCapReportNs = nowNs;
                raise(QStringLiteral("heartbeat.nodes_capped"), Severity::Warning, QStringLiteral("heartbeats"),
                      QStringLiteral("%1 heartbeat nodes tracked, the most Vigil holds: beats of new names are ignored "
                                     "(%2 refused so far; names that beat fewer than %3 times are forgotten after %4 s "
                                     "of silence)")
                          .arg(m_nodes.size())
                          .arg(m_refusedNodes)
                          .arg(kEstablishedBeats)
                          .arg(kForgetAfterNs / 1'000'000'000),
                      {{QStringLiteral("nodes"), int(m_nodes.size())},
                       {QStringLiteral("limit"), m_maxNodes},
                       {QStringLiteral("refused"), m_refusedNodes},
                       {QStringLiteral("example"), QString::fromUtf8(name.left(200))}},
                      wallMs);
                m_refusedUnreported = 0;
            }
            return nullptr;
        }
    }
    auto node = std::make_unique<Node>(&m_settings);
    // `name` may be raw data pointing into a payload: keep a copy of our own.
    node->name = QByteArray(name.constData(), name.size());
    node->display = QString::fromUtf8(name);
    node->inService = m_groupedNodes.contains(node->name);
    Node *raw = node.get();
    m_storage.push_back(std::move(node));
    m_nodes.insert(raw->name, raw);
    return raw;
}

void HeartbeatTracker::setServiceSink(ServiceSink sink, const QSet<QString> &grouped)
{
    m_serviceSink = std::move(sink);
    m_groupedNodes.clear();
    for (const QString &node : grouped)
        m_groupedNodes.insert(node.toUtf8());
    // Known once, not looked up at every beat.
    for (const auto &n : m_storage)
        n->inService = m_groupedNodes.contains(n->name);
}

void HeartbeatTracker::forgetOneOffs(qint64 nowNs)
{
    m_lastSweepNs = nowNs;
    const auto forgotten = [nowNs](const std::unique_ptr<Node> &n) {
        return n->beats < kEstablishedBeats && nowNs - n->lastArrivalNs >= kForgetAfterNs;
    };
    for (const auto &n : m_storage)
        if (forgotten(n))
            m_nodes.remove(n->name);
    std::erase_if(m_storage, forgotten);
}

void HeartbeatTracker::reportRestart(Node &n, qint64 fromSeq, qint64 toSeq, bool jump, qint64 nowNs, qint64 wallMs)
{
    ++n.restarts;
    ++n.restartsUnreported;
    if (n.lastRestartReportNs >= 0 && nowNs - n.lastRestartReportNs < kReportEveryNs)
        return;
    const qint64 more = n.restartsUnreported - 1;
    QString text = jump ? QStringLiteral("sequence jumped from %1 to %2: the publisher's counter was reset").arg(fromSeq).arg(toSeq)
                        : QStringLiteral("sequence went back from %1 to %2: the publisher restarted").arg(fromSeq).arg(toSeq);
    if (more > 0)
        text += QStringLiteral(" (%1 more resets in the last minute, not journalled)").arg(more);
    raise(n, QStringLiteral("heartbeat.restarted"), Severity::Warning, text,
          {{QStringLiteral("from_seq"), fromSeq},
           {QStringLiteral("to_seq"), toSeq},
           {QStringLiteral("restarts"), n.restarts},
           {QStringLiteral("jump"), jump},
           {QStringLiteral("suppressed"), more}},
          wallMs);
    n.lastRestartReportNs = nowNs;
    n.restartsUnreported = 0;
}

// A node's event, naming the server its beats are published on (its scope, for incidents).
void HeartbeatTracker::raise(const Node &n, const QString &kind, Severity severity, const QString &message, QJsonObject data, qint64 wallMs)
{
    const int carrier = n.origin >= 0 ? n.origin : n.carrier;
    if (!data.contains(QStringLiteral("carrier")) && carrier >= 0)
        data.insert(QStringLiteral("carrier"), carrierAddress(carrier));
    raise(kind, severity, n.display, message, data, wallMs);
}

void HeartbeatTracker::raise(const QString &kind, Severity severity, const QString &source, const QString &message, const QJsonObject &data,
                             qint64 wallMs)
{
    if (!m_sink)
        return;
    Event e = Event::make(kind, severity, source, message, data);
    e.time = QDateTime::fromMSecsSinceEpoch(wallMs, Qt::UTC);
    m_sink(e);
}

void HeartbeatTracker::transition(Node &node, NodeState state, qint64 wallMs)
{
    node.state = state;
    // While a node flaps, its episode is one band in the charts, not hundreds of slivers.
    if (!node.flapping)
        m_transitions.append({node.display, wallMs, state, false});
}

bool HeartbeatTracker::noteAlarm(Node &n, qint64 nowNs, qint64 wallMs)
{
    n.lastAlarmNs = nowNs;
    if (n.flapping) {
        ++n.flapAlarms;
        return false;
    }
    const int needed = std::clamp(m_settings.flapAlarms, 2, int(n.alarms.size()));
    n.alarms[size_t(n.alarmNext)] = nowNs;
    n.alarmNext = (n.alarmNext + 1) % needed;
    n.alarmCount = std::min(n.alarmCount + 1, needed);
    const qint64 oldest = n.alarms[size_t(n.alarmNext)];
    if (n.alarmCount < needed || nowNs - oldest > m_settings.flapWindowUs * 1000)
        return true;
    n.flapping = true;
    n.flapAlarms = needed;
    n.flapStartWallMs = wallMs;
    m_transitions.append({n.display, wallMs, NodeState::Down, true});
    raise(n, QStringLiteral("heartbeat.flapping"), Severity::Warning,
          QStringLiteral("%1 alarms in %2: the node is flapping; its state changes are summarised until it is "
                         "steady for %3")
              .arg(needed)
              .arg(seconds((nowNs - oldest) / 1000), seconds(m_settings.steadyUs)),
          {{QStringLiteral("alarms"), needed},
           {QStringLiteral("window_ms"), (nowNs - oldest) / 1'000'000},
           {QStringLiteral("mean_interval_ms"), double(n.detector.meanUs()) / 1000.0},
           {QStringLiteral("jitter_ms"), double(n.detector.stdUs()) / 1000.0}},
          wallMs);
    return false;
}

void HeartbeatTracker::checkSteady(Node &n, qint64 nowNs, qint64 wallMs)
{
    if (!n.flapping || nowNs - n.lastAlarmNs < m_settings.steadyUs * 1000)
        return;
    n.flapping = false;
    n.alarmCount = 0;
    m_transitions.append({n.display, wallMs, NodeState::Up, true});
    const qint64 lastedMs = wallMs - n.flapStartWallMs;
    const QJsonObject data{{QStringLiteral("flapping_ms"), lastedMs}, {QStringLiteral("alarms"), n.flapAlarms}};
    if (n.state == NodeState::Up) {
        raise(n, QStringLiteral("heartbeat.steady"), Severity::Info,
              QStringLiteral("steady again after %1 of flapping (%2 alarms)").arg(seconds(lastedMs * 1000)).arg(n.flapAlarms), data, wallMs);
        return;
    }
    // It stopped flapping by staying down.
    m_transitions.append({n.display, wallMs, n.state, false});
    raise(n, n.state == NodeState::Unknown ? QStringLiteral("heartbeat.unknown") : QStringLiteral("heartbeat.down"),
          n.state == NodeState::Unknown ? Severity::Warning : Severity::Critical,
          QStringLiteral("still %1 after %2 of flapping (%3 alarms), no heartbeat for %4")
              .arg(nodeStateName(n.state), seconds(lastedMs * 1000))
              .arg(n.flapAlarms)
              .arg(seconds((nowNs - n.lastArrivalNs) / 1000)),
          data, wallMs);
}

qint64 HeartbeatTracker::wallClockUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void HeartbeatTracker::ingest(int carrier, const QByteArray &channel, const QByteArray &payload, qint64 nowNs, qint64 wallUs)
{
    const qint64 wallMs = wallUs / 1000;
    const BeatParse parse = parseBeatInPlace(channel, payload);
    if (!parse.ok()) {
        reportMalformed(channel, parse, payload, nowNs, wallMs);
        return;
    }
    const Beat &beat = parse.beat;
    Node *node = nodeFor(beat.node, nowNs, wallMs);
    if (!node)
        return;
    Node &n = *node;

    // Beats reach us once per monitored server that carries them (PUBLISH is replicated): keep
    // the first copy only, but let every copy tell where the beats come from.
    if (n.seen) {
        if ((beat.hasSeq && n.hasSeq && n.seqSeenRecently(beat.seq))
            || (!beat.hasSeq && carrier != n.carrier && nowNs - n.lastArrivalNs < qint64(kDuplicateFraction * double(n.detector.meanUs()) * 1000))) {
            ++m_duplicates;
            noteDelivery(n, carrier, nowNs);
            return;
        }
    }

    if (beat.intervalMs > 0)
        n.detector.announce(qint64(beat.intervalMs) * 1000);

    if (beat.hasSeq) {
        if (n.hasSeq && beat.seq - n.lastSeq - 1 > kMaxCountedGap) {
            reportRestart(n, n.lastSeq, beat.seq, true, nowNs, wallMs);
        } else if (n.hasSeq && beat.seq > n.lastSeq + 1) {
            const qint64 gap = beat.seq - n.lastSeq - 1;
            if (n.lostUnreported == 0)
                n.lostFirstSeq = n.lastSeq + 1;
            n.lostLastSeq = beat.seq - 1;
            n.lost += gap;
            n.lostUnreported += gap;
            n.lostEndedWallMs = wallMs;
            reportLost(n, nowNs, wallMs, false);
        } else if (n.hasSeq && beat.seq < n.lastSeq) {
            reportRestart(n, n.lastSeq, beat.seq, false, nowNs, wallMs);
        }
        n.rememberSeq(beat.seq);
        n.lastSeq = beat.seq;
        n.hasSeq = true;
    }

    qint64 intervalUs = -1;
    if (n.seen) {
        intervalUs = (nowNs - n.lastArrivalNs) / 1000;
        // A silence that made the node down or unobservable is an outage, not an interval.
        if (n.state == NodeState::Up || n.state == NodeState::Suspect)
            n.detector.addInterval(intervalUs);
    }

    qint64 latencyUs = -1;
    if (beat.hasTs) {
        const qint64 transit = wallUs - qint64(std::llround(beat.ts * 1e6));
        if (transit < kClockSkewBehindUs || transit > kClockSkewAheadUs) {
            n.clockSkew = true;
            if (!n.skewReported) {
                n.skewReported = true;
                raise(n, QStringLiteral("heartbeat.clock_skew"), Severity::Warning,
                      transit < 0 ? QStringLiteral("beats are stamped %1 in the future: the clocks differ, latency not shown").arg(seconds(-transit))
                                  : QStringLiteral("beats are stamped %1 in the past: the clocks differ, latency not shown").arg(seconds(transit)),
                      {{QStringLiteral("offset_ms"), double(transit) / 1000.0}}, wallMs);
            }
        } else {
            n.clockSkew = false;
            latencyUs = std::max<qint64>(0, transit);
            n.latencies[size_t(n.latencyNext)] = latencyUs;
            n.latencyNext = (n.latencyNext + 1) % int(n.latencies.size());
            n.latencyCount = std::min(n.latencyCount + 1, int(n.latencies.size()));
        }
    }

    const bool first = !n.seen;
    const NodeState previous = n.state;
    n.seen = true;
    n.lastArrivalNs = nowNs;
    n.lastWallMs = wallMs;
    n.carrier = carrier;
    noteDelivery(n, carrier, nowNs);
    // A suspicion nobody was told of (its carrier had not answered yet) ends without a word.
    const bool unreportedSuspect = previous == NodeState::Suspect && n.suspectUnreported;
    n.suspectUnreported = false;
    ++n.beats;
    if (!beat.role.isEmpty() && beat.role != n.role)
        n.role = QByteArray(beat.role.constData(), beat.role.size());
    if (m_serviceSink && (!beat.service.isEmpty() || n.inService)) {
        ServiceBeat sb;
        sb.node = n.display;
        sb.service = QString::fromUtf8(beat.service);
        sb.role = QString::fromUtf8(beat.role);
        sb.epoch = beat.epoch;
        sb.seq = beat.hasSeq ? beat.seq : -1;
        sb.senderMs = beat.hasTs ? qint64(std::llround(beat.ts * 1000)) : -1;
        sb.arrivalMs = wallMs;
        // Plain beats announce no period: the one learnt stands for it.
        sb.intervalMs = beat.intervalMs > 0 ? beat.intervalMs : int(std::max<qint64>(0, n.detector.meanUs() / 1000));
        sb.carrier = carrierAddress(carrier);
        m_serviceSink(sb);
    }
    n.rearm(nowNs);
    n.quietNoted = false;

    if (first) {
        const QString via = carrierAddress(n.origin);
        transition(n, NodeState::Up, wallMs);
        QJsonObject data{{QStringLiteral("channel"), QString::fromUtf8(channel)},
                         {QStringLiteral("format"), beat.json ? QStringLiteral("json") : QStringLiteral("plain")},
                         {QStringLiteral("carrier"), via}};
        if (beat.intervalMs > 0)
            data.insert(QStringLiteral("interval_ms"), beat.intervalMs);
        raise(n, QStringLiteral("heartbeat.up"), Severity::Info, QStringLiteral("first heartbeat from %1 (via %2)").arg(n.display, via), data,
              wallMs);
    } else if (previous != NodeState::Up) {
        const QString via = carrierAddress(n.origin);
        transition(n, NodeState::Up, wallMs);
        const qint64 outageMs = wallMs - n.outageStartWallMs;
        if (!n.flapping && !unreportedSuspect)
            raise(n, QStringLiteral("heartbeat.up"), Severity::Info,
                  previous == NodeState::Suspect
                      ? QStringLiteral("heartbeat back after %1 of silence").arg(seconds(outageMs * 1000))
                      : QStringLiteral("heartbeat back after %1 %2").arg(seconds(outageMs * 1000), nodeStateName(previous)),
                  {{QStringLiteral("from"), nodeStateName(previous)}, {QStringLiteral("outage_ms"), outageMs}, {QStringLiteral("carrier"), via}},
                  wallMs);
    }
    ++m_beats;
    // Plain beats have nothing to chart: keep snapshots small under a flood of them.
    if (latencyUs >= 0)
        m_samples.append({n.display, wallMs, latencyUs, intervalUs});
}

void HeartbeatTracker::check(qint64 nowNs, qint64 wallMs)
{
    constexpr qint64 kSweepEveryNs = 10'000'000'000;
    if (m_lastSweepNs < 0 || nowNs - m_lastSweepNs >= kSweepEveryNs)
        forgetOneOffs(nowNs);
    for (auto &owned : m_storage) {
        Node &n = *owned;
        if (!n.seen)
            continue;
        if (n.lostUnreported > 0 && nowNs - n.lastLostReportNs >= kReportEveryNs)
            reportLost(n, nowNs, wallMs, true);
        checkSteady(n, nowNs, wallMs);
        if (n.state == NodeState::Down)
            continue;
        if (m_quiet) {
            // A promotion pauses writes, PUBLISH included: note the silence, page nobody.
            const qint64 silenceUs = (nowNs - n.lastArrivalNs) / 1000;
            if (!n.quietNoted && silenceUs >= n.detector.downAfterUs()) {
                n.quietNoted = true;
                raise(n, QStringLiteral("heartbeat.paused"), Severity::Info,
                      QStringLiteral("no heartbeat for %1 while a promotion holds writes: not paged").arg(seconds(silenceUs)),
                      {{QStringLiteral("silence_ms"), silenceUs / 1000}}, wallMs);
            }
            n.rearm(nowNs);
            continue;
        }
        const qint64 silenceUs = (nowNs - n.lastArrivalNs) / 1000;
        if (n.state == NodeState::Suspect && n.suspectUnreported && carrierVouches(n, nowNs))
            reportSuspect(n, nowNs, wallMs);
        if (nowNs >= n.downAtNs) {
            const QString via = carrierAddress(n.origin);
            const double phi = n.detector.phi(silenceUs);
            if (!carrierObservable(n.origin)) {
                if (n.state == NodeState::Unknown)
                    continue;
                if (n.state == NodeState::Up)
                    n.outageStartWallMs = n.lastWallMs;
                n.suspectUnreported = false;
                const bool hung = carrier(n.origin).reachable;
                transition(n, NodeState::Unknown, wallMs);
                raise(n, QStringLiteral("heartbeat.unknown"), Severity::Warning,
                      (hung ? QStringLiteral("no heartbeat for %1, but %2, where its beats are published, does not answer "
                                             "either: the node may be fine")
                            : QStringLiteral("no heartbeat for %1, but %2, where its beats are published, is unreachable: "
                                             "the node may be fine"))
                          .arg(seconds(silenceUs), via),
                      {{QStringLiteral("silence_ms"), silenceUs / 1000},
                       {QStringLiteral("carrier"), via},
                       {QStringLiteral("carrier_state"), hung ? QStringLiteral("hung") : QStringLiteral("unreachable")}},
                      wallMs);
                continue;
            }
            // Only a carrier that answered after the node fell silent proves the silence is the node's.
            if (!carrierVouches(n, nowNs))
                continue;
            if (n.state == NodeState::Up || n.state == NodeState::Suspect)
                n.outageStartWallMs = n.lastWallMs;
            // Straight from up (a coarse check) the down is the alarm; from suspect it was counted.
            const bool report = n.state == NodeState::Up ? noteAlarm(n, nowNs, wallMs) : !n.flapping;
            n.suspectUnreported = false;
            transition(n, NodeState::Down, wallMs);
            if (report)
                raise(n, QStringLiteral("heartbeat.down"), Severity::Critical,
                      QStringLiteral("no heartbeat for %1 (phi %2)").arg(seconds(silenceUs)).arg(std::min(phi, 99.9), 0, 'f', 1),
                      {{QStringLiteral("silence_ms"), silenceUs / 1000},
                       {QStringLiteral("phi"), std::round(std::min(phi, 1e6) * 10) / 10},
                       {QStringLiteral("mean_interval_ms"), double(n.detector.meanUs()) / 1000.0},
                       {QStringLiteral("jitter_ms"), double(n.detector.stdUs()) / 1000.0},
                       {QStringLiteral("down_after_ms"), double(n.detector.downAfterUs()) / 1000.0},
                       {QStringLiteral("carrier"), via}},
                      wallMs);
        } else if (n.state == NodeState::Up && nowNs >= n.suspectAtNs && carrierObservable(n.origin)) {
            n.outageStartWallMs = n.lastWallMs;
            transition(n, NodeState::Suspect, wallMs);
            // Suspicion is told once the carrier has answered: a hung carrier's nodes are not suspects.
            n.suspectUnreported = true;
            if (carrierVouches(n, nowNs))
                reportSuspect(n, nowNs, wallMs);
        }
    }
}

void HeartbeatTracker::reportSuspect(Node &n, qint64 nowNs, qint64 wallMs)
{
    n.suspectUnreported = false;
    if (!noteAlarm(n, nowNs, wallMs))
        return;
    const qint64 silenceUs = (nowNs - n.lastArrivalNs) / 1000;
    raise(n, QStringLiteral("heartbeat.suspect"), Severity::Warning,
          QStringLiteral("no heartbeat for %1 (phi %2)").arg(seconds(silenceUs)).arg(n.detector.phi(silenceUs), 0, 'f', 1),
          {{QStringLiteral("silence_ms"), silenceUs / 1000}, {QStringLiteral("mean_interval_ms"), double(n.detector.meanUs()) / 1000.0}}, wallMs);
}

void HeartbeatTracker::reportLost(Node &n, qint64 nowNs, qint64 wallMs, bool force)
{
    if (n.lostUnreported == 0)
        return;
    if (!force && n.lastLostReportNs >= 0 && nowNs - n.lastLostReportNs < kReportEveryNs)
        return;
    raise(n, QStringLiteral("heartbeat.lost"), Severity::Warning,
          QStringLiteral("%1 beat(s) lost (seq %2 to %3)").arg(n.lostUnreported).arg(n.lostFirstSeq).arg(n.lostLastSeq),
          {{QStringLiteral("lost"), n.lostUnreported},
           {QStringLiteral("total_lost"), n.lost},
           {QStringLiteral("first_seq"), n.lostFirstSeq},
           {QStringLiteral("last_seq"), n.lostLastSeq}},
          n.lostEndedWallMs > 0 ? n.lostEndedWallMs : wallMs);
    n.lostUnreported = 0;
    n.lastLostReportNs = nowNs;
}

void HeartbeatTracker::reportMalformed(const QByteArray &channel, const BeatParse &parse, const QByteArray &payload, qint64 nowNs, qint64 wallMs)
{
    ++m_malformedTotal;
    // `channel` may be raw data pointing into a read buffer: the key is a copy of our own.
    auto it = m_malformed.find(channel);
    if (it == m_malformed.end())
        it = m_malformed.insert(QByteArray(channel.constData(), channel.size()), {});
    ChannelStats &stats = *it;
    ++stats.total;
    ++stats.unreported;
    if (stats.lastReportNs >= 0 && nowNs - stats.lastReportNs < kReportEveryNs)
        return;
    // A short, printable excerpt helps find the publisher; never the whole payload.
    QString excerpt = QString::fromUtf8(payload.left(64));
    for (QChar &c : excerpt)
        if (!c.isPrint())
            c = QLatin1Char('?');
    raise(QStringLiteral("heartbeat.malformed"), Severity::Warning, QString::fromUtf8(channel),
          QStringLiteral("%1 malformed beat(s) on %2: %3").arg(stats.unreported).arg(QString::fromUtf8(channel), parse.detail),
          {{QStringLiteral("channel"), QString::fromUtf8(channel)},
           {QStringLiteral("count"), stats.unreported},
           {QStringLiteral("total"), stats.total},
           {QStringLiteral("error"), beatErrorName(parse.error)},
           {QStringLiteral("detail"), parse.detail},
           {QStringLiteral("excerpt"), excerpt},
           {QStringLiteral("size"), payload.size()}},
          wallMs);
    stats.unreported = 0;
    stats.lastReportNs = nowNs;
}

QList<NodeStatus> HeartbeatTracker::status(qint64 nowNs) const
{
    QList<NodeStatus> list;
    list.reserve(qsizetype(m_storage.size()));
    for (const auto &owned : m_storage) {
        const Node &n = *owned;
        if (!n.seen)
            continue;
        NodeStatus s;
        s.node = n.display;
        s.state = n.state;
        const qint64 silenceUs = (nowNs - n.lastArrivalNs) / 1000;
        s.lastBeatAgeMs = silenceUs / 1000;
        std::vector<qint64> lat(n.latencies.begin(), n.latencies.begin() + n.latencyCount);
        s.latencyP50Us = n.clockSkew ? -1 : percentile(lat, 0.50);
        s.latencyP99Us = n.clockSkew ? -1 : percentile(std::move(lat), 0.99);
        s.meanIntervalUs = n.detector.meanUs();
        s.jitterUs = n.detector.stdUs();
        s.lost = n.lost;
        s.beats = n.beats;
        s.restarts = n.restarts;
        s.phi = n.detector.phi(silenceUs);
        s.clockSkew = n.clockSkew;
        s.flapping = n.flapping;
        s.role = QString::fromUtf8(n.role);
        s.carrier = carrierAddress(n.origin);
        list.append(s);
    }
    return list;
}

QList<BeatSample> HeartbeatTracker::takeSamples()
{
    QList<BeatSample> out;
    out.swap(m_samples);
    return out;
}

QList<NodeTransition> HeartbeatTracker::takeTransitions()
{
    QList<NodeTransition> out;
    out.swap(m_transitions);
    return out;
}

} // namespace vigil
