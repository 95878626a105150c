// Named connection profiles: what to watch and how, kept as one JSON file each, never a password.
#pragma once

#include "redis/connection.h"

#include <QHash>
#include <QStringList>

#include <optional>

namespace vigil {

struct Profile
{
    QString name;
    QStringList servers;   // URIs as RedisUri::toDisplayString() writes them (the user, no password)
    QStringList sentinels; // likewise
    QStringList masters;   // master groups on the sentinels; every group when empty
    // Heartbeat channels and patterns; both empty means the defaults (`heartbeat`, `heartbeat:*`).
    QStringList channels;
    QStringList patterns;
    QHash<QString, QStringList> services; // service name -> nodes
    TlsOptions tls;
    int pollIntervalMs = 1000;
    qint64 incidentGapMs = 5 * 60 * 1000;
    qint64 incidentQuietMs = 5 * 60 * 1000;
    bool rememberPasswords = false; // the passwords go to the desktop keyring, never to the file

    friend bool operator==(const Profile &, const Profile &) = default;
};

// Puts the targets (URIs without passwords; the TLS settings of the first) and the master groups
// into `profile`.
void setProfileTargets(Profile *profile, const QList<ConnectionOptions> &servers, const QList<ConnectionOptions> &sentinels,
                       const QStringList &masters);

// Why `name` cannot name a profile (empty when it can): 1 to 64 characters, letters, digits,
// spaces and - _ . @ only, not starting with a dot or a space.
QString profileNameError(const QString &name);

// The profile as a JSON document (format "vigil-profile", version 1). A URI's password is dropped
// even when a caller left one in.
QByteArray profileToJson(const Profile &profile);
// Reads one; nullopt with *error naming what is wrong (not JSON, another format, a bad URI, a bad
// name or number). Passwords in its URIs are refused, not read.
std::optional<Profile> profileFromJson(const QByteArray &json, QString *error);

// The profiles of this user: one file per profile in a directory (by default
// QStandardPaths::AppConfigLocation/profiles), and the name of the one used last (in QSettings).
class ProfileStore
{
public:
    explicit ProfileStore(QString directory = defaultDirectory());

    static QString defaultDirectory();
    QString directory() const { return m_directory; }

    QStringList names() const; // sorted
    bool contains(const QString &name) const;
    std::optional<Profile> load(const QString &name, QString *error) const;
    bool save(const Profile &profile, QString *error) const;
    bool remove(const QString &name, QString *error) const;

    // The last profile opened in the GUI; empty when none (or when it no longer exists).
    QString lastUsed() const;
    static void setLastUsed(const QString &name);

private:
    QString pathOf(const QString &name) const;

    QString m_directory;
};

// Before profiles, the GUI kept one set of targets in QSettings ("targets", "sentinels", "masters",
// "services/groups"). When `store` holds no profile yet, they become the profile "Default", made the
// last used, and leave the settings; returns its name (empty when there was nothing to move).
QString migrateSavedTargets(const ProfileStore &store);

// Export and import: the same JSON, at a path the operator chooses.
bool exportProfile(const Profile &profile, const QString &path, QString *error);
std::optional<Profile> importProfile(const QString &path, QString *error);

} // namespace vigil
