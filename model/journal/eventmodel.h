// Table model over journal events for views: newest rows appended live, bounded in memory.
#pragma once

#include "event.h"

#include <QAbstractTableModel>
#include <QSet>
#include <QSortFilterProxyModel>

namespace vigil {

class EventModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventModel)

public:
    enum Column { TimeColumn, SeverityColumn, KindColumn, SourceColumn, MessageColumn, ColumnCount };
    enum Role { SeverityRole = Qt::UserRole, KindRole, SourceRole, IdRole, DataRole, TimeRole };

    explicit EventModel(QObject *parent = nullptr);

    // Oldest rows are dropped beyond this many.
    void setMaximumRows(int rows);
    int maximumRows() const { return m_maxRows; }

    void reset(const QList<Event> &events);
    void append(const QList<Event> &events);
    const Event &event(int row) const { return m_events.at(row); }
    // Every kind seen since the last reset, sorted.
    QStringList kinds() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void kindsChanged();

private:
    void trim();
    void noteKinds(const QList<Event> &events);

    QList<Event> m_events;
    QSet<QString> m_kinds;
    int m_maxRows = 20'000; // the journal keeps everything; the view keeps the recent part
};

// Filters events by free text (kind, source, message), minimum severity and kind prefix.
class EventFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventFilterModel)

public:
    explicit EventFilterModel(QObject *parent = nullptr);

    void setText(const QString &text);
    void setMinimumSeverity(Severity severity);
    void setKindPrefix(const QString &prefix);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    Severity m_minimum = Severity::Info;
    QString m_kindPrefix;
};

} // namespace vigil
