// Sentinel replies and events.
#include "sentinelparser.h"

#include <tuple>

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>

namespace vigil {

namespace {

qint64 number(const QHash<QString, QString> &fields, const char *key)
{
    bool ok = false;
    const qint64 v = fields.value(QLatin1String(key)).toLongLong(&ok);
    return ok ? v : -1;
}

} // namespace

namespace {

constexpr char kSentinelPrefix[] = "sentinel ";

} // namespace

QString sentinelNodeName(const QString &address)
{
    return QLatin1String(kSentinelPrefix) + address;
}

bool isSentinelNodeName(const QString &name)
{
    return name.startsWith(QLatin1String(kSentinelPrefix));
}

QString nodeAddress(const QString &name)
{
    return isSentinelNodeName(name) ? name.mid(int(qstrlen(kSentinelPrefix))) : name;
}

QHash<QString, QString> parseFieldArray(const Reply &reply)
{
    QHash<QString, QString> fields;
    if (!reply.isArray())
        return fields;
    for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
        const Reply &k = reply.elements[i];
        const Reply &v = reply.elements[i + 1];
        if (!k.isString())
            continue;
        fields.insert(k.text(), v.isInteger() ? QString::number(v.integer) : v.text());
    }
    return fields;
}

bool parseSentinelInstance(const Reply &reply, SentinelInstance *out)
{
    const QHash<QString, QString> f = parseFieldArray(reply);
    const quint16 port = parsePort(f.value(QStringLiteral("port")));
    if (f.value(QStringLiteral("ip")).isEmpty() || port == 0)
        return false;
    SentinelInstance s;
    s.name = f.value(QStringLiteral("name"));
    s.ip = f.value(QStringLiteral("ip"));
    s.port = port;
    s.runId = f.value(QStringLiteral("runid"));
    s.flags = f.value(QStringLiteral("flags")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    s.lastOkPingReplyMs = number(f, "last-ok-ping-reply");
    s.quorum = int(number(f, "quorum"));
    s.configEpoch = number(f, "config-epoch");
    s.numReplicas = int(number(f, "num-slaves"));
    s.numOtherSentinels = int(number(f, "num-other-sentinels"));
    s.failoverState = f.value(QStringLiteral("failover-state"));
    s.masterLinkStatus = f.value(QStringLiteral("master-link-status"));
    s.replicaPriority = int(number(f, "slave-priority"));
    s.replicaReplOffset = number(f, "slave-repl-offset");
    s.masterHost = f.value(QStringLiteral("master-host"));
    s.masterPort = parsePort(f.value(QStringLiteral("master-port")));
    s.fields = f;
    *out = std::move(s);
    return true;
}

QList<SentinelInstance> parseSentinelInstances(const Reply &reply)
{
    QList<SentinelInstance> list;
    if (!reply.isArray())
        return list;
    for (const Reply &entry : reply.elements) {
        SentinelInstance s;
        if (parseSentinelInstance(entry, &s))
            list << s;
    }
    return list;
}

SentinelEvent parseSentinelEvent(const QByteArray &channel, const QByteArray &payload)
{
    SentinelEvent e;
    e.type = QString::fromUtf8(channel);
    e.payload = QString::fromUtf8(payload).trimmed();
    const QStringList words = e.payload.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (e.type == QLatin1String("+switch-master")) {
        if (words.size() >= 5) {
            e.masterName = words[0];
            e.oldAddress = formatHostPort(words[1], parsePort(words[2]));
            e.newAddress = formatHostPort(words[3], parsePort(words[4]));
            e.masterIp = words[3];
            e.masterPort = parsePort(words[4]);
        }
        return e;
    }
    // %@ = "<type> <name> <ip> <port>" [" @ <master-name> <master-ip> <master-port>"] [extra]
    static const QStringList instanceTypes{QStringLiteral("master"), QStringLiteral("slave"), QStringLiteral("sentinel")};
    if (words.size() < 4 || !instanceTypes.contains(words[0]) || parsePort(words[3]) == 0)
        return e;
    e.instanceType = words[0];
    e.instanceName = words[1];
    e.ip = words[2];
    e.port = parsePort(words[3]);
    qsizetype next = 4;
    if (e.instanceType == QLatin1String("master")) {
        e.masterName = e.instanceName;
        e.masterIp = e.ip;
        e.masterPort = e.port;
    } else if (words.size() >= 8 && words[4] == QLatin1String("@")) {
        e.masterName = words[5];
        e.masterIp = words[6];
        e.masterPort = parsePort(words[7]);
        next = 8;
    }
    e.extra = words.mid(next).join(QLatin1Char(' '));
    return e;
}

QJsonObject SentinelEvent::data() const
{
    QJsonObject o{{QStringLiteral("event"), type}, {QStringLiteral("payload"), payload}};
    if (!masterName.isEmpty())
        o.insert(QStringLiteral("master_name"), masterName);
    if (!oldAddress.isEmpty()) {
        o.insert(QStringLiteral("old_master"), oldAddress);
        o.insert(QStringLiteral("new_master"), newAddress);
        return o;
    }
    if (instanceType.isEmpty())
        return o;
    o.insert(QStringLiteral("instance_type"), instanceType);
    o.insert(QStringLiteral("instance"), instanceAddress());
    if (instanceType != QLatin1String("master") && masterPort != 0)
        o.insert(QStringLiteral("master"), formatHostPort(masterIp, masterPort));
    if (!extra.isEmpty()) {
        o.insert(QStringLiteral("extra"), extra);
        // "#quorum 2/2" on +odown
        const QStringList parts = extra.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        const qsizetype q = parts.indexOf(QStringLiteral("#quorum"));
        if (q >= 0 && q + 1 < parts.size())
            o.insert(QStringLiteral("quorum"), parts[q + 1]);
    }
    return o;
}

QString SentinelEvent::describe() const
{
    if (!oldAddress.isEmpty())
        return QStringLiteral("%1 %2: master %3 -> %4").arg(type, masterName, oldAddress, newAddress);
    if (instanceType.isEmpty())
        return payload.isEmpty() ? type : type + QLatin1Char(' ') + payload;
    QString text = QStringLiteral("%1 %2 %3").arg(type, instanceType, instanceAddress());
    if (!masterName.isEmpty())
        text += QStringLiteral(" (%1)").arg(masterName);
    if (!extra.isEmpty())
        text += QLatin1Char(' ') + extra;
    return text;
}

Severity SentinelEvent::severity() const
{
    if (type == QLatin1String("+odown") || (type == QLatin1String("+sdown") && instanceType == QLatin1String("master"))
        || type == QLatin1String("+switch-master") || type == QLatin1String("-failover-abort-no-good-slave"))
        return type == QLatin1String("+sdown") ? Severity::Warning : Severity::Critical;
    if (type == QLatin1String("+sdown") || type == QLatin1String("+tilt") || type.startsWith(QLatin1String("-failover-abort"))
        || type == QLatin1String("-script-error") || type == QLatin1String("+failover-end-for-timeout"))
        return Severity::Warning;
    return Severity::Info;
}

bool SentinelEventMerger::add(const QString &sentinel, const QByteArray &channel, const QByteArray &payload, qint64 nowMs)
{
    SentinelEvent event = parseSentinelEvent(channel, payload);
    // The same event about the same instance; what follows the instance differs between sentinels
    // (each counts the quorum it saw, e.g. "#quorum 2/2" and "#quorum 3/2").
    const QString key = event.type + QLatin1Char('\n')
        + (event.instanceType.isEmpty()
               ? event.payload
               : QStringList{event.instanceType, event.instanceName, event.instanceAddress(), event.masterName}.join(QLatin1Char(' ')));
    auto it = m_open.find(key);
    if (it != m_open.end()) {
        it->second.sightings.append({sentinel, nowMs, event.extra});
        return false;
    }
    Group g;
    g.firstMs = nowMs;
    g.order = m_next++;
    g.sightings.append({sentinel, nowMs, event.extra});
    g.event = std::move(event);
    m_open.emplace(key, std::move(g));
    return true;
}

qint64 SentinelEventMerger::nextDeadline() const
{
    qint64 deadline = -1;
    for (const auto &[key, g] : m_open)
        if (deadline < 0 || g.firstMs + m_windowMs < deadline)
            deadline = g.firstMs + m_windowMs;
    return deadline;
}

QList<Event> SentinelEventMerger::flush(qint64 nowMs)
{
    std::vector<Group> closed;
    for (auto it = m_open.begin(); it != m_open.end();) {
        if (nowMs == std::numeric_limits<qint64>::max() || it->second.firstMs + m_windowMs <= nowMs) {
            closed.push_back(std::move(it->second));
            it = m_open.erase(it);
        } else {
            ++it;
        }
    }
    // Events of the same millisecond keep the order they were first published in.
    std::sort(closed.begin(), closed.end(),
              [](const Group &a, const Group &b) { return std::tie(a.firstMs, a.order) < std::tie(b.firstMs, b.order); });
    QList<Event> events;
    for (const Group &g : closed) {
        QJsonObject data = g.event.data();
        QJsonArray sightings;
        for (const Sighting &s : g.sightings) {
            QJsonObject o{{QStringLiteral("sentinel"), s.sentinel},
                          {QStringLiteral("time"), formatTime(QDateTime::fromMSecsSinceEpoch(s.timeMs, Qt::UTC))}};
            if (s.extra != g.event.extra)
                o.insert(QStringLiteral("extra"), s.extra);
            sightings.append(o);
        }
        data.insert(QStringLiteral("sentinels"), sightings);
        Event e = Event::make(QStringLiteral("sentinel.") + g.event.type, g.event.severity(), sentinelNodeName(g.sightings.first().sentinel),
                              g.event.describe(), data);
        e.time = QDateTime::fromMSecsSinceEpoch(g.firstMs, Qt::UTC);
        events << e;
    }
    return events;
}

} // namespace vigil
