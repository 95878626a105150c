// INFO parser.
#include "infoparser.h"

#include <algorithm>

namespace vigil {

namespace {

qint64 number(const QHash<QString, QString> &f, const char *key, qint64 missing = -1)
{
    const auto it = f.constFind(QLatin1String(key));
    if (it == f.constEnd())
        return missing;
    bool ok = false;
    const qint64 v = it.value().toLongLong(&ok);
    return ok ? v : missing;
}

bool flag(const QHash<QString, QString> &f, const char *key)
{
    return f.value(QLatin1String(key)) == QLatin1String("1");
}

QString text(const QHash<QString, QString> &f, const char *key)
{
    return f.value(QLatin1String(key));
}

} // namespace

QString roleName(InfoSnapshot::Role role)
{
    switch (role) {
    case InfoSnapshot::Role::Master: return QStringLiteral("master");
    case InfoSnapshot::Role::Replica: return QStringLiteral("replica");
    case InfoSnapshot::Role::Unknown: break;
    }
    return QStringLiteral("unknown");
}

bool parseReplicaEntry(const QString &value, ReplicaEntry *out)
{
    ReplicaEntry e;
    bool havePort = false;
    for (const QString &pair : value.split(QLatin1Char(','))) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        if (eq <= 0)
            continue;
        const QString key = pair.left(eq);
        const QString v = pair.mid(eq + 1);
        if (key == QLatin1String("ip")) {
            e.ip = v;
        } else if (key == QLatin1String("port")) {
            e.port = parsePort(v);
            havePort = e.port != 0;
        } else if (key == QLatin1String("state")) {
            e.state = v;
        } else if (key == QLatin1String("offset")) {
            e.offset = v.toLongLong();
        } else if (key == QLatin1String("lag")) {
            e.lag = v.toLongLong();
        }
    }
    if (e.ip.isEmpty() || !havePort)
        return false;
    *out = e;
    return true;
}

QHash<QString, QString> parseInfoFields(const QByteArray &reply)
{
    QHash<QString, QString> fields;
    for (QByteArray line : reply.split('\n')) {
        while (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        fields.insert(QString::fromUtf8(line.left(colon)), QString::fromUtf8(line.mid(colon + 1)));
    }
    return fields;
}

InfoSnapshot parseInfo(const QByteArray &reply)
{
    InfoSnapshot s;
    s.fields = parseInfoFields(reply);
    const QHash<QString, QString> &f = s.fields;
    QList<QPair<int, ReplicaEntry>> replicas;
    for (auto it = f.cbegin(); it != f.cend(); ++it) {
        const QString &key = it.key();
        // slaveN lines of a master (not slave_repl_offset and friends).
        if (key.startsWith(QLatin1String("slave")) && key.size() > 5 && key.at(5).isDigit()) {
            bool ok = false;
            const int index = key.mid(5).toInt(&ok);
            ReplicaEntry entry;
            if (ok && parseReplicaEntry(it.value(), &entry))
                replicas.append({index, entry});
        }
    }
    std::sort(replicas.begin(), replicas.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    for (const auto &r : replicas)
        s.replicas << r.second;

    s.version = text(f, "redis_version");
    s.runId = text(f, "run_id");
    s.mode = text(f, "redis_mode");
    s.uptimeSeconds = number(f, "uptime_in_seconds");
    s.tcpPort = parsePort(text(f, "tcp_port"));

    const QString role = text(f, "role");
    s.role = role == QLatin1String("master") ? InfoSnapshot::Role::Master
        : role == QLatin1String("slave")     ? InfoSnapshot::Role::Replica
                                             : InfoSnapshot::Role::Unknown;
    s.replId = text(f, "master_replid");
    s.replId2 = text(f, "master_replid2");
    s.masterReplOffset = number(f, "master_repl_offset");
    s.secondReplOffset = number(f, "second_repl_offset");
    s.connectedReplicas = int(number(f, "connected_slaves"));
    s.failoverState = text(f, "master_failover_state");
    s.backlogActive = flag(f, "repl_backlog_active");
    s.backlogSize = number(f, "repl_backlog_size");
    s.backlogFirstByteOffset = number(f, "repl_backlog_first_byte_offset");
    s.backlogHistlen = number(f, "repl_backlog_histlen");

    s.masterHost = text(f, "master_host");
    s.masterPort = parsePort(text(f, "master_port"));
    s.linkStatus = text(f, "master_link_status");
    s.lastIoSecondsAgo = number(f, "master_last_io_seconds_ago");
    s.syncInProgress = flag(f, "master_sync_in_progress");
    s.replicaOffset = number(f, "slave_repl_offset");
    s.replicaReadOffset = number(f, "slave_read_repl_offset");
    s.replicaPriority = int(number(f, "slave_priority", number(f, "replica_priority")));
    s.replicaReadOnly = flag(f, "slave_read_only") || flag(f, "replica_read_only");
    s.linkDownSinceSeconds = number(f, "master_link_down_since_seconds");

    s.loading = flag(f, "loading");
    s.changesSinceSave = number(f, "rdb_changes_since_last_save");
    s.bgsaveInProgress = flag(f, "rdb_bgsave_in_progress");
    s.lastSaveTime = number(f, "rdb_last_save_time");
    s.lastBgsaveStatus = text(f, "rdb_last_bgsave_status");
    s.lastBgsaveTimeSec = number(f, "rdb_last_bgsave_time_sec");
    s.currentBgsaveTimeSec = number(f, "rdb_current_bgsave_time_sec");
    s.rdbSaves = number(f, "rdb_saves");
    s.saveKeysProcessed = number(f, "current_save_keys_processed");
    s.saveKeysTotal = number(f, "current_save_keys_total");
    s.aofEnabled = flag(f, "aof_enabled");
    s.aofRewriteInProgress = flag(f, "aof_rewrite_in_progress");
    s.aofRewriteScheduled = flag(f, "aof_rewrite_scheduled");
    s.aofLastRewriteStatus = text(f, "aof_last_bgrewrite_status");
    s.aofLastWriteStatus = text(f, "aof_last_write_status");

    s.connectedClients = number(f, "connected_clients");
    s.usedMemory = number(f, "used_memory");
    s.maxMemory = number(f, "maxmemory");
    s.syncFull = number(f, "sync_full");
    s.syncPartialOk = number(f, "sync_partial_ok");
    return s;
}

} // namespace vigil
