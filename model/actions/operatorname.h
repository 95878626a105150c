// Who runs a guarded action: the operating-system account, as the journal's action.* events name it.
#pragma once

#include <QString>

namespace vigil {

// The login name of the account Vigil runs as; never empty ("uid 1000" when the account has no name).
QString operatorName();

} // namespace vigil
