// Item models of the Services panel.
#include "servicemodel.h"

#include "incidents/incidentmodel.h"

#include <QDateTime>
#include <QSet>

#include <algorithm>

namespace vigil {

namespace {

const QString kPrimary = QStringLiteral("primary");
const QString kStandby = QStringLiteral("standby");

QString gapText(qint64 ms)
{
    return ms < 10'000 ? ServiceModel::tr("%1 ms").arg(ms) : formatDuration(ms);
}

bool isUp(NodeState state)
{
    return state == NodeState::Up || state == NodeState::Suspect;
}

} // namespace

QString serviceStateMeaning(ServiceState state)
{
    switch (state) {
    case ServiceState::Healthy: return ServiceModel::tr("A primary beats and a standby is ready to take over.");
    case ServiceState::Degraded: return ServiceModel::tr("A primary beats but no standby does: no redundancy is left.");
    case ServiceState::Down: return ServiceModel::tr("No primary beats: the service is not served.");
    case ServiceState::Split: return ServiceModel::tr("Two or more nodes claim to be primary at once.");
    }
    return {};
}

QString memberReadiness(const ServiceMember &member, const NodeStatus *node)
{
    QStringList parts;
    if (!isUp(member.state))
        parts << (member.state == NodeState::Down ? ServiceModel::tr("not beating") : ServiceModel::tr("not heard yet"));
    else if (member.role == kStandby)
        parts << (member.state == NodeState::Suspect ? ServiceModel::tr("late") : ServiceModel::tr("ready"));
    else if (member.role == kPrimary)
        parts << ServiceModel::tr("active");
    else
        parts << ServiceModel::tr("beating, not a standby");
    if (node) {
        parts << ServiceModel::tr("last beat %1 ago").arg(formatDuration(node->lastBeatAgeMs));
        if (node->latencyP50Us >= 0)
            parts << ServiceModel::tr("latency %1 ms").arg(double(node->latencyP50Us) / 1000.0, 0, 'f', 1);
    }
    return parts.join(QStringLiteral(", "));
}

ServiceModel::ServiceModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ServiceModel::update(const QList<ServiceStatus> &services, const QList<NodeStatus> &nodes)
{
    QList<ServiceStatus> sorted = services;
    std::sort(sorted.begin(), sorted.end(), [](const ServiceStatus &a, const ServiceStatus &b) { return a.name < b.name; });
    // Only the services' members are looked up: a copy of every node (10,000 of them) would be
    // most of this update's time.
    QSet<QString> members;
    for (const ServiceStatus &s : std::as_const(sorted))
        for (const ServiceMember &m : s.members)
            members.insert(m.node);
    m_nodes.clear();
    if (!members.isEmpty())
        for (const NodeStatus &n : nodes)
            if (members.contains(n.node))
                m_nodes.insert(n.node, n);
    bool sameRows = sorted.size() == m_services.size();
    for (qsizetype i = 0; sameRows && i < sorted.size(); ++i)
        sameRows = sorted[i].name == m_services[i].name;
    if (!sameRows) {
        beginResetModel();
        m_services = sorted;
        endResetModel();
        return;
    }
    m_services = sorted;
    if (!m_services.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

const ServiceStatus *ServiceModel::service(const QString &name) const
{
    for (const ServiceStatus &s : m_services)
        if (s.name == name)
            return &s;
    return nullptr;
}

const NodeStatus *ServiceModel::node(const QString &name) const
{
    const auto it = m_nodes.constFind(name);
    return it == m_nodes.cend() ? nullptr : &*it;
}

int ServiceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_services.size());
}

int ServiceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ServiceModel::standbys(const ServiceStatus &s) const
{
    QStringList list;
    for (const ServiceMember &m : s.members) {
        if (s.primaries.contains(m.node))
            continue;
        list << QStringLiteral("%1 (%2)").arg(m.node, memberReadiness(m, node(m.node)));
    }
    return list.isEmpty() ? tr("none") : list.join(QStringLiteral(", "));
}

QVariant ServiceModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_services.size())
        return {};
    const ServiceStatus &s = m_services[index.row()];
    if (role == StateRole)
        return int(s.state);
    if (role == NameRole)
        return s.name;
    if (role == Qt::ToolTipRole && index.column() == StateColumn)
        return serviceStateMeaning(s.state);
    if (role == Qt::ToolTipRole && index.column() == StandbysColumn) {
        QStringList lines;
        for (const ServiceMember &m : s.members)
            if (!s.primaries.contains(m.node))
                lines << QStringLiteral("%1: %2").arg(m.node, memberReadiness(m, node(m.node)));
        return lines.join(QLatin1Char('\n'));
    }
    if (role != Qt::DisplayRole)
        return {};
    const ServiceTakeover *last = s.takeovers.isEmpty() ? nullptr : &s.takeovers.first();
    switch (index.column()) {
    case NameColumn: return s.name;
    case StateColumn: return serviceStateName(s.state);
    case PrimaryColumn: return s.primaries.isEmpty() ? tr("none") : s.primaries.join(QStringLiteral(", "));
    case StandbysColumn: return standbys(s);
    case TakeoverColumn:
        if (!last)
            return tr("none yet");
        return tr("%1 \u2192 %2 at %3")
            .arg(last->from, last->to, QDateTime::fromMSecsSinceEpoch(last->atMs).toLocalTime().toString(QStringLiteral("HH:mm:ss")));
    case GapColumn:
        if (!last)
            return {};
        return last->clock == QLatin1String("sender") ? gapText(last->gapMs) : tr("%1 (arrival)").arg(gapText(last->gapMs));
    default: return {};
    }
}

QVariant ServiceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Service");
    case StateColumn: return tr("State");
    case PrimaryColumn: return tr("Primary");
    case StandbysColumn: return tr("Standbys");
    case TakeoverColumn: return tr("Last takeover");
    case GapColumn: return tr("Gap");
    default: return {};
    }
}

ServiceMemberModel::ServiceMemberModel(const ServiceModel *services, QObject *parent)
    : QAbstractTableModel(parent)
    , m_services(services)
{
    connect(services, &QAbstractItemModel::modelReset, this, &ServiceMemberModel::refresh);
    connect(services, &QAbstractItemModel::dataChanged, this, &ServiceMemberModel::refresh);
}

void ServiceMemberModel::setService(const QString &name)
{
    m_name = name;
    refresh();
}

void ServiceMemberModel::refresh()
{
    const ServiceStatus *s = m_services->service(m_name);
    const QList<ServiceMember> members = s ? s->members : QList<ServiceMember>{};
    bool sameRows = members.size() == m_members.size();
    for (qsizetype i = 0; sameRows && i < members.size(); ++i)
        sameRows = members[i].node == m_members[i].node;
    if (!sameRows) {
        beginResetModel();
        m_members = members;
        endResetModel();
        return;
    }
    m_members = members;
    if (!m_members.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int ServiceMemberModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_members.size());
}

int ServiceMemberModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ServiceMemberModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_members.size())
        return {};
    const ServiceMember &m = m_members[index.row()];
    if (role == StateRole)
        return int(m.state);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case NodeColumn: return m.node;
    case RoleColumn: return m.role.isEmpty() ? tr("(none)") : m.role;
    case StateColumn: return nodeStateName(m.state);
    case ReadinessColumn: return memberReadiness(m, m_services->node(m.node));
    case EpochColumn: return m.epoch >= 0 ? QVariant(m.epoch) : QVariant();
    case CarrierColumn: return m.carrier;
    default: return {};
    }
}

QVariant ServiceMemberModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NodeColumn: return tr("Node");
    case RoleColumn: return tr("Role");
    case StateColumn: return tr("State");
    case ReadinessColumn: return tr("Readiness");
    case EpochColumn: return tr("Epoch");
    case CarrierColumn: return tr("Through");
    default: return {};
    }
}

} // namespace vigil
