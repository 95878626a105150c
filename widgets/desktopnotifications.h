// The desktop's notification server (org.freedesktop.Notifications) over D-Bus: one notification
// per key, replaced in place (its `replaces_id`), clicks reported back. Its calls wait for no
// answer (Notify and asking for the server are asynchronous), so a hung server never holds the
// GUI; only connecting to the session bus, once at start, waits for the bus.
#pragma once

#include "journal/event.h"

#include <QDBusConnection>
#include <QHash>
#include <QObject>
#include <QString>

class QDBusPendingCallWatcher;

namespace vigil {

class DesktopNotifications final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DesktopNotifications)

public:
    struct Notification
    {
        QString summary;
        QString body;
        Severity severity = Severity::Warning;
        bool resolved = false;
    };

    static constexpr const char *kService = "org.freedesktop.Notifications";

    // `bus` is the session bus in the application; a disconnected one means no server.
    explicit DesktopNotifications(const QDBusConnection &bus, QObject *parent = nullptr);

    // False once the bus is missing or a call found no server; true again when one appears.
    bool isAvailable() const { return m_available; }
    // Shows the notification of `key`, or replaces the one shown for it.
    void show(qint64 key, const Notification &notification);

Q_SIGNALS:
    // The operator clicked the notification of `key`.
    void activated(qint64 key);
    // No server took a notification (`why`): the caller shows it another way. Given once per
    // notification that failed.
    void failed(qint64 key, const QString &why);
    void availabilityChanged(bool available);

private Q_SLOTS:
    // org.freedesktop.Notifications' ActionInvoked (connected by name: Qt D-Bus has no typed connect).
    void onActionInvoked(uint id, const QString &action);

private:
    void send(qint64 key, const Notification &notification);
    void replied(qint64 key, QDBusPendingCallWatcher *watcher);
    void setAvailable(bool available);

    QDBusConnection m_bus;
    bool m_available = false;
    QHash<qint64, uint> m_ids;            // key -> the server's id for its notification
    QHash<uint, qint64> m_keys;           // the reverse
    QHash<qint64, Notification> m_queued; // shown again while its first Notify is unanswered
    QHash<qint64, bool> m_inFlight;       // keys whose Notify awaits its reply
};

} // namespace vigil
