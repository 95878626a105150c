// The in-window banner of incident notices.
#include "notificationbanner.h"

#include "icons.h"
#include "theme.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace vigil {

NotificationBanner::NotificationBanner(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_show(new QPushButton(tr("Show Incident"), this))
{
    setObjectName(QStringLiteral("notificationBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_text->setObjectName(QStringLiteral("bannerText"));
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setWordWrap(true);
    auto *dismiss = new QToolButton(this);
    dismiss->setObjectName(QStringLiteral("bannerDismiss"));
    dismiss->setText(QStringLiteral("\u2715"));
    dismiss->setAutoRaise(true);
    dismiss->setToolTip(tr("Dismiss"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_show);
    layout->addWidget(dismiss);
    connect(m_show, &QPushButton::clicked, this, [this] { Q_EMIT showRequested(m_shown); });
    connect(dismiss, &QToolButton::clicked, this, [this] {
        m_open.clear();
        m_shown = -1;
        hide();
    });
    hide();
}

void NotificationBanner::showNotice(const IncidentNotice &notice)
{
    m_order.insert(notice.key, ++m_arrivals);
    if (notice.resolved())
        m_open.remove(notice.key);
    else
        m_open.insert(notice.key, notice);
    const IncidentNotice *worst = nullptr;
    for (const IncidentNotice &n : std::as_const(m_open))
        if (!worst || n.severity > worst->severity || (n.severity == worst->severity && m_order.value(n.key) > m_order.value(worst->key)))
            worst = &n;
    present(worst ? *worst : notice);
    for (auto it = m_order.begin(); it != m_order.end();)
        it = m_open.contains(it.key()) ? std::next(it) : m_order.erase(it);
}

void NotificationBanner::present(const IncidentNotice &notice)
{
    m_shown = notice.key;
    const Severity shown = notice.resolved() ? Severity::Info : notice.severity;
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_icon->setPixmap(severityIcon(shown).pixmap(size, size));
    m_text->setText(QStringLiteral("<b>%1</b><br>%2").arg(notice.summary.toHtmlEscaped(), notice.body.toHtmlEscaped()));
    m_shownSeverity = shown;
    tint();
    show();
}

void NotificationBanner::tint()
{
    // The palette's base tinted towards the severity: readable on light and dark themes.
    const QColor colour = m_shownSeverity == Severity::Critical ? QColor(220, 50, 47)
        : m_shownSeverity == Severity::Warning                  ? QColor(230, 160, 0)
                                                                : QColor(60, 160, 80);
    m_tinting = true;
    QPalette p = palette();
    p.setColor(QPalette::Window, tinted(p, colour, 0.25));
    setPalette(p);
    m_tinting = false;
}

void NotificationBanner::changeEvent(QEvent *event)
{
    // The theme changed under it: the ground follows the new base.
    if (event->type() == QEvent::PaletteChange && !m_tinting && m_shown >= 0)
        tint();
    QFrame::changeEvent(event);
}

QString NotificationBanner::text() const
{
    return m_text->text();
}

} // namespace vigil
