// SVG icons rendered at the sizes views ask for most.
#include "icons.h"

#include <QHash>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

namespace vigil {

QIcon svgIcon(const QString &name)
{
    static QHash<QString, QIcon> cache;
    if (auto it = cache.constFind(name); it != cache.constEnd())
        return it.value();
    QSvgRenderer renderer(QStringLiteral(":/vigil/icons/%1.svg").arg(name));
    QIcon icon;
    if (renderer.isValid()) {
        for (int size : {16, 24, 32, 48, 64, 128, 256}) {
            QPixmap pixmap(size, size);
            pixmap.fill(Qt::transparent);
            QPainter painter(&pixmap);
            renderer.render(&painter);
            painter.end();
            icon.addPixmap(pixmap);
        }
    }
    cache.insert(name, icon);
    return icon;
}

QIcon severityIcon(Severity severity)
{
    return svgIcon(severityName(severity));
}

QIcon checkIcon(PreflightCheck::Result result)
{
    switch (result) {
    case PreflightCheck::Result::Pass: return svgIcon(QStringLiteral("connected"));
    case PreflightCheck::Result::Warn: return svgIcon(QStringLiteral("warning"));
    case PreflightCheck::Result::Fail: break;
    }
    return svgIcon(QStringLiteral("critical"));
}

QIcon nodeStateIcon(NodeState state)
{
    switch (state) {
    case NodeState::Up: return svgIcon(QStringLiteral("connected"));
    case NodeState::Suspect: return severityIcon(Severity::Warning);
    case NodeState::Down: return severityIcon(Severity::Critical);
    case NodeState::Unknown: return svgIcon(QStringLiteral("unknown"));
    }
    return {};
}

QColor healthColor(Health h)
{
    switch (h) {
    case Health::Ok: return QColor(0x2e, 0x7d, 0x32);
    case Health::Warning: return QColor(0xf9, 0xa8, 0x25);
    case Health::Critical: return QColor(0xc6, 0x28, 0x28);
    case Health::Unknown: break;
    }
    return QColor(0x9e, 0x9e, 0x9e);
}

} // namespace vigil
