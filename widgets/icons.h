// The application's SVG icons, rendered through Qt Svg so no icon-engine plugin is needed.
#pragma once

#include "actions/preflightcheck.h"
#include "heartbeat/tracker.h"
#include "journal/event.h"
#include "monitor/topologygraph.h"

#include <QColor>
#include <QIcon>

namespace vigil {

// `name` is a file under :/vigil/icons without extension: "vigil", "info", "connected"...
QIcon svgIcon(const QString &name);
QIcon severityIcon(Severity severity);
// A heartbeat node's detector state: up, suspect (a warning), down (critical), unknown.
QIcon nodeStateIcon(NodeState state);
// pass / warning / fail of a pre-flight check.
QIcon checkIcon(PreflightCheck::Result result);
// A server's or a group's health: green, amber, red, grey.
QColor healthColor(Health h);

} // namespace vigil
