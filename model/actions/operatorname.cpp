// The operator's name.
#include "operatorname.h"

#include <pwd.h>
#include <unistd.h>

namespace vigil {

QString operatorName()
{
    // The account itself first: USER can be unset (services) or set to anything.
    if (const passwd *pw = ::getpwuid(::getuid()); pw && pw->pw_name && *pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    for (const char *name : {"USER", "LOGNAME"})
        if (const QString v = qEnvironmentVariable(name); !v.isEmpty())
            return v;
    return QStringLiteral("uid %1").arg(::getuid());
}

} // namespace vigil
