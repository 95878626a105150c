// One pre-flight check of a guarded action (a promotion, a snapshot): what was judged, the verdict
// and why. A failed check refuses the action; a warning needs the operator's explicit override.
#pragma once

#include <QList>
#include <QString>

namespace vigil {

struct PreflightCheck
{
    enum class Result { Pass, Warn, Fail };
    QString id;   // what is judged, stable for code and tests: "byte-gap", "quorum", ...
    QString name; // for people; names the subject when one id is judged on several nodes
    Result result = Result::Pass;
    QString detail;
};

QString checkResultName(PreflightCheck::Result result);
bool anyCheckFailed(const QList<PreflightCheck> &checks);
bool anyCheckWarned(const QList<PreflightCheck> &checks);
// "name: detail" of each check that stops the action: the failures, and the warnings unless overridden.
QStringList refusalReasons(const QList<PreflightCheck> &checks, bool overrideWarnings);

} // namespace vigil
