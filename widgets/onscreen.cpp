// Whether a panel can be seen.
#include "onscreen.h"

#include <QDockWidget>
#include <QTimer>

namespace vigil {

namespace {

constexpr const char *kWatched = "vigilRevealWatched";

} // namespace

bool isOnScreen(const QWidget *widget)
{
    return widget->isVisible() && !widget->visibleRegion().isEmpty();
}

void callWhenRevealed(QWidget *widget, const std::function<void()> &revealed)
{
    if (widget->property(kWatched).toBool())
        return;
    QWidget *ancestor = widget->parentWidget();
    while (ancestor && !qobject_cast<QDockWidget *>(ancestor))
        ancestor = ancestor->parentWidget();
    auto *dock = qobject_cast<QDockWidget *>(ancestor);
    if (!dock)
        return;
    widget->setProperty(kWatched, true);
    // The dock is told before it is moved back into the window: the widget looks after that.
    QObject::connect(dock, &QDockWidget::visibilityChanged, widget, [widget, revealed](bool visible) {
        if (visible)
            QTimer::singleShot(0, widget, revealed);
    });
}

} // namespace vigil
