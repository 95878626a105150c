// Table model of heartbeat nodes.
#include "nodemodel.h"

#include <algorithm>
#include <numeric>
#include <vector>

namespace vigil {

namespace {

bool sameRow(const NodeStatus &a, const NodeStatus &b)
{
    return a.state == b.state && a.lastBeatAgeMs / 100 == b.lastBeatAgeMs / 100 && a.latencyP50Us == b.latencyP50Us
        && a.latencyP99Us == b.latencyP99Us && a.meanIntervalUs == b.meanIntervalUs && a.jitterUs == b.jitterUs && a.lost == b.lost
        && qRound(a.phi * 10) == qRound(b.phi * 10) && a.clockSkew == b.clockSkew && a.flapping == b.flapping;
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
    // the update that adds another is removed at the next one. Then, if a key the rows are sorted
    // by moved a row out of order, the rows are sorted again in one pass.
    const bool removed = nodes.size() < m_rows.size();
    if (removed) {
        QSet<QString> present;
        present.reserve(nodes.size());
        for (const NodeStatus &s : nodes)
            present.insert(s.node);
        removeMissing(present);
    }
    QList<NodeStatus> added;
    // Rows whose state changed, and rows where only the figures did: a view shows the node's name
    // unchanged.
    QList<int> stateRows, figureRows;
    for (const NodeStatus &s : nodes) {
        const int row = m_index.value(s.node, -1);
        if (row < 0) {
            added << s;
            continue;
        }
        const NodeStatus &old = m_rows.at(row);
        if (old.state != s.state || old.flapping != s.flapping)
            stateRows << row;
        else if (!sameRow(old, s))
            figureRows << row;
        m_rows[row] = s;
    }
    // A few rows: one signal each. More: one for the range they span.
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
    const int first = int(m_rows.size());
    if (!added.isEmpty()) {
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (const NodeStatus &s : added) {
            m_index.insert(s.node, int(m_rows.size()));
            m_rows << s;
        }
        endInsertRows();
    }
    const bool membersChanged = removed || !added.isEmpty();
    if (membersChanged)
        rankNames();
    if (m_sortColumn >= 0 && (membersChanged || !stateRows.isEmpty() || !figureRows.isEmpty()) && !sorted())
        resort();
}

void NodeModel::sort(int column, Qt::SortOrder order)
{
    m_sortColumn = column >= 0 && column < ColumnCount ? column : -1;
    m_sortOrder = order;
    if (m_sortColumn >= 0 && !sorted())
        resort();
}

void NodeModel::rankNames()
{
    std::vector<int> byName(size_t(m_rows.size()));
    std::iota(byName.begin(), byName.end(), 0);
    std::sort(byName.begin(), byName.end(), [this](int a, int b) { return m_rows.at(a).node < m_rows.at(b).node; });
    m_rank.assign(byName.size(), 0);
    for (size_t i = 0; i < byName.size(); ++i)
        m_rank[size_t(byName[i])] = int(i);
}

bool NodeModel::before(int a, int b) const
{
    if (m_sortOrder == Qt::DescendingOrder)
        std::swap(a, b);
    const NodeStatus &x = m_rows.at(a);
    const NodeStatus &y = m_rows.at(b);
    // By the column's value, then by name: names are unique, so the order is total.
    const bool byName = m_rank[size_t(a)] < m_rank[size_t(b)];
    auto by = [&x, &y, byName](auto key) {
        const auto kx = key(x);
        const auto ky = key(y);
        return kx != ky ? kx < ky : byName;
    };
    switch (m_sortColumn) {
    case StateColumn: return by([](const NodeStatus &s) { return stateSeverity(s.state); });
    case LastBeatColumn: return by([](const NodeStatus &s) { return s.lastBeatAgeMs; });
    case LatencyP50Column: return by([](const NodeStatus &s) { return s.latencyP50Us; });
    case LatencyP99Column: return by([](const NodeStatus &s) { return s.latencyP99Us; });
    case IntervalColumn: return by([](const NodeStatus &s) { return s.meanIntervalUs; });
    case JitterColumn: return by([](const NodeStatus &s) { return s.jitterUs; });
    case LostColumn: return by([](const NodeStatus &s) { return s.lost; });
    case PhiColumn: return by([](const NodeStatus &s) { return s.phi; });
    default: return byName;
    }
}

bool NodeModel::sorted() const
{
    for (int row = 1; row < m_rows.size(); ++row)
        if (before(row, row - 1))
            return false;
    return true;
}

void NodeModel::resort()
{
    // By name, and by state then name (the default, worst first), the order comes from the names'
    // ranks in one pass per state: thousands of nodes changing state at once cost no comparisons.
    const size_t n = size_t(m_rows.size());
    std::vector<int> byRank(n);
    for (size_t row = 0; row < n; ++row)
        byRank[size_t(m_rank[row])] = int(row);
    if (m_sortOrder == Qt::DescendingOrder)
        std::reverse(byRank.begin(), byRank.end());
    std::vector<int> order;
    order.reserve(n);
    if (m_sortColumn == NodeColumn) {
        order = std::move(byRank);
    } else if (m_sortColumn == StateColumn) {
        for (int step = 0; step < 4; ++step) {
            const int severity = m_sortOrder == Qt::AscendingOrder ? step : 3 - step;
            for (int row : byRank)
                if (stateSeverity(m_rows.at(row).state) == severity)
                    order.push_back(row);
        }
    } else {
        order.resize(n);
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [this](int a, int b) { return before(a, b); });
    }

    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    std::vector<int> newRow(order.size());
    QList<NodeStatus> rows;
    rows.reserve(m_rows.size());
    std::vector<int> rank(order.size());
    for (size_t i = 0; i < order.size(); ++i) {
        newRow[size_t(order[i])] = int(i);
        rows << std::move(m_rows[order[i]]);
        rank[i] = m_rank[size_t(order[i])];
    }
    m_rows = std::move(rows);
    m_rank = std::move(rank);
    reindex();
    const QModelIndexList from = persistentIndexList();
    QModelIndexList to;
    to.reserve(from.size());
    for (const QModelIndex &i : from)
        to << index(newRow[size_t(i.row())], i.column());
    changePersistentIndexList(from, to);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void NodeModel::reindex()
{
    m_index.clear();
    m_index.reserve(m_rows.size());
    for (int row = 0; row < m_rows.size(); ++row)
        m_index.insert(m_rows.at(row).node, row);
}

void NodeModel::removeMissing(const QSet<QString> &present)
{
    const qsizetype missing = m_rows.size() - present.size();
    if (missing > 16) {
        // A flood of one-off names forgotten at once: one reset, not a signal (and a shift) per row.
        beginResetModel();
        m_rows.removeIf([&present](const NodeStatus &r) { return !present.contains(r.node); });
        endResetModel();
    } else {
        for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
            if (present.contains(m_rows.at(row).node))
                continue;
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    reindex();
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
    // Rows are filtered again when their state changes; sort() is the source's.
    setDynamicSortFilter(true);
}

void NodeFilterModel::sort(int column, Qt::SortOrder order)
{
    if (sourceModel())
        sourceModel()->sort(column, order);
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
