// One INFO poll of a server: six sections in one round trip, parsed into a snapshot. Redis 7.0 and
// later take them in one command; servers before it, one command per section, pipelined.
#pragma once

#include "infoparser.h"
#include "redis/connection.h"

#include <functional>

namespace vigil {

// Calls `done` once with the snapshot, or with `ok` false and the error of the first refused or
// failed command (`kind` tells a refusal by the server from a lost connection).
using InfoCallback = std::function<void(bool ok, const InfoSnapshot &snapshot, ErrorKind kind, const QString &error)>;
enum class InfoCommands {
    OnePerSection, // any version
    One,           // Redis 7.0 and later; a server that refuses it is asked again one section at a time
                   // (the snapshot says so: combinedRefused)
};
void requestInfo(Connection *connection, QObject *context, InfoCallback done, InfoCommands commands = InfoCommands::OnePerSection);
// Whether a server of this version (INFO's redis_version) takes several sections in one INFO.
bool takesSeveralInfoSections(const QString &version);

} // namespace vigil
