// Table model over incidents for views: loaded from the journal, then kept current from what its
// writer stores as events are committed.
#pragma once

#include "grouping.h"

#include <QAbstractTableModel>
#include "common/format.h"

namespace vigil {

class IncidentModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IncidentModel)

public:
    enum Column { StateColumn, SeverityColumn, OpenedColumn, DurationColumn, ScopeColumn, TitleColumn, EventsColumn, ColumnCount };
    enum Role { SeverityRole = Qt::UserRole, IdRole, OpenRole };

    explicit IncidentModel(QObject *parent = nullptr);

    void reset(const QList<Incident> &incidents);
    // What the journal stored: new or changed incidents, and the ids of those no longer given.
    void apply(const QList<vigil::Incident> &changed, const QList<qint64> &removed);

    const Incident &incident(int row) const { return m_incidents.at(row); }
    int rowOf(qint64 id) const;
    int openCount() const;
    // Times in UTC, or in the local zone (the default); the Opened header names the zone.
    void setUtc(bool utc);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // An incident shown changed (members, state): a view of its detail reads it again.
    void incidentChanged(qint64 id);

private:
    QList<Incident> m_incidents; // by opening time
    bool m_utc = false;
};

} // namespace vigil
