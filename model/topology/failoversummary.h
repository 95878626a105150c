// One `sentinel.failover` event per Sentinel failover: the group, the old and the new master, and
// the phases with their times (first +sdown, +odown, leader elected, replica promoted,
// +switch-master, +failover-end), built from the merged sentinel.* events as they are journalled.
#pragma once

#include "journal/event.h"

#include <QHash>
#include <QList>

namespace vigil {

class FailoverSummary
{
public:
    // Takes every journalled event (others are ignored); returns the summary when this one ends a
    // failover: +switch-master and +failover-end both seen, or the failover aborted.
    QList<Event> add(const Event &event);

private:
    struct Phase
    {
        QString name;
        qint64 timeMs = 0;
    };
    struct Failover
    {
        QList<Phase> phases;
        QString oldMaster;
        QString newMaster;
        QString leader;
        bool ended = false;
        bool switched = false;
        bool timedOut = false; // +failover-end-for-timeout: not every replica was reconfigured in time
        qint64 lastMs = 0;
    };
    QHash<QString, Failover> m_groups; // by master group name
};

} // namespace vigil
