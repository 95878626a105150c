// INFO replies parsed into typed snapshots: server, replication, persistence, clients, memory.
// Field sets differ between Redis 5, 6.2 and 7.0; a field a version lacks stays at its "unknown"
// value (-1, empty) rather than a made-up default.
#pragma once

#include "redis/uri.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <utility>

namespace vigil {

// One `slaveN:ip=..,port=..,state=..,offset=..,lag=..` line of a master.
struct ReplicaEntry
{
    QString ip;
    quint16 port = 0;
    QString state;      // online, wait_bgsave, send_bulk...
    qint64 offset = -1; // the offset the replica last ACKed
    qint64 lag = -1;    // whole seconds since that ACK

    QString address() const { return formatHostPort(ip, port); }
};

struct InfoSnapshot
{
    enum class Role { Unknown, Master, Replica };

    // Server
    QString version;
    QString runId;
    QString mode; // standalone, sentinel, cluster
    qint64 uptimeSeconds = -1;
    quint16 tcpPort = 0;

    // Replication, both roles
    Role role = Role::Unknown;
    QString replId;
    QString replId2;
    qint64 masterReplOffset = -1;
    qint64 secondReplOffset = -1;
    int connectedReplicas = -1;
    QList<ReplicaEntry> replicas;
    QString failoverState; // 6.2+: no-failover, waiting-for-sync, failover-in-progress
    bool backlogActive = false;
    qint64 backlogSize = -1;
    qint64 backlogFirstByteOffset = -1;
    qint64 backlogHistlen = -1;

    // Replication, replica side
    QString masterHost;
    quint16 masterPort = 0;
    QString linkStatus;           // up, down
    qint64 lastIoSecondsAgo = -1; // -1 with no link
    bool syncInProgress = false;
    qint64 replicaOffset = -1;     // slave_repl_offset
    qint64 replicaReadOffset = -1; // slave_read_repl_offset, 6.2.6+
    int replicaPriority = -1;
    bool replicaReadOnly = false;
    qint64 linkDownSinceSeconds = -1; // only while down

    // Persistence
    bool loading = false;
    qint64 changesSinceSave = -1;
    bool bgsaveInProgress = false;
    qint64 lastSaveTime = -1; // Unix seconds; the start time when never saved (see neverSaved)
    QString lastBgsaveStatus; // ok, err
    qint64 lastBgsaveTimeSec = -1;
    qint64 currentBgsaveTimeSec = -1;
    qint64 rdbSaves = -1;          // 7.0+
    qint64 saveKeysProcessed = -1; // 6.2+
    qint64 saveKeysTotal = -1;
    bool aofEnabled = false;
    bool aofRewriteInProgress = false;
    bool aofRewriteScheduled = false;
    QString aofLastRewriteStatus;
    QString aofLastWriteStatus;

    // Clients, memory, stats
    qint64 connectedClients = -1;
    qint64 usedMemory = -1;
    qint64 maxMemory = -1;
    qint64 syncFull = -1;
    qint64 syncPartialOk = -1;
    double opsPerSec = -1;    // instantaneous_ops_per_sec
    qint64 latestForkUs = -1; // latest_fork_usec

    // The reply text itself; every field in it, for the details view, from fieldList().
    QByteArray raw;
    // Asked in one INFO command, the server refused it: it takes one section per command.
    bool combinedRefused = false;

    // Each `key:value` line of `raw` in the order the server sent them.
    QList<std::pair<QString, QString>> fieldList() const;

    bool isMaster() const { return role == Role::Master; }
    // "host:port" of a replica's master; empty for a master.
    QString masterAddress() const { return isReplica() ? formatHostPort(masterHost, masterPort) : QString(); }
    bool isReplica() const { return role == Role::Replica; }
    // Nothing was ever saved. At start-up Redis sets its last save time to the start ("consider
    // the DB saved"), so the time alone cannot tell: 7.0 counts saves (rdb_saves), older versions
    // leave rdb_last_bgsave_time_sec at -1. False when the reply had no persistence section.
    bool neverSaved() const
    {
        if (lastSaveTime < 0)
            return false;
        return rdbSaves >= 0 ? rdbSaves == 0 : lastBgsaveTimeSec < 0;
    }
    // Bytes a replica is behind, for a master's replica entry.
    qint64 byteLag(const ReplicaEntry &replica) const
    {
        return masterReplOffset >= 0 && replica.offset >= 0 ? masterReplOffset - replica.offset : -1;
    }
};

QString roleName(InfoSnapshot::Role role);

// The `key:value` lines of an INFO-shaped reply (INFO, CLUSTER INFO), LF or CRLF; section
// headers, blank and malformed lines are skipped.
QHash<QString, QString> parseInfoFields(const QByteArray &text);

// Parses the text of INFO (any sections, LF or CRLF line ends) into a snapshot whose `raw` is the
// text. Unknown lines are left in `raw` only; malformed lines are skipped.
InfoSnapshot parseInfo(const QByteArray &text);

// Parses one `slaveN` value: "ip=127.0.0.1,port=6380,state=online,offset=93,lag=0".
bool parseReplicaEntry(const QString &value, ReplicaEntry *out);

} // namespace vigil
