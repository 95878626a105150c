// The topology diagram: each master group (or cluster shard) as a tree of cards, master on top,
// replicas below with edges labelled by their lag, and the sentinels with their view of each group.
// Cards are updated in place (no flicker); selection and zoom survive every update.
#pragma once

#include "monitor/topologygraph.h"

#include <QGraphicsView>
#include <QHash>

namespace vigil {

class NodeCard;
class ReplicationEdge;

class TopologyView final : public QGraphicsView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TopologyView)

public:
    explicit TopologyView(QWidget *parent = nullptr);
    ~TopologyView() override;

    void setGraph(const TopologyGraph &graph, const TopologyThresholds &thresholds);

    QString selectedAddress() const { return m_selected; }
    void select(const QString &address);
    // Zoom: 1.0 is 100 %. The view fits everything in (never past 100 %) as it is resized and as
    // the topology changes, until the operator zooms; fitAll() goes back to that.
    void setZoom(double factor);
    double zoom() const;
    void fitAll();
    bool fitsAutomatically() const { return m_autoFit; }

    int cardCount() const { return int(m_cards.size()); }
    int edgeCount() const { return int(m_edges.size()); }
    // The text a card shows (its lines), for tests; empty for an unknown address.
    QStringList cardText(const QString &address) const;
    Health cardHealth(const QString &address) const;
    QString edgeLabel(const QString &replicaAddress) const;
    // The actions a card offers (for tests): "promote", "snapshot".
    QStringList cardActions(const QString &address) const;
    // Clicks a card's action as a user would (for tests); false when the card does not offer it.
    bool triggerCardAction(const QString &address, const QString &action);

Q_SIGNALS:
    void selectionChanged(const QString &address);
    // The context menu was asked for on a node (already selected).
    void contextMenuRequestedFor(const QString &address, const QPoint &globalPos);
    // A card's Promote or Snapshot button was clicked.
    void promoteRequested(const QString &address);
    void snapshotRequested(const QString &address);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    void onSceneSelection();
    void autoFit();
    void applyZoom(double factor);

    QGraphicsScene *m_scene;
    QHash<QString, NodeCard *> m_cards;                 // by address (sentinels prefixed with "sentinel ")
    QHash<QString, ReplicationEdge *> m_edges;          // by replica address
    QHash<QString, QGraphicsSimpleTextItem *> m_titles; // by group
    QString m_selected;
    bool m_updating = false;
    bool m_autoFit = true;
};

} // namespace vigil
