// Table model of heartbeat nodes.
#include "nodemodel.h"

#include <algorithm>

namespace vigil {

namespace {

bool sameRow(const NodeStatus &a, const NodeStatus &b)
{
    return a.state == b.state && a.lastBeatAgeMs / 100 == b.lastBeatAgeMs / 100 && a.latencyP50Us == b.latencyP50Us
        && a.latencyP99Us == b.latencyP99Us && a.meanIntervalUs == b.meanIntervalUs && a.jitterUs == b.jitterUs && a.lost == b.lost
        && qRound(a.phi * 10) == qRound(b.phi * 10) && a.clockSkew == b.clockSkew && a.flapping == b.flapping;
}

int stateSeverity(NodeState state);

QString stateKey(const NodeStatus &s)
{
    return QString::number(stateSeverity(s.state)) + QLatin1Char(' ') + s.node;
}

int stateSeverity(NodeState state)
{
    switch (state) {
    case NodeState::Down: return 0;
    case NodeState::Unknown: return 1;
    case NodeState::Suspect: return 2;
    case NodeState::Up: return 3;
    }
    return 3;
}

QString formatAge(qint64 ms)
{
    if (ms < 10'000)
        return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
    if (ms < 120'000)
        return QStringLiteral("%1 s").arg(ms / 1000);
    if (ms < 7'200'000)
        return QStringLiteral("%1 min").arg(ms / 60'000);
    return QStringLiteral("%1 h").arg(ms / 3'600'000);
}

} // namespace

NodeModel::NodeModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void NodeModel::update(const QList<NodeStatus> &nodes)
{
    // New nodes are appended; existing rows change in place; the rows of nodes the tracker forgot
    // (one-off names long silent) are removed. Fewer nodes than rows tells; a name forgotten in
    // the update that adds another is removed at the next one.
    if (nodes.size() < m_rows.size()) {
        QSet<QString> present;
        present.reserve(nodes.size());
        for (const NodeStatus &s : nodes)
            present.insert(s.node);
        removeMissing(present);
    }
    QList<NodeStatus> added;
    // Rows whose state changed, and rows where only the figures did. A node's name never changes,
    // and its state seldom: a view sorted by either re-sorts only the rows whose key changed.
    QList<int> stateRows, figureRows;
    for (const NodeStatus &s : nodes) {
        const int row = m_index.value(s.node, -1);
        if (row < 0) {
            added << s;
            continue;
        }
        const NodeStatus &old = m_rows.at(row);
        if (old.state != s.state || old.flapping != s.flapping) {
            stateRows << row;
            m_stateKeys[row] = stateKey(s);
        } else if (!sameRow(old, s)) {
            figureRows << row;
        }
        m_rows[row] = s;
    }
    // A few rows: one signal each. More: one for the range they span, which a sorted view takes
    // in one pass (row by row, each re-sorted row would move the rest of its mapping).
    auto signal = [this](const QList<int> &rows, int firstColumn) {
        constexpr qsizetype kRowByRow = 32;
        if (rows.isEmpty())
            return;
        if (rows.size() > kRowByRow) {
            const auto [first, last] = std::minmax_element(rows.cbegin(), rows.cend());
            Q_EMIT dataChanged(index(*first, firstColumn), index(*last, ColumnCount - 1));
            return;
        }
        for (int row : rows)
            Q_EMIT dataChanged(index(row, firstColumn), index(row, ColumnCount - 1));
    };
    signal(stateRows, StateColumn);
    signal(figureRows, LastBeatColumn);
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (const NodeStatus &s : added) {
            m_index.insert(s.node, int(m_rows.size()));
            m_rows << s;
            m_stateKeys << stateKey(s);
        }
        endInsertRows();
    }
}

void NodeModel::removeMissing(const QSet<QString> &present)
{
    const qsizetype missing = m_rows.size() - present.size();
    if (missing > 16) {
        // A flood of one-off names forgotten at once: one reset, not a signal (and a shift) per row.
        beginResetModel();
        m_rows.removeIf([&present](const NodeStatus &r) { return !present.contains(r.node); });
        m_stateKeys.clear();
        for (const NodeStatus &s : std::as_const(m_rows))
            m_stateKeys << stateKey(s);
        endResetModel();
    } else {
        for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
            if (present.contains(m_rows.at(row).node))
                continue;
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            m_stateKeys.removeAt(row);
            endRemoveRows();
        }
    }
    m_index.clear();
    for (int row = 0; row < m_rows.size(); ++row)
        m_index.insert(m_rows.at(row).node, row);
}

int NodeModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int NodeModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NodeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const NodeStatus &s = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NodeColumn: return s.node;
        case StateColumn: return s.flapping ? nodeStateName(s.state) + tr(" (flapping)") : nodeStateName(s.state);
        case LastBeatColumn: return formatAge(s.lastBeatAgeMs);
        case LatencyP50Column: return s.clockSkew ? tr("clock skew") : formatMicros(s.latencyP50Us);
        case LatencyP99Column: return s.clockSkew ? tr("clock skew") : formatMicros(s.latencyP99Us);
        case IntervalColumn: return formatMicros(s.meanIntervalUs);
        case JitterColumn: return formatMicros(s.jitterUs);
        case LostColumn: return s.lost;
        case PhiColumn:
            return s.state == NodeState::Up || s.state == NodeState::Suspect ? QString::number(std::min(s.phi, 99.9), 'f', 1)
                                                                             : QStringLiteral("\u2014");
        default: return {};
        }
    case SortRole:
        switch (index.column()) {
        case NodeColumn: return s.node;
        // Worst first in ascending order (down, unknown, suspect, up), then by name.
        case StateColumn: return m_stateKeys.at(index.row());
        case LastBeatColumn: return s.lastBeatAgeMs;
        case LatencyP50Column: return s.latencyP50Us;
        case LatencyP99Column: return s.latencyP99Us;
        case IntervalColumn: return s.meanIntervalUs;
        case JitterColumn: return s.jitterUs;
        case LostColumn: return s.lost;
        case PhiColumn: return s.phi;
        default: return {};
        }
    case Qt::ToolTipRole: {
        QString tip = tr("%1: %2 beats via %3").arg(s.node).arg(s.beats).arg(s.carrier);
        if (!s.role.isEmpty())
            tip += tr(", role %1").arg(s.role);
        if (s.restarts > 0)
            tip += tr(", %n restart(s)", nullptr, int(s.restarts));
        if (s.state == NodeState::Unknown)
            tip += tr("\nIts beats come through a server Vigil cannot reach: the node itself may be fine.");
        if (s.clockSkew)
            tip += tr("\nIts clock differs from this machine's: latency is not shown.");
        if (s.flapping)
            tip += tr("\nIt keeps going silent and coming back: its state changes are summarised, not journalled.");
        return tip;
    }
    case Qt::TextAlignmentRole: return index.column() >= LastBeatColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case StateRole: return int(s.state);
    case NodeRole: return s.node;
    default: return {};
    }
}

QVariant NodeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NodeColumn: return tr("Node");
    case StateColumn: return tr("State");
    case LastBeatColumn: return tr("Last beat");
    case LatencyP50Column: return tr("Latency p50");
    case LatencyP99Column: return tr("p99");
    case IntervalColumn: return tr("Interval");
    case JitterColumn: return tr("Jitter");
    case LostColumn: return tr("Lost");
    case PhiColumn: return tr("Phi");
    default: return {};
    }
}

NodeFilterModel::NodeFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(NodeModel::SortRole);
    setDynamicSortFilter(true);
}

void NodeFilterModel::setText(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

bool NodeFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_text.isEmpty())
        return true;
    const QModelIndex node = sourceModel()->index(sourceRow, NodeModel::NodeColumn, sourceParent);
    const QModelIndex state = sourceModel()->index(sourceRow, NodeModel::StateColumn, sourceParent);
    return node.data().toString().contains(m_text, Qt::CaseInsensitive) || state.data().toString().compare(m_text, Qt::CaseInsensitive) == 0;
}

} // namespace vigil
