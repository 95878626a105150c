// INFO parser.
#include "infoparser.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace vigil {

namespace {

using Field = std::pair<QByteArrayView, QByteArrayView>;

// Calls `f(key, value)` for each `key:value` line of `text`, LF or CRLF; section headers, blank
// and malformed lines are skipped.
template<typename F>
void forEachField(QByteArrayView text, F f)
{
    while (!text.isEmpty()) {
        qsizetype eol = text.indexOf('\n');
        if (eol < 0)
            eol = text.size();
        QByteArrayView line = text.first(eol);
        text = text.sliced(std::min(eol + 1, text.size()));
        while (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            f(line.first(colon), line.sliced(colon + 1));
    }
}

// The fields of one reply sorted by name, to be looked up without building a string per line.
class Fields
{
public:
    explicit Fields(QByteArrayView text)
    {
        forEachField(text, [this](QByteArrayView key, QByteArrayView value) { m_fields.emplace_back(key, value); });
        // Stable: of a name given twice the first counts.
        std::stable_sort(m_fields.begin(), m_fields.end(), [](const Field &a, const Field &b) { return a.first < b.first; });
    }

    const std::vector<Field> &all() const { return m_fields; }

    const QByteArrayView *find(const char *key) const
    {
        const QByteArrayView k(key);
        const auto it = std::lower_bound(m_fields.begin(), m_fields.end(), k, [](const Field &a, QByteArrayView b) { return a.first < b; });
        return it != m_fields.end() && it->first == k ? &it->second : nullptr;
    }

    qint64 number(const char *key, qint64 missing = -1) const
    {
        const QByteArrayView *v = find(key);
        bool ok = false;
        const qint64 n = v ? v->toLongLong(&ok) : 0;
        return ok ? n : missing;
    }

    bool flag(const char *key) const
    {
        const QByteArrayView *v = find(key);
        return v && *v == "1";
    }

    QString text(const char *key) const
    {
        const QByteArrayView *v = find(key);
        return v ? QString::fromUtf8(*v) : QString();
    }

private:
    std::vector<Field> m_fields;
};

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
    forEachField(reply, [&fields](QByteArrayView key, QByteArrayView value) { fields.insert(QString::fromUtf8(key), QString::fromUtf8(value)); });
    return fields;
}

QList<std::pair<QString, QString>> InfoSnapshot::fieldList() const
{
    QList<std::pair<QString, QString>> list;
    forEachField(raw, [&list](QByteArrayView key, QByteArrayView value) { list.emplace_back(QString::fromUtf8(key), QString::fromUtf8(value)); });
    return list;
}

InfoSnapshot parseInfo(const QByteArray &reply)
{
    InfoSnapshot s;
    s.raw = reply;
    const Fields f(reply);
    QList<QPair<int, ReplicaEntry>> replicas;
    for (const auto &[key, value] : f.all()) {
        // slaveN lines of a master (not slave_repl_offset and friends).
        if (key.startsWith("slave") && key.size() > 5 && std::isdigit(static_cast<unsigned char>(key.at(5)))) {
            bool ok = false;
            const int index = key.sliced(5).toInt(&ok);
            ReplicaEntry entry;
            if (ok && parseReplicaEntry(QString::fromUtf8(value), &entry))
                replicas.append({index, entry});
        }
    }
    std::sort(replicas.begin(), replicas.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    for (const auto &r : replicas)
        s.replicas << r.second;

    s.version = f.text("redis_version");
    s.runId = f.text("run_id");
    s.mode = f.text("redis_mode");
    s.uptimeSeconds = f.number("uptime_in_seconds");
    s.tcpPort = parsePort(f.text("tcp_port"));

    const QString role = f.text("role");
    s.role = role == QLatin1String("master") ? InfoSnapshot::Role::Master
        : role == QLatin1String("slave")     ? InfoSnapshot::Role::Replica
                                             : InfoSnapshot::Role::Unknown;
    s.replId = f.text("master_replid");
    s.replId2 = f.text("master_replid2");
    s.masterReplOffset = f.number("master_repl_offset");
    s.secondReplOffset = f.number("second_repl_offset");
    s.connectedReplicas = int(f.number("connected_slaves"));
    s.failoverState = f.text("master_failover_state");
    s.backlogActive = f.flag("repl_backlog_active");
    s.backlogSize = f.number("repl_backlog_size");
    s.backlogFirstByteOffset = f.number("repl_backlog_first_byte_offset");
    s.backlogHistlen = f.number("repl_backlog_histlen");

    s.masterHost = f.text("master_host");
    s.masterPort = parsePort(f.text("master_port"));
    s.linkStatus = f.text("master_link_status");
    s.lastIoSecondsAgo = f.number("master_last_io_seconds_ago");
    s.syncInProgress = f.flag("master_sync_in_progress");
    s.replicaOffset = f.number("slave_repl_offset");
    s.replicaReadOffset = f.number("slave_read_repl_offset");
    s.replicaPriority = int(f.number("slave_priority", f.number("replica_priority")));
    s.replicaReadOnly = f.flag("slave_read_only") || f.flag("replica_read_only");
    s.linkDownSinceSeconds = f.number("master_link_down_since_seconds");

    s.loading = f.flag("loading");
    s.changesSinceSave = f.number("rdb_changes_since_last_save");
    s.bgsaveInProgress = f.flag("rdb_bgsave_in_progress");
    s.lastSaveTime = f.number("rdb_last_save_time");
    s.lastBgsaveStatus = f.text("rdb_last_bgsave_status");
    s.lastBgsaveTimeSec = f.number("rdb_last_bgsave_time_sec");
    s.currentBgsaveTimeSec = f.number("rdb_current_bgsave_time_sec");
    s.rdbSaves = f.number("rdb_saves");
    s.saveKeysProcessed = f.number("current_save_keys_processed");
    s.saveKeysTotal = f.number("current_save_keys_total");
    s.aofEnabled = f.flag("aof_enabled");
    s.aofRewriteInProgress = f.flag("aof_rewrite_in_progress");
    s.aofRewriteScheduled = f.flag("aof_rewrite_scheduled");
    s.aofLastRewriteStatus = f.text("aof_last_bgrewrite_status");
    s.aofLastWriteStatus = f.text("aof_last_write_status");

    s.connectedClients = f.number("connected_clients");
    s.usedMemory = f.number("used_memory");
    s.maxMemory = f.number("maxmemory");
    s.syncFull = f.number("sync_full");
    s.syncPartialOk = f.number("sync_partial_ok");
    s.latestForkUs = f.number("latest_fork_usec");
    if (const QByteArrayView *ops = f.find("instantaneous_ops_per_sec")) {
        bool ok = false;
        const double v = ops->toDouble(&ok);
        s.opsPerSec = ok ? v : -1;
    }
    return s;
}

} // namespace vigil
