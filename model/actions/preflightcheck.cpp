// Pre-flight checks.
#include "preflightcheck.h"

#include <QStringList>

#include <algorithm>

namespace vigil {

QString checkResultName(PreflightCheck::Result result)
{
    switch (result) {
    case PreflightCheck::Result::Pass: return QStringLiteral("pass");
    case PreflightCheck::Result::Warn: return QStringLiteral("warning");
    case PreflightCheck::Result::Fail: return QStringLiteral("fail");
    }
    return {};
}

bool anyCheckFailed(const QList<PreflightCheck> &checks)
{
    return std::any_of(checks.begin(), checks.end(), [](const PreflightCheck &c) { return c.result == PreflightCheck::Result::Fail; });
}

bool anyCheckWarned(const QList<PreflightCheck> &checks)
{
    return std::any_of(checks.begin(), checks.end(), [](const PreflightCheck &c) { return c.result == PreflightCheck::Result::Warn; });
}

QStringList refusalReasons(const QList<PreflightCheck> &checks, bool overrideWarnings)
{
    QStringList why;
    for (const PreflightCheck &c : checks)
        if (c.result == PreflightCheck::Result::Fail || (c.result == PreflightCheck::Result::Warn && !overrideWarnings))
            why << QStringLiteral("%1: %2").arg(c.name, c.detail);
    return why;
}

} // namespace vigil
