// Topology diagram items and layout.
#include "topologyview.h"

#include "icons.h"

#include <QCoreApplication>
#include <QContextMenuEvent>
#include <QDateTime>
#include <QGraphicsItem>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsScene>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <QWheelEvent>

#include <cmath>

namespace vigil {

namespace {

constexpr qreal kCardWidth = 236;
constexpr qreal kCardHeight = 112;
constexpr qreal kColumnGap = 28;
constexpr qreal kRowGap = 64;
constexpr qreal kGroupGap = 56;
constexpr qreal kTitleHeight = 26;
constexpr qreal kButtonHeight = 20;

QString savedText(const InfoSnapshot &s)
{
    if (s.lastSaveTime < 0)
        return QCoreApplication::translate("vigil::TopologyView", "saved ?");
    if (s.neverSaved())
        return QCoreApplication::translate("vigil::TopologyView", "never saved \u00b7 %1 changes").arg(s.changesSinceSave);
    return QCoreApplication::translate("vigil::TopologyView", "saved %1 \u00b7 %2 changes")
        .arg(humanAge(QDateTime::currentSecsSinceEpoch() - s.lastSaveTime))
        .arg(s.changesSinceSave);
}

QString persistenceText(const InfoSnapshot &s)
{
    QString bgsave;
    if (s.bgsaveInProgress) {
        bgsave = QCoreApplication::translate("vigil::TopologyView", "bgsave running");
        if (s.saveKeysTotal > 0 && s.saveKeysProcessed >= 0)
            bgsave += QStringLiteral(" %1 %").arg(100 * s.saveKeysProcessed / s.saveKeysTotal);
    } else {
        bgsave = QStringLiteral("bgsave %1").arg(s.lastBgsaveStatus.isEmpty() ? QStringLiteral("?") : s.lastBgsaveStatus);
    }
    QString aof = s.aofEnabled ? QStringLiteral("AOF %1").arg(s.aofRewriteInProgress ? QCoreApplication::translate("vigil::TopologyView", "rewriting")
                                                                                     : s.aofLastWriteStatus)
                               : QCoreApplication::translate("vigil::TopologyView", "AOF off");
    return bgsave + QStringLiteral(" \u00b7 ") + aof;
}

QStringList serverLines(const GraphNode &n, const NodeHealth &health)
{
    QString role = n.info() ? roleName(n.info()->role) : QCoreApplication::translate("vigil::TopologyView", "unknown role");
    if (!n.clusterRole.isEmpty())
        role = n.clusterRole + (n.slots.isEmpty() ? QString() : QLatin1Char(' ') + n.slots);
    if (n.splitBrain)
        role = QCoreApplication::translate("vigil::TopologyView", "STALE MASTER");
    else if (n.staleMaster)
        role = QCoreApplication::translate("vigil::TopologyView", "former master");
    QStringList lines{n.status.address, role};
    const InfoSnapshot *s = n.info();
    if (!n.reachable()) {
        lines << QCoreApplication::translate("vigil::TopologyView", "unreachable") << n.status.lastError;
        if (s)
            lines << QCoreApplication::translate("vigil::TopologyView", "last known: %1, offset %2").arg(roleName(s->role)).arg(s->masterReplOffset);
        return lines;
    }
    if (!s) {
        lines << QCoreApplication::translate("vigil::TopologyView", "waiting for the first poll");
        return lines;
    }
    if (s->isReplica()) {
        lines << QCoreApplication::translate("vigil::TopologyView", "offset %1 \u00b7 link %2").arg(s->replicaOffset).arg(s->linkStatus);
        lines << QCoreApplication::translate("vigil::TopologyView", "lag %1 \u00b7 %2 s \u00b7 io %3 s")
                     .arg(n.lagBytes >= 0 ? humanBytes(n.lagBytes) : QStringLiteral("?"))
                     .arg(n.lagSeconds >= 0 ? QString::number(n.lagSeconds) : QStringLiteral("?"))
                     .arg(s->lastIoSecondsAgo >= 0 ? QString::number(s->lastIoSecondsAgo) : QStringLiteral("-"));
    } else {
        lines << QCoreApplication::translate("vigil::TopologyView", "offset %1 \u00b7 %n replica(s)", nullptr, s->connectedReplicas)
                     .arg(s->masterReplOffset);
        lines << QCoreApplication::translate("vigil::TopologyView", "%1 clients \u00b7 %2 \u00b7 up %3")
                     .arg(s->connectedClients)
                     .arg(humanBytes(s->usedMemory))
                     .arg(humanAge(s->uptimeSeconds).chopped(4));
    }
    lines << savedText(*s) << persistenceText(*s);
    if (health.level != Health::Ok && !health.reasons.isEmpty())
        lines << health.reasons.first();
    return lines;
}

QStringList sentinelLines(const TargetStatus &s, const NodeHealth &health)
{
    QStringList lines{s.address, QStringLiteral("sentinel")};
    if (!s.connected) {
        lines << QCoreApplication::translate("vigil::TopologyView", "unreachable") << s.lastError;
        return lines;
    }
    for (const SentinelView &v : s.sentinelViews) {
        const SentinelInstance &m = v.master;
        const QString state = m.objectivelyDown() ? QStringLiteral("ODOWN") : m.subjectivelyDown() ? QStringLiteral("SDOWN") : QStringLiteral("up");
        lines << QStringLiteral("%1 \u2192 %2 %3").arg(m.name, m.address(), state);
        lines << QCoreApplication::translate("vigil::TopologyView", "quorum %1 \u00b7 epoch %2 \u00b7 %3 sentinels")
                     .arg(m.quorum)
                     .arg(m.configEpoch)
                     .arg(v.sentinels.size() + 1);
        if (!m.failoverState.isEmpty() && m.failoverState != QLatin1String("none"))
            lines << QCoreApplication::translate("vigil::TopologyView", "failover: %1").arg(m.failoverState);
    }
    if (s.sentinelViews.isEmpty())
        lines << QCoreApplication::translate("vigil::TopologyView", "watches no master group");
    Q_UNUSED(health)
    return lines;
}

// Deletes the items whose key was not seen in this update.
template<typename Item>
void dropUnseen(QHash<QString, Item *> &items, const QSet<QString> &seen)
{
    for (auto it = items.begin(); it != items.end();) {
        if (seen.contains(it.key())) {
            ++it;
            continue;
        }
        delete it.value();
        it = items.erase(it);
    }
}

} // namespace

// One node: a rounded card with a health strip; line 0 is the title, line 1 the role badge.
class NodeCard final : public QGraphicsItem
{
public:
    explicit NodeCard(QString key)
        : m_key(std::move(key))
    {
        setFlag(ItemIsSelectable);
        setAcceptHoverEvents(true);
        setCacheMode(DeviceCoordinateCache);
    }

    QString key() const { return m_key; }
    QRectF boundingRect() const override { return QRectF(-2, -2, kCardWidth + 4, m_height + 4); }

    // Buttons along the bottom edge: Promote on replicas, Snapshot on servers.
    void setActions(const QStringList &actions)
    {
        if (actions == m_actions)
            return;
        prepareGeometryChange();
        m_actions = actions;
        update();
    }
    QStringList actions() const { return m_actions; }
    QRectF actionRect(int i) const
    {
        const qreal w = 78;
        return QRectF(kCardWidth - (w + 6) * (i + 1), m_height - kButtonHeight - 6, w, kButtonHeight);
    }

    void setContent(const QStringList &lines, Health health, const QString &tooltip, bool sentinel)
    {
        const qreal needed = 12 + 18 * (lines.size() - 1) + 8 + (sentinel ? 0 : kButtonHeight + 6);
        const qreal height = sentinel ? needed : std::max<qreal>(kCardHeight, needed);
        if (lines == m_lines && health == m_health && tooltip == toolTip() && height == m_height)
            return;
        if (height != m_height)
            prepareGeometryChange();
        m_lines = lines;
        m_health = health;
        m_height = height;
        m_sentinel = sentinel;
        setToolTip(tooltip);
        update();
    }
    QStringList lines() const { return m_lines; }
    Health health() const { return m_health; }
    qreal height() const { return m_height; }

    void paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *) override
    {
        p->setRenderHint(QPainter::Antialiasing);
        const QRectF r(0, 0, kCardWidth, m_height);
        const bool selected = option->state & QStyle::State_Selected;
        const QPalette pal = scene() && !scene()->views().isEmpty() ? scene()->views().first()->palette() : QPalette();
        p->setPen(QPen(selected ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid), selected ? 2.5 : 1));
        p->setBrush(m_sentinel ? pal.color(QPalette::AlternateBase) : pal.color(QPalette::Base));
        p->drawRoundedRect(r, 6, 6);
        // Health strip on the left.
        p->setPen(Qt::NoPen);
        p->setBrush(healthColor(m_health));
        p->drawRoundedRect(QRectF(0, 0, 7, m_height), 3, 3);
        if (m_lines.isEmpty())
            return;
        QFont bold = p->font();
        bold.setBold(true);
        p->setFont(bold);
        p->setPen(pal.color(QPalette::Text));
        const QRectF titleRect(14, 6, kCardWidth - 20, 18);
        p->drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter, m_lines.value(0));
        // Role badge on the right of the title.
        const QString badge = m_lines.value(1);
        QFont small = p->font();
        small.setBold(false);
        small.setPointSizeF(small.pointSizeF() * 0.85);
        p->setFont(small);
        const QFontMetricsF fm(small);
        const qreal bw = fm.horizontalAdvance(badge) + 10;
        const QRectF badgeRect(kCardWidth - bw - 6, 7, bw, 16);
        p->setPen(Qt::NoPen);
        p->setBrush(healthColor(m_health).lighter(m_health == Health::Warning ? 130 : 170));
        p->drawRoundedRect(badgeRect, 7, 7);
        p->setPen(pal.color(QPalette::Text));
        p->drawText(badgeRect, Qt::AlignCenter, badge);
        QFont body = small;
        body.setPointSizeF(p->font().pointSizeF() / 0.85 * 0.92);
        p->setFont(body);
        for (int i = 2; i < m_lines.size(); ++i) {
            const QRectF line(14, 12 + 18 * (i - 1), kCardWidth - 20, 18);
            const bool alarm = i == m_lines.size() - 1 && m_health != Health::Ok && m_health != Health::Unknown;
            p->setPen(alarm ? healthColor(m_health).darker(m_health == Health::Warning ? 160 : 110) : pal.color(QPalette::Text));
            p->drawText(line, Qt::AlignLeft | Qt::AlignVCenter, QFontMetricsF(body).elidedText(m_lines.at(i), Qt::ElideRight, line.width()));
        }
        for (int i = 0; i < m_actions.size(); ++i) {
            const QRectF button = actionRect(i);
            p->setPen(QPen(pal.color(QPalette::Mid), 1));
            p->setBrush(pal.color(QPalette::Button));
            p->drawRoundedRect(button, 4, 4);
            p->setPen(pal.color(QPalette::ButtonText));
            p->drawText(button, Qt::AlignCenter,
                        m_actions.at(i) == QLatin1String("promote") ? QCoreApplication::translate("vigil::TopologyView", "Promote…")
                                                                    : QCoreApplication::translate("vigil::TopologyView", "Snapshot…"));
        }
    }

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override
    {
        for (int i = 0; i < m_actions.size(); ++i)
            if (actionRect(i).contains(event->pos()) && scene() && !scene()->views().isEmpty()) {
                if (auto *view = qobject_cast<TopologyView *>(scene()->views().first())) {
                    view->triggerCardAction(m_key, m_actions.at(i));
                    event->accept();
                    return;
                }
            }
        QGraphicsItem::mousePressEvent(event);
    }

private:
    QString m_key;
    QStringList m_actions;
    QStringList m_lines;
    Health m_health = Health::Unknown;
    qreal m_height = kCardHeight;
    bool m_sentinel = false;
};

// Master to replica, labelled with the replica's lag as the master reports it.
class ReplicationEdge final : public QGraphicsItem
{
public:
    ReplicationEdge() { setZValue(-1); }

    QRectF boundingRect() const override { return QRectF(m_from, m_to).normalized().adjusted(-90, -20, 90, 20); }

    void set(QPointF from, QPointF to, const QString &label, Health health, bool linkUp)
    {
        if (from == m_from && to == m_to && label == m_label && health == m_health && linkUp == m_linkUp)
            return;
        prepareGeometryChange();
        m_from = from;
        m_to = to;
        m_label = label;
        m_health = health;
        m_linkUp = linkUp;
        update();
    }
    QString label() const { return m_label; }

    void paint(QPainter *p, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        p->setRenderHint(QPainter::Antialiasing);
        const QColor color = m_health == Health::Ok ? QColor(0x75, 0x75, 0x75) : healthColor(m_health);
        p->setPen(QPen(color, 2, m_linkUp ? Qt::SolidLine : Qt::DashLine));
        const qreal midY = (m_from.y() + m_to.y()) / 2;
        QPainterPath path(m_from);
        path.cubicTo(QPointF(m_from.x(), midY), QPointF(m_to.x(), midY), m_to);
        p->setBrush(Qt::NoBrush);
        p->drawPath(path);
        // Arrow head into the replica.
        p->setBrush(color);
        p->drawPolygon(QPolygonF{m_to, m_to + QPointF(-5, -9), m_to + QPointF(5, -9)});
        const QPointF mid = path.pointAtPercent(0.5);
        QFont f = p->font();
        f.setPointSizeF(f.pointSizeF() * 0.85);
        p->setFont(f);
        const QFontMetricsF fm(f);
        const QRectF box(mid.x() - fm.horizontalAdvance(m_label) / 2 - 5, mid.y() - 9, fm.horizontalAdvance(m_label) + 10, 18);
        const QPalette pal = scene() && !scene()->views().isEmpty() ? scene()->views().first()->palette() : QPalette();
        p->setPen(QPen(color, 1));
        p->setBrush(pal.color(QPalette::Base));
        p->drawRoundedRect(box, 8, 8);
        p->setPen(pal.color(QPalette::Text));
        p->drawText(box, Qt::AlignCenter, m_label);
    }

private:
    QPointF m_from, m_to;
    QString m_label;
    Health m_health = Health::Ok;
    bool m_linkUp = true;
};

TopologyView::TopologyView(QWidget *parent)
    : QGraphicsView(parent)
    , m_scene(new QGraphicsScene(this))
{
    setObjectName(QStringLiteral("topologyView"));
    setScene(m_scene);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setAlignment(Qt::AlignLeft | Qt::AlignTop);
    connect(m_scene, &QGraphicsScene::selectionChanged, this, &TopologyView::onSceneSelection);
}

TopologyView::~TopologyView()
{
    // The scene deletes its cards as it goes: a selected one would announce a new selection.
    QObject::disconnect(m_scene, nullptr, this, nullptr);
}

void TopologyView::setGraph(const TopologyGraph &graph, const TopologyThresholds &thresholds)
{
    m_updating = true;
    QSet<QString> seenCards, seenEdges, seenTitles;
    // A bold heading above a group (or the sentinels), kept across updates like the cards.
    auto placeTitle = [&](const QString &key, const QString &text, QPointF pos) {
        QGraphicsSimpleTextItem *item = m_titles.value(key);
        if (!item) {
            item = m_scene->addSimpleText(text);
            QFont f = font();
            f.setBold(true);
            item->setFont(f);
            item->setBrush(palette().color(QPalette::Text));
            m_titles.insert(key, item);
        }
        item->setText(text);
        item->setPos(pos);
        seenTitles.insert(key);
    };
    auto cardFor = [&](const QString &key) {
        NodeCard *card = m_cards.value(key);
        if (!card) {
            card = new NodeCard(key);
            m_scene->addItem(card);
            m_cards.insert(key, card);
            if (key == m_selected)
                card->setSelected(true);
        }
        seenCards.insert(key);
        return card;
    };

    // Sentinels along the top, each with its view of the groups it watches.
    qreal sx = 0;
    qreal sentinelHeight = 0;
    if (!graph.sentinels.isEmpty())
        placeTitle(QStringLiteral("sentinels"), tr("Sentinels"), QPointF(0, 0));
    for (const TargetStatus &s : graph.sentinels) {
        const NodeHealth health = assessSentinel(s);
        NodeCard *card = cardFor(sentinelNodeName(s.address));
        card->setContent(sentinelLines(s, health), health.level, health.reasons.isEmpty() ? s.display : health.reasons.join(QLatin1Char('\n')), true);
        card->setPos(sx, kTitleHeight);
        sx += kCardWidth + kColumnGap;
        sentinelHeight = std::max(sentinelHeight, card->height());
    }

    // Servers below them: each group a tree, laid out by leaf order; groups side by side.
    const qreal top = graph.sentinels.isEmpty() ? 0 : kTitleHeight + sentinelHeight + 28;
    qreal groupX = 0;
    qsizetype i = 0;
    while (i < graph.servers.size()) {
        // The group: servers[i] (a root) and the nodes after it with depth > 0.
        qsizetype end = i + 1;
        while (end < graph.servers.size() && graph.servers[end].depth > 0)
            ++end;
        // Leaves get consecutive columns; a parent sits above the middle of its children.
        QHash<QString, qreal> x;
        QHash<QString, qreal> height;
        qreal nextColumn = 0;
        std::function<qreal(qsizetype)> place = [&](qsizetype k) -> qreal {
            const GraphNode &n = graph.servers[k];
            QList<qreal> childX;
            for (qsizetype c = k + 1; c < end && graph.servers[c].depth > n.depth; ++c)
                if (graph.servers[c].depth == n.depth + 1)
                    childX << place(c);
            const qreal myX = childX.isEmpty() ? (nextColumn++) * (kCardWidth + kColumnGap) : (childX.first() + childX.last()) / 2;
            x.insert(n.status.address, myX);
            return myX;
        };
        place(i);
        const GraphNode &root = graph.servers[i];
        // Group title.
        const QString sentinelName = graph.sentinelGroupName(root.status.address);
        QString title = sentinelName.isEmpty() ? QCoreApplication::translate("vigil::TopologyView", "master %1").arg(root.status.address)
                                               : QCoreApplication::translate("vigil::TopologyView", "%1 (Sentinel)").arg(sentinelName);
        if (!root.clusterRole.isEmpty())
            title = QCoreApplication::translate("vigil::TopologyView", "shard %1").arg(root.slots.isEmpty() ? root.status.address : root.slots);
        placeTitle(root.status.address, title, QPointF(groupX, top));

        qreal groupWidth = 0;
        for (qsizetype k = i; k < end; ++k) {
            const GraphNode &n = graph.servers[k];
            const NodeHealth health = assessServer(n, thresholds);
            NodeCard *card = cardFor(n.status.address);
            card->setContent(serverLines(n, health), health.level,
                             health.reasons.isEmpty() ? n.status.display : health.reasons.join(QLatin1Char('\n')), false);
            QStringList actions;
            if (n.reachable() && n.info()) {
                actions << QStringLiteral("snapshot");
                if (n.info()->isReplica())
                    actions << QStringLiteral("promote");
            }
            card->setActions(actions);
            const QPointF pos(groupX + x.value(n.status.address), top + kTitleHeight + n.depth * (kCardHeight + kRowGap));
            card->setPos(pos);
            groupWidth = std::max(groupWidth, x.value(n.status.address) + kCardWidth);
        }
        // Edges to every replica whose master is in the diagram.
        for (qsizetype k = i; k < end; ++k) {
            const GraphNode &n = graph.servers[k];
            if (n.depth == 0 || !n.masterKnown)
                continue;
            NodeCard *from = m_cards.value(n.master);
            if (!from) {
                const GraphNode *m = graph.node(n.master);
                from = m ? m_cards.value(m->status.address) : nullptr;
            }
            NodeCard *to = m_cards.value(n.status.address);
            if (!from || !to)
                continue;
            ReplicationEdge *edge = m_edges.value(n.status.address);
            if (!edge) {
                edge = new ReplicationEdge;
                m_scene->addItem(edge);
                m_edges.insert(n.status.address, edge);
            }
            seenEdges.insert(n.status.address);
            const InfoSnapshot *s = n.info();
            const bool up = n.reachable() && s && s->linkStatus == QLatin1String("up");
            QString label = n.lagBytes >= 0 ? QStringLiteral("%1 \u00b7 %2 s").arg(humanBytes(n.lagBytes)).arg(n.lagSeconds)
                                            : QCoreApplication::translate("vigil::TopologyView", "lag ?");
            if (n.splitBrain)
                label = QCoreApplication::translate("vigil::TopologyView", "split brain");
            else if (n.staleMaster)
                label = QCoreApplication::translate("vigil::TopologyView", "former master");
            else if (!up)
                label = QCoreApplication::translate("vigil::TopologyView", "link down");
            Health h = Health::Ok;
            if (!up)
                h = Health::Critical;
            else if (n.lagBytes > thresholds.lagBytes || n.lagSeconds > thresholds.lagSeconds)
                h = Health::Warning;
            edge->set(from->pos() + QPointF(kCardWidth / 2, from->height()), to->pos() + QPointF(kCardWidth / 2, 0), label, h, up);
        }
        groupX += groupWidth + kGroupGap;
        i = end;
    }

    // Forget what is gone.
    dropUnseen(m_cards, seenCards);
    dropUnseen(m_edges, seenEdges);
    dropUnseen(m_titles, seenTitles);
    m_scene->setSceneRect(m_scene->itemsBoundingRect().adjusted(-16, -16, 16, 16));
    m_updating = false;
    autoFit();
}

// Until the operator zooms: everything visible, never enlarged past 100 % (nor shrunk below 30 %,
// where cards stop being readable: then it scrolls).
void TopologyView::autoFit()
{
    if (!m_autoFit || m_cards.isEmpty() || viewport()->width() < 50 || viewport()->height() < 50)
        return;
    fitInView(m_scene->sceneRect(), Qt::KeepAspectRatio);
    applyZoom(std::clamp(zoom(), 0.3, 1.0));
}

void TopologyView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    autoFit();
}

void TopologyView::select(const QString &address)
{
    m_selected = address;
    for (auto it = m_cards.cbegin(); it != m_cards.cend(); ++it)
        it.value()->setSelected(it.key() == address);
}

void TopologyView::onSceneSelection()
{
    if (m_updating)
        return;
    const QList<QGraphicsItem *> items = m_scene->selectedItems();
    QString address;
    for (QGraphicsItem *item : items)
        if (auto *card = dynamic_cast<NodeCard *>(item))
            address = card->key();
    if (address == m_selected)
        return;
    m_selected = address;
    Q_EMIT selectionChanged(address);
}

void TopologyView::setZoom(double factor)
{
    m_autoFit = false;
    applyZoom(factor);
}

void TopologyView::applyZoom(double factor)
{
    factor = std::clamp(factor, 0.2, 3.0);
    QTransform t;
    t.scale(factor, factor);
    setTransform(t);
}

double TopologyView::zoom() const
{
    return transform().m11();
}

void TopologyView::fitAll()
{
    m_autoFit = true;
    autoFit();
}

void TopologyView::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    setZoom(zoom() * std::pow(1.15, steps));
    event->accept();
}

void TopologyView::contextMenuEvent(QContextMenuEvent *event)
{
    if (auto *card = dynamic_cast<NodeCard *>(itemAt(event->pos()))) {
        select(card->key());
        Q_EMIT selectionChanged(card->key());
        Q_EMIT contextMenuRequestedFor(card->key(), event->globalPos());
        event->accept();
        return;
    }
    QGraphicsView::contextMenuEvent(event);
}

QStringList TopologyView::cardText(const QString &address) const
{
    const NodeCard *card = m_cards.value(address);
    return card ? card->lines() : QStringList();
}

Health TopologyView::cardHealth(const QString &address) const
{
    const NodeCard *card = m_cards.value(address);
    return card ? card->health() : Health::Unknown;
}

QStringList TopologyView::cardActions(const QString &address) const
{
    const NodeCard *card = m_cards.value(address);
    return card ? card->actions() : QStringList();
}

bool TopologyView::triggerCardAction(const QString &address, const QString &action)
{
    if (!cardActions(address).contains(action))
        return false;
    select(address);
    Q_EMIT selectionChanged(address);
    if (action == QLatin1String("promote"))
        Q_EMIT promoteRequested(address);
    else
        Q_EMIT snapshotRequested(address);
    return true;
}

QString TopologyView::edgeLabel(const QString &replicaAddress) const
{
    const ReplicationEdge *edge = m_edges.value(replicaAddress);
    return edge ? edge->label() : QString();
}

} // namespace vigil
