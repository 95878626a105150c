// Heartbeat latency history in bounded memory: raw samples for the recent window, then
// min / mean / max buckets, and each node's down periods. Lives with the views.
#pragma once

#include "tracker.h"

#include <QHash>
#include <QStringList>

#include <deque>

namespace vigil {

struct LatencyPoint
{
    qint64 ms = 0;  // Unix time in milliseconds
    float mean = 0; // latency in milliseconds; a raw sample has min == mean == max
    float min = 0;
    float max = 0;
};

struct DownPeriod
{
    qint64 startMs = 0;
    qint64 endMs = -1;                 // -1 while it lasts
    NodeState state = NodeState::Down; // Down or Unknown
    bool flapping = false;             // a flapping episode rather than an outage
};

class LatencyHistory
{
public:
    struct Limits
    {
        qint64 rawWindowMs = 15 * 60 * 1000; // raw samples this recent
        int rawMaxSamples = 20'000;          // and at most this many per node
        qint64 bucketMs = 60 * 1000;         // older samples in buckets of this width
        qint64 keepMs = 48LL * 3600 * 1000;  // nothing older than this
        int maxDownPeriods = 1000;           // per node
        qint64 mergeGapMs = 1000;            // periods closer than this become one
    };

    LatencyHistory();
    explicit LatencyHistory(Limits limits);

    void add(const QList<BeatSample> &samples);
    void addTransitions(const QList<NodeTransition> &transitions);

    QStringList nodes() const { return m_order; }
    // The node's position in nodes() (first seen, first), -1 for an unknown node.
    int indexOf(const QString &node) const;
    // Whether anything about the node can be drawn (latency points or down periods).
    bool hasData(const QString &node) const;
    // Points in [fromMs, toMs], oldest first: buckets where raw samples have been aged out.
    QList<LatencyPoint> series(const QString &node, qint64 fromMs, qint64 toMs) const;
    QList<DownPeriod> downPeriods(const QString &node, qint64 fromMs, qint64 toMs) const;
    qint64 firstMs() const { return m_firstMs; }
    qint64 lastMs() const { return m_lastMs; }

    // Bytes held by samples, buckets and periods (not counting container overheads below 5%).
    qint64 memoryBytes() const;
    qint64 rawCount() const;
    qint64 bucketCount() const;

private:
    struct Raw
    {
        qint64 ms;
        float latencyMs;
    };
    struct Bucket
    {
        qint64 startMs;
        float min;
        float max;
        double sum;
        qint32 count;
    };
    struct Node
    {
        std::deque<Raw> raw;
        std::deque<Bucket> buckets;
        std::deque<DownPeriod> down;
        int order = 0; // position in m_order
    };

    Node &nodeFor(const QString &name);
    void age(Node &node, qint64 nowMs);

    Limits m_limits;
    QHash<QString, Node> m_nodes;
    QStringList m_order;
    qint64 m_firstMs = 0;
    qint64 m_lastMs = 0;
};

} // namespace vigil
