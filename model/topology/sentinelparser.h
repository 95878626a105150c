// Sentinel replies and Sentinel's pub/sub events parsed into typed values, and the merger that
// turns the same event seen by several sentinels into one journal event.
#pragma once

#include "journal/event.h"
#include "redis/reply.h"
#include "redis/uri.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <limits>
#include <map>

namespace vigil {

// Where servers go by "host:port" (event sources, plan steps, diagram cards), a sentinel goes by
// "sentinel host:port".
QString sentinelNodeName(const QString &address);
bool isSentinelNodeName(const QString &name);
// The "host:port" in either kind of name.
QString nodeAddress(const QString &name);

// One instance as a sentinel describes it: a master (SENTINEL MASTER(S)), a replica (SENTINEL
// REPLICAS) or another sentinel (SENTINEL SENTINELS). Fields a reply lacks stay -1 or empty.
struct SentinelInstance
{
    QString name; // master name, or "ip:port" for replicas and sentinels
    QString ip;
    quint16 port = 0;
    QString runId;
    QStringList flags; // master, slave, sentinel, s_down, o_down, disconnected, ...
    qint64 lastOkPingReplyMs = -1;
    // Masters
    int quorum = -1;
    qint64 configEpoch = -1;
    int numReplicas = -1;
    int numOtherSentinels = -1;
    QString failoverState; // empty when no failover runs
    // Replicas
    QString masterLinkStatus; // ok, err
    int replicaPriority = -1;
    qint64 replicaReplOffset = -1;
    QString masterHost; // the master the replica reports
    quint16 masterPort = 0;
    // Every field as sent.
    QHash<QString, QString> fields;

    QString address() const { return formatHostPort(ip, port); }
    bool hasFlag(const char *flag) const { return flags.contains(QLatin1String(flag)); }
    bool subjectivelyDown() const { return hasFlag("s_down"); }
    bool objectivelyDown() const { return hasFlag("o_down"); }
};

// A flat field/value array (the shape of every SENTINEL MASTER/REPLICAS/SENTINELS entry).
QHash<QString, QString> parseFieldArray(const Reply &reply);
// One entry; returns false when the reply is not a field/value array with an ip and a port.
bool parseSentinelInstance(const Reply &reply, SentinelInstance *out);
// An array of entries (SENTINEL MASTERS, REPLICAS, SENTINELS); malformed entries are skipped.
QList<SentinelInstance> parseSentinelInstances(const Reply &reply);

// What one sentinel says about one master group.
struct SentinelView
{
    QString sentinel; // "host:port" of the sentinel asked
    SentinelInstance master;
    QList<SentinelInstance> replicas;
    QList<SentinelInstance> sentinels; // the other sentinels it knows
};

// One message from a sentinel's event channels, e.g. channel "+sdown", payload
// "master demo 127.0.0.1 6379" or "slave 127.0.0.1:6380 127.0.0.1 6380 @ demo 127.0.0.1 6379".
struct SentinelEvent
{
    QString type; // the channel: "+sdown", "+switch-master", ...
    QString payload;
    QString instanceType; // master, slave, sentinel; empty when the payload has another shape
    QString instanceName;
    QString ip;
    quint16 port = 0;
    QString masterName; // the group: the instance's own name for masters, else after "@"
    QString masterIp;
    quint16 masterPort = 0;
    QString extra; // the rest, e.g. "#quorum 2/2"
    // +switch-master: "<name> <old-ip> <old-port> <new-ip> <new-port>"
    QString oldAddress;
    QString newAddress;

    QString instanceAddress() const { return ip + QLatin1Char(':') + QString::number(port); }
    QJsonObject data() const;
    QString describe() const; // a one-line message
    Severity severity() const;
};

SentinelEvent parseSentinelEvent(const QByteArray &channel, const QByteArray &payload);

// The same event (type and instance, or type and payload when it names no instance) arriving from several sentinels within `windowMs` of the first
// becomes one journal event `sentinel.<type>`, stamped with the earliest arrival, its source that
// sentinel, and every reporting sentinel listed in data.sentinels.
class SentinelEventMerger
{
public:
    explicit SentinelEventMerger(qint64 windowMs = 2500)
        : m_windowMs(windowMs)
    {
    }

    // Returns true when this is the first sighting (a new group was opened).
    bool add(const QString &sentinel, const QByteArray &channel, const QByteArray &payload, qint64 nowMs);
    // Events whose window has closed by `nowMs`, oldest first.
    QList<Event> flush(qint64 nowMs);
    // Everything still open, regardless of the window (at shutdown).
    QList<Event> flushAll() { return flush(std::numeric_limits<qint64>::max()); }
    // When the earliest open group closes; -1 when none is open.
    qint64 nextDeadline() const;
    qint64 windowMs() const { return m_windowMs; }

private:
    struct Sighting
    {
        QString sentinel;
        qint64 timeMs;
        QString extra; // what this sentinel added after the instance ("#quorum 3/2")
    };
    struct Group
    {
        SentinelEvent event;
        qint64 firstMs = 0;
        quint64 order = 0; // arrival order of the first sighting
        QList<Sighting> sightings;
    };
    qint64 m_windowMs;
    std::map<QString, Group> m_open; // key: type + '\n' + instance (or payload)
    quint64 m_next = 0;
};

} // namespace vigil
