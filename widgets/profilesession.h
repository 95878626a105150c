// The window's profile: what it saves (what the window watches, never a password), the passwords
// it keeps in the desktop keyring, and the passwords it asks for when a server wants one.
#pragma once

#include "monitor/monitor.h"
#include "profiles/keyring.h"
#include "profiles/profile.h"

#include <QObject>
#include <QSet>

class QWidget;

namespace vigil {

class Journal;

class ProfileSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileSession)

public:
    // `name` is empty when the window has no profile (nothing is saved); `demo` saves nothing and
    // asks for nothing. Dialogs and messages open over `window`.
    ProfileSession(Monitor *monitor, Journal *journal, const QString &name, bool rememberPasswords, bool demo, QWidget *window);

    QString name() const { return m_name; }
    bool remembersPasswords() const { return m_remember; }

    // What the window watches, as a profile named `name` (without passwords).
    Profile current(const QString &name) const;
    // The Services panel's groups, and the heartbeat channels and patterns (both empty: the
    // defaults) to subscribe to at the next start; each saves the profile.
    void setServiceGroups(const QHash<QString, QStringList> &groups);
    void setChannels(const QStringList &channels, const QStringList &patterns);

    // Writes the profile (no-op without one); a message box when it cannot.
    void save();
    // Saves what the window watches as the profile `name`, which the window then shows (the
    // passwords it remembers go under the new name); false and a message box on failure.
    bool saveAs(const QString &name);
    // Keeps the targets' passwords in the keyring (remember) or takes them out of it (when it kept
    // them). Asynchronous: if the keyring refuses, a message says Vigil cannot remember passwords
    // and the profile stops claiming it does.
    void keepPasswords(const TargetSet &targets, bool remember);
    // Asks for the password of a given target that failed authentication (once each, until the
    // operator answers; a refused answer is asked for again). Forgets who was asked when the
    // targets are edited.
    void askMissingPasswords();
    void forgetAsked() { m_asked.clear(); }

Q_SIGNALS:
    void nameChanged(const QString &name);

private:
    void keyringAnswered(const Keyring::Result &result);

    Monitor *m_monitor;
    Journal *m_journal;
    QWidget *m_window;
    QString m_name;
    bool m_remember;
    bool m_demo;
    QHash<QString, QStringList> m_serviceGroups;
    QStringList m_channels;
    QStringList m_patterns;
    QSet<QString> m_asked; // targets asked for a password this run
    bool m_asking = false;
    bool m_keyringWarned = false; // one message per batch of keyring writes
};

} // namespace vigil
