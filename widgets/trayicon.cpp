// The tray icon: the worst open incident at a glance.
#include "trayicon.h"

#include "icons.h"
#include "incidentnotifier.h"

#include <QMenu>
#include <QSystemTrayIcon>
#include <QWidget>

namespace vigil {

TrayIcon::TrayIcon(IncidentNotifier *notifier, QAction *mute, QWidget *window)
    : QObject(window)
    , m_notifier(notifier)
    , m_window(window)
    , m_icon(new QSystemTrayIcon(svgIcon(QStringLiteral("vigil")), this))
{
    auto *menu = new QMenu(window);
    menu->addAction(tr("&Show Vigil"), this, &TrayIcon::raiseWindow);
    menu->addAction(mute);
    menu->addSeparator();
    menu->addAction(tr("&Quit"), window, &QWidget::close);
    m_icon->setContextMenu(menu);
    connect(m_icon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger)
            raiseWindow();
    });
    connect(notifier, &IncidentNotifier::openChanged, this, &TrayIcon::update);
    update();
    m_icon->show();
}

void TrayIcon::update()
{
    const Severity worst = m_notifier->worstOpen();
    const int open = m_notifier->openCount();
    m_icon->setIcon(open == 0 ? svgIcon(QStringLiteral("vigil")) : severityIcon(worst));
    m_icon->setToolTip(open == 0 ? tr("Vigil: no open incident")
                                 : tr("Vigil: %n incident(s) open, the worst %1", nullptr, open).arg(severityLabel(worst)));
}

void TrayIcon::raiseWindow()
{
    m_window->showNormal();
    m_window->raise();
    m_window->activateWindow();
}

} // namespace vigil
