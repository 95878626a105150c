// Test bed over LocalTopology.
#include "redisfixture.h"

#include "journal/journal.h"
#include "redis/codec.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QLocalSocket>
#include <QProcess>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QUuid>

#include <algorithm>

#include <csignal>
#include <unistd.h>

namespace vigil::test {

RedisFixture::RedisFixture()
    : m_topology(std::make_unique<LocalTopology>())
{
}

RedisFixture::~RedisFixture() = default;

QString RedisFixture::missing(bool needSentinel)
{
    return LocalTopology::checkBinaries(needSentinel);
}

ConnectionOptions RedisFixture::options(int index) const
{
    ConnectionOptions o = m_topology->connectionOptions(index);
    o.reconnectMinMs = 50;
    o.reconnectMaxMs = 500;
    return o;
}

int RedisFixture::startAndWait(int index)
{
    return m_topology->start(index, &m_error) && waitReady(index) ? index : -1;
}

int RedisFixture::startServer(const QString &name, const QStringList &extraConfig)
{
    const int i = m_topology->addServer(name, extraConfig);
    return startAndWait(i);
}

int RedisFixture::startReplica(const QString &name, int master, const QStringList &extraConfig)
{
    const int i = m_topology->addReplica(name, master, extraConfig);
    return startAndWait(i);
}

int RedisFixture::startSentinel(const QString &name, const QString &masterName, int master, int quorum, const QStringList &extraConfig)
{
    const int i = m_topology->addSentinel(name, masterName, master, quorum, extraConfig);
    return startAndWait(i);
}

RedisFixture::Group RedisFixture::startGroup(const QString &name, int replicas, int sentinels, int downAfterMs, const QStringList &serverConfig)
{
    return startGroupPlaced(nullptr, -1, name, replicas, sentinels, downAfterMs, serverConfig);
}

RedisFixture::Group RedisFixture::startGroupAcross(const NetworkLab &lab, int placed, const QString &name, int replicas, int sentinels,
                                                   int downAfterMs)
{
    m_topology->setHost(lab.outside());
    Group g = startGroupPlaced(&lab, placed, name, replicas, sentinels, downAfterMs, {});
    m_topology->setHost(QStringLiteral("127.0.0.1"));
    return g;
}

RedisFixture::Group RedisFixture::startGroupPlaced(const NetworkLab *lab, int placed, const QString &name, int replicas, int sentinels,
                                                   int downAfterMs, const QStringList &serverConfig)
{
    auto place = [&](int index, int position) {
        if (lab && position == placed)
            m_topology->placeInNamespace(index, lab->netns(), lab->inside());
        return startAndWait(index);
    };
    Group g;
    g.name = name;
    g.master = place(m_topology->addServer(name + QStringLiteral("-m"), serverConfig), 0);
    for (int i = 0; i < replicas; ++i)
        g.replicas << place(m_topology->addReplica(name + QStringLiteral("-r%1").arg(i + 1), g.master, serverConfig), i + 1);
    for (int i = 0; i < sentinels; ++i)
        g.sentinels << startSentinel(name + QStringLiteral("-s%1").arg(i + 1), name, g.master, 2,
                                     {QStringLiteral("sentinel down-after-milliseconds %1 %2").arg(name).arg(downAfterMs)});
    return g;
}

RedisFixture::Group RedisFixture::startClusterShard(const QString &name, const QByteArray &key, const NetworkLab *lab, int placed, int nodeTimeoutMs)
{
    m_error.clear();
    Group g;
    g.name = name;
    if (lab)
        m_topology->setHost(lab->outside());
    QList<int> nodes;
    for (int position = 0; position < 9; ++position) {
        const int index = m_topology->addClusterNode(QStringLiteral("%1-%2").arg(name).arg(position + 1), nodeTimeoutMs);
        if (lab && position == placed)
            m_topology->placeInNamespace(index, lab->netns(), lab->inside());
        nodes << index;
    }
    m_topology->setHost(QStringLiteral("127.0.0.1"));
    auto fail = [&](const QString &why) {
        for (int n : nodes)
            m_topology->kill(n);
        m_error = why;
        Group none;
        none.name = name;
        return none;
    };
    for (int n : nodes)
        if (startAndWait(n) < 0)
            return fail(m_error);
    // Every node meets the first; the first shard takes the third of the slots that holds `key`.
    const LocalTopology::Node &first = m_topology->node(nodes[0]);
    for (int n : nodes.mid(1))
        if (const Reply r = command(n, {"CLUSTER", "MEET", first.host.toUtf8(), QByteArray::number(first.port)}); r.isError())
            return fail(QStringLiteral("CLUSTER MEET: ") + r.text());
    constexpr int kSlots = 16384;
    auto lowest = [](int third) { return third * kSlots / 3; };
    const Reply slot = command(nodes[0], {"CLUSTER", "KEYSLOT", key});
    if (!slot.isInteger())
        return fail(QStringLiteral("CLUSTER KEYSLOT: ") + slot.text());
    int holding = 0;
    while (slot.integer >= lowest(holding + 1))
        ++holding;
    for (int shard = 0; shard < 3; ++shard) {
        const int third = (holding + shard) % 3;
        const Reply r =
            command(nodes[shard * 3], {"CLUSTER", "ADDSLOTSRANGE", QByteArray::number(lowest(third)), QByteArray::number(lowest(third + 1) - 1)});
        if (r.isError())
            return fail(QStringLiteral("CLUSTER ADDSLOTSRANGE: ") + r.text());
    }
    // A node becomes a replica once it has heard of its primary (by gossip, within a second or so).
    for (int shard = 0; shard < 3; ++shard) {
        const QByteArray primary = command(nodes[shard * 3], {"CLUSTER", "MYID"}).string;
        for (int replica : {nodes[shard * 3 + 1], nodes[shard * 3 + 2]}) {
            const QDeadlineTimer deadline(10000);
            while (command(replica, {"CLUSTER", "REPLICATE", primary}).isError()) {
                if (deadline.hasExpired())
                    return fail(QStringLiteral("%1 never learnt of its primary").arg(m_topology->node(replica).name));
                QTest::qWait(50);
            }
        }
    }
    g.master = nodes[0];
    g.replicas = {nodes[1], nodes[2]};
    g.others = nodes.mid(3);
    return g;
}

bool RedisFixture::announceThrough(const Group &cluster, int node, quint16 port, quint16 busPort)
{
    const QByteArray client = QByteArray::number(port);
    const QList<QByteArray> settings[] = {{"cluster-announce-ip", "127.0.0.1"},
                                          {"cluster-announce-port", client},
                                          {"cluster-announce-bus-port", QByteArray::number(busPort)},
                                          {"replica-announce-ip", "127.0.0.1"},
                                          {"replica-announce-port", client}};
    for (const QList<QByteArray> &setting : settings)
        if (command(node, QList<QByteArray>{"CONFIG", "SET"} + setting).isError())
            return false;
    // A replica tells its primary its port when it connects: make it connect again.
    command(node, {"CLIENT", "KILL", "TYPE", "master"});
    const QByteArray id = command(node, {"CLUSTER", "MYID"}).string;
    const QByteArray address = "127.0.0.1:" + client + "@" + QByteArray::number(busPort);
    auto listed = [&](int n) {
        const QList<QByteArray> lines = command(n, {"CLUSTER", "NODES"}).string.split('\n');
        return std::any_of(lines.begin(), lines.end(), [&](const QByteArray &line) { return line.startsWith(id) && line.contains(address); });
    };
    const QList<int> all = QList<int>{cluster.master} + cluster.replicas + cluster.others;
    const QDeadlineTimer deadline(20000);
    while (!std::all_of(all.begin(), all.end(), listed)) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(100);
    }
    return true;
}

bool RedisFixture::groupReady(const Group &g)
{
    if (g.master < 0 || g.replicas.contains(-1) || g.sentinels.contains(-1))
        return false;
    if (!g.others.isEmpty()) {
        const QList<int> all = QList<int>{g.master} + g.replicas + g.others;
        QList<QByteArray> replicaIds;
        for (int r : g.replicas)
            replicaIds << command(r, {"CLUSTER", "MYID"}).string;
        for (int n : all) {
            const QByteArray info = command(n, {"CLUSTER", "INFO"}).string;
            if (!info.contains("cluster_state:ok") || !info.contains(QByteArray("cluster_known_nodes:" + QByteArray::number(all.size()) + "\r\n")))
                return false;
            // Until every primary sees the replicas as replicas, it refuses them its vote.
            const QList<QByteArray> lines = command(n, {"CLUSTER", "NODES"}).string.split('\n');
            for (const QByteArray &id : replicaIds)
                if (std::none_of(lines.begin(), lines.end(), [&id](const QByteArray &line) { return line.startsWith(id) && line.contains("slave"); }))
                    return false;
        }
    }
    for (int r : g.replicas)
        if (!linkUp(r))
            return false;
    // After a diskless sync the master streams to a replica only once it has ACKed (replicas ACK
    // once a second): until then a replica looks linked but receives nothing.
    const QByteArray info = command(g.master, {"INFO", "replication"}).string;
    if (info.count("state=online") != g.replicas.size() || info.contains("offset=0,"))
        return false;
    for (int s : g.sentinels)
        if (command(s, {"SENTINEL", "REPLICAS", g.name.toUtf8()}).elements.size() != size_t(g.replicas.size())
            || command(s, {"SENTINEL", "SENTINELS", g.name.toUtf8()}).elements.size() != size_t(g.sentinels.size() - 1))
            return false;
    return true;
}

bool RedisFixture::linkUp(int replica)
{
    return command(replica, {"INFO", "replication"}).string.contains("master_link_status:up");
}

bool RedisFixture::isMaster(int node)
{
    return command(node, {"INFO", "replication"}).string.contains("role:master");
}

bool RedisFixture::follows(int replica, int master)
{
    const QByteArray info = command(replica, {"INFO", "replication"}).string;
    return info.contains("role:slave") && info.contains("master_link_status:up")
        && info.contains(QByteArray("master_port:" + QByteArray::number(port(master))));
}

QByteArray RedisFixture::replicaPriority(int node)
{
    const Reply r = command(node, {"CONFIG", "GET", "replica-priority"});
    return r.elements.size() == 2 ? r.elements[1].string : QByteArray();
}

int RedisFixture::startUnixServer(const QString &name)
{
    const int i = m_topology->addServer(name);
    m_topology->enableUnixSocket(i);
    return startAndWait(i);
}

int RedisFixture::startTlsServer(const QString &name, bool requireClientCertificates)
{
    const Certificates &c = certificates();
    if (c.caCert.isEmpty())
        return -1;
    const int i = m_topology->addServer(name);
    m_topology->enableTls(i, c.serverCert, c.serverKey, c.caCert, requireClientCertificates);
    return startAndWait(i);
}

bool RedisFixture::waitReady(int index, int timeoutMs)
{
    const auto &node = m_topology->node(index);
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (!m_topology->isRunning(index)) {
            m_error = QStringLiteral("%1 exited during start-up: %2").arg(node.name, m_topology->log(index).right(600));
            return false;
        }
        if (node.port == 0) {
            // TLS only: Redis says so in its log once it listens.
            if (m_topology->log(index).contains(QLatin1String("Ready to accept connections")))
                return true;
        } else {
            const Reply pong = command(index, {QByteArrayLiteral("PING")});
            if (!pong.local)
                return true;
        }
        QTest::qWait(20);
    }
    m_error = QStringLiteral("%1 did not become ready in %2 ms: %3").arg(node.name).arg(timeoutMs).arg(m_topology->log(index).right(600));
    return false;
}

bool RedisFixture::restart(int index)
{
    return m_topology->restart(index, &m_error) && waitReady(index);
}

Reply RedisFixture::command(int index, const QList<QByteArray> &argv, const QByteArray &password)
{
    const auto &node = m_topology->node(index);
    std::unique_ptr<QIODevice> io;
    if (!node.unixSocket.isEmpty()) {
        auto socket = std::make_unique<QLocalSocket>();
        socket->connectToServer(node.unixSocket);
        if (!socket->waitForConnected(1000))
            return Reply::error("ERR cannot connect");
        io = std::move(socket);
    } else {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(node.host, node.port);
        if (!socket->waitForConnected(1000))
            return Reply::error("ERR cannot connect");
        io = std::move(socket);
    }
    QByteArray request;
    if (!password.isEmpty())
        request += encodeCommand({QByteArrayLiteral("AUTH"), password});
    request += encodeCommand(argv);
    io->write(request);
    ReplyDecoder decoder;
    Reply reply;
    int wanted = password.isEmpty() ? 1 : 2;
    QDeadlineTimer deadline(5000);
    auto waitRead = [&] {
        if (auto *tcp = qobject_cast<QTcpSocket *>(io.get()))
            return tcp->waitForReadyRead(int(deadline.remainingTime()));
        return static_cast<QLocalSocket *>(io.get())->waitForReadyRead(int(deadline.remainingTime()));
    };
    while (wanted > 0 && !deadline.hasExpired()) {
        if (auto *tcp = qobject_cast<QTcpSocket *>(io.get()))
            tcp->waitForBytesWritten(100);
        if (!waitRead())
            break;
        decoder.feed(io->readAll());
        while (wanted > 0 && decoder.next(&reply) == ReplyDecoder::Status::Ok)
            --wanted;
    }
    return wanted == 0 ? reply : Reply::error("ERR no reply");
}

const Certificates &RedisFixture::certificates()
{
    if (!m_certs) {
        m_certs = std::make_unique<Certificates>();
        if (!makeCertificates())
            *m_certs = Certificates{};
    }
    return *m_certs;
}

QList<Event> journalEvents(const QString &path, const QString &kindPrefix)
{
    JournalQuery q;
    q.kindPrefix = kindPrefix;
    return readJournal(path, q);
}

QByteArray readTestData(const QString &path)
{
    QFile f(QTest::qFindTestData(QStringLiteral("../data/") + path, __FILE__, __LINE__));
    if (!f.open(QIODevice::ReadOnly)) {
        QTest::qFail(qPrintable(QStringLiteral("missing test data %1").arg(path)), __FILE__, __LINE__);
        return {};
    }
    return f.readAll();
}

std::unique_ptr<QProcess> startRecorder(const QString &journal, const QStringList &args)
{
    auto p = std::make_unique<QProcess>();
    p->setProcessChannelMode(QProcess::SeparateChannels);
    p->start(qEnvironmentVariable("VIGIL_BINARY"), QStringList{QStringLiteral("record"), QStringLiteral("--journal"), journal} + args);
    p->waitForStarted();
    return p;
}

bool stopRecorder(QProcess &p)
{
    ::kill(pid_t(p.processId()), SIGINT);
    if (!p.waitForFinished(10000)) {
        QTest::qFail("the recorder did not exit within 10 s of SIGINT", __FILE__, __LINE__);
        return false;
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        QTest::qFail(qPrintable(QStringLiteral("the recorder exited with %1: %2").arg(p.exitCode()).arg(QString::fromUtf8(p.readAllStandardError()))),
                     __FILE__, __LINE__);
        return false;
    }
    return true;
}

ScopedTmpfs::ScopedTmpfs(qint64 bytes)
{
    m_dir = QDir::tempPath() + QStringLiteral("/vigil-tmpfs-") + QString::number(QCoreApplication::applicationPid()) + QLatin1Char('-')
        + QString::number(QDateTime::currentMSecsSinceEpoch());
    if (::geteuid() != 0) {
        m_missing = QStringLiteral("mounting a tmpfs needs root");
        return;
    }
    QDir().mkpath(m_dir);
    QByteArray out;
    if (runProcess(QStringLiteral("mount"),
                   {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"), QStringLiteral("size=%1").arg(bytes),
                    QStringLiteral("tmpfs"), m_dir},
                   &out)
        != 0) {
        m_missing = QStringLiteral("cannot mount a tmpfs: %1").arg(QString::fromUtf8(out).trimmed());
        QDir().rmdir(m_dir);
    }
}

ScopedTmpfs::~ScopedTmpfs()
{
    if (m_missing.isEmpty()) {
        runProcess(QStringLiteral("umount"), {QStringLiteral("-l"), m_dir});
        QDir().rmdir(m_dir);
    }
}

bool ScopedTmpfs::remountReadOnly()
{
    return runProcess(QStringLiteral("mount"), {QStringLiteral("-o"), QStringLiteral("remount,ro"), m_dir}) == 0;
}

int FakeRedis::connections()
{
    return printed("connection ");
}

int FakeRedis::printed(const QByteArray &what)
{
    if (process) {
        process->waitForReadyRead(100);
        m_output += process->readAllStandardOutput();
    }
    return int(m_output.count(what));
}

FakeRedis startFakeRedis(const QStringList &args)
{
    FakeRedis fake;
    const QString program = qEnvironmentVariable("FAKE_REDIS");
    if (program.isEmpty()) {
        qWarning("%s", "FAKE_REDIS is not set (run through CTest)");
        return fake;
    }
    const QString portFile = QDir::tempPath() + QStringLiteral("/vigil-fake-") + QUuid::createUuid().toString(QUuid::Id128);
    auto process = std::make_unique<QProcess>();
    process->setProcessChannelMode(QProcess::SeparateChannels);
    process->start(program, QStringList{QStringLiteral("--port-file"), portFile} + args);
    if (!process->waitForStarted(5000)) {
        qWarning("%s", "fake_redis did not start");
        return fake;
    }
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 5000 && process->state() == QProcess::Running) {
        QFile f(portFile);
        if (f.open(QIODevice::ReadOnly)) {
            fake.port = quint16(f.readAll().toUInt());
            if (fake.port != 0)
                break;
        }
        QTest::qWait(10);
    }
    QFile::remove(portFile);
    if (fake.port == 0) {
        qWarning("%s", qPrintable(QStringLiteral("fake_redis did not listen: %1").arg(QString::fromUtf8(process->readAllStandardError()))));
        return fake;
    }
    fake.process = std::move(process);
    return fake;
}

int runProcess(const QString &program, const QStringList &args, QByteArray *out, int timeoutMs)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    if (!p.waitForStarted(5000))
        return -1;
    // The caller's event loop runs meanwhile: a publisher or a monitor in this thread keeps time.
    QEventLoop loop;
    QObject::connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (p.state() != QProcess::NotRunning)
        loop.exec();
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished(1000);
        return -1;
    }
    if (out)
        *out = p.readAll();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

bool RedisFixture::makeCertificates()
{
    const QString dir = m_topology->directory() + QStringLiteral("/tls");
    QDir().mkpath(dir);
    Certificates &c = *m_certs;
    c.caCert = dir + QStringLiteral("/ca.crt");
    c.caKey = dir + QStringLiteral("/ca.key");
    c.serverCert = dir + QStringLiteral("/server.crt");
    c.serverKey = dir + QStringLiteral("/server.key");
    c.clientCert = dir + QStringLiteral("/client.crt");
    c.clientKey = dir + QStringLiteral("/client.key");
    c.otherCaCert = dir + QStringLiteral("/other-ca.crt");
    const QString ext = dir + QStringLiteral("/server.ext");
    QFile extFile(ext);
    if (!extFile.open(QIODevice::WriteOnly))
        return false;
    extFile.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
    extFile.close();

    const QString openssl = QStringLiteral("openssl");
    QByteArray out;
    auto run = [&](const QStringList &args) {
        if (runProcess(openssl, args, &out) == 0)
            return true;
        m_error = QStringLiteral("openssl %1 failed: %2").arg(args.join(QLatin1Char(' ')), QString::fromUtf8(out));
        return false;
    };
    auto makeCa = [&](const QString &cert, const QString &key, const QString &cn) {
        return run({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                    QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=") + cn, QStringLiteral("-keyout"),
                    key, QStringLiteral("-out"), cert});
    };
    auto makeSigned = [&](const QString &cert, const QString &key, const QString &cn) {
        const QString csr = cert + QStringLiteral(".csr");
        return run({QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-subj"),
                    QStringLiteral("/CN=") + cn, QStringLiteral("-keyout"), key, QStringLiteral("-out"), csr})
            && run({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), csr, QStringLiteral("-CA"), c.caCert,
                    QStringLiteral("-CAkey"), c.caKey, QStringLiteral("-CAcreateserial"), QStringLiteral("-days"), QStringLiteral("2"),
                    QStringLiteral("-extfile"), ext, QStringLiteral("-out"), cert});
    };
    return makeCa(c.caCert, c.caKey, QStringLiteral("Vigil Test CA"))
        && makeCa(c.otherCaCert, dir + QStringLiteral("/other-ca.key"), QStringLiteral("Unrelated CA"))
        && makeSigned(c.serverCert, c.serverKey, QStringLiteral("localhost"))
        && makeSigned(c.clientCert, c.clientKey, QStringLiteral("vigil-client"));
}

} // namespace vigil::test
