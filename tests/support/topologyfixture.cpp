// Topologies as plain data.
#include "topologyfixture.h"

#include "topology/infoparser.h"

#include <QJsonArray>

namespace vigil::test {

namespace {

QByteArray lines(const QJsonValue &value)
{
    QByteArray text;
    for (const QJsonValue &line : value.toArray())
        text += line.toString().toUtf8() + "\r\n";
    return text;
}

SentinelInstance instance(const QString &address, const QString &name)
{
    SentinelInstance i;
    splitHostPort(address, &i.ip, &i.port);
    i.name = name.isEmpty() ? address : name;
    return i;
}

} // namespace

bool loadTopology(const QJsonObject &json, TopologyFixture *out, QString *error)
{
    for (const QJsonValue &v : json.value(QStringLiteral("servers")).toArray()) {
        const QJsonObject o = v.toObject();
        TargetStatus s;
        s.address = o.value(QStringLiteral("address")).toString();
        if (s.address.isEmpty()) {
            *error = QStringLiteral("a server without an address");
            return false;
        }
        s.display = s.address;
        s.connected = o.value(QStringLiteral("connected")).toBool(true);
        s.lastError = o.value(QStringLiteral("error")).toString();
        for (const QJsonValue &a : o.value(QStringLiteral("aliases")).toArray())
            s.aliases << a.toString();
        if (o.contains(QStringLiteral("info"))) {
            auto info = std::make_shared<InfoSnapshot>(parseInfo(lines(o.value(QStringLiteral("info")))));
            s.role = roleName(info->role);
            s.replOffset = info->isReplica() ? info->replicaOffset : info->masterReplOffset;
            s.info = std::move(info);
        }
        out->servers << s;
    }
    for (const QJsonValue &v : json.value(QStringLiteral("sentinels")).toArray()) {
        const QJsonObject o = v.toObject();
        TargetStatus s;
        s.kind = TargetStatus::Kind::Sentinel;
        s.address = o.value(QStringLiteral("address")).toString();
        s.display = s.address;
        s.connected = o.value(QStringLiteral("connected")).toBool(true);
        s.lastError = o.value(QStringLiteral("error")).toString();
        s.role = QStringLiteral("sentinel");
        for (const QJsonValue &g : o.value(QStringLiteral("groups")).toArray()) {
            const QJsonObject group = g.toObject();
            SentinelView view;
            view.sentinel = s.address;
            view.master = instance(group.value(QStringLiteral("master")).toString(), group.value(QStringLiteral("name")).toString());
            for (const QJsonValue &f : group.value(QStringLiteral("flags")).toArray({QStringLiteral("master")}))
                view.master.flags << f.toString();
            view.master.failoverState = group.value(QStringLiteral("failover_state")).toString();
            if (group.contains(QStringLiteral("down_after_ms")))
                view.master.fields.insert(QStringLiteral("down-after-milliseconds"),
                                          QString::number(group.value(QStringLiteral("down_after_ms")).toInteger()));
            if (group.contains(QStringLiteral("failover_timeout_ms")))
                view.master.fields.insert(QStringLiteral("failover-timeout"),
                                          QString::number(group.value(QStringLiteral("failover_timeout_ms")).toInteger()));
            for (const QJsonValue &r : group.value(QStringLiteral("replicas")).toArray())
                view.replicas << instance(r.toString(), {});
            for (const QJsonValue &other : group.value(QStringLiteral("sentinels")).toArray())
                view.sentinels << instance(other.toString(), {});
            s.sentinelViews << view;
        }
        out->servers << s;
    }
    if (json.contains(QStringLiteral("cluster"))) {
        const QJsonObject o = json.value(QStringLiteral("cluster")).toObject();
        ClusterView view;
        view.observer = o.value(QStringLiteral("observer")).toString();
        view.state = o.value(QStringLiteral("state")).toString(QStringLiteral("ok"));
        QByteArray text;
        for (const QJsonValue &line : o.value(QStringLiteral("nodes")).toArray())
            text += line.toString().toUtf8() + '\n';
        view.nodes = parseClusterNodes(text);
        if (view.nodes.isEmpty()) {
            *error = QStringLiteral("a cluster without nodes");
            return false;
        }
        out->cluster = view;
    }
    if (out->servers.isEmpty()) {
        *error = QStringLiteral("no servers");
        return false;
    }
    return true;
}

} // namespace vigil::test
