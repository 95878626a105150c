// Fleet overview: group tiles, their filter and the way to the next problem.
#include "fleetoverview.h"

#include "common/format.h"
#include "icons.h"
#include "theme.h"

#include <QCoreApplication>
#include <QCheckBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPainter>
#include <QScrollBar>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QVBoxLayout>

namespace vigil {

namespace {

// One tile: a bar in the health's colour, the name and the health, then the master, the replicas
// with the worst lag and the oldest save, and the first reason.
class GroupTileDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const override
    {
        return {option.fontMetrics.horizontalAdvance(QLatin1Char('m')) * 22, option.fontMetrics.height() * 4 + 18};
    }

    void paint(QPainter *p, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        const auto *model = qobject_cast<const GroupTileModel *>(index.model());
        const GroupSummary *g = model ? model->summary(index.row()) : nullptr;
        if (!g)
            return;
        p->save();
        p->setRenderHint(QPainter::Antialiasing);
        const QRectF box = QRectF(option.rect).adjusted(3, 3, -3, -3);
        const QColor color = healthColor(g->health);
        const QPalette &pal = option.palette;
        // A sick group's tile tinted with its colour, over the palette's ground (light or dark).
        QColor fill = pal.color(QPalette::Base);
        if (g->health == Health::Critical || g->health == Health::Warning)
            fill = tinted(pal, color, 0.12);
        const bool selected = option.state & QStyle::State_Selected;
        p->setPen(QPen(selected ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid), selected ? 2.5 : 1));
        p->setBrush(fill);
        p->drawRoundedRect(box, 4, 4);
        p->setPen(Qt::NoPen);
        p->setBrush(color);
        p->drawRoundedRect(QRectF(box.left(), box.top(), 6, box.height()), 3, 3);

        const QFontMetrics fm = option.fontMetrics;
        const int line = fm.height();
        QRect text = box.toRect().adjusted(13, 5, -6, -5);
        QFont bold = option.font;
        bold.setBold(true);
        p->setFont(bold);
        p->setPen(g->health == Health::Ok ? pal.color(QPalette::Text) : color.darker(g->health == Health::Warning ? 160 : 110));
        const QString health = healthName(g->health);
        const int healthWidth = QFontMetrics(bold).horizontalAdvance(health);
        p->drawText(QRect(text.right() - healthWidth, text.top(), healthWidth, line), Qt::AlignRight, health);
        p->setPen(pal.color(QPalette::Text));
        p->drawText(QRect(text.left(), text.top(), text.width() - healthWidth - 8, line), Qt::AlignLeft,
                    QFontMetrics(bold).elidedText(g->name, Qt::ElideMiddle, text.width() - healthWidth - 8));
        p->setFont(option.font);

        const QString master = g->master.isEmpty() ? QCoreApplication::translate("vigil::FleetOverview", "no master")
                                                   : QCoreApplication::translate("vigil::FleetOverview", "master %1").arg(g->master);
        p->drawText(QRect(text.left(), text.top() + line, text.width(), line), Qt::AlignLeft,
                    fm.elidedText(QStringLiteral("%1 \u00b7 %2").arg(groupKindName(g->kind), master), Qt::ElideRight, text.width()));

        QStringList figures{QCoreApplication::translate("vigil::FleetOverview", "%1/%2 replicas").arg(g->replicasLinked).arg(g->replicas)};
        if (g->worstLagBytes >= 0)
            figures << QCoreApplication::translate("vigil::FleetOverview", "lag %1").arg(humanBytes(g->worstLagBytes));
        if (g->neverSaved)
            figures << QCoreApplication::translate("vigil::FleetOverview", "never saved");
        else if (g->oldestSaveSeconds >= 0)
            figures << QCoreApplication::translate("vigil::FleetOverview", "saved %1").arg(humanAge(g->oldestSaveSeconds));
        if (g->openIncidents > 0)
            figures << QCoreApplication::translate("vigil::FleetOverview", "%n incident(s)", nullptr, g->openIncidents);
        p->drawText(QRect(text.left(), text.top() + 2 * line, text.width(), line), Qt::AlignLeft,
                    fm.elidedText(figures.join(QStringLiteral(" \u00b7 ")), Qt::ElideRight, text.width()));
        if (!g->reasons.isEmpty()) {
            p->setPen(g->health == Health::Ok ? pal.color(QPalette::PlaceholderText) : color.darker(g->health == Health::Warning ? 170 : 120));
            QString first = g->reasons.first();
            if (g->reasons.size() > 1)
                first += QStringLiteral(" (+%1)").arg(g->reasons.size() - 1);
            p->drawText(QRect(text.left(), text.top() + 3 * line, text.width(), line), Qt::AlignLeft,
                        fm.elidedText(first, Qt::ElideRight, text.width()));
        }
        p->restore();
    }
};

} // namespace

FleetOverview::FleetOverview(QWidget *parent)
    : QWidget(parent)
    , m_model(new GroupTileModel(this))
    , m_filter(new QLineEdit(this))
    , m_problemsOnly(new QCheckBox(tr("Problems only"), this))
    , m_summary(new QLabel(this))
    , m_tiles(new QListView(this))
{
    setObjectName(QStringLiteral("fleetOverview"));
    m_filter->setObjectName(QStringLiteral("fleetFilter"));
    m_filter->setPlaceholderText(tr("Filter groups by name or address (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_problemsOnly->setObjectName(QStringLiteral("fleetProblemsOnly"));
    m_summary->setObjectName(QStringLiteral("fleetSummary"));
    m_tiles->setObjectName(QStringLiteral("fleetTiles"));
    m_tiles->setModel(m_model);
    m_tiles->setItemDelegate(new GroupTileDelegate(m_tiles));
    m_tiles->setViewMode(QListView::IconMode);
    m_tiles->setFlow(QListView::LeftToRight);
    m_tiles->setWrapping(true);
    m_tiles->setResizeMode(QListView::Adjust);
    m_tiles->setMovement(QListView::Static);
    m_tiles->setUniformItemSizes(true);
    m_tiles->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tiles->setSpacing(0);
    m_tiles->setMouseTracking(true);

    auto *all = new QToolButton(this);
    all->setObjectName(QStringLiteral("fleetShowAll"));
    all->setText(tr("All groups"));
    all->setToolTip(tr("Show every group in the diagram"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_problemsOnly);
    bar->addWidget(m_summary);
    bar->addWidget(all);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_tiles, 1);

    auto refilter = [this] {
        m_model->setFilter(m_filter->text(), m_problemsOnly->isChecked());
        restoreSelection();
        updateSummary();
    };
    connect(m_filter, &QLineEdit::textChanged, this, refilter);
    connect(m_problemsOnly, &QCheckBox::toggled, this, refilter);
    // A click on a tile; a tile filtered out stays the selected group.
    connect(m_tiles->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const QModelIndex current = m_tiles->selectionModel()->currentIndex();
        if (current.isValid() && m_tiles->selectionModel()->isSelected(current))
            setSelected(current.data(GroupTileModel::IdRole).toString());
    });
    connect(all, &QToolButton::clicked, this, [this] { selectGroup({}); });
    updateSummary();
}

void FleetOverview::setGroups(QList<GroupSummary> groups)
{
    const int scroll = m_tiles->verticalScrollBar()->value();
    m_model->setGroups(std::move(groups));
    m_tiles->verticalScrollBar()->setValue(scroll);
    if (!m_selected.isEmpty() && !m_model->group(m_selected))
        setSelected({}); // gone from the fleet
    restoreSelection();
    updateSummary();
}

void FleetOverview::restoreSelection()
{
    // A reset (a group moved, a filter changed) loses the view's selection: put it back by id.
    const int row = m_selected.isEmpty() ? -1 : m_model->rowOf(m_selected);
    const QModelIndex current = m_tiles->selectionModel()->currentIndex();
    if (row < 0 ? !m_tiles->selectionModel()->hasSelection() : (current.row() == row && m_tiles->selectionModel()->isSelected(current)))
        return;
    const QSignalBlocker block(m_tiles->selectionModel());
    if (row < 0) {
        m_tiles->selectionModel()->clear();
    } else {
        m_tiles->selectionModel()->setCurrentIndex(m_model->index(row), QItemSelectionModel::ClearAndSelect);
    }
    m_tiles->viewport()->update();
}

void FleetOverview::setSelected(const QString &id)
{
    if (id == m_selected)
        return;
    m_selected = id;
    Q_EMIT groupSelected(id);
}

void FleetOverview::selectGroup(const QString &id)
{
    setSelected(id);
    restoreSelection();
    if (const int row = m_model->rowOf(id); row >= 0)
        m_tiles->scrollTo(m_model->index(row));
}

bool FleetOverview::selectNextProblem(bool forward)
{
    const int rows = m_model->rowCount();
    const int selected = m_model->rowOf(m_selected);
    const int start = selected >= 0 ? selected : (forward ? rows - 1 : 0);
    for (int step = 1; step <= rows; ++step) {
        const int row = ((start + (forward ? step : -step)) % rows + rows) % rows;
        if (const GroupSummary *g = m_model->summary(row); g && g->health != Health::Ok) {
            selectGroup(g->id);
            return true;
        }
    }
    return false;
}

void FleetOverview::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void FleetOverview::updateSummary()
{
    int critical = 0, warning = 0;
    for (const GroupSummary &g : m_model->allGroups()) {
        critical += g.health == Health::Critical ? 1 : 0;
        warning += g.health == Health::Warning ? 1 : 0;
    }
    const int total = int(m_model->allGroups().size());
    QString text = tr("%n group(s)", nullptr, total);
    if (critical > 0)
        text += tr(", %1 critical").arg(critical);
    if (warning > 0)
        text += tr(", %1 warning").arg(warning);
    if (m_model->rowCount() != total)
        text += tr(" (%1 shown)").arg(m_model->rowCount());
    m_summary->setText(text);
}

} // namespace vigil
