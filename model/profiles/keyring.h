// Passwords in the desktop keyring (the Secret Service, through QtKeychain): never in a file.
#pragma once

#include "redis/connection.h"

#include <QString>

namespace vigil {

namespace Keyring {

struct Result
{
    bool ok = false;    // the keyring answered (for a read: found the entry or said there is none)
    bool found = false; // a read found the entry
    QString password;   // what a read found
    QString error;      // why not ok: no keyring on this desktop, access refused, no answer
};

// The entry of a target's password in a profile: "<profile>/<URI without the password>", under
// the service "vigil".
QString keyFor(const QString &profile, const RedisUri &uri);

// Each runs the event loop until the keyring answers, or for at most `timeoutMs` (a locked keyring
// may ask the person to unlock it first). They need a QCoreApplication.
Result read(const QString &key, int timeoutMs = 60'000);
Result write(const QString &key, const QString &password, int timeoutMs = 60'000);
Result remove(const QString &key, int timeoutMs = 60'000);

// Gives each of `targets` that has no password the one the keyring holds for it in `profile`.
// Returns the keyring's error when it could not be read (an entry not found is none).
QString fillPasswords(const QString &profile, QList<ConnectionOptions> *targets);

} // namespace Keyring

} // namespace vigil
