// Finds the master of a Sentinel-managed group and follows it: asks every sentinel
// (SENTINEL GET-MASTER-ADDR-BY-NAME) and listens for +switch-master on each, so that a client
// (vigil-beat, the demo's publishers) moves to the new master as soon as one sentinel announces it.
#pragma once

#include "redis/connection.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <vector>

namespace vigil {

class MasterLocator final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MasterLocator)

public:
    MasterLocator(const QList<ConnectionOptions> &sentinels, const QString &masterName, QObject *parent = nullptr);
    ~MasterLocator() override;

    void start();
    void stop();
    // "host:port" of the master as last learnt; empty before any sentinel answered.
    QString master() const { return m_master; }
    // How often every sentinel is asked again (events can be missed while a link is down).
    void setRefreshInterval(int ms) { m_refresh.setInterval(ms); }

Q_SIGNALS:
    // The master changed (or was found): `address` is "host:port"; `how` says who said so.
    void masterChanged(const QString &address, const QString &how);
    // A sentinel could not be asked or does not know the group.
    void problem(const QString &message);

private:
    struct Sentinel
    {
        Connection *query = nullptr;
        Connection *events = nullptr;
        QString answer; // its last GET-MASTER-ADDR-BY-NAME answer
    };
    void ask(Sentinel &sentinel);
    void judgeAnswers(const QString &from);
    void setMaster(const QString &address, const QString &how);

    QString m_name;
    std::vector<Sentinel> m_sentinels;
    QString m_master;
    QTimer m_refresh;
};

} // namespace vigil
