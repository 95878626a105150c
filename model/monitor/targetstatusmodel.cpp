// Table model of the monitor's targets.
#include "targetstatusmodel.h"

#include "heartbeat/nodemodel.h"

namespace vigil {

namespace {

bool sameRow(const TargetStatus &a, const TargetStatus &b)
{
    return a.address == b.address && a.display == b.display && a.name == b.name && a.connected == b.connected && a.authFailed == b.authFailed
        && a.lastError == b.lastError && a.roundTripUs == b.roundTripUs && a.role == b.role && a.replOffset == b.replOffset;
}

} // namespace

TargetStatusModel::TargetStatusModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void TargetStatusModel::update(const QList<TargetStatus> &rows)
{
    if (rows.size() != m_rows.size()) {
        beginResetModel();
        m_rows = rows;
        endResetModel();
        return;
    }
    for (int i = 0; i < rows.size(); ++i) {
        if (sameRow(rows.at(i), m_rows.at(i)))
            continue;
        m_rows[i] = rows.at(i);
        Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
    }
}

int TargetStatusModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TargetStatusModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TargetStatusModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TargetStatus &s = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TargetColumn: return s.name.isEmpty() ? s.display : s.name + QStringLiteral("  ") + s.display;
        case StateColumn: return s.connected ? tr("connected") : s.authFailed ? tr("auth failed") : tr("disconnected");
        case RoleColumn: return s.role.isEmpty() ? tr("unknown") : s.role;
        case OffsetColumn: return s.replOffset >= 0 ? QString::number(s.replOffset) : QString();
        case RoundTripColumn: return s.connected ? formatMicros(s.roundTripUs) : formatMicros(-1);
        case DetailColumn: return s.connected ? QString() : s.lastError;
        default: return {};
        }
    case Qt::ToolTipRole: return index.column() == DetailColumn ? s.lastError : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == RoundTripColumn || index.column() == OffsetColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case ConnectedRole: return s.connected;
    case AuthFailedRole: return s.authFailed;
    case RoundTripUsRole: return s.roundTripUs;
    default: return {};
    }
}

QVariant TargetStatusModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TargetColumn: return tr("Target");
    case StateColumn: return tr("State");
    case RoleColumn: return tr("Role");
    case OffsetColumn: return tr("Repl. offset");
    case RoundTripColumn: return tr("Round trip");
    case DetailColumn: return tr("Detail");
    default: return {};
    }
}

} // namespace vigil
