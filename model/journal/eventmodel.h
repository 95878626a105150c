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
    enum Role {
        SeverityRole = Qt::UserRole,
        KindRole,
        SourceRole,
        IdRole,
        DataRole,
        TimeRole,
        // A Sentinel event that is one step of a failover summarised by a sentinel.failover event:
        // that event's id (0 otherwise).
        StepOfRole,
        // A sentinel.failover event: how many journalled steps it sums up.
        StepCountRole,
    };

    explicit EventModel(QObject *parent = nullptr);

    // Oldest rows are dropped beyond this many.
    void setMaximumRows(int rows);
    int maximumRows() const { return m_maxRows; }

    void reset(const QList<Event> &events);
    void append(const QList<Event> &events);
    const Event &event(int row) const { return m_events.at(row); }
    // Every kind seen since the last reset, sorted.
    QStringList kinds() const;
    // Times in UTC, or in the local zone (the default); the Time header names the zone.
    void setUtc(bool utc);
    bool isUtc() const { return m_utc; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void kindsChanged();

private:
    void trim();
    void noteKinds(const QList<Event> &events);
    // Links Sentinel events to the failover summaries that sum them up.
    void linkSteps(const QList<Event> &events);

    // The row of the event with this id and time; -1 when it is not (or no longer) shown.
    int rowOf(qint64 id, const QDateTime &time) const;

    struct Episode
    {
        qint64 summaryId = 0;
        QString group;
        QDateTime from, to;
    };
    QList<Episode> m_episodes;
    QHash<qint64, qint64> m_stepOf; // event id -> summary id
    QHash<qint64, int> m_stepCount; // summary id -> steps
    bool m_utc = false;
    QList<Event> m_events;
    QSet<QString> m_kinds;
    int m_maxRows = 20'000; // the journal keeps everything; the view keeps the recent part
};

// Filters events by free text (kind, source, message), minimum severity and kind prefix. A Sentinel
// failover shows as its one summary line until expanded (unless Sentinel events are asked for by kind).
class EventFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventFilterModel)

public:
    explicit EventFilterModel(QObject *parent = nullptr);

    void setText(const QString &text);
    void setMinimumSeverity(Severity severity);
    void setKindPrefix(const QString &prefix);
    // Shows or hides the steps of the failover summarised by the event with this id.
    void setExpanded(qint64 summaryId, bool expanded);
    bool isExpanded(qint64 summaryId) const { return m_expanded.contains(summaryId); }

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    Severity m_minimum = Severity::Info;
    QString m_kindPrefix;
    QSet<qint64> m_expanded;
};

} // namespace vigil
