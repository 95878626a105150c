// Golden files: a test's output compared with the file that holds what it should be. With
// VIGIL_UPDATE_GOLDEN set in the environment the file is written instead; review its diff.
#pragma once

#include "journal/event.h"

#include <QByteArray>
#include <QString>

namespace vigil::test {

// The file's bytes; empty when it cannot be read.
QByteArray readData(const QString &path);
// True when `actual` is the file's content; else `why` names the first line that differs.
bool matchesGolden(const QString &path, const QByteArray &actual, QString *why);
// One line of a recorded journal as `vigil export` writes it (JSON Lines), given `id`.
Event eventFromExportLine(const QByteArray &line, qint64 id);

} // namespace vigil::test
