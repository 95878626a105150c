// Item models of the Services panel: one row per service (its state, primary, standbys and their
// readiness, the last takeover and its gap), and the members of one service.
#pragma once

#include "heartbeat/tracker.h"
#include "servicetracker.h"

#include <QAbstractTableModel>
#include <QHash>

namespace vigil {

// How ready a standby is, in words: "ready, last beat 0.4 s ago, latency 1.2 ms".
QString memberReadiness(const ServiceMember &member, const NodeStatus *node);
// A state's meaning for the operator.
QString serviceStateMeaning(ServiceState state);

class ServiceModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceModel)

public:
    enum Column { NameColumn, StateColumn, PrimaryColumn, StandbysColumn, TakeoverColumn, GapColumn, ColumnCount };
    enum Role { StateRole = Qt::UserRole + 1, NameRole };

    explicit ServiceModel(QObject *parent = nullptr);

    // The services as the heartbeat worker last judged them, and the nodes' statuses (latency).
    void update(const QList<ServiceStatus> &services, const QList<NodeStatus> &nodes);

    const ServiceStatus *service(const QString &name) const;
    const NodeStatus *node(const QString &name) const;
    QList<ServiceStatus> services() const { return m_services; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString standbys(const ServiceStatus &s) const;

    QList<ServiceStatus> m_services; // sorted by name
    QHash<QString, NodeStatus> m_nodes;
};

// The members of the service chosen with setService().
class ServiceMemberModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceMemberModel)

public:
    enum Column { NodeColumn, RoleColumn, StateColumn, EpochColumn, ReadinessColumn, CarrierColumn, ColumnCount };
    enum Role { StateRole = Qt::UserRole + 1 };

    explicit ServiceMemberModel(const ServiceModel *services, QObject *parent = nullptr);

    void setService(const QString &name);
    QString serviceName() const { return m_name; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void refresh();

    const ServiceModel *m_services;
    QString m_name;
    QList<ServiceMember> m_members;
};

} // namespace vigil
