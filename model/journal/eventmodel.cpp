// Table model and filter over journal events.
#include "eventmodel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

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
    m_episodes.clear();
    m_stepOf.clear();
    m_stepCount.clear();
    endResetModel();
    noteKinds(m_events);
    linkSteps(m_events);
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
    linkSteps(events);
}

int EventModel::rowOf(qint64 id, const QDateTime &time) const
{
    // Rows are in time order: search the rows of its time only.
    auto it = std::lower_bound(m_events.cbegin(), m_events.cend(), time, [](const Event &x, const QDateTime &t) { return x.time < t; });
    for (; it != m_events.cend() && it->time == time; ++it)
        if (it->id == id)
            return int(it - m_events.cbegin());
    return -1;
}

void EventModel::linkSteps(const QList<Event> &events)
{
    const QString summary = QStringLiteral("sentinel.failover");
    auto isStep = [&summary](const Event &e, const Episode &episode) {
        if (!e.kind.startsWith(QLatin1String("sentinel.")) || e.kind == summary || e.time < episode.from || e.time > episode.to)
            return false;
        const QString group = e.data.value(QStringLiteral("master_name")).toString();
        return group.isEmpty() || group == episode.group; // +new-epoch and +vote-for-leader name no group
    };
    QList<int> touched;
    auto link = [&](int row, const Episode &episode) {
        const Event &e = m_events.at(row);
        if (e.id == 0 || m_stepOf.contains(e.id) || !isStep(e, episode))
            return false;
        m_stepOf.insert(e.id, episode.summaryId);
        ++m_stepCount[episode.summaryId];
        touched << row;
        return true;
    };
    for (const Event &e : events) {
        if (e.id == 0)
            continue;
        if (e.kind == summary) {
            Episode episode{e.id, e.data.value(QStringLiteral("master_name")).toString(), e.time, e.time};
            for (const QJsonValue &phase : e.data.value(QStringLiteral("phases")).toArray()) {
                const QDateTime t = QDateTime::fromString(phase.toObject().value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
                if (t.isValid())
                    episode.from = std::min(episode.from, t);
            }
            m_episodes.append(episode);
            // Its steps came before it: from its end back to its start, in time order.
            const auto end =
                std::upper_bound(m_events.cbegin(), m_events.cend(), episode.to, [](const QDateTime &t, const Event &x) { return t < x.time; });
            for (auto row = int(end - m_events.cbegin()) - 1; row >= 0 && m_events.at(row).time >= episode.from; --row)
                link(row, episode);
            if (const int row = rowOf(e.id, e.time); row >= 0)
                touched << row;
        } else if (e.kind.startsWith(QLatin1String("sentinel."))) {
            // A step journalled after its summary (merged late).
            for (const Episode &episode : std::as_const(m_episodes))
                if (isStep(e, episode)) {
                    if (const int row = rowOf(e.id, e.time); row >= 0 && link(row, episode))
                        if (const int summaryRow = rowOf(episode.summaryId, episode.to); summaryRow >= 0)
                            touched << summaryRow;
                    break;
                }
        }
    }
    for (int row : std::as_const(touched))
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1), {StepOfRole, StepCountRole, Qt::DisplayRole});
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
    // Failovers whose summary goes with the oldest rows are forgotten with it.
    const QDateTime cut = m_events.at(excess - 1).time;
    for (int row = 0; row < excess; ++row) {
        const qint64 id = m_events.at(row).id;
        m_stepOf.remove(id);
        m_stepCount.remove(id);
    }
    m_episodes.removeIf([&cut](const Episode &e) { return e.to <= cut; });
    beginRemoveRows({}, 0, excess - 1);
    m_events.remove(0, excess);
    endRemoveRows();
}

void EventModel::setUtc(bool utc)
{
    if (utc == m_utc)
        return;
    m_utc = utc;
    Q_EMIT headerDataChanged(Qt::Horizontal, TimeColumn, TimeColumn);
    if (!m_events.isEmpty())
        Q_EMIT dataChanged(index(0, TimeColumn), index(rowCount() - 1, TimeColumn), {Qt::DisplayRole});
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
        case TimeColumn: return (m_utc ? e.time.toUTC() : e.time.toLocalTime()).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        case SeverityColumn: return severityLabel(e.severity);
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
    case StepOfRole: return m_stepOf.value(e.id, 0);
    case StepCountRole: return m_stepCount.value(e.id, 0);
    default: return {};
    }
}

QVariant EventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: {
        if (m_utc)
            return tr("Time (UTC)");
        const int offset = QDateTime::currentDateTime().offsetFromUtc();
        return tr("Time (local, UTC%1%2:%3)")
            .arg(offset < 0 ? QLatin1Char('-') : QLatin1Char('+'))
            .arg(std::abs(offset) / 3600, 2, 10, QLatin1Char('0'))
            .arg(std::abs(offset) % 3600 / 60, 2, 10, QLatin1Char('0'));
    }
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

void EventFilterModel::setExpanded(qint64 summaryId, bool expanded)
{
    if (expanded == m_expanded.contains(summaryId))
        return;
    if (expanded)
        m_expanded.insert(summaryId);
    else
        m_expanded.remove(summaryId);
    invalidateFilter();
    // The summary's marker changes with it.
    for (int row = 0; row < rowCount(); ++row)
        if (index(row, 0).data(EventModel::IdRole).toLongLong() == summaryId)
            Q_EMIT dataChanged(index(row, 0), index(row, EventModel::ColumnCount - 1));
}

QVariant EventFilterModel::data(const QModelIndex &index, int role) const
{
    if (role == Qt::DisplayRole && index.column() == EventModel::MessageColumn) {
        const int steps = QSortFilterProxyModel::data(index, EventModel::StepCountRole).toInt();
        if (steps > 0) {
            const qint64 id = QSortFilterProxyModel::data(index, EventModel::IdRole).toLongLong();
            const QString marker = m_expanded.contains(id) ? tr("\u25be %n step(s) shown: ", nullptr, steps)
                                                           : tr("\u25b8 %n step(s) (Enter shows them): ", nullptr, steps);
            return QString(marker + QSortFilterProxyModel::data(index, role).toString());
        }
    }
    return QSortFilterProxyModel::data(index, role);
}

bool EventFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (sourceModel()->data(index, EventModel::SeverityRole).toInt() < int(m_minimum))
        return false;
    const QString kind = sourceModel()->data(index, EventModel::KindRole).toString();
    if (!m_kindPrefix.isEmpty() && !kind.startsWith(m_kindPrefix))
        return false;
    // A failover's steps hide behind its summary, unless expanded or Sentinel events are asked for.
    const qint64 stepOf = sourceModel()->data(index, EventModel::StepOfRole).toLongLong();
    if (stepOf != 0 && !m_expanded.contains(stepOf) && !m_kindPrefix.startsWith(QLatin1String("sentinel.")))
        return false;
    if (m_text.isEmpty())
        return true;
    if (kind.contains(m_text, Qt::CaseInsensitive))
        return true;
    const auto column = [&](int c) { return sourceModel()->data(sourceModel()->index(sourceRow, c, sourceParent)).toString(); };
    return column(EventModel::SourceColumn).contains(m_text, Qt::CaseInsensitive)
        || column(EventModel::MessageColumn).contains(m_text, Qt::CaseInsensitive);
}

} // namespace vigil
