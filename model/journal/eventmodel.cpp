// Table model and filter over journal events.
#include "eventmodel.h"

#include <QJsonDocument>

namespace vigil {

EventModel::EventModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void EventModel::setMaximumRows(int rows)
{
    m_maxRows = std::max(1, rows);
    trim();
}

void EventModel::reset(const QList<Event> &events)
{
    beginResetModel();
    m_events = events.size() > m_maxRows ? events.mid(events.size() - m_maxRows) : events;
    m_kinds.clear();
    endResetModel();
    noteKinds(m_events);
}

void EventModel::append(const QList<Event> &events)
{
    if (events.isEmpty())
        return;
    bool ordered = m_events.isEmpty() || m_events.last().time <= events.first().time;
    for (qsizetype i = 1; ordered && i < events.size(); ++i)
        ordered = events.at(i - 1).time <= events.at(i).time;
    if (ordered) {
        const int first = int(m_events.size());
        beginInsertRows({}, first, first + int(events.size()) - 1);
        m_events.append(events);
        endInsertRows();
    } else {
        // A late event (stamped earlier than the last shown) goes where its time puts it.
        for (const Event &e : events) {
            qsizetype row = m_events.size();
            while (row > 0 && m_events.at(row - 1).time > e.time)
                --row;
            beginInsertRows({}, int(row), int(row));
            m_events.insert(row, e);
            endInsertRows();
        }
    }
    trim();
    noteKinds(events);
}

void EventModel::noteKinds(const QList<Event> &events)
{
    const qsizetype before = m_kinds.size();
    for (const Event &e : events)
        m_kinds.insert(e.kind);
    if (m_kinds.size() != before)
        Q_EMIT kindsChanged();
}

void EventModel::trim()
{
    const int excess = int(m_events.size()) - m_maxRows;
    if (excess <= 0)
        return;
    beginRemoveRows({}, 0, excess - 1);
    m_events.remove(0, excess);
    endRemoveRows();
}

QStringList EventModel::kinds() const
{
    QStringList sorted(m_kinds.begin(), m_kinds.end());
    sorted.sort();
    return sorted;
}

int EventModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Event &e = m_events.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn: return e.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        case SeverityColumn: return severityName(e.severity);
        case KindColumn: return e.kind;
        case SourceColumn: return e.source;
        case MessageColumn: return e.message;
        default: return {};
        }
    case Qt::ToolTipRole:
        // Cells are cut short in the table: the tooltip has the whole of them.
        switch (index.column()) {
        case TimeColumn: return formatTime(e.time);
        case KindColumn: return e.kind;
        case SourceColumn: return e.source;
        case MessageColumn:
            return e.data.isEmpty() ? e.message
                                    : e.message + QStringLiteral("\n\n") + QString::fromUtf8(QJsonDocument(e.data).toJson(QJsonDocument::Indented));
        default: return {};
        }
    case SeverityRole: return int(e.severity);
    case KindRole: return e.kind;
    case SourceRole: return e.source;
    case IdRole: return e.id;
    case DataRole: return e.data;
    case TimeRole: return e.time;
    default: return {};
    }
}

QVariant EventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case SeverityColumn: return tr("Severity");
    case KindColumn: return tr("Kind");
    case SourceColumn: return tr("Source");
    case MessageColumn: return tr("Message");
    default: return {};
    }
}

EventFilterModel::EventFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
}

void EventFilterModel::setText(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

void EventFilterModel::setMinimumSeverity(Severity severity)
{
    m_minimum = severity;
    invalidateFilter();
}

void EventFilterModel::setKindPrefix(const QString &prefix)
{
    m_kindPrefix = prefix.trimmed();
    invalidateFilter();
}

bool EventFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (sourceModel()->data(index, EventModel::SeverityRole).toInt() < int(m_minimum))
        return false;
    const QString kind = sourceModel()->data(index, EventModel::KindRole).toString();
    if (!m_kindPrefix.isEmpty() && !kind.startsWith(m_kindPrefix))
        return false;
    if (m_text.isEmpty())
        return true;
    if (kind.contains(m_text, Qt::CaseInsensitive))
        return true;
    const auto column = [&](int c) {
        return sourceModel()->data(sourceModel()->index(sourceRow, c, sourceParent)).toString();
    };
    return column(EventModel::SourceColumn).contains(m_text, Qt::CaseInsensitive)
        || column(EventModel::MessageColumn).contains(m_text, Qt::CaseInsensitive);
}

} // namespace vigil
