// Per-node heartbeat tracking: arrivals, duplicates from several carriers, sequence gaps and
// restarts, one-way latency, and the up / suspect / down / unknown states with their events.
// Pure logic on injected clocks: callers pass monotonic and wall times in.
#pragma once

#include "beatparser.h"
#include "detector.h"
#include "journal/event.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <array>
#include <functional>
#include <memory>

namespace vigil {

struct ServiceBeat;

enum class NodeState { Up, Suspect, Down, Unknown };
QString nodeStateName(NodeState state);

// What the views need of one node, copied out at a modest rate.
struct NodeStatus
{
    QString node;
    NodeState state = NodeState::Up;
    qint64 lastBeatAgeMs = 0;
    qint64 latencyP50Us = -1; // -1: no latency known (plain beats, or clock skew)
    qint64 latencyP99Us = -1;
    qint64 meanIntervalUs = 0;
    qint64 jitterUs = 0; // learned standard deviation of the interval
    qint64 lost = 0;
    qint64 beats = 0;
    qint64 restarts = 0;
    double phi = 0;
    bool clockSkew = false;
    bool flapping = false;
    QString role;
    QString carrier; // address of the Redis server its beats are published on
};

// One accepted beat that carried a latency, for the history and charts.
struct BeatSample
{
    QString node;
    qint64 wallMs = 0;
    qint64 latencyUs = -1;
    qint64 intervalUs = -1;
};

// A state change, for shading down periods in charts.
struct NodeTransition
{
    QString node;
    qint64 wallMs = 0;
    NodeState state = NodeState::Up;
    // Marks the start (state Down) and end (state Up) of a flapping episode, during which the
    // node's own transitions are not reported.
    bool flapping = false;
};

class HeartbeatTracker
{
public:
    using EventSink = std::function<void(const Event &)>;
    // Asks for an immediate round trip to a carrier; the answer comes back through probeAnswered
    // or probeFailed.
    using ProbeRequest = std::function<void(int carrier)>;

    explicit HeartbeatTracker(DetectorSettings settings = {});
    ~HeartbeatTracker();

    void setEventSink(EventSink sink) { m_sink = std::move(sink); }
    // Beats of services (`service` in the beat, or a node in `grouped`) go to `sink` too.
    using ServiceSink = std::function<void(const ServiceBeat &)>;
    void setServiceSink(ServiceSink sink, const QSet<QString> &grouped);
    // Carriers are the monitored Redis servers, by index; their addresses name them in events.
    void setCarrierAddress(int carrier, const QString &address);
    void setCarrierReachable(int carrier, bool reachable, qint64 nowNs, qint64 wallMs);
    // The carrier `carrier` replicates from (its master), -1 for none. Beats that reach Vigil through
    // a replica and its master were published on the master: their nodes belong to it.
    void setCarrierUpstream(int carrier, int upstream);
    // With a probe, a silent node is called down only once its carrier has answered a round trip
    // sent after the node's last beat: a hung carrier's nodes become unknown instead. Without one,
    // silence alone decides.
    void setProbe(ProbeRequest probe) { m_probe = std::move(probe); }
    void probeAnswered(int carrier, qint64 nowNs, qint64 wallMs);
    void probeFailed(int carrier, qint64 nowNs, qint64 wallMs);
    // While a coordinated promotion pauses writes, silences are annotated instead of paged.
    void setQuietPeriod(bool active) { m_quiet = active; }

    // A pub/sub delivery. `nowNs` is a monotonic clock, `wallUs` Unix time in microseconds (one-way
    // latency on a LAN is well below a millisecond). `channel` and `payload` may be raw data (views
    // into a read buffer): nothing of them is kept without a copy.
    void ingest(int carrier, const QByteArray &channel, const QByteArray &payload, qint64 nowNs, qint64 wallUs);
    // Advances the detectors: call often (every few tens of milliseconds).
    void check(qint64 nowNs, qint64 wallMs);

    QList<NodeStatus> status(qint64 nowNs) const;
    QList<BeatSample> takeSamples();
    QList<NodeTransition> takeTransitions();

    // Unix time in microseconds from the system clock.
    static qint64 wallClockUs();
    int nodeCount() const { return int(m_nodes.size()); }
    qint64 malformedCount() const { return m_malformedTotal; }
    qint64 duplicateCount() const { return m_duplicates; }
    qint64 beatCount() const { return m_beats; }
    const DetectorSettings &settings() const { return m_settings; }

    // Rate limits for the noisy kinds.
    static constexpr qint64 kReportEveryNs = 60'000'000'000;
    // Bounds on what publishers can make Vigil hold. A name that beat fewer than kEstablishedBeats
    // times and then fell silent for kForgetAfterNs is forgotten (a one-off name, a typo, a flood of
    // random names); beyond kMaxNodes names new ones are refused, and heartbeat.nodes_capped says so.
    static constexpr int kMaxNodes = 20'000;
    static constexpr int kEstablishedBeats = 3;
    static constexpr qint64 kForgetAfterNs = 60'000'000'000;
    // A sequence jump forward larger than this is a reset of the publisher's counter, not lost beats.
    static constexpr qint64 kMaxCountedGap = 1'000'000;
    void setMaxNodes(int max) { m_maxNodes = max; }
    qint64 refusedNodeCount() const { return m_refusedNodes; }

private:
    struct Node;
    struct ChannelStats
    {
        qint64 total = 0;
        qint64 unreported = 0;
        qint64 lastReportNs = -1;
    };

    // The node of that name, created if there is room; null when the node limit refuses it.
    Node *nodeFor(const QByteArray &name, qint64 nowNs, qint64 wallMs);
    void forgetOneOffs(qint64 nowNs);
    // A sequence that went back, or jumped too far ahead: at most one event a minute per node.
    void reportRestart(Node &node, qint64 fromSeq, qint64 toSeq, bool jump, qint64 nowNs, qint64 wallMs);
    void raise(const QString &kind, Severity severity, const QString &source, const QString &message, const QJsonObject &data, qint64 wallMs);
    void raise(const Node &node, const QString &kind, Severity severity, const QString &message, QJsonObject data, qint64 wallMs);
    void transition(Node &node, NodeState state, qint64 wallMs);
    void reportMalformed(const QByteArray &channel, const BeatParse &parse, const QByteArray &payload, qint64 nowNs, qint64 wallMs);
    void reportLost(Node &node, qint64 nowNs, qint64 wallMs, bool force);
    // Records an alarm; false when the node is (now) flapping and the alarm is not to be journalled.
    bool noteAlarm(Node &node, qint64 nowNs, qint64 wallMs);
    void checkSteady(Node &node, qint64 nowNs, qint64 wallMs);
    struct Carrier
    {
        QString address;
        bool reachable = true;
        bool hung = false; // its last probe went unanswered
        int upstream = -1;
        qint64 probeSentNs = -1;    // the outstanding probe; -1 when none
        qint64 answeredSentNs = -1; // when the last answered probe was sent
    };
    Carrier &carrier(int index) { return m_carriers[index]; }
    QString carrierAddress(int index) const { return m_carriers.value(index).address; }
    bool carrierObservable(int index) const;
    void noteDelivery(Node &node, int carrier, qint64 nowNs);
    // Whether the node's carrier answered a probe sent once the node's silence was suspicious;
    // sends one if none is out.
    bool carrierVouches(Node &node, qint64 nowNs);
    void reportSuspect(Node &node, qint64 nowNs, qint64 wallMs);

    DetectorSettings m_settings;
    EventSink m_sink;
    ServiceSink m_serviceSink;
    QSet<QByteArray> m_groupedNodes;
    ProbeRequest m_probe;
    QHash<QByteArray, Node *> m_nodes;
    std::vector<std::unique_ptr<Node>> m_storage;
    QHash<QByteArray, ChannelStats> m_malformed;
    QHash<int, Carrier> m_carriers;
    QList<BeatSample> m_samples;
    QList<NodeTransition> m_transitions;
    qint64 m_malformedTotal = 0;
    qint64 m_duplicates = 0;
    qint64 m_beats = 0;
    bool m_quiet = false;
    int m_maxNodes = kMaxNodes;
    qint64 m_refusedNodes = 0;
    qint64 m_refusedUnreported = 0;
    qint64 m_lastCapReportNs = -1;
    qint64 m_lastSweepNs = -1;
};

} // namespace vigil
