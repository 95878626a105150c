// Table model over incidents.
#include "incidentmodel.h"

#include <QDateTime>
#include <QTimeZone>

#include <algorithm>

namespace vigil {

namespace {

// The table's order: by opening, then by id.
bool opensBefore(const Incident &a, const Incident &b)
{
    return std::pair(a.openedMs, a.id) < std::pair(b.openedMs, b.id);
}

} // namespace

IncidentModel::IncidentModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void IncidentModel::reset(const QList<Incident> &incidents)
{
    beginResetModel();
    m_incidents = incidents;
    std::sort(m_incidents.begin(), m_incidents.end(), opensBefore);
    endResetModel();
}

void IncidentModel::apply(const QList<Incident> &changed, const QList<qint64> &removed)
{
    for (const qint64 id : removed) {
        const int row = rowOf(id);
        if (row < 0)
            continue;
        beginRemoveRows({}, row, row);
        m_incidents.removeAt(row);
        endRemoveRows();
    }
    for (const Incident &incident : changed) {
        if (int row = rowOf(incident.id); row >= 0) {
            // Its opening time may move (an earlier event journalled late): the row moves to keep
            // the order, and a selection on it moves with it.
            const int target = int(std::count_if(m_incidents.cbegin(), m_incidents.cend(),
                                                 [&](const Incident &other) { return other.id != incident.id && opensBefore(other, incident); }));
            if (target != row) {
                beginMoveRows({}, row, row, {}, target < row ? target : target + 1);
                m_incidents.move(row, target);
                endMoveRows();
                row = target;
            }
            m_incidents[row] = incident;
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            Q_EMIT incidentChanged(incident.id);
            continue;
        }
        const auto at = std::upper_bound(m_incidents.begin(), m_incidents.end(), incident, opensBefore);
        const int row = int(at - m_incidents.begin());
        beginInsertRows({}, row, row);
        m_incidents.insert(row, incident);
        endInsertRows();
        Q_EMIT incidentChanged(incident.id);
    }
}

int IncidentModel::rowOf(qint64 id) const
{
    for (int row = 0; row < m_incidents.size(); ++row)
        if (m_incidents[row].id == id)
            return row;
    return -1;
}

int IncidentModel::openCount() const
{
    return int(std::count_if(m_incidents.cbegin(), m_incidents.cend(), [](const Incident &i) { return i.isOpen(); }));
}

void IncidentModel::setUtc(bool utc)
{
    if (m_utc == utc)
        return;
    m_utc = utc;
    Q_EMIT headerDataChanged(Qt::Horizontal, OpenedColumn, OpenedColumn);
    if (!m_incidents.isEmpty())
        Q_EMIT dataChanged(index(0, OpenedColumn), index(rowCount() - 1, OpenedColumn));
}

int IncidentModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_incidents.size());
}

int IncidentModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IncidentModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_incidents.size())
        return {};
    const Incident &i = m_incidents.at(index.row());
    switch (role) {
    case SeverityRole: return int(i.severity);
    case IdRole: return i.id;
    case OpenRole: return i.isOpen();
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case StateColumn: return i.isOpen() ? tr("open") : tr("resolved");
        case SeverityColumn: return severityLabel(i.severity);
        case OpenedColumn: {
            const QDateTime t = QDateTime::fromMSecsSinceEpoch(i.openedMs, Qt::UTC);
            return (m_utc ? t : t.toLocalTime()).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        }
        case DurationColumn: return formatDuration((i.isOpen() ? i.lastMs : i.resolvedMs) - i.openedMs);
        case ScopeColumn: return i.scope;
        case TitleColumn: return i.title;
        case EventsColumn: {
            int count = 0;
            for (const IncidentMember &m : i.members)
                count += m.repeats;
            return count;
        }
        case ColumnCount: break;
        }
        return {};
    case Qt::ToolTipRole: return index.column() == TitleColumn ? i.title : QVariant();
    default: return {};
    }
}

QVariant IncidentModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case StateColumn: return tr("State");
    case SeverityColumn: return tr("Severity");
    case OpenedColumn:
        return m_utc ? tr("Opened (UTC)") : tr("Opened (%1)").arg(QTimeZone::systemTimeZone().abbreviation(QDateTime::currentDateTime()));
    case DurationColumn: return tr("Duration");
    case ScopeColumn: return tr("Scope");
    case TitleColumn: return tr("Title");
    case EventsColumn: return tr("Events");
    case ColumnCount: break;
    }
    return {};
}

} // namespace vigil
