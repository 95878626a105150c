// Heartbeat latency history in bounded memory.
#include "latencyhistory.h"

#include <algorithm>

namespace vigil {

LatencyHistory::LatencyHistory()
    : LatencyHistory(Limits{})
{
}

LatencyHistory::LatencyHistory(Limits limits)
    : m_limits(limits)
{
}

LatencyHistory::Node &LatencyHistory::nodeFor(const QString &name)
{
    auto it = m_nodes.find(name);
    if (it == m_nodes.end()) {
        it = m_nodes.insert(name, Node{});
        it->order = int(m_order.size());
        m_order << name;
    }
    return it.value();
}

int LatencyHistory::indexOf(const QString &node) const
{
    const auto it = m_nodes.constFind(node);
    return it == m_nodes.constEnd() ? -1 : it->order;
}

void LatencyHistory::add(const QList<BeatSample> &samples)
{
    for (const BeatSample &s : samples) {
        Node &node = nodeFor(s.node);
        if (m_firstMs == 0 || s.wallMs < m_firstMs)
            m_firstMs = s.wallMs;
        m_lastMs = std::max(m_lastMs, s.wallMs);
        if (s.latencyUs < 0)
            continue; // plain beats carry no send time
        node.raw.push_back({s.wallMs, float(double(s.latencyUs) / 1000.0)});
        if (int(node.raw.size()) > m_limits.rawMaxSamples || s.wallMs - node.raw.front().ms > m_limits.rawWindowMs)
            age(node, s.wallMs);
    }
}

void LatencyHistory::age(Node &node, qint64 nowMs)
{
    const qint64 rawFrom = nowMs - m_limits.rawWindowMs;
    while (!node.raw.empty() && (node.raw.front().ms < rawFrom || int(node.raw.size()) > m_limits.rawMaxSamples)) {
        const Raw r = node.raw.front();
        node.raw.pop_front();
        const qint64 start = r.ms - (r.ms % m_limits.bucketMs);
        if (node.buckets.empty() || node.buckets.back().startMs != start) {
            node.buckets.push_back({start, r.latencyMs, r.latencyMs, 0.0, 0});
        }
        Bucket &b = node.buckets.back();
        b.min = std::min(b.min, r.latencyMs);
        b.max = std::max(b.max, r.latencyMs);
        b.sum += double(r.latencyMs);
        ++b.count;
    }
    const qint64 keepFrom = nowMs - m_limits.keepMs;
    while (!node.buckets.empty() && node.buckets.front().startMs < keepFrom)
        node.buckets.pop_front();
    while (!node.down.empty() && node.down.front().endMs >= 0 && node.down.front().endMs < keepFrom)
        node.down.pop_front();
}

void LatencyHistory::addTransitions(const QList<NodeTransition> &transitions)
{
    for (const NodeTransition &t : transitions) {
        auto &down = nodeFor(t.node).down;
        const bool open = !down.empty() && down.back().endMs < 0;
        const bool bad = t.state == NodeState::Down || t.state == NodeState::Unknown;
        auto start = [&](NodeState state, bool flapping) {
            // A period that starts right after the previous one ended continues it.
            if (!down.empty() && down.back().endMs >= 0 && t.wallMs - down.back().endMs < m_limits.mergeGapMs && down.back().state == state
                && down.back().flapping == flapping) {
                down.back().endMs = -1;
                return;
            }
            down.push_back({t.wallMs, -1, state, flapping});
            if (int(down.size()) > m_limits.maxDownPeriods)
                down.pop_front();
        };
        if (t.flapping) {
            if (open)
                down.back().endMs = t.wallMs;
            if (t.state == NodeState::Down)
                start(NodeState::Down, true);
        } else if (bad && !open) {
            start(t.state, false);
        } else if (bad && open && down.back().state != t.state) {
            down.back().endMs = t.wallMs;
            start(t.state, false);
        } else if (!bad && open && t.state == NodeState::Up) {
            down.back().endMs = t.wallMs;
        }
    }
}

QList<LatencyPoint> LatencyHistory::series(const QString &node, qint64 fromMs, qint64 toMs) const
{
    QList<LatencyPoint> points;
    const auto it = m_nodes.constFind(node);
    if (it == m_nodes.constEnd())
        return points;
    const Node &n = it.value();
    const auto firstBucket =
        std::lower_bound(n.buckets.begin(), n.buckets.end(), fromMs - m_limits.bucketMs, [](const Bucket &b, qint64 ms) { return b.startMs < ms; });
    for (auto b = firstBucket; b != n.buckets.end() && b->startMs <= toMs; ++b) {
        if (b->startMs + m_limits.bucketMs < fromMs || b->count == 0)
            continue;
        points.append({b->startMs + m_limits.bucketMs / 2, float(b->sum / b->count), b->min, b->max});
    }
    const auto firstRaw = std::lower_bound(n.raw.begin(), n.raw.end(), fromMs, [](const Raw &r, qint64 ms) { return r.ms < ms; });
    for (auto r = firstRaw; r != n.raw.end() && r->ms <= toMs; ++r)
        points.append({r->ms, r->latencyMs, r->latencyMs, r->latencyMs});
    return points;
}

QList<DownPeriod> LatencyHistory::downPeriods(const QString &node, qint64 fromMs, qint64 toMs) const
{
    QList<DownPeriod> periods;
    const auto it = m_nodes.constFind(node);
    if (it == m_nodes.constEnd())
        return periods;
    for (const DownPeriod &p : it.value().down)
        if (p.startMs <= toMs && (p.endMs < 0 || p.endMs >= fromMs))
            periods << p;
    return periods;
}

bool LatencyHistory::hasData(const QString &node) const
{
    const auto it = m_nodes.constFind(node);
    return it != m_nodes.constEnd() && (!it->raw.empty() || !it->buckets.empty() || !it->down.empty());
}

qint64 LatencyHistory::rawCount() const
{
    qint64 n = 0;
    for (const Node &node : m_nodes)
        n += qint64(node.raw.size());
    return n;
}

qint64 LatencyHistory::bucketCount() const
{
    qint64 n = 0;
    for (const Node &node : m_nodes)
        n += qint64(node.buckets.size());
    return n;
}

qint64 LatencyHistory::memoryBytes() const
{
    qint64 bytes = 0;
    for (const Node &node : m_nodes)
        bytes += qint64(node.raw.size() * sizeof(Raw) + node.buckets.size() * sizeof(Bucket) + node.down.size() * sizeof(DownPeriod) + sizeof(Node));
    return bytes;
}

} // namespace vigil
