// Real redis-server / redis-sentinel processes on free loopback ports in a temporary directory:
// the demo topology and the test bed are the same code.
#pragma once

#include "redis/connection.h"

#include <QObject>
#include <QProcess>
#include <QTemporaryDir>

#include <memory>
#include <vector>

namespace vigil {

class LocalTopology final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalTopology)

public:
    enum class Kind { Server, Sentinel };

    struct Node
    {
        QString name;
        Kind kind = Kind::Server;
        QString host = QStringLiteral("127.0.0.1"); // the address it binds and is reached at
        QString netns;                              // the network namespace it runs in; empty: this one
        quint16 port = 0;                           // plain TCP port; 0 when the node only listens with TLS
        quint16 tlsPort = 0;
        QString unixSocket; // path, when enabled
        QString configPath;
        QString logPath;
        QStringList config; // the config lines the node is started with
        QProcess *process = nullptr;
    };

    explicit LocalTopology(QObject *parent = nullptr);
    // Kills every process this topology started and removes its directory.
    ~LocalTopology() override;

    // Empty when redis-server (and redis-sentinel, if wanted) can be run; otherwise a message that
    // names the missing binary and the Debian package providing it. `dirs` replaces the search
    // path (PATH, then /usr/bin, /usr/sbin, /usr/local/bin) when given.
    static QString checkBinaries(bool needSentinel, const QStringList &dirs = {});

    bool isValid() const { return m_dir.isValid(); }
    QString directory() const { return m_dir.path(); }

    // The address that nodes added from now on bind and are reached at (127.0.0.1 by default).
    // Another than loopback turns Redis's protected mode off: the tests' namespaces need it.
    void setHost(const QString &host) { m_host = host; }

    // Adds a node (not yet started); `extraConfig` lines are appended to its config file.
    int addServer(const QString &name, const QStringList &extraConfig = {});
    int addReplica(const QString &name, int masterIndex, const QStringList &extraConfig = {});
    // A server with cluster mode on (its bus on port + 10000), not yet in any cluster.
    int addClusterNode(const QString &name, int nodeTimeoutMs);
    int addSentinel(const QString &name, const QString &masterName, int masterIndex, int quorum, const QStringList &extraConfig = {});
    // Runs the node in the network namespace `netns` (`ip netns exec`), bound to `host` there;
    // before start, and before other nodes are added that point at it.
    void placeInNamespace(int index, const QString &netns, const QString &host);
    // Makes the node listen on a Unix socket too (before start).
    void enableUnixSocket(int index);
    // Makes the node listen with TLS only, on a fresh port (before start).
    void enableTls(int index, const QString &certFile, const QString &keyFile, const QString &caFile, bool requireClientCertificates);

    // Starts the process; returns false with *error if it cannot be started.
    bool start(int index, QString *error = nullptr);
    bool startAll(QString *error = nullptr);

    // Fault injection.
    void kill(int index);                              // SIGKILL, waits for the exit
    void suspend(int index);                           // SIGSTOP: a hung server
    void resume(int index);                            // SIGCONT
    bool restart(int index, QString *error = nullptr); // same port, same config
    void stopAll();

    bool isRunning(int index) const;
    qint64 pid(int index) const;
    int count() const { return int(m_nodes.size()); }
    const Node &node(int index) const { return *m_nodes.at(size_t(index)); }
    QString log(int index) const;

    // The URI to reach a node (plain TCP, or TLS when only TLS is enabled).
    RedisUri uri(int index) const;
    ConnectionOptions connectionOptions(int index) const;

    // A new free loopback port (not handed out before by this topology).
    quint16 freePort();

    // The demo shape: a master, two replicas and three sentinels (quorum 2) watching master "demo".
    // Returns false with *error if a binary is missing or a process fails to start.
    bool buildDemo(QString *error = nullptr, int downAfterMs = 5000);

    // A Redis Cluster: `primaries` primaries with `replicasEach` replicas each, slots spread evenly
    // (made with `redis-cli --cluster create`). Returns the node indexes, or an empty list with *error.
    QList<int> buildCluster(int primaries, int replicasEach, QString *error = nullptr, int nodeTimeoutMs = 2000);

Q_SIGNALS:
    void nodeExited(int index, int exitCode);

private:
    int addNode(const QString &name, Kind kind, const QStringList &config);
    void writeConfig(Node &node) const;

    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<Node>> m_nodes;
    QList<quint16> m_ports;
    QString m_host = QStringLiteral("127.0.0.1");
};

} // namespace vigil
