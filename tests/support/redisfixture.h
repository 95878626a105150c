// Test bed: real redis-server / redis-sentinel processes on free loopback ports, with blocking
// helpers that only tests may use (they spin the event loop while they wait).
#pragma once

#include "journal/event.h"
#include "networklab.h"
#include "redis/connection.h"
#include "sandbox/localtopology.h"

#include <QProcess>
#include <QString>
#include <memory>

namespace vigil::test {

struct Certificates
{
    QString caCert, caKey;
    QString serverCert, serverKey;
    QString clientCert, clientKey;
    QString otherCaCert; // a CA that signed none of the above
};

class RedisFixture
{
public:
    RedisFixture();
    ~RedisFixture();

    // Empty when redis-server (and redis-sentinel) are installed; else the reason, for QSKIP.
    static QString missing(bool needSentinel = false);

    LocalTopology &topology() { return *m_topology; }

    // Adds and starts a node, waits until it answers; returns its index or -1 (see error()).
    int startServer(const QString &name, const QStringList &extraConfig = {});
    int startReplica(const QString &name, int master, const QStringList &extraConfig = {});
    int startSentinel(const QString &name, const QString &masterName, int master, int quorum, const QStringList &extraConfig = {});
    int startUnixServer(const QString &name);
    int startTlsServer(const QString &name, bool requireClientCertificates);

    bool waitReady(int index, int timeoutMs = 10000);

    // A master with replicas and sentinels (quorum 2) watching it as group `name`; nodes are named
    // name-m, name-r1..., name-s1...
    struct Group
    {
        QString name;
        int master = -1;
        QList<int> replicas;
        QList<int> sentinels;
        QList<int> others; // in a cluster: the nodes of the other shards
    };
    Group startGroup(const QString &name, int replicas, int sentinels, int downAfterMs = 2000, const QStringList &serverConfig = {});
    // The same with one server (0: the master, 1...: a replica) in a NetworkLab's namespace; the
    // other nodes bind the lab's outer address.
    Group startGroupAcross(const NetworkLab &lab, int placed, const QString &name, int replicas, int sentinels, int downAfterMs = 2000);
    // A Redis Cluster of three shards of a primary and two replicas, made by hand (CLUSTER MEET,
    // ADDSLOTSRANGE, REPLICATE) so that the first shard holds `key`: returned as the group of that
    // shard (name-1 its primary, name-2 and name-3 its replicas), the other six nodes in `others`.
    // With a lab, the shard's node at `placed` (0 the primary, 1 or 2 a replica) runs in its
    // namespace and the others bind its outer address.
    Group startClusterShard(const QString &name, const QByteArray &key, const NetworkLab *lab = nullptr, int placed = -1, int nodeTimeoutMs = 2000);
    // Makes a node of `cluster` announce 127.0.0.1:port (and busPort for the cluster bus) to the
    // other nodes and to its primary, and waits until every node lists it there: with relays on
    // those ports, every node reaches it through them.
    bool announceThrough(const Group &cluster, int node, quint16 port, quint16 busPort);
    // Every replica linked and streaming, every sentinel knowing the replicas and the other sentinels;
    // in a cluster, every node sees it whole and agrees which nodes of the shard are replicas.
    bool groupReady(const Group &group);
    // A replica's link to its master is up.
    bool linkUp(int replica);
    bool isMaster(int node);
    // `replica` replicates from `master` with its link up.
    bool follows(int replica, int master);
    // CONFIG GET replica-priority; empty when it cannot be read.
    QByteArray replicaPriority(int node);
    bool restart(int index);
    QString error() const { return m_error; }

    // Generates a CA, a server certificate for 127.0.0.1/localhost and a client certificate (once).
    const Certificates &certificates();

    // A blocking command over a plain TCP or Unix connection; for setting the scene in tests.
    Reply command(int index, const QList<QByteArray> &argv, const QByteArray &password = {});

    quint16 port(int index) const { return m_topology->node(index).port; }
    RedisUri uri(int index) const { return m_topology->uri(index); }
    ConnectionOptions options(int index) const;

private:
    int startAndWait(int index);
    Group startGroupPlaced(const NetworkLab *lab, int placed, const QString &name, int replicas, int sentinels, int downAfterMs,
                           const QStringList &serverConfig);
    bool makeCertificates();

    std::unique_ptr<LocalTopology> m_topology;
    std::unique_ptr<Certificates> m_certs;
    QString m_error;
};

// The events of a journal file (which a recorder process may be writing), oldest first.
QList<Event> journalEvents(const QString &path, const QString &kindPrefix = {});

// The bytes of a file under tests/data ("info/7.0-master.txt"); fails the test when it is missing.
QByteArray readTestData(const QString &path);

// `vigil record --journal JOURNAL ARGS...` as a child process (VIGIL_BINARY), started.
std::unique_ptr<QProcess> startRecorder(const QString &journal, const QStringList &args);
// SIGINT, then waits for it to exit; false (with a message through QTest) unless it exits 0.
bool stopRecorder(QProcess &recorder);

// A small tmpfs mounted on a directory of its own (root only), for a full disk or a read-only one.
class ScopedTmpfs
{
public:
    explicit ScopedTmpfs(qint64 bytes);
    ~ScopedTmpfs();
    ScopedTmpfs(const ScopedTmpfs &) = delete;
    ScopedTmpfs &operator=(const ScopedTmpfs &) = delete;
    // Empty when mounted; else why not, for QSKIP.
    QString missing() const { return m_missing; }
    QString path() const { return m_dir; }
    bool remountReadOnly();

private:
    QString m_dir;
    QString m_missing;
};

// A fake_redis process (FAKE_REDIS) listening on a free loopback port with the given script
// options (see tests/support/fake_redis.cpp).
struct FakeRedis
{
    std::unique_ptr<QProcess> process;
    quint16 port = 0;
    QString uri() const { return QStringLiteral("redis://127.0.0.1:%1").arg(port); }
    QString address() const { return QStringLiteral("127.0.0.1:%1").arg(port); }
    // The connections it accepted so far (it prints one line per connection).
    int connections();
    // How many times it printed `what` so far.
    int printed(const QByteArray &what);

private:
    QByteArray m_output;
};
// Empty `process` (with a message through QTest) when it could not start.
FakeRedis startFakeRedis(const QStringList &args);

// Runs `program args` and returns its exit code (-1 if it could not run); output goes to *out.
int runProcess(const QString &program, const QStringList &args, QByteArray *out = nullptr, int timeoutMs = 30000);

} // namespace vigil::test
