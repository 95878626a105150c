// Starts and stops real Redis processes for the demo and the tests.
#include "localtopology.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <csignal>
#include <sys/prctl.h>

namespace vigil {

namespace {

QString findBinary(const QString &name, const QStringList &dirs = {})
{
    if (!dirs.isEmpty())
        return QStandardPaths::findExecutable(name, dirs);
    QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(name, {QStringLiteral("/usr/bin"), QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/bin")});
    return path;
}

QString binaryFor(LocalTopology::Kind kind)
{
    return findBinary(kind == LocalTopology::Kind::Sentinel ? QStringLiteral("redis-sentinel") : QStringLiteral("redis-server"));
}

} // namespace

LocalTopology::LocalTopology(QObject *parent)
    : QObject(parent)
    , m_dir(QDir::tempPath() + QStringLiteral("/vigil-XXXXXX"))
{
}

LocalTopology::~LocalTopology()
{
    stopAll();
}

QString LocalTopology::checkBinaries(bool needSentinel, const QStringList &dirs)
{
    if (findBinary(QStringLiteral("redis-server"), dirs).isEmpty())
        return QStringLiteral("redis-server not found: install the Debian package redis-server "
                              "(apt-get install redis-server)");
    if (needSentinel && findBinary(QStringLiteral("redis-sentinel"), dirs).isEmpty())
        return QStringLiteral("redis-sentinel not found: install the Debian package redis-sentinel "
                              "(apt-get install redis-sentinel)");
    return {};
}

quint16 LocalTopology::freePort()
{
    for (int attempt = 0; attempt < 100; ++attempt) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            continue;
        const quint16 port = probe.serverPort();
        // Sentinel and cluster buses use port + 10000: keep that free of our own picks too.
        if (port > 55535 || m_ports.contains(port) || m_ports.contains(port + 10000) || m_ports.contains(port - 10000))
            continue;
        m_ports << port;
        return port;
    }
    return 0;
}

int LocalTopology::addNode(const QString &name, Kind kind, const QStringList &config)
{
    auto node = std::make_unique<Node>();
    node->name = name;
    node->kind = kind;
    node->port = freePort();
    node->host = m_host;
    const QString base = m_dir.path() + QLatin1Char('/') + name;
    QDir().mkpath(base);
    node->configPath = base + QStringLiteral("/redis.conf");
    node->logPath = base + QStringLiteral("/redis.log");
    node->config = QStringList{
        QStringLiteral("bind ") + m_host,
        QStringLiteral("dir ") + base,
        QStringLiteral("logfile ") + node->logPath,
        QStringLiteral("daemonize no"),
    };
    if (m_host != QLatin1String("127.0.0.1"))
        node->config << QStringLiteral("protected-mode no");
    if (kind == Kind::Server) {
        // No snapshots of their own, and replicas sync at once instead of after the 5 s default wait.
        node->config << QStringLiteral("save \"\"") << QStringLiteral("appendonly no") << QStringLiteral("repl-diskless-sync-delay 0");
    }
    node->config << config;
    m_nodes.push_back(std::move(node));
    return int(m_nodes.size()) - 1;
}

int LocalTopology::addServer(const QString &name, const QStringList &extraConfig)
{
    return addNode(name, Kind::Server, extraConfig);
}

int LocalTopology::addClusterNode(const QString &name, int nodeTimeoutMs)
{
    return addNode(name, Kind::Server,
                   {QStringLiteral("cluster-enabled yes"), QStringLiteral("cluster-config-file nodes.conf"),
                    QStringLiteral("cluster-node-timeout %1").arg(nodeTimeoutMs)});
}

int LocalTopology::addReplica(const QString &name, int masterIndex, const QStringList &extraConfig)
{
    const Node &master = node(masterIndex);
    QStringList config{QStringLiteral("replicaof %1 %2").arg(master.host).arg(master.port)};
    config << extraConfig;
    return addNode(name, Kind::Server, config);
}

int LocalTopology::addSentinel(const QString &name, const QString &masterName, int masterIndex, int quorum, const QStringList &extraConfig)
{
    const Node &master = node(masterIndex);
    QStringList config{
        QStringLiteral("sentinel monitor %1 %2 %3 %4").arg(masterName, master.host).arg(master.port).arg(quorum),
        QStringLiteral("sentinel down-after-milliseconds %1 5000").arg(masterName),
        QStringLiteral("sentinel failover-timeout %1 60000").arg(masterName),
    };
    config << extraConfig;
    return addNode(name, Kind::Sentinel, config);
}

void LocalTopology::placeInNamespace(int index, const QString &netns, const QString &host)
{
    Node &n = *m_nodes.at(size_t(index));
    n.netns = netns;
    for (QString &line : n.config)
        if (line.startsWith(QLatin1String("bind ")))
            line = QStringLiteral("bind ") + host;
    if (n.host == QLatin1String("127.0.0.1"))
        n.config << QStringLiteral("protected-mode no");
    n.host = host;
}

void LocalTopology::enableUnixSocket(int index)
{
    Node &n = *m_nodes.at(size_t(index));
    n.unixSocket = m_dir.path() + QLatin1Char('/') + n.name + QStringLiteral(".sock");
    n.config << QStringLiteral("unixsocket ") + n.unixSocket << QStringLiteral("unixsocketperm 700");
}

void LocalTopology::enableTls(int index, const QString &certFile, const QString &keyFile, const QString &caFile, bool requireClientCertificates)
{
    Node &n = *m_nodes.at(size_t(index));
    n.tlsPort = n.port;
    n.port = 0;
    n.config << QStringLiteral("port 0") << QStringLiteral("tls-port %1").arg(n.tlsPort) << QStringLiteral("tls-cert-file ") + certFile
             << QStringLiteral("tls-key-file ") + keyFile << QStringLiteral("tls-ca-cert-file ") + caFile
             << QStringLiteral("tls-auth-clients ") + (requireClientCertificates ? QStringLiteral("yes") : QStringLiteral("no"));
}

void LocalTopology::writeConfig(Node &n) const
{
    QFile file(n.configPath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return;
    QStringList lines;
    if (n.port != 0 || n.tlsPort == 0)
        lines << QStringLiteral("port %1").arg(n.port);
    lines << n.config;
    file.write(lines.join(QLatin1Char('\n')).toUtf8() + '\n');
}

bool LocalTopology::start(int index, QString *error)
{
    Node &n = *m_nodes.at(size_t(index));
    if (n.process && n.process->state() != QProcess::NotRunning)
        return true;
    const QString binary = binaryFor(n.kind);
    if (binary.isEmpty()) {
        if (error)
            *error = checkBinaries(n.kind == Kind::Sentinel);
        return false;
    }
    // Sentinel rewrites its config file; a restart must start from what we wrote, not from that.
    writeConfig(n);
    if (!n.process) {
        n.process = new QProcess(this);
        n.process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        n.process->setStandardOutputFile(n.logPath + QStringLiteral(".stdout"), QIODevice::Append);
        // The child dies with us, even when we are killed: no stray servers after a crashed test.
        n.process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
        connect(n.process, &QProcess::finished, this, [this, index](int code) { Q_EMIT nodeExited(index, code); });
    }
    // Its working directory marks the process as ours (Redis rewrites its command line).
    n.process->setWorkingDirectory(QFileInfo(n.configPath).absolutePath());
    // `ip netns exec` enters the namespace and execs the server: the process is still Redis.
    const QString program = n.netns.isEmpty() ? binary : findBinary(QStringLiteral("ip"));
    const QStringList arguments =
        n.netns.isEmpty() ? QStringList{n.configPath} : QStringList{QStringLiteral("netns"), QStringLiteral("exec"), n.netns, binary, n.configPath};
    n.process->start(program, arguments);
    if (!n.process->waitForStarted(5000)) {
        if (error)
            *error = QStringLiteral("cannot start %1: %2").arg(program, n.process->errorString());
        return false;
    }
    return true;
}

bool LocalTopology::startAll(QString *error)
{
    for (int i = 0; i < count(); ++i)
        if (!start(i, error))
            return false;
    return true;
}

void LocalTopology::kill(int index)
{
    Node &n = *m_nodes.at(size_t(index));
    if (!n.process || n.process->state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(n.process->processId()), SIGKILL);
    n.process->waitForFinished(5000);
}

void LocalTopology::suspend(int index)
{
    if (const qint64 p = pid(index); p > 0)
        ::kill(pid_t(p), SIGSTOP);
}

void LocalTopology::resume(int index)
{
    if (const qint64 p = pid(index); p > 0)
        ::kill(pid_t(p), SIGCONT);
}

bool LocalTopology::restart(int index, QString *error)
{
    kill(index);
    return start(index, error);
}

void LocalTopology::stopAll()
{
    for (int i = 0; i < count(); ++i) {
        resume(i);
        kill(i);
    }
}

bool LocalTopology::isRunning(int index) const
{
    const Node &n = node(index);
    return n.process && n.process->state() == QProcess::Running;
}

qint64 LocalTopology::pid(int index) const
{
    const Node &n = node(index);
    return isRunning(index) ? n.process->processId() : 0;
}

QString LocalTopology::log(int index) const
{
    QFile file(node(index).logPath);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

RedisUri LocalTopology::uri(int index) const
{
    const Node &n = node(index);
    RedisUri u;
    u.host = n.host;
    u.scheme = n.port == 0 && n.tlsPort != 0 ? RedisUri::Scheme::Tls : RedisUri::Scheme::Tcp;
    u.port = n.port != 0 ? n.port : n.tlsPort;
    return u;
}

ConnectionOptions LocalTopology::connectionOptions(int index) const
{
    ConnectionOptions o;
    o.uri = uri(index);
    o.name = node(index).name;
    return o;
}

bool LocalTopology::buildDemo(QString *error, int downAfterMs)
{
    if (const QString missing = checkBinaries(true); !missing.isEmpty()) {
        if (error)
            *error = missing;
        return false;
    }
    if (!isValid()) {
        if (error)
            *error = QStringLiteral("cannot create a temporary directory in %1").arg(QDir::tempPath());
        return false;
    }
    const int master = addServer(QStringLiteral("master"));
    addReplica(QStringLiteral("replica-1"), master);
    addReplica(QStringLiteral("replica-2"), master);
    for (int i = 1; i <= 3; ++i)
        addSentinel(QStringLiteral("sentinel-%1").arg(i), QStringLiteral("demo"), master, 2,
                    {QStringLiteral("sentinel down-after-milliseconds demo %1").arg(downAfterMs)});
    return startAll(error);
}

QList<int> LocalTopology::buildCluster(int primaries, int replicasEach, QString *error, int nodeTimeoutMs)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return QList<int>{};
    };
    if (const QString missing = checkBinaries(false); !missing.isEmpty())
        return fail(missing);
    const QString cli = findBinary(QStringLiteral("redis-cli"), {});
    if (cli.isEmpty())
        return fail(QStringLiteral("redis-cli not found: install the Debian package redis-tools (apt-get install redis-tools)"));
    QList<int> indexes;
    QStringList addresses;
    const int total = primaries * (1 + replicasEach);
    for (int i = 0; i < total; ++i) {
        const int index = addClusterNode(QStringLiteral("cluster-%1").arg(i + 1), nodeTimeoutMs);
        QString why;
        if (!start(index, &why))
            return fail(why);
        indexes << index;
        addresses << QStringLiteral("%1:%2").arg(node(index).host).arg(node(index).port);
    }
    // Each node must answer before redis-cli can join them.
    for (int index : indexes) {
        bool up = false;
        for (int attempt = 0; attempt < 100 && !up; ++attempt) {
            QTcpSocket probe;
            probe.connectToHost(node(index).host, node(index).port);
            up = probe.waitForConnected(100);
            if (!up)
                QThread::msleep(50);
        }
        if (!up)
            return fail(QStringLiteral("cluster node %1 does not listen").arg(node(index).name));
    }
    QProcess create;
    create.setProcessChannelMode(QProcess::MergedChannels);
    create.start(cli,
                 QStringList{QStringLiteral("--cluster"), QStringLiteral("create")}
                     << addresses
                     << QStringList{QStringLiteral("--cluster-replicas"), QString::number(replicasEach), QStringLiteral("--cluster-yes")});
    if (!create.waitForFinished(60000) || create.exitStatus() != QProcess::NormalExit || create.exitCode() != 0)
        return fail(QStringLiteral("redis-cli --cluster create failed: %1")
                        .arg(QString::fromLocal8Bit(create.readAll()).trimmed().split(QLatin1Char('\n')).last()));
    return indexes;
}

} // namespace vigil
