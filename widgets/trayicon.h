// The system tray's icon, where the desktop has a tray: the worst open incident's severity, the
// open ones counted in its tooltip, and a menu (show the window, the hour's mute, quit).
#pragma once

#include <QObject>

class QAction;
class QSystemTrayIcon;
class QWidget;

namespace vigil {

class IncidentNotifier;

class TrayIcon final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayIcon)

public:
    // Shown at once; `window` is raised from it and closed by its Quit.
    TrayIcon(IncidentNotifier *notifier, QAction *mute, QWidget *window);

private:
    void update();
    void raiseWindow();

    IncidentNotifier *m_notifier;
    QWidget *m_window;
    QSystemTrayIcon *m_icon;
};

} // namespace vigil
