// A D-Bus session bus of the test's own (a dbus-daemon on a socket in a temporary directory), and
// a stand-in for the desktop's notification server that records what it is asked.
#pragma once

#include <QDBusConnection>
#include <QList>
#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QVariantMap>

class PrivateBus
{
public:
    PrivateBus();
    ~PrivateBus();
    PrivateBus(const PrivateBus &) = delete;
    PrivateBus &operator=(const PrivateBus &) = delete;

    // Empty when the daemon could not start (why() says why).
    QString address() const { return m_address; }
    QString why() const { return m_why; }
    // A connection of its own to the bus, named `name`.
    QDBusConnection connect(const QString &name);

private:
    QTemporaryDir m_dir;
    QProcess m_daemon;
    QString m_address;
    QString m_why;
    QStringList m_names;
};

// A real desktop keyring on a private bus: gnome-keyring-daemon serving the Secret Service
// (org.freedesktop.secrets) with a fresh, unlocked login keyring in a temporary directory.
class PrivateKeyring
{
public:
    explicit PrivateKeyring(PrivateBus &bus);
    ~PrivateKeyring();
    PrivateKeyring(const PrivateKeyring &) = delete;
    PrivateKeyring &operator=(const PrivateKeyring &) = delete;

    bool isRunning() const { return m_why.isEmpty(); }
    QString why() const { return m_why; }
    // Stops the daemon: the bus then has no keyring.
    void stop();

private:
    QTemporaryDir m_dir;
    QProcess m_daemon;
    QString m_why;
};

// org.freedesktop.Notifications as a notification daemon serves it, recording each Notify.
class FakeNotificationServer final : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    struct Call
    {
        QString appName;
        uint replacesId = 0;
        QString icon;
        QString summary;
        QString body;
        QStringList actions;
        QVariantMap hints;
        int timeout = -1;
        uint id = 0; // what the server answered
    };

    // Registers on `bus`; false when the name or the object could not be taken.
    bool start(const QDBusConnection &bus);
    const QList<Call> &calls() const { return m_calls; }
    // The operator clicking notification `id` (its default action).
    void click(uint id);

public Q_SLOTS:
    uint Notify(const QString &appName, uint replacesId, const QString &icon, const QString &summary, const QString &body, const QStringList &actions,
                const QVariantMap &hints, int timeout);
    QStringList GetCapabilities();
    QString GetServerInformation(QString &vendor, QString &version, QString &specVersion);

private:
    QDBusConnection m_bus{QString()};
    QList<Call> m_calls;
    uint m_nextId = 1;
};
