// ROLE replies parsed into a typed value (master with its online replicas, replica, sentinel).
#pragma once

#include "redis/reply.h"

#include <QList>
#include <QString>

namespace vigil {

struct RoleInfo
{
    enum class Kind { Unknown, Master, Replica, Sentinel };
    struct Replica
    {
        QString host;
        quint16 port = 0;
        qint64 offset = -1;
    };

    Kind kind = Kind::Unknown;
    qint64 offset = -1;      // master: its offset; replica: its processed offset (-1 with no link)
    QList<Replica> replicas; // master: online replicas only
    QString masterHost;      // replica
    quint16 masterPort = 0;
    QString linkState;            // replica: connect, connecting, handshake, sync, connected, none
    QStringList monitoredMasters; // sentinel
};

// Parses a ROLE reply; returns false (and leaves *out untouched) when it has another shape.
bool parseRole(const Reply &reply, RoleInfo *out);

} // namespace vigil
