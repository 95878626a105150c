// Profiles as JSON files.
#include "profile.h"

#include "redis/uri.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>

#include <algorithm>

namespace vigil {

namespace {

const QString kFormat = QStringLiteral("vigil-profile");
constexpr int kVersion = 1;
const QString kLastUsedKey = QStringLiteral("profiles/last");

QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

// The URIs without their passwords.
QStringList displayUris(const QStringList &uris)
{
    QStringList out;
    for (const QString &text : uris)
        if (const auto uri = parseRedisUri(text))
            out << uri->toDisplayString();
    return out;
}

// Reads a list of strings; false (and *error) when the key holds something else.
bool readStrings(const QJsonObject &object, const QString &key, QStringList *out, QString *error)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return true;
    if (!value.isArray()) {
        *error = QStringLiteral("\"%1\" is not a list").arg(key);
        return false;
    }
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isString()) {
            *error = QStringLiteral("\"%1\" holds something that is not text").arg(key);
            return false;
        }
        *out << item.toString();
    }
    return true;
}

bool readUris(const QJsonObject &object, const QString &key, QStringList *out, QString *error)
{
    QStringList texts;
    if (!readStrings(object, key, &texts, error))
        return false;
    for (const QString &text : std::as_const(texts)) {
        QString why;
        const auto uri = parseRedisUri(text, &why);
        if (!uri) {
            *error = QStringLiteral("\"%1\": %2").arg(key, why);
            return false;
        }
        if (!uri->password.isEmpty()) {
            *error = QStringLiteral("\"%1\": %2 holds a password; a profile never does (the keyring keeps them)").arg(key, uri->toDisplayString());
            return false;
        }
        *out << uri->toDisplayString();
    }
    return true;
}

bool readMilliseconds(const QJsonObject &object, const QString &key, qint64 low, qint64 high, qint64 *out, QString *error)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return true;
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < double(low) || number > double(high) || number != double(qint64(number))) {
        *error = QStringLiteral("\"%1\" needs a whole number from %2 to %3").arg(key).arg(low).arg(high);
        return false;
    }
    *out = qint64(number);
    return true;
}

} // namespace

void setProfileTargets(Profile *profile, const QList<ConnectionOptions> &servers, const QList<ConnectionOptions> &sentinels,
                       const QStringList &masters)
{
    profile->servers.clear();
    profile->sentinels.clear();
    for (const ConnectionOptions &o : servers)
        profile->servers << o.uri.toDisplayString();
    for (const ConnectionOptions &o : sentinels)
        profile->sentinels << o.uri.toDisplayString();
    profile->masters = masters;
    if (!servers.isEmpty())
        profile->tls = servers.first().tls;
    else if (!sentinels.isEmpty())
        profile->tls = sentinels.first().tls;
}

QString profileNameError(const QString &name)
{
    if (name.isEmpty())
        return QStringLiteral("a profile needs a name");
    if (name.size() > 64)
        return QStringLiteral("a profile's name has at most 64 characters");
    if (name.startsWith(QLatin1Char('.')) || name.startsWith(QLatin1Char(' ')) || name.endsWith(QLatin1Char(' ')))
        return QStringLiteral("a profile's name does not start with a dot or a space, nor end with a space");
    const QString allowed = QStringLiteral(" -_.@");
    for (const QChar c : name)
        if (!c.isLetterOrNumber() && !allowed.contains(c))
            return QStringLiteral("a profile's name holds letters, digits, spaces and - _ . @ only, not \"%1\"").arg(c);
    return {};
}

QByteArray profileToJson(const Profile &profile)
{
    QJsonObject services;
    QStringList names = profile.services.keys();
    names.sort();
    for (const QString &name : std::as_const(names))
        services.insert(name, toArray(profile.services.value(name)));
    const QJsonObject tls{
        {QStringLiteral("ca"), profile.tls.caFile},         {QStringLiteral("cert"), profile.tls.certFile},
        {QStringLiteral("key"), profile.tls.keyFile},       {QStringLiteral("serverName"), profile.tls.serverName},
        {QStringLiteral("insecure"), profile.tls.insecure},
    };
    const QJsonObject object{
        {QStringLiteral("format"), kFormat},
        {QStringLiteral("version"), kVersion},
        {QStringLiteral("name"), profile.name},
        {QStringLiteral("servers"), toArray(displayUris(profile.servers))},
        {QStringLiteral("sentinels"), toArray(displayUris(profile.sentinels))},
        {QStringLiteral("masters"), toArray(profile.masters)},
        {QStringLiteral("channels"), toArray(profile.channels)},
        {QStringLiteral("patterns"), toArray(profile.patterns)},
        {QStringLiteral("services"), services},
        {QStringLiteral("tls"), tls},
        {QStringLiteral("pollIntervalMs"), profile.pollIntervalMs},
        {QStringLiteral("incidentGapMs"), double(profile.incidentGapMs)},
        {QStringLiteral("incidentQuietMs"), double(profile.incidentQuietMs)},
        {QStringLiteral("rememberPasswords"), profile.rememberPasswords},
    };
    return QJsonDocument(object).toJson(QJsonDocument::Indented);
}

std::optional<Profile> profileFromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (document.isNull() || !document.isObject()) {
        *error = document.isNull() ? QStringLiteral("not JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset)
                                   : QStringLiteral("not a Vigil profile (no JSON object)");
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    if (object.value(QStringLiteral("format")).toString() != kFormat) {
        *error = QStringLiteral("not a Vigil profile (its \"format\" is not \"%1\")").arg(kFormat);
        return std::nullopt;
    }
    if (object.value(QStringLiteral("version")).toInt() != kVersion) {
        *error = QStringLiteral("a profile of version %1; this Vigil reads version %2")
                     .arg(object.value(QStringLiteral("version")).toVariant().toString())
                     .arg(kVersion);
        return std::nullopt;
    }
    Profile profile;
    profile.name = object.value(QStringLiteral("name")).toString();
    if (const QString why = profileNameError(profile.name); !why.isEmpty()) {
        *error = why;
        return std::nullopt;
    }
    qint64 poll = profile.pollIntervalMs;
    if (!readUris(object, QStringLiteral("servers"), &profile.servers, error)
        || !readUris(object, QStringLiteral("sentinels"), &profile.sentinels, error)
        || !readStrings(object, QStringLiteral("masters"), &profile.masters, error)
        || !readStrings(object, QStringLiteral("channels"), &profile.channels, error)
        || !readStrings(object, QStringLiteral("patterns"), &profile.patterns, error)
        || !readMilliseconds(object, QStringLiteral("pollIntervalMs"), 100, 3'600'000, &poll, error)
        || !readMilliseconds(object, QStringLiteral("incidentGapMs"), 1000, 7 * 24 * 3'600'000LL, &profile.incidentGapMs, error)
        || !readMilliseconds(object, QStringLiteral("incidentQuietMs"), 1000, 7 * 24 * 3'600'000LL, &profile.incidentQuietMs, error))
        return std::nullopt;
    profile.pollIntervalMs = int(poll);
    const QJsonObject services = object.value(QStringLiteral("services")).toObject();
    for (auto it = services.begin(); it != services.end(); ++it) {
        QStringList nodes;
        if (!readStrings(services, it.key(), &nodes, error))
            return std::nullopt;
        if (!nodes.isEmpty())
            profile.services.insert(it.key(), nodes);
    }
    const QJsonObject tls = object.value(QStringLiteral("tls")).toObject();
    profile.tls.caFile = tls.value(QStringLiteral("ca")).toString();
    profile.tls.certFile = tls.value(QStringLiteral("cert")).toString();
    profile.tls.keyFile = tls.value(QStringLiteral("key")).toString();
    profile.tls.serverName = tls.value(QStringLiteral("serverName")).toString();
    profile.tls.insecure = tls.value(QStringLiteral("insecure")).toBool();
    profile.rememberPasswords = object.value(QStringLiteral("rememberPasswords")).toBool();
    return profile;
}

ProfileStore::ProfileStore(QString directory)
    : m_directory(std::move(directory))
{
}

QString ProfileStore::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/profiles");
}

QString ProfileStore::pathOf(const QString &name) const
{
    return QDir(m_directory).filePath(name + QStringLiteral(".json"));
}

QStringList ProfileStore::names() const
{
    QStringList names;
    for (const QString &file : QDir(m_directory).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        const QString name = file.chopped(5);
        if (profileNameError(name).isEmpty())
            names << name;
    }
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) { return a.localeAwareCompare(b) < 0; });
    return names;
}

bool ProfileStore::contains(const QString &name) const
{
    return profileNameError(name).isEmpty() && QFile::exists(pathOf(name));
}

std::optional<Profile> ProfileStore::load(const QString &name, QString *error) const
{
    if (const QString why = profileNameError(name); !why.isEmpty()) {
        *error = why;
        return std::nullopt;
    }
    if (!QFile::exists(pathOf(name))) {
        const QStringList known = names();
        *error = known.isEmpty() ? QStringLiteral("no profile \"%1\" (none is saved yet)").arg(name)
                                 : QStringLiteral("no profile \"%1\" (saved: %2)").arg(name, known.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    auto profile = importProfile(pathOf(name), error);
    if (profile)
        profile->name = name; // the file's name wins over a name edited inside it
    return profile;
}

bool ProfileStore::save(const Profile &profile, QString *error) const
{
    if (const QString why = profileNameError(profile.name); !why.isEmpty()) {
        *error = why;
        return false;
    }
    if (!QDir().mkpath(m_directory)) {
        *error = QStringLiteral("cannot create %1").arg(m_directory);
        return false;
    }
    return exportProfile(profile, pathOf(profile.name), error);
}

bool ProfileStore::remove(const QString &name, QString *error) const
{
    if (!contains(name)) {
        *error = QStringLiteral("no profile \"%1\"").arg(name);
        return false;
    }
    QFile file(pathOf(name));
    if (!file.remove()) {
        *error = QStringLiteral("cannot remove %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    return true;
}

QString ProfileStore::lastUsed() const
{
    const QString name = QSettings().value(kLastUsedKey).toString();
    return contains(name) ? name : QString();
}

void ProfileStore::setLastUsed(const QString &name)
{
    QSettings().setValue(kLastUsedKey, name);
}

QString migrateSavedTargets(const ProfileStore &store)
{
    QSettings settings;
    const QStringList keys{QStringLiteral("targets"), QStringLiteral("sentinels"), QStringLiteral("masters"), QStringLiteral("services/groups")};
    if (!store.names().isEmpty() || std::none_of(keys.begin(), keys.end(), [&settings](const QString &k) { return settings.contains(k); }))
        return {};
    Profile profile;
    profile.name = QStringLiteral("Default");
    profile.servers = displayUris(settings.value(QStringLiteral("targets")).toStringList());
    profile.sentinels = displayUris(settings.value(QStringLiteral("sentinels")).toStringList());
    profile.masters = settings.value(QStringLiteral("masters")).toStringList();
    const QVariantMap groups = settings.value(QStringLiteral("services/groups")).toMap();
    for (auto it = groups.cbegin(); it != groups.cend(); ++it)
        if (const QStringList nodes = it.value().toStringList(); !nodes.isEmpty())
            profile.services.insert(it.key(), nodes);
    QString error;
    if (!store.save(profile, &error))
        return {};
    for (const QString &key : keys)
        settings.remove(key);
    ProfileStore::setLastUsed(profile.name);
    return profile.name;
}

bool exportProfile(const Profile &profile, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(profileToJson(profile)) < 0 || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

std::optional<Profile> importProfile(const QString &path, QString *error)
{
    QFile file(path);
    constexpr qint64 kMaxBytes = 4 * 1024 * 1024;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > kMaxBytes) {
        *error = QStringLiteral("%1 is too large for a profile (over 4 MB)").arg(path);
        return std::nullopt;
    }
    QString why;
    auto profile = profileFromJson(file.readAll(), &why);
    if (!profile)
        *error = QStringLiteral("%1: %2").arg(path, why);
    return profile;
}

} // namespace vigil
