// One INFO poll of a server: six sections pipelined in one round trip (servers before 7.0 take one
// section per command), parsed into a snapshot.
#pragma once

#include "infoparser.h"
#include "redis/connection.h"

#include <functional>

namespace vigil {

// Calls `done` once with the snapshot, or with `ok` false and the error of the first refused or
// failed command (`kind` tells a refusal by the server from a lost connection).
using InfoCallback = std::function<void(bool ok, const InfoSnapshot &snapshot, ErrorKind kind, const QString &error)>;
void requestInfo(Connection *connection, QObject *context, InfoCallback done);

} // namespace vigil
