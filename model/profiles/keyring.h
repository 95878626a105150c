// Passwords in the desktop keyring (the Secret Service, through QtKeychain): never in a file.
#pragma once

#include "redis/connection.h"

#include <QString>

#include <functional>

class QObject;

namespace vigil {

class Keyring
{
public:
    struct Result
    {
        bool ok = false;    // the keyring answered (for a read: found the entry or said there is none)
        bool found = false; // a read found the entry
        QString password;   // what a read found
        QString error;      // why not ok: no keyring on this desktop, access refused, no answer
    };
    using Done = std::function<void(const Result &)>;

    // The entry of a target's password in a profile: "<profile>/<URI without the password>", under
    // the service "vigil".
    static QString keyFor(const QString &profile, const RedisUri &uri);

    // Asynchronous, for the window: `done` runs when the keyring answers (a locked keyring may ask
    // the person to unlock it first), unless `context` is gone by then.
    static void read(const QString &key, const QObject *context, Done done);
    static void write(const QString &key, const QString &password, const QObject *context, Done done);
    static void remove(const QString &key, const QObject *context, Done done);

    // Blocking, for the command line and for start-up before the window: each runs a local event
    // loop until the keyring answers, for at most `timeoutMs`. They need a QCoreApplication.
    static Result readNow(const QString &key, int timeoutMs = 60'000);
    static Result writeNow(const QString &key, const QString &password, int timeoutMs = 60'000);
    static Result removeNow(const QString &key, int timeoutMs = 60'000);

    // Gives each of `targets` that has no password the one the keyring holds for it in `profile`
    // (blocking). Returns the keyring's error when it could not be read (an entry not found is none).
    static QString fillPasswords(const QString &profile, QList<ConnectionOptions> *targets);
};

} // namespace vigil
