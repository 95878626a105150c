// A guarded action as the GUI and the command line run it against what a Monitor watches: planned
// or checked from the monitor's last view, connected with the monitor's credentials, journalled
// through the monitor, the heartbeat detector quiet while writes are paused, and the operator
// named by the account Vigil runs as. The dialogs and `vigil promote` / `vigil snapshot` only
// present a session.
#pragma once

#include "promotion.h"
#include "snapshot.h"

#include <QObject>

namespace vigil {

class Monitor;

class PromotionSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PromotionSession)

public:
    // Plans from the monitor's current status; `request.operatorName` is set here.
    PromotionSession(Monitor *monitor, PromotionRequest request, QObject *parent = nullptr);

    PromotionEngine *engine() const { return m_engine; }
    const PromotionRequest &request() const { return m_request; }

private:
    PromotionRequest m_request;
    PromotionEngine *m_engine;
};

class SnapshotSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SnapshotSession)

public:
    // `request.operatorName` is set here.
    SnapshotSession(Monitor *monitor, SnapshotRequest request, QObject *parent = nullptr);

    SnapshotAction *action() const { return m_action; }

private:
    SnapshotAction *m_action;
};

} // namespace vigil
