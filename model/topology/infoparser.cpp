// INFO parser.
#include "infoparser.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <type_traits>
#include <unordered_map>

namespace vigil {

namespace {

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

// What a snapshot takes from one INFO line: each field it reads has a rule, found by the line's
// name in one hash lookup. Of a name given twice the last counts.
using Rule = void (*)(InfoSnapshot &, QByteArrayView);

template<auto Member>
void setText(InfoSnapshot &s, QByteArrayView v)
{
    s.*Member = QString::fromUtf8(v);
}

// A number; -1 (unknown) when the value is not one.
template<auto Member>
void setNumber(InfoSnapshot &s, QByteArrayView v)
{
    bool ok = false;
    const qint64 n = v.toLongLong(&ok);
    using T = std::remove_reference_t<decltype(s.*Member)>;
    s.*Member = ok ? T(n) : T(-1);
}

template<auto Member>
void setFlag(InfoSnapshot &s, QByteArrayView v)
{
    s.*Member = v == "1";
}

template<auto Member>
void setPort(InfoSnapshot &s, QByteArrayView v)
{
    s.*Member = parsePort(QString::fromLatin1(v));
}

const std::unordered_map<std::string_view, Rule> &rules()
{
    using S = InfoSnapshot;
    static const std::unordered_map<std::string_view, Rule> table{
        {"redis_version", setText<&S::version>},
        {"run_id", setText<&S::runId>},
        {"redis_mode", setText<&S::mode>},
        {"uptime_in_seconds", setNumber<&S::uptimeSeconds>},
        {"tcp_port", setPort<&S::tcpPort>},
        {"role", [](S &s, QByteArrayView v) { s.role = v == "master" ? S::Role::Master
                                                  : v == "slave"     ? S::Role::Replica
                                                                     : S::Role::Unknown; }},
        {"master_replid", setText<&S::replId>},
        {"master_replid2", setText<&S::replId2>},
        {"master_repl_offset", setNumber<&S::masterReplOffset>},
        {"second_repl_offset", setNumber<&S::secondReplOffset>},
        {"connected_slaves", setNumber<&S::connectedReplicas>},
        {"master_failover_state", setText<&S::failoverState>},
        {"repl_backlog_active", setFlag<&S::backlogActive>},
        {"repl_backlog_size", setNumber<&S::backlogSize>},
        {"repl_backlog_first_byte_offset", setNumber<&S::backlogFirstByteOffset>},
        {"repl_backlog_histlen", setNumber<&S::backlogHistlen>},
        {"master_host", setText<&S::masterHost>},
        {"master_port", setPort<&S::masterPort>},
        {"master_link_status", setText<&S::linkStatus>},
        {"master_last_io_seconds_ago", setNumber<&S::lastIoSecondsAgo>},
        {"master_sync_in_progress", setFlag<&S::syncInProgress>},
        {"slave_repl_offset", setNumber<&S::replicaOffset>},
        {"slave_read_repl_offset", setNumber<&S::replicaReadOffset>},
        // Redis 7 writes both names; the older one counts.
        {"slave_priority", setNumber<&S::replicaPriority>},
        {"replica_priority",
         [](S &s, QByteArrayView v) {
             if (s.replicaPriority < 0)
                 setNumber<&S::replicaPriority>(s, v);
         }},
        {"slave_read_only", [](S &s, QByteArrayView v) { s.replicaReadOnly = s.replicaReadOnly || v == "1"; }},
        {"replica_read_only", [](S &s, QByteArrayView v) { s.replicaReadOnly = s.replicaReadOnly || v == "1"; }},
        {"master_link_down_since_seconds", setNumber<&S::linkDownSinceSeconds>},
        {"loading", setFlag<&S::loading>},
        {"rdb_changes_since_last_save", setNumber<&S::changesSinceSave>},
        {"rdb_bgsave_in_progress", setFlag<&S::bgsaveInProgress>},
        {"rdb_last_save_time", setNumber<&S::lastSaveTime>},
        {"rdb_last_bgsave_status", setText<&S::lastBgsaveStatus>},
        {"rdb_last_bgsave_time_sec", setNumber<&S::lastBgsaveTimeSec>},
        {"rdb_current_bgsave_time_sec", setNumber<&S::currentBgsaveTimeSec>},
        {"rdb_saves", setNumber<&S::rdbSaves>},
        {"current_save_keys_processed", setNumber<&S::saveKeysProcessed>},
        {"current_save_keys_total", setNumber<&S::saveKeysTotal>},
        {"aof_enabled", setFlag<&S::aofEnabled>},
        {"aof_rewrite_in_progress", setFlag<&S::aofRewriteInProgress>},
        {"aof_rewrite_scheduled", setFlag<&S::aofRewriteScheduled>},
        {"aof_last_bgrewrite_status", setText<&S::aofLastRewriteStatus>},
        {"aof_last_write_status", setText<&S::aofLastWriteStatus>},
        {"connected_clients", setNumber<&S::connectedClients>},
        {"used_memory", setNumber<&S::usedMemory>},
        {"maxmemory", setNumber<&S::maxMemory>},
        {"sync_full", setNumber<&S::syncFull>},
        {"sync_partial_ok", setNumber<&S::syncPartialOk>},
        {"latest_fork_usec", setNumber<&S::latestForkUs>},
        {"instantaneous_ops_per_sec",
         [](S &s, QByteArrayView v) {
             bool ok = false;
             const double ops = v.toDouble(&ok);
             s.opsPerSec = ok ? ops : -1;
         }},
    };
    return table;
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
    const auto &table = rules();
    QList<QPair<int, ReplicaEntry>> replicas;
    forEachField(reply, [&](QByteArrayView key, QByteArrayView value) {
        // slaveN lines of a master (not slave_repl_offset and friends).
        if (key.startsWith("slave") && key.size() > 5 && std::isdigit(static_cast<unsigned char>(key.at(5)))) {
            bool ok = false;
            const int index = key.sliced(5).toInt(&ok);
            ReplicaEntry entry;
            if (ok && parseReplicaEntry(QString::fromUtf8(value), &entry))
                replicas.append({index, entry});
        } else if (const auto rule = table.find(std::string_view(key.data(), size_t(key.size()))); rule != table.end()) {
            rule->second(s, value);
        }
    });
    std::sort(replicas.begin(), replicas.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    for (const auto &r : replicas)
        s.replicas << r.second;
    return s;
}

} // namespace vigil
