// Light and dark: the desktop's own palette (the default), or Fusion with a light or a dark one,
// chosen in the View menu and remembered; and what draws itself (charts, tiles, banners) taking
// its colours from the palette, so that both read well.
#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

class QCustomPlot;

namespace vigil {

enum class Theme { System, Light, Dark };

QString themeKey(Theme theme); // "system", "light", "dark"
Theme themeFromKey(const QString &key);

// The theme remembered in the settings (System when none).
Theme savedTheme();
// Applies `theme` to the application and remembers it.
void applyTheme(Theme theme);
Theme currentTheme();

// Whether a palette draws light text on dark ground.
bool isDark(const QPalette &palette);
// `color` laid over the palette's base at `amount` (0..1): a tile's or banner's ground that keeps
// the palette's text readable, light or dark.
QColor tinted(const QPalette &palette, const QColor &color, double amount);

// Draws `plot`'s backgrounds, axes, grids and legends in its palette's colours, now and whenever
// its palette changes. A chart that rebuilds its axes calls styleChart() again after.
void followPalette(QCustomPlot *plot);
void styleChart(QCustomPlot *plot);

} // namespace vigil
