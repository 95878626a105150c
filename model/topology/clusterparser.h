// CLUSTER NODES and CLUSTER INFO parsed into typed values, and the events between two views of a
// cluster: nodes failing and recovering, joining and leaving, slots moving, the cluster's state.
#pragma once

#include "journal/event.h"
#include "redis/uri.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace vigil {

struct ClusterNode
{
    QString id;
    QString ip;
    quint16 port = 0;
    quint16 busPort = 0;
    QString hostname;  // 7.0 announces it after a comma, when set
    QStringList flags; // myself, master, slave, fail?, fail, handshake, noaddr, nofailover
    QString masterId;  // for replicas; empty for primaries
    qint64 configEpoch = -1;
    bool linkConnected = false;
    QList<QPair<int, int>> slots; // inclusive ranges (importing/migrating markers are left out)

    QString address() const { return formatHostPort(ip, port); }
    bool hasFlag(const char *flag) const { return flags.contains(QLatin1String(flag)); }
    bool isPrimary() const { return hasFlag("master"); }
    bool isReplica() const { return hasFlag("slave"); }
    bool failed() const { return hasFlag("fail"); }
    bool suspected() const { return hasFlag("fail?"); }
    int slotCount() const;
    // "0-5460" or "0-100,200"; "-" without slots.
    QString slotText() const;
};

// Parses CLUSTER NODES text; malformed lines are skipped.
QList<ClusterNode> parseClusterNodes(const QByteArray &text);
// CLUSTER INFO uses the INFO line format: read it with parseInfoFields (infoparser.h).

struct ClusterView
{
    QString state; // ok, fail; empty when unknown
    int knownNodes = -1;
    int slotsAssigned = -1;
    qint64 currentEpoch = -1;
    QList<ClusterNode> nodes;
    QString observer; // "host:port" of the node that answered

    const ClusterNode *node(const QString &id) const;
};

// Events between two views (null before the first), stamped `nowMs`, with source the observer.
QList<Event> compareClusterViews(const ClusterView *previous, const ClusterView &current, qint64 nowMs);

} // namespace vigil
