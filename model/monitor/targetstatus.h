// What the monitor knows of one target, a server or a sentinel: its connection, its last INFO and,
// for a sentinel, the groups it watches. Plain data: the topology graph, the planner and the views
// read it without the monitor.
#pragma once

#include "topology/infoparser.h"
#include "topology/sentinelparser.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace vigil {

struct TargetStatus
{
    enum class Kind { Server, Sentinel };

    QString address; // journal source: "host:port" or socket path
    QString display; // URI without password
    QString name;    // optional label
    Kind kind = Kind::Server;
    bool discovered = false; // found through another node rather than given
    QString via;             // the node it was found through
    QStringList aliases;     // other addresses that turned out to be this server (same run id)
    bool connected = false;
    // When the server closed a working connection whose immediate reconnect is not decided yet
    // (-1 otherwise): a reconnect if it succeeds within a poll period, else the start of an outage.
    qint64 closedAtMs = -1;
    bool authFailed = false;
    QString lastError; // why it is not connected, if it is not
    qint64 roundTripUs = -1;
    QString role; // master, replica, sentinel; empty before the first poll
    qint64 replOffset = -1;
    // The last INFO poll (kept while unreachable: the last known state), null before the first.
    std::shared_ptr<const InfoSnapshot> info;
    qint64 infoTimeMs = 0;
    qint64 connectedAtMs = 0; // the last successful (re)connection; an older `info` is what it said before
    // Sentinels: what this sentinel says about each master group it watches.
    QList<SentinelView> sentinelViews;

    bool isSentinel() const { return kind == Kind::Sentinel; }
    bool reconnecting() const { return closedAtMs >= 0; }
    bool answersTo(const QString &a) const { return a == address || aliases.contains(a); }
};

} // namespace vigil
