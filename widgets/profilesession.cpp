// The window's profile and its passwords.
#include "profilesession.h"

#include "journal/journal.h"
#include "passworddialog.h"

#include <QMessageBox>
#include <QTimer>
#include <QWidget>

namespace vigil {

ProfileSession::ProfileSession(Monitor *monitor, Journal *journal, const QString &name, bool rememberPasswords, bool demo, QWidget *window)
    : QObject(window)
    , m_monitor(monitor)
    , m_journal(journal)
    , m_window(window)
    , m_name(demo ? QString() : name)
    , m_remember(rememberPasswords && !demo)
    , m_demo(demo)
    , m_serviceGroups(monitor->heartbeatOptions().services)
{
    if (const HeartbeatOptions &beats = monitor->heartbeatOptions();
        beats.channels != HeartbeatOptions{}.channels || beats.patterns != HeartbeatOptions{}.patterns) {
        for (const QByteArray &c : beats.channels)
            m_channels << QString::fromUtf8(c);
        for (const QByteArray &p : beats.patterns)
            m_patterns << QString::fromUtf8(p);
    }
    // Asked after the monitor's own handling of the change, from the event loop.
    connect(monitor, &Monitor::statusChanged, this, &ProfileSession::askMissingPasswords, Qt::QueuedConnection);
}

Profile ProfileSession::current(const QString &name) const
{
    Profile profile;
    profile.name = name;
    const TargetSet targets = m_monitor->targetSet();
    setProfileTargets(&profile, targets.servers, targets.sentinels, targets.masters);
    profile.channels = m_channels;
    profile.patterns = m_patterns;
    profile.services = m_serviceGroups;
    if (m_monitor->pollInterval() > 0)
        profile.pollIntervalMs = m_monitor->pollInterval();
    profile.incidentGapMs = m_journal->incidentOptions().gapMs;
    profile.incidentQuietMs = m_journal->incidentOptions().quietMs;
    profile.rememberPasswords = m_remember;
    return profile;
}

void ProfileSession::setServiceGroups(const QHash<QString, QStringList> &groups)
{
    m_serviceGroups = groups;
    save();
}

void ProfileSession::setChannels(const QStringList &channels, const QStringList &patterns)
{
    m_channels = channels;
    m_patterns = patterns;
    save();
}

void ProfileSession::save()
{
    if (m_name.isEmpty())
        return;
    QString error;
    if (!ProfileStore().save(current(m_name), &error))
        QMessageBox::warning(m_window, tr("Profile"), tr("The profile %1 could not be saved: %2").arg(m_name, error));
}

bool ProfileSession::saveAs(const QString &name)
{
    const ProfileStore store;
    QString error = profileNameError(name);
    if (!error.isEmpty() || !store.save(current(name), &error)) {
        QMessageBox::warning(m_window, tr("Save Profile"), tr("The profile %1 could not be saved: %2").arg(name, error));
        return false;
    }
    m_name = name;
    ProfileStore::setLastUsed(name);
    Q_EMIT nameChanged(name);
    if (m_remember)
        keepPasswords(m_monitor->targetSet(), true);
    return true;
}

void ProfileSession::keepPasswords(const TargetSet &targets, bool remember)
{
    if (m_name.isEmpty())
        return;
    const bool kept = m_remember;
    m_remember = remember;
    if (!remember && !kept)
        return; // nothing of this profile's is in the keyring
    m_keyringWarned = false;
    for (const QList<ConnectionOptions> *list : {&targets.servers, &targets.sentinels}) {
        for (const ConnectionOptions &o : *list) {
            const QString key = Keyring::keyFor(m_name, o.uri);
            if (!remember)
                Keyring::remove(key, this, [this](const Keyring::Result &r) { keyringAnswered(r); });
            else if (!o.uri.password.isEmpty())
                Keyring::write(key, o.uri.password, this, [this](const Keyring::Result &r) { keyringAnswered(r); });
        }
    }
}

void ProfileSession::keyringAnswered(const Keyring::Result &result)
{
    if (result.ok || m_keyringWarned)
        return;
    m_keyringWarned = true;
    if (m_remember) {
        m_remember = false;
        save();
    }
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Passwords"),
                                tr("Vigil cannot remember passwords: the desktop keyring (Secret Service) is not available (%1). "
                                   "It asks for them when a server requires one.")
                                    .arg(result.error),
                                QMessageBox::Ok, m_window);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void ProfileSession::askMissingPasswords()
{
    if (m_asking || m_demo)
        return;
    const TargetSet given = m_monitor->targetSet();
    auto isGiven = [&given](const QString &address) {
        for (const QList<ConnectionOptions> *list : {&given.servers, &given.sentinels})
            for (const ConnectionOptions &o : *list)
                if (o.uri.address() == address)
                    return true;
        return false;
    };
    for (const TargetStatus &s : m_monitor->status()) {
        if (!s.authFailed || s.discovered || m_asked.contains(s.address) || !isGiven(s.address))
            continue;
        m_asked.insert(s.address);
        m_asking = true;
        const ConnectionOptions options = m_monitor->connectionOptions(s.address);
        auto *dialog = new PasswordDialog(options.uri.toDisplayString(), !options.uri.password.isEmpty(), m_name, m_window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::finished, this, [this, dialog, address = s.address](int result) {
            if (result == QDialog::Accepted && !dialog->password().isEmpty()) {
                TargetSet targets = m_monitor->targetSet();
                TargetSet answered;
                for (QList<ConnectionOptions> *list : {&targets.servers, &targets.sentinels}) {
                    for (ConnectionOptions &o : *list) {
                        if (o.uri.address() == address) {
                            o.uri.password = dialog->password();
                            answered.servers << o;
                        }
                    }
                }
                m_monitor->changeTargets(targets);
                m_asked.remove(address); // a refused one is asked for again
                if (dialog->remember()) {
                    const bool remembered = m_remember;
                    keepPasswords(answered, true);
                    if (!remembered)
                        save();
                }
            }
            m_asking = false;
            QTimer::singleShot(0, this, &ProfileSession::askMissingPasswords); // the next one, if any
        });
        dialog->open();
        return;
    }
}

} // namespace vigil
