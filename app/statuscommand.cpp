// `vigil status`: discovers the topology from the given targets, polls it once and prints it as a
// table or as JSON.
#include "commandline.h"

#include "actions/recovery.h"
#include "console.h"

#include "journal/event.h"
#include "monitor/topologygraph.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <cstdio>

namespace vigil {

namespace {

QJsonValue orNull(qint64 v)
{
    return v >= 0 ? QJsonValue(v) : QJsonValue();
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

QJsonObject nodeJson(const GraphNode &n)
{
    QJsonObject o;
    o.insert(QStringLiteral("address"), n.status.address);
    o.insert(QStringLiteral("reachable"), n.reachable());
    o.insert(QStringLiteral("discovered"), n.status.discovered);
    if (!n.status.via.isEmpty())
        o.insert(QStringLiteral("via"), n.status.via);
    if (!n.reachable()) {
        o.insert(QStringLiteral("error"), n.status.lastError);
        o.insert(QStringLiteral("auth_failed"), n.status.authFailed);
    }
    if (n.staleMaster) {
        // Says it is master (or did, last time it answered) while its group's master is another.
        o.insert(QStringLiteral("stale_master"), true);
        o.insert(QStringLiteral("stale_reason"), n.staleBecause);
        o.insert(QStringLiteral("split_brain"), n.splitBrain);
    }
    const InfoSnapshot *s = n.reachable() ? n.info() : nullptr;
    if (!s) {
        for (const char *key : {"role", "master", "repl_offset", "lag_bytes", "lag_seconds", "link_status", "last_save_time", "changes_since_save",
                                "bgsave_in_progress", "last_bgsave_status", "aof_enabled", "version"})
            o.insert(QLatin1String(key), QJsonValue());
        return o;
    }
    o.insert(QStringLiteral("role"), roleName(s->role));
    o.insert(QStringLiteral("master"), s->isReplica() ? QJsonValue(n.master) : QJsonValue());
    o.insert(QStringLiteral("repl_offset"), orNull(s->isReplica() ? s->replicaOffset : s->masterReplOffset));
    o.insert(QStringLiteral("lag_bytes"), s->isReplica() ? orNull(n.lagBytes) : QJsonValue(0));
    o.insert(QStringLiteral("lag_seconds"), s->isReplica() ? orNull(n.lagSeconds) : QJsonValue(0));
    o.insert(QStringLiteral("link_status"), s->isReplica() ? textOrNull(s->linkStatus) : QJsonValue());
    o.insert(QStringLiteral("last_save_time"),
             s->lastSaveTime < 0 || s->neverSaved() ? QJsonValue() : QJsonValue(formatTime(QDateTime::fromSecsSinceEpoch(s->lastSaveTime, Qt::UTC))));
    o.insert(QStringLiteral("changes_since_save"), orNull(s->changesSinceSave));
    o.insert(QStringLiteral("bgsave_in_progress"), s->bgsaveInProgress);
    o.insert(QStringLiteral("last_bgsave_status"), textOrNull(s->lastBgsaveStatus));
    o.insert(QStringLiteral("aof_enabled"), s->aofEnabled);
    o.insert(QStringLiteral("version"), s->version);
    o.insert(QStringLiteral("uptime_seconds"), orNull(s->uptimeSeconds));
    o.insert(QStringLiteral("connected_clients"), orNull(s->connectedClients));
    o.insert(QStringLiteral("used_memory"), orNull(s->usedMemory));
    if (!n.clusterId.isEmpty())
        o.insert(QStringLiteral("cluster"),
                 QJsonObject{{QStringLiteral("id"), n.clusterId},
                             {QStringLiteral("role"), n.clusterRole},
                             {QStringLiteral("slots"), textOrNull(n.slots)},
                             {QStringLiteral("flags"), QJsonArray::fromStringList(n.clusterFlags)}});
    return o;
}

QJsonObject sentinelJson(const TargetStatus &s)
{
    QJsonObject o{{QStringLiteral("address"), s.address}, {QStringLiteral("reachable"), s.connected}, {QStringLiteral("discovered"), s.discovered}};
    if (!s.connected)
        o.insert(QStringLiteral("error"), s.lastError);
    QJsonArray masters;
    for (const SentinelView &v : s.sentinelViews) {
        const SentinelInstance &m = v.master;
        masters.append(QJsonObject{{QStringLiteral("name"), m.name},
                                   {QStringLiteral("address"), m.address()},
                                   {QStringLiteral("flags"), QJsonArray::fromStringList(m.flags)},
                                   {QStringLiteral("s_down"), m.subjectivelyDown()},
                                   {QStringLiteral("o_down"), m.objectivelyDown()},
                                   {QStringLiteral("quorum"), m.quorum},
                                   {QStringLiteral("config_epoch"), m.configEpoch},
                                   {QStringLiteral("replicas"), int(v.replicas.size())},
                                   {QStringLiteral("other_sentinels"), int(v.sentinels.size())},
                                   {QStringLiteral("failover_state"), textOrNull(m.failoverState)}});
    }
    o.insert(QStringLiteral("masters"), masters);
    return o;
}

QJsonObject clusterJson(const ClusterView &c)
{
    QJsonArray shards;
    QList<const ClusterNode *> primaries;
    for (const ClusterNode &n : c.nodes)
        if (n.isPrimary())
            primaries << &n;
    std::sort(primaries.begin(), primaries.end(), [](const ClusterNode *a, const ClusterNode *b) {
        const int sa = a->slots.isEmpty() ? 1 << 20 : a->slots.first().first;
        const int sb = b->slots.isEmpty() ? 1 << 20 : b->slots.first().first;
        return sa < sb;
    });
    for (const ClusterNode *p : primaries) {
        QJsonArray replicas;
        for (const ClusterNode &n : c.nodes)
            if (n.masterId == p->id)
                replicas.append(n.address());
        shards.append(QJsonObject{{QStringLiteral("primary"), p->address()},
                                  {QStringLiteral("slots"), p->slotText()},
                                  {QStringLiteral("slot_count"), p->slotCount()},
                                  {QStringLiteral("failed"), p->failed()},
                                  {QStringLiteral("replicas"), replicas}});
    }
    return {{QStringLiteral("state"), textOrNull(c.state)},    {QStringLiteral("observer"), c.observer},
            {QStringLiteral("known_nodes"), c.knownNodes},     {QStringLiteral("slots_assigned"), c.slotsAssigned},
            {QStringLiteral("current_epoch"), c.currentEpoch}, {QStringLiteral("shards"), shards}};
}

QString cell(const QJsonValue &v)
{
    if (v.isNull() || v.isUndefined())
        return QStringLiteral("-");
    if (v.isBool())
        return v.toBool() ? QStringLiteral("yes") : QStringLiteral("no");
    if (v.isDouble())
        return QString::number(v.toInteger());
    return v.toString();
}

// One line of text output, with what a server sent made safe for a terminal (line breaks kept).
void printLine(const QString &text)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString &line : lines)
        line = escapeControl(line);
    std::printf("%s\n", lines.join(QLatin1Char('\n')).toUtf8().constData());
}

void printTable(const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const QStringList &row : rows)
        for (qsizetype i = 0; i < row.size(); ++i) {
            if (widths.size() <= i)
                widths << 0;
            widths[i] = std::max(widths[i], row[i].size());
        }
    for (const QStringList &row : rows) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i)
            line += row[i].leftJustified(widths[i] + 2);
        while (line.endsWith(QLatin1Char(' ')))
            line.chop(1);
        printLine(line);
    }
}

void printText(const TopologyGraph &graph, const QJsonArray &nodes, const ClusterView *cluster)
{
    const QStringList columns{QStringLiteral("address"),
                              QStringLiteral("role"),
                              QStringLiteral("master"),
                              QStringLiteral("repl_offset"),
                              QStringLiteral("lag_bytes"),
                              QStringLiteral("lag_seconds"),
                              QStringLiteral("link_status"),
                              QStringLiteral("last_save_time"),
                              QStringLiteral("changes_since_save"),
                              QStringLiteral("bgsave_in_progress"),
                              QStringLiteral("aof_enabled"),
                              QStringLiteral("version")};
    QList<QStringList> rows{{QStringLiteral("ADDRESS"), QStringLiteral("ROLE"), QStringLiteral("MASTER"), QStringLiteral("OFFSET"),
                             QStringLiteral("LAG B"), QStringLiteral("LAG S"), QStringLiteral("LINK"), QStringLiteral("LAST SAVE"),
                             QStringLiteral("CHANGES"), QStringLiteral("BGSAVE"), QStringLiteral("AOF"), QStringLiteral("VERSION")}};
    for (qsizetype i = 0; i < nodes.size(); ++i) {
        const QJsonObject o = nodes[i].toObject();
        const GraphNode &n = graph.servers.at(i);
        QStringList row;
        for (const QString &c : columns) {
            QString text = cell(o.value(c));
            if (c == QLatin1String("address"))
                text = QString(n.depth * 2, QLatin1Char(' ')) + text;
            if (c == QLatin1String("last_save_time") && n.reachable() && n.info() && o.value(c).isNull())
                text = QStringLiteral("never");
            if (c == QLatin1String("role") && !n.reachable())
                text = n.status.authFailed ? QStringLiteral("auth failed") : QStringLiteral("unreachable");
            if (c == QLatin1String("role") && n.splitBrain)
                text = QStringLiteral("STALE MASTER");
            if (c == QLatin1String("role") && !n.clusterRole.isEmpty())
                text += QStringLiteral(" (cluster %1%2)").arg(n.clusterRole, n.slots.isEmpty() ? QString() : QLatin1Char(' ') + n.slots);
            row << text;
        }
        rows << row;
    }
    printTable(rows);
    for (const GraphNode *b : graph.splitBrains())
        printLine(QStringLiteral("\nSPLIT BRAIN: %1 says it is master, but %2; it accepts writes from %3 client(s), which its "
                                 "resync will discard")
                      .arg(b->status.address, b->staleBecause)
                      .arg(b->info() ? b->info()->connectedClients : -1));
    for (const QStringList &cycle : graph.cycles)
        printLine(QStringLiteral("\nREPLICATION CYCLE: %1; none of them is a master, so none takes writes")
                      .arg((cycle + QStringList{cycle.first()}).join(QStringLiteral(" -> "))));
    if (cluster)
        printLine(QStringLiteral("\ncluster state %1, %2 nodes known, %3 slots assigned (as %4 sees it)")
                      .arg(cluster->state)
                      .arg(cluster->knownNodes)
                      .arg(cluster->slotsAssigned)
                      .arg(cluster->observer));
    if (!graph.sentinels.isEmpty()) {
        QList<QStringList> sentinelRows{{QStringLiteral("SENTINEL"), QStringLiteral("MASTER GROUP"), QStringLiteral("MASTER"),
                                         QStringLiteral("STATE"), QStringLiteral("QUORUM"), QStringLiteral("EPOCH"), QStringLiteral("REPLICAS"),
                                         QStringLiteral("SENTINELS")}};
        for (const TargetStatus &s : graph.sentinels) {
            if (!s.connected) {
                sentinelRows << QStringList{s.address, QStringLiteral("-"), QStringLiteral("-"), QStringLiteral("unreachable")};
                continue;
            }
            for (const SentinelView &v : s.sentinelViews) {
                const QString state = v.master.objectivelyDown() ? QStringLiteral("odown")
                    : v.master.subjectivelyDown()                ? QStringLiteral("sdown")
                                                                 : QStringLiteral("ok");
                sentinelRows << QStringList{s.address,
                                            v.master.name,
                                            v.master.address(),
                                            state + (v.master.failoverState.isEmpty() ? QString() : QStringLiteral(", ") + v.master.failoverState),
                                            QString::number(v.master.quorum),
                                            QString::number(v.master.configEpoch),
                                            QString::number(v.replicas.size()),
                                            QString::number(v.sentinels.size() + 1)};
            }
        }
        printLine({});
        printTable(sentinelRows);
    }
}

} // namespace

int runStatus(const QStringList &args)
{
    QCommandLineParser parser;
    addProfileOption(parser);
    addConnectionOptions(parser);
    addDiscoveryOptions(parser);
    addJournalOption(parser);
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show help.")});
    parseOrThrow(parser, args, QStringLiteral("status"));
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(fullHelpText().toLocal8Bit().constData(), stdout);
        return ExitOk;
    }
    Targets targets = requireTargets(parser, QStringLiteral("status"));
    // One look: no reconnects.
    for (QList<ConnectionOptions> *list : {&targets.servers, &targets.sentinels})
        for (ConnectionOptions &o : *list)
            o.autoReconnect = false;

    Monitor monitor(nullptr);
    // What the look could not show by itself: nodes left out of a reply too large to follow, and
    // errors the servers sent. Said once each on stderr.
    QStringList notes;
    QObject::connect(&monitor, &Monitor::eventRaised, &monitor, [&notes](const Event &e) {
        if (e.kind == QLatin1String("monitor.discovery_capped") || e.kind == QLatin1String("redis.error"))
            if (!notes.contains(e.message))
                notes << e.message;
    });
    discoverTopology(monitor, targets);

    const QList<TargetStatus> nodes = monitor.status();
    const TopologyGraph graph = buildTopologyGraph(nodes, monitor.clusterView());
    monitor.stop();

    for (const QString &note : std::as_const(notes))
        std::fprintf(stderr, "vigil: %s\n", escapeControl(note).toUtf8().constData());
    // A promotion Vigil never ended, on servers this status shows.
    for (const Event &e : unfinishedActionEvents(journalPathFrom(parser)))
        if (graph.node(e.data.value(QStringLiteral("master")).toString()) || graph.node(e.data.value(QStringLiteral("candidate")).toString()))
            std::fprintf(stderr, "vigil: %s\n", escapeControl(e.message).toUtf8().constData());
    QJsonArray array;
    for (const GraphNode &n : graph.servers)
        array.append(nodeJson(n));
    bool seedsReachable = true;
    for (const TargetStatus &n : nodes) {
        if (n.discovered)
            continue;
        // A seed that answered nothing usable (INFO refused, or not text) fails the status too.
        const bool unpolled = n.connected && n.kind == TargetStatus::Kind::Server && !n.info;
        if (n.connected && !unpolled)
            continue;
        seedsReachable = false;
        const QString state = unpolled ? QStringLiteral("not polled") : n.authFailed ? QStringLiteral("auth failed") : QStringLiteral("unreachable");
        std::fprintf(stderr, "vigil: %s\n", escapeControl(QStringLiteral("%1 %2: %3").arg(n.address, state, n.lastError)).toUtf8().constData());
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject root{{QStringLiteral("time"), formatTime(QDateTime::currentDateTimeUtc())}, {QStringLiteral("nodes"), array}};
        QJsonArray brains;
        for (const GraphNode *b : graph.splitBrains())
            brains.append(QJsonObject{{QStringLiteral("stale_master"), b->status.address},
                                      {QStringLiteral("master"), b->master},
                                      {QStringLiteral("reason"), b->staleBecause},
                                      {QStringLiteral("clients"), orNull(b->info() ? b->info()->connectedClients : -1)}});
        root.insert(QStringLiteral("split_brains"), brains);
        QJsonArray cycles;
        for (const QStringList &cycle : graph.cycles)
            cycles.append(QJsonArray::fromStringList(cycle));
        root.insert(QStringLiteral("replication_cycles"), cycles);
        if (!graph.sentinels.isEmpty()) {
            QJsonArray sentinels;
            for (const TargetStatus &s : graph.sentinels)
                sentinels.append(sentinelJson(s));
            root.insert(QStringLiteral("sentinels"), sentinels);
        }
        if (const ClusterView *c = monitor.clusterView())
            root.insert(QStringLiteral("cluster"), clusterJson(*c));
        std::fputs(QJsonDocument(root).toJson(QJsonDocument::Indented).constData(), stdout);
    } else {
        printText(graph, array, monitor.clusterView());
    }
    return seedsReachable ? ExitOk : ExitFailure;
}

} // namespace vigil
