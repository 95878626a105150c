// A private D-Bus and a stand-in notification server for the tests.
#include "privatebus.h"

#include <QDBusConnectionInterface>
#include <QElapsedTimer>
#include <QThread>

#include <QDBusMessage>
#include <QFile>
#include <QStandardPaths>

PrivateBus::PrivateBus()
{
    const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
    if (daemon.isEmpty()) {
        m_why = QStringLiteral("dbus-daemon is not installed");
        return;
    }
    const QString config = m_dir.filePath(QStringLiteral("bus.conf"));
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly)) {
        m_why = file.errorString();
        return;
    }
    file.write(
        QStringLiteral(
            "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
            " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
            "<busconfig><type>session</type><listen>unix:path=%1</listen><auth>EXTERNAL</auth>\n"
            "<policy context=\"default\"><allow send_destination=\"*\"/><allow receive_sender=\"*\"/><allow own=\"*\"/></policy></busconfig>\n")
            .arg(m_dir.filePath(QStringLiteral("bus")))
            .toUtf8());
    file.close();
    m_daemon.start(daemon, {QStringLiteral("--config-file=") + config, QStringLiteral("--nofork"), QStringLiteral("--print-address=1")});
    if (!m_daemon.waitForStarted(5000) || !m_daemon.waitForReadyRead(5000)) {
        m_why =
            QStringLiteral("dbus-daemon did not start: %1 %2").arg(m_daemon.errorString(), QString::fromLocal8Bit(m_daemon.readAllStandardError()));
        return;
    }
    m_address = QString::fromUtf8(m_daemon.readLine()).trimmed();
}

PrivateBus::~PrivateBus()
{
    for (const QString &name : std::as_const(m_names))
        QDBusConnection::disconnectFromBus(name);
    if (m_daemon.state() != QProcess::NotRunning) {
        m_daemon.kill();
        m_daemon.waitForFinished(5000);
    }
}

QDBusConnection PrivateBus::connect(const QString &name)
{
    m_names << name;
    return QDBusConnection::connectToBus(m_address, name);
}

PrivateKeyring::PrivateKeyring(PrivateBus &bus)
{
    const QString daemon = QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
    if (daemon.isEmpty()) {
        m_why = QStringLiteral("gnome-keyring-daemon is not installed");
        return;
    }
    if (bus.address().isEmpty()) {
        m_why = bus.why();
        return;
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), bus.address());
    env.insert(QStringLiteral("HOME"), m_dir.path());
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_dir.path());
    m_daemon.setProcessEnvironment(env);
    m_daemon.setProcessChannelMode(QProcess::MergedChannels);
    // --unlock reads the login keyring's password from stdin and makes the keyring with it.
    m_daemon.start(daemon, {QStringLiteral("--foreground"), QStringLiteral("--components=secrets"), QStringLiteral("--unlock")});
    if (!m_daemon.waitForStarted(5000)) {
        m_why = QStringLiteral("gnome-keyring-daemon did not start: %1").arg(m_daemon.errorString());
        return;
    }
    m_daemon.write("test-keyring");
    m_daemon.waitForBytesWritten(5000); // the loop below runs no event loop to write it
    m_daemon.closeWriteChannel();
    const QDBusConnection connection = bus.connect(QStringLiteral("keyring-probe"));
    QElapsedTimer waited;
    waited.start();
    while (!connection.interface()->isServiceRegistered(QStringLiteral("org.freedesktop.secrets"))) {
        if (waited.elapsed() > 10'000 || m_daemon.state() == QProcess::NotRunning) {
            m_why = QStringLiteral("gnome-keyring-daemon did not take org.freedesktop.secrets: %1").arg(QString::fromLocal8Bit(m_daemon.readAll()));
            return;
        }
        QThread::msleep(50);
    }
}

PrivateKeyring::~PrivateKeyring()
{
    stop();
}

void PrivateKeyring::stop()
{
    if (m_daemon.state() != QProcess::NotRunning) {
        m_daemon.terminate();
        if (!m_daemon.waitForFinished(5000)) {
            m_daemon.kill();
            m_daemon.waitForFinished(5000);
        }
    }
}

bool FakeNotificationServer::start(const QDBusConnection &bus)
{
    m_bus = bus;
    return m_bus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), this, QDBusConnection::ExportAllSlots)
        && m_bus.registerService(QStringLiteral("org.freedesktop.Notifications"));
}

void FakeNotificationServer::click(uint id)
{
    QDBusMessage signal = QDBusMessage::createSignal(QStringLiteral("/org/freedesktop/Notifications"),
                                                     QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("ActionInvoked"));
    signal << id << QStringLiteral("default");
    m_bus.send(signal);
}

uint FakeNotificationServer::Notify(const QString &appName, uint replacesId, const QString &icon, const QString &summary, const QString &body,
                                    const QStringList &actions, const QVariantMap &hints, int timeout)
{
    // As the specification says: a replaced notification keeps its id.
    const uint id = replacesId != 0 ? replacesId : m_nextId++;
    m_calls << Call{appName, replacesId, icon, summary, body, actions, hints, timeout, id};
    return id;
}

QStringList FakeNotificationServer::GetCapabilities()
{
    return {QStringLiteral("actions"), QStringLiteral("body"), QStringLiteral("sound")};
}

QString FakeNotificationServer::GetServerInformation(QString &vendor, QString &version, QString &specVersion)
{
    vendor = QStringLiteral("vigil tests");
    version = QStringLiteral("1");
    specVersion = QStringLiteral("1.2");
    return QStringLiteral("fake notifications");
}
