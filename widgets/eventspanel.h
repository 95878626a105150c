// The Events panel: the live journal as a filterable table.
#pragma once

#include "journal/event.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace vigil {

class EventFilterModel;
class EventModel;

class EventsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventsPanel)

public:
    explicit EventsPanel(EventModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    EventFilterModel *filter() const { return m_filter; }

    // Follow the newest event unless the operator scrolled away from the bottom.
    void setFollow(bool follow) { m_follow = follow; }

    // The events the table shows now (filters applied, failover steps folded), oldest first, and
    // whether a filter hides any.
    QList<Event> shownEvents() const;
    bool isFiltered() const;
    // The selected events as JSON Lines, oldest first (what Ctrl+C copies).
    QByteArray selectedJsonLines() const;
    // Selects the event with this journal id and scrolls to it (clearing filters that hide it);
    // false when the panel does not hold it.
    bool selectEvent(qint64 id);
    // Shows one event whole, with its data (double-click or Enter on a row).
    void openEvent(const QModelIndex &index);
    void focusFilter();

Q_SIGNALS:
    // The operator moved to another event (its journal id), for the Incidents panel to follow.
    void eventSelected(qint64 eventId);

private:
    void updateKinds();
    void updateCount();

    EventModel *m_model;
    EventFilterModel *m_filter;
    QLineEdit *m_text;
    QComboBox *m_severity;
    QComboBox *m_kind;
    QTableView *m_view;
    QLabel *m_count;
    bool m_follow = true;
    bool m_selecting = false; // selectEvent() is selecting a row
};

} // namespace vigil
