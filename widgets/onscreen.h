// Whether a panel can be seen. Qt keeps the panels of a dock area's tabs behind the chosen one
// shown (isVisible() is true), moved out of the window: work that only draws can wait for them.
#pragma once

#include <functional>

class QWidget;

namespace vigil {

// Shown, and not behind another tab of a dock area.
bool isOnScreen(const QWidget *widget);

// Calls `revealed` (from the event loop) each time the dock widget holding `widget` comes to the
// front: its tab chosen, or the dock shown again. Call it from the widget's showEvent(): the first
// call connects, later ones do nothing; a widget in no dock widget is never behind a tab.
void callWhenRevealed(QWidget *widget, const std::function<void()> &revealed);

} // namespace vigil
