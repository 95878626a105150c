// org.freedesktop.Notifications over Qt D-Bus.
#include "desktopnotifications.h"

#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusServiceWatcher>

namespace vigil {

namespace {

const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kInterface = QStringLiteral("org.freedesktop.Notifications");

// The specification's urgency levels (a byte on the wire).
enum Urgency : uchar { Low = 0, Normal = 1, Critical = 2 };

} // namespace

DesktopNotifications::DesktopNotifications(const QDBusConnection &bus, QObject *parent)
    : QObject(parent)
    , m_bus(bus)
    , m_available(bus.isConnected())
{
    if (!m_bus.isConnected())
        return;
    const QString service = QString::fromLatin1(kService);
    // From any sender: naming the service would have Qt ask the bus for its owner, and wait.
    m_bus.connect(QString(), kPath, kInterface, QStringLiteral("ActionInvoked"), this, SLOT(onActionInvoked(uint, QString)));
    // A server that starts (or restarts) later takes the notifications from then on.
    auto *watcher = new QDBusServiceWatcher(service, m_bus, QDBusServiceWatcher::WatchForRegistration, this);
    connect(watcher, &QDBusServiceWatcher::serviceRegistered, this, [this] { setAvailable(true); });
    // Whether one runs now, asked without waiting; until the answer a notification is tried.
    QDBusMessage ask = QDBusMessage::createMethodCall(service, kPath, kInterface, QStringLiteral("GetServerInformation"));
    auto *answer = new QDBusPendingCallWatcher(m_bus.asyncCall(ask, 5000), this);
    connect(answer, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher *w) {
        if (w->isError() && w->error().type() != QDBusError::Timeout)
            setAvailable(false);
        w->deleteLater();
    });
}

void DesktopNotifications::show(qint64 key, const Notification &notification)
{
    if (!m_bus.isConnected()) {
        Q_EMIT failed(key, tr("no D-Bus session bus"));
        return;
    }
    // The server names the notification in its reply: an update sent before it would open a
    // second one, so it waits for that reply.
    if (m_inFlight.value(key)) {
        m_queued.insert(key, notification);
        return;
    }
    send(key, notification);
}

void DesktopNotifications::send(qint64 key, const Notification &n)
{
    const bool stays = n.severity == Severity::Critical && !n.resolved;
    const QString icon = n.resolved        ? QStringLiteral("dialog-information")
        : n.severity == Severity::Critical ? QStringLiteral("dialog-error")
                                           : QStringLiteral("dialog-warning");
    QVariantMap hints;
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(stays ? Critical : n.resolved ? Low : Normal)));
    hints.insert(QStringLiteral("category"), n.resolved ? QStringLiteral("network") : QStringLiteral("network.error"));
    hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("vigil"));
    if (!n.resolved)
        hints.insert(QStringLiteral("sound-name"), icon); // the sound theme's names match these icons
    QDBusMessage call = QDBusMessage::createMethodCall(QString::fromLatin1(kService), kPath, kInterface, QStringLiteral("Notify"));
    call << QStringLiteral("Vigil") << m_ids.value(key, 0u) << icon << n.summary << n.body << QStringList{QStringLiteral("default"), tr("Show")}
         << hints << int(stays ? 0 : -1); // 0: until dismissed
    m_inFlight.insert(key, true);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call, 5000), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, key](QDBusPendingCallWatcher *w) { replied(key, w); });
}

void DesktopNotifications::replied(qint64 key, QDBusPendingCallWatcher *watcher)
{
    watcher->deleteLater();
    m_inFlight.remove(key);
    const QDBusPendingReply<uint> reply = *watcher;
    if (reply.isError()) {
        setAvailable(false);
        m_queued.remove(key);
        Q_EMIT failed(key, reply.error().message());
        return;
    }
    setAvailable(true);
    const uint id = reply.value();
    if (const uint old = m_ids.value(key, 0u); old != 0 && old != id)
        m_keys.remove(old); // the server gave a new one (the old was dismissed)
    m_ids.insert(key, id);
    m_keys.insert(id, key);
    if (auto it = m_queued.find(key); it != m_queued.end()) {
        const Notification next = *it;
        m_queued.erase(it);
        send(key, next);
    }
}

void DesktopNotifications::onActionInvoked(uint id, const QString &action)
{
    if (action == QLatin1String("default") && m_keys.contains(id))
        Q_EMIT activated(m_keys.value(id));
}

void DesktopNotifications::setAvailable(bool available)
{
    if (available == m_available)
        return;
    m_available = available;
    Q_EMIT availabilityChanged(available);
}

} // namespace vigil
