// Light and dark palettes, and charts drawn in the palette's colours.
#include "theme.h"

#include "qcustomplot_include.h"

#include <QApplication>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

namespace vigil {

namespace {

const QString kSettingsKey = QStringLiteral("view/theme");

// The desktop's style and palette, as they were before a theme replaced them.
struct SystemLook
{
    QString style;
    QPalette palette;
};

SystemLook &systemLook()
{
    static SystemLook look{QApplication::style()->name(), QApplication::palette()};
    return look;
}

Theme &current()
{
    static Theme theme = Theme::System;
    return theme;
}

QPalette darkPalette()
{
    const QColor window(0x35, 0x35, 0x35);
    QPalette p(window, window); // button and window: light, dark, mid and shadow derived from them
    const QColor text(0xe8, 0xe8, 0xe8);
    const QColor disabled(0x80, 0x80, 0x80);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::AlternateBase, QColor(0x30, 0x30, 0x30));
    p.setColor(QPalette::ToolTipBase, QColor(0x45, 0x45, 0x45));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Link, QColor(0x5d, 0xad, 0xe2));
    p.setColor(QPalette::LinkVisited, QColor(0xaf, 0x7a, 0xc5));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xb0));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    for (const QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

// Re-styles a chart when its palette changes (the theme switched, or the desktop's did).
class PaletteFollower final : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::PaletteChange)
            if (auto *plot = qobject_cast<QCustomPlot *>(watched)) {
                styleChart(plot);
                plot->replot(QCustomPlot::rpQueuedReplot);
            }
        return false;
    }
};

} // namespace

QString themeKey(Theme theme)
{
    switch (theme) {
    case Theme::Light: return QStringLiteral("light");
    case Theme::Dark: return QStringLiteral("dark");
    case Theme::System: break;
    }
    return QStringLiteral("system");
}

Theme themeFromKey(const QString &key)
{
    if (key == QLatin1String("light"))
        return Theme::Light;
    if (key == QLatin1String("dark"))
        return Theme::Dark;
    return Theme::System;
}

Theme savedTheme()
{
    return themeFromKey(QSettings().value(kSettingsKey).toString());
}

void applyTheme(Theme theme)
{
    const SystemLook &system = systemLook(); // taken before the first change
    switch (theme) {
    case Theme::System:
        QApplication::setStyle(system.style);
        QApplication::setPalette(system.palette);
        break;
    case Theme::Light:
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(QApplication::style()->standardPalette());
        break;
    case Theme::Dark:
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(darkPalette());
        break;
    }
    current() = theme;
    QSettings().setValue(kSettingsKey, themeKey(theme));
}

Theme currentTheme()
{
    return current();
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor tinted(const QPalette &palette, const QColor &color, double amount)
{
    const QColor base = palette.color(QPalette::Base);
    return QColor::fromRgbF(float(base.redF() * (1 - amount) + color.redF() * amount), float(base.greenF() * (1 - amount) + color.greenF() * amount),
                            float(base.blueF() * (1 - amount) + color.blueF() * amount));
}

void followPalette(QCustomPlot *plot)
{
    plot->installEventFilter(new PaletteFollower(plot));
    styleChart(plot);
}

void styleChart(QCustomPlot *plot)
{
    const QPalette &p = plot->palette();
    const QColor text = p.color(QPalette::Text);
    QColor grid = p.color(QPalette::Text);
    grid.setAlpha(isDark(p) ? 45 : 35);
    QColor legendGround = p.color(QPalette::Base);
    legendGround.setAlpha(210);
    plot->setBackground(p.brush(QPalette::Base));
    for (QCPAxisRect *rect : plot->axisRects()) {
        rect->setBackground(p.brush(QPalette::Base));
        for (QCPAxis *axis : rect->axes()) {
            axis->setBasePen(QPen(text, 0));
            axis->setTickPen(QPen(text, 0));
            axis->setSubTickPen(QPen(text, 0));
            axis->setTickLabelColor(text);
            axis->setLabelColor(text);
            axis->grid()->setPen(QPen(grid, 0, Qt::DotLine));
            axis->grid()->setZeroLinePen(QPen(grid, 0));
        }
        for (int i = 0; i < rect->insetLayout()->elementCount(); ++i)
            if (auto *legend = qobject_cast<QCPLegend *>(rect->insetLayout()->elementAt(i))) {
                legend->setBrush(legendGround);
                legend->setTextColor(text);
                legend->setBorderPen(QPen(grid));
            }
    }
}

} // namespace vigil
