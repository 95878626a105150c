// Table model of the monitor's targets: address, connection state, round trip, last error.
#pragma once

#include "monitor.h"

#include <QAbstractTableModel>

namespace vigil {

class TargetStatusModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TargetStatusModel)

public:
    enum Column { TargetColumn, StateColumn, RoleColumn, OffsetColumn, RoundTripColumn, DetailColumn, ColumnCount };
    enum Role { ConnectedRole = Qt::UserRole, AuthFailedRole, RoundTripUsRole };

    explicit TargetStatusModel(QObject *parent = nullptr);

    // Replaces the rows; emits dataChanged only for rows that changed when the shape is the same.
    void update(const QList<TargetStatus> &rows);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<TargetStatus> m_rows;
};

} // namespace vigil
