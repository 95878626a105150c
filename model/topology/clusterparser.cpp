// CLUSTER NODES / CLUSTER INFO and cluster events.
#include "clusterparser.h"

#include <QDateTime>
#include <QJsonArray>

namespace vigil {

int ClusterNode::slotCount() const
{
    int n = 0;
    for (const auto &r : slots)
        n += r.second - r.first + 1;
    return n;
}

QString ClusterNode::slotText() const
{
    QStringList parts;
    for (const auto &r : slots)
        parts << (r.first == r.second ? QString::number(r.first) : QStringLiteral("%1-%2").arg(r.first).arg(r.second));
    return parts.isEmpty() ? QStringLiteral("-") : parts.join(QLatin1Char(','));
}

QList<ClusterNode> parseClusterNodes(const QByteArray &text)
{
    QList<ClusterNode> nodes;
    for (const QByteArray &rawLine : text.split('\n')) {
        const QByteArray line = rawLine.trimmed();
        if (line.isEmpty())
            continue;
        const QList<QByteArray> f = line.split(' ');
        if (f.size() < 8)
            continue;
        ClusterNode n;
        n.id = QString::fromLatin1(f[0]);
        // ip:port@cport[,hostname]
        QByteArray addr = f[1];
        const qsizetype comma = addr.indexOf(',');
        if (comma >= 0) {
            n.hostname = QString::fromUtf8(addr.mid(comma + 1));
            addr.truncate(comma);
        }
        const qsizetype at = addr.indexOf('@');
        if (at >= 0) {
            n.busPort = quint16(addr.mid(at + 1).toUInt());
            addr.truncate(at);
        }
        const qsizetype colon = addr.lastIndexOf(':');
        if (colon < 0 || n.id.size() != 40)
            continue;
        n.ip = QString::fromLatin1(addr.left(colon));
        bool ok = false;
        const uint port = addr.mid(colon + 1).toUInt(&ok);
        if (!ok || port > 65535)
            continue;
        n.port = quint16(port);
        n.flags = QString::fromLatin1(f[2]).split(QLatin1Char(','), Qt::SkipEmptyParts);
        n.flags.removeAll(QStringLiteral("noflags"));
        if (f[3] != "-")
            n.masterId = QString::fromLatin1(f[3]);
        n.configEpoch = f[6].toLongLong(&ok);
        if (!ok)
            n.configEpoch = -1;
        n.linkConnected = f[7] == "connected";
        for (qsizetype i = 8; i < f.size(); ++i) {
            const QByteArray &s = f[i];
            if (s.startsWith('['))
                continue; // [slot->-id] migrating, [slot-<-id] importing
            const qsizetype dash = s.indexOf('-');
            bool okA = false, okB = false;
            const int a = (dash < 0 ? s : s.left(dash)).toInt(&okA);
            const int b = dash < 0 ? a : s.mid(dash + 1).toInt(&okB);
            if (okA && (dash < 0 || okB) && a >= 0 && b >= a && b < 16384)
                n.slots.append({a, b});
        }
        nodes << n;
    }
    return nodes;
}

const ClusterNode *ClusterView::node(const QString &id) const
{
    for (const ClusterNode &n : nodes)
        if (n.id == id)
            return &n;
    return nullptr;
}

QList<Event> compareClusterViews(const ClusterView *previous, const ClusterView &cur, qint64 nowMs)
{
    QList<Event> events;
    auto raise = [&](const QString &kind, Severity severity, const QString &message, const QJsonObject &data) {
        Event e = Event::make(kind, severity, cur.observer, message, data);
        e.time = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC);
        events << e;
    };
    if (!previous) {
        if (cur.state == QLatin1String("fail"))
            raise(QStringLiteral("cluster.state_changed"), Severity::Critical, QStringLiteral("cluster state is fail"),
                  {{QStringLiteral("from"), QJsonValue()}, {QStringLiteral("to"), cur.state}});
        for (const ClusterNode &n : cur.nodes)
            if (n.failed())
                raise(QStringLiteral("cluster.node_failed"), Severity::Critical, QStringLiteral("cluster node %1 is marked failed").arg(n.address()),
                      {{QStringLiteral("node"), n.address()}, {QStringLiteral("id"), n.id}});
        return events;
    }
    const ClusterView &prev = *previous;
    if (!prev.state.isEmpty() && !cur.state.isEmpty() && prev.state != cur.state)
        raise(QStringLiteral("cluster.state_changed"), cur.state == QLatin1String("ok") ? Severity::Info : Severity::Critical,
              QStringLiteral("cluster state %1 -> %2").arg(prev.state, cur.state),
              {{QStringLiteral("from"), prev.state}, {QStringLiteral("to"), cur.state}});
    for (const ClusterNode &n : cur.nodes) {
        const ClusterNode *p = prev.node(n.id);
        const QJsonObject who{{QStringLiteral("node"), n.address()}, {QStringLiteral("id"), n.id}};
        if (!p) {
            raise(QStringLiteral("cluster.node_added"), Severity::Info, QStringLiteral("node %1 joined the cluster").arg(n.address()), who);
            continue;
        }
        if (!p->failed() && n.failed())
            raise(QStringLiteral("cluster.node_failed"), Severity::Critical, QStringLiteral("cluster node %1 is marked failed").arg(n.address()),
                  who);
        else if (p->failed() && !n.failed())
            raise(QStringLiteral("cluster.node_recovered"), Severity::Info, QStringLiteral("cluster node %1 is no longer failed").arg(n.address()),
                  who);
        if (p->isPrimary() != n.isPrimary() && (n.isPrimary() || n.isReplica())) {
            QJsonObject data = who;
            data.insert(QStringLiteral("from"), p->isPrimary() ? QStringLiteral("primary") : QStringLiteral("replica"));
            data.insert(QStringLiteral("to"), n.isPrimary() ? QStringLiteral("primary") : QStringLiteral("replica"));
            raise(QStringLiteral("cluster.role_changed"), Severity::Warning,
                  QStringLiteral("cluster node %1 is now a %2").arg(n.address(), data.value(QStringLiteral("to")).toString()), data);
        }
        if (p->slots != n.slots && (p->isPrimary() || n.isPrimary())) {
            QJsonObject data = who;
            data.insert(QStringLiteral("from"), p->slotText());
            data.insert(QStringLiteral("to"), n.slotText());
            data.insert(QStringLiteral("slots"), n.slotCount());
            raise(QStringLiteral("cluster.slots_changed"), Severity::Info,
                  QStringLiteral("node %1 serves %2 slots (was %3)").arg(n.address()).arg(n.slotCount()).arg(p->slotCount()), data);
        }
    }
    for (const ClusterNode &p : prev.nodes)
        if (!cur.node(p.id))
            raise(QStringLiteral("cluster.node_removed"), Severity::Warning, QStringLiteral("node %1 left the cluster").arg(p.address()),
                  {{QStringLiteral("node"), p.address()}, {QStringLiteral("id"), p.id}});
    return events;
}

} // namespace vigil
