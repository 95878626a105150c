// Guarded actions wired to a monitor.
#include "actionsession.h"

#include "operatorname.h"
#include "journal/journal.h"
#include "monitor/monitor.h"
#include "monitor/topologygraph.h"

namespace vigil {

namespace {

template<typename Request>
Request byOperator(Request request)
{
    request.operatorName = operatorName();
    return request;
}

} // namespace

PromotionSession::PromotionSession(Monitor *monitor, PromotionRequest request, QObject *parent)
    : QObject(parent)
    , m_request(byOperator(std::move(request)))
    , m_engine(new PromotionEngine(
          planPromotion(buildTopologyGraph(monitor->status(), monitor->clusterView()), m_request), m_request,
          [monitor](const QString &address) { return monitor->connectionOptions(address); }, this))
{
    m_engine->setEventSink([monitor](const Event &e) { monitor->raise(e); });
    m_engine->setQuietHook([monitor](bool on) { monitor->setActionRunning(on); });
    if (Journal *journal = monitor->journal())
        m_engine->setCommitHook([journal] { return journal->commitNow(); });
}

SnapshotSession::SnapshotSession(Monitor *monitor, SnapshotRequest request, QObject *parent)
    : QObject(parent)
    , m_action(new SnapshotAction(byOperator(request), monitor->connectionOptions(request.node), this))
{
    m_action->setEventSink([monitor](const Event &e) { monitor->raise(e); });
}

} // namespace vigil
