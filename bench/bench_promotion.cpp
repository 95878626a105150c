// How long `vigil promote` holds writes on each lossless path, under a writer that increments a
// counter as fast as it can (16 INCRs in flight): each run promotes a replica of the current master
// with `vigil promote --yes` as its own process, then the next run promotes another, N times per
// path. Per run it prints the write pause Vigil measured (pause to unpause or hand-over), the stall
// the writer saw (its last acknowledgement to the refusal that stopped it), and the acknowledged
// writes lost (the writer's highest acknowledged value against the counter on the new master);
// then min/median/max per path.
//
//   bench_promotion [--runs 20] [--paths by-hand,failover,sentinel,cluster] [--vigil PATH]
#include "benchutil.h"
#include "redisfixture.h"
#include "sandbox/counterwriter.h"
#include "topology/sentinelparser.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace vigil;
using namespace vigil::test;
using vigil::bench::spinUntil;

namespace {

struct Sample
{
    qint64 pauseMs = -1; // as Vigil measured it; -1 when the path has no pause of Vigil's (cluster)
    qint64 stallMs = -1; // as the writer saw it
    qint64 lost = 0;
};

struct Series
{
    QString path;
    QList<Sample> samples;
    int failures = 0;
};

QString stats(QList<qint64> values)
{
    values.removeAll(-1);
    if (values.isEmpty())
        return QStringLiteral("-");
    std::sort(values.begin(), values.end());
    return QStringLiteral("%1 / %2 / %3 ms").arg(values.first()).arg(values.at(values.size() / 2)).arg(values.last());
}

class Bench
{
public:
    Bench(QString vigil, QString journal)
        : m_vigil(std::move(vigil))
        , m_journal(std::move(journal))
    {
    }

    RedisFixture &redis() { return m_redis; }

    // One promotion of `candidate` under a writer on `master`; `connect` is where vigil starts its discovery.
    bool promote(Series &series, int master, int candidate, const QStringList &extra)
    {
        CounterWriter writer(m_redis.options(master), "counter");
        writer.start();
        if (!spinUntil([&writer] { return writer.acknowledged() > 2000 || !writer.isRunning(); }, 10000) || !writer.isRunning()) {
            std::fprintf(stderr, "  the writer did not get going: %s\n", qPrintable(writer.stopReason()));
            return false;
        }
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        QStringList args{QStringLiteral("promote"), QStringLiteral("--candidate"), m_redis.uri(candidate).address(),
                         QStringLiteral("--yes"),   QStringLiteral("--journal"),   m_journal};
        p.start(m_vigil, args + extra);
        spinUntil([&p] { return p.state() == QProcess::NotRunning; }, 90000, 5);
        const QString out = QString::fromUtf8(p.readAll());
        spinUntil([&writer] { return !writer.isRunning(); }, 10000);
        writer.stop();
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            ++series.failures;
            std::fprintf(stderr, "  vigil promote failed:\n%s\n", qPrintable(out));
            return false;
        }
        Sample s;
        static const QRegularExpression paused(QStringLiteral("writes paused (\\d+) ms"));
        const QRegularExpressionMatch m = paused.match(out);
        s.pauseMs = m.hasMatch() ? m.captured(1).toLongLong() : -1;
        s.stallMs = writer.finalStallMs();
        const qint64 held = m_redis.command(candidate, {"GET", "counter"}).string.toLongLong();
        s.lost = std::max<qint64>(0, writer.highestValue() - held);
        std::printf("  %-8s run %2d: write pause %5lld ms (Vigil), writer stalled %5lld ms, %lld acknowledged, %lld lost (%s)\n",
                    qPrintable(series.path), int(series.samples.size() + 1), static_cast<long long>(s.pauseMs), static_cast<long long>(s.stallMs),
                    static_cast<long long>(writer.acknowledged()), static_cast<long long>(s.lost), qPrintable(writer.stopReason()));
        std::fflush(stdout);
        series.samples << s;
        return true;
    }

    bool isMaster(int node) { return m_redis.command(node, {"INFO", "replication"}).string.contains("role:master"); }

private:
    RedisFixture m_redis;
    QString m_vigil;
    QString m_journal;
};

// Plain replication (a master, two replicas): by hand or with FAILOVER, promoting each replica in turn.
Series plain(Bench &b, const QString &path, int runs)
{
    Series series{path, {}, 0};
    RedisFixture::Group g = b.redis().startGroup(path, 2, 0);
    if (!spinUntil([&] { return b.redis().groupReady(g); }, 15000))
        return series;
    for (int i = 0; i < runs; ++i) {
        const int candidate = g.replicas[i % 2];
        const QStringList extra{QStringLiteral("--connect"), b.redis().uri(g.master).toFullString(), QStringLiteral("--path"), path};
        if (!b.promote(series, g.master, candidate, extra))
            break;
        g.replicas.removeAll(candidate);
        g.replicas.insert(i % 2, g.master);
        g.master = candidate;
        if (!spinUntil([&] { return b.redis().groupReady(g); }, 15000))
            break;
    }
    for (int n : g.replicas + QList<int>{g.master})
        b.redis().topology().kill(n);
    return series;
}

// Through Sentinel: three sentinels, a master and two replicas.
Series sentinel(Bench &b, int runs)
{
    Series series{QStringLiteral("sentinel"), {}, 0};
    RedisFixture::Group g = b.redis().startGroup(QStringLiteral("sentinel"), 2, 3);
    // Every sentinel done with the last failover (reconfiguring the replicas comes after the switch).
    auto quiet = [&] {
        return std::all_of(g.sentinels.cbegin(), g.sentinels.cend(), [&](int s) {
            const QHash<QString, QString> master = parseFieldArray(b.redis().command(s, {"SENTINEL", "MASTER", "sentinel"}));
            return !master.value(QStringLiteral("flags")).contains(QLatin1String("failover"));
        });
    };
    for (int i = 0; i < runs; ++i) {
        // After a switchover the sentinels learn the old master as a replica from the new master's INFO.
        if (!spinUntil([&] { return b.redis().groupReady(g) && quiet(); }, 60000, 50)) {
            std::fprintf(stderr, "  the sentinels did not settle\n");
            break;
        }
        const int candidate = g.replicas[i % 2];
        const QStringList extra{QStringLiteral("--sentinel"), b.redis().uri(g.sentinels[0]).toFullString()};
        if (!b.promote(series, g.master, candidate, extra))
            break;
        g.replicas.removeAll(candidate);
        g.replicas.insert(i % 2, g.master);
        g.master = candidate;
    }
    for (int n : g.replicas + g.sentinels + QList<int>{g.master})
        b.redis().topology().kill(n);
    return series;
}

// Redis Cluster: three primaries with a replica each; the shard that holds the counter switches over.
Series cluster(Bench &b, int runs)
{
    Series series{QStringLiteral("cluster"), {}, 0};
    QString error;
    // A primary votes for a replica of one shard at most once per two node timeouts: 2 s each.
    const int nodeTimeoutMs = 2000;
    const QList<int> nodes = b.redis().topology().buildCluster(3, 1, &error, nodeTimeoutMs);
    if (nodes.size() != 6) {
        std::fprintf(stderr, "  no cluster: %s\n", qPrintable(error));
        return series;
    }
    int owner = -1;
    for (int n : nodes)
        if (b.isMaster(n) && !b.redis().command(n, {"INCR", "counter"}).isError())
            owner = n;
    int replica = -1;
    for (int n : nodes)
        if (n != owner
            && b.redis().command(n, {"INFO", "replication"}).string.contains(QByteArray("master_port:" + QByteArray::number(b.redis().port(owner)))))
            replica = n;
    auto settled = [&] {
        const QByteArray id = b.redis().command(replica, {"CLUSTER", "MYID"}).string;
        return b.redis().linkUp(replica) && std::all_of(nodes.begin(), nodes.end(), [&](int n) {
                   const QByteArray info = b.redis().command(n, {"CLUSTER", "INFO"}).string;
                   if (!info.contains("cluster_state:ok"))
                       return false;
                   for (const QByteArray &line : b.redis().command(n, {"CLUSTER", "NODES"}).string.split('\n'))
                       if (line.startsWith(id))
                           return line.contains("slave");
                   return false;
               });
    };
    for (int i = 0; owner >= 0 && replica >= 0 && i < runs; ++i) {
        if (!spinUntil(settled, 30000, 50)) {
            std::fprintf(stderr, "  the cluster did not settle\n");
            break;
        }
        const QStringList extra{QStringLiteral("--connect"), b.redis().uri(owner).toFullString()};
        if (!b.promote(series, owner, replica, extra))
            break;
        std::swap(owner, replica);
        spinUntil([] { return false; }, 2 * nodeTimeoutMs + 200);
    }
    for (int n : nodes)
        b.redis().topology().kill(n);
    return series;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Promotions per path."), QStringLiteral("N"), QStringLiteral("20")});
    parser.addOption(
        {QStringLiteral("paths"), QStringLiteral("Which paths."), QStringLiteral("LIST"), QStringLiteral("by-hand,failover,sentinel,cluster")});
    parser.addOption({QStringLiteral("vigil"), QStringLiteral("The vigil binary."), QStringLiteral("PATH"),
                      QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../app/vigil"))});
    parser.process(app);
    if (const QString missing = RedisFixture::missing(true); !missing.isEmpty()) {
        std::fprintf(stderr, "bench_promotion: %s\n", qPrintable(missing));
        return 1;
    }
    const int runs = std::max(1, parser.value(QStringLiteral("runs")).toInt());
    QTemporaryDir dir;
    Bench bench(parser.value(QStringLiteral("vigil")), dir.filePath(QStringLiteral("journal.sqlite")));
    QList<Series> all;
    for (const QString &path : parser.value(QStringLiteral("paths")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        std::printf("%s, %d runs:\n", qPrintable(path), runs);
        std::fflush(stdout);
        if (path == QLatin1String("sentinel"))
            all << sentinel(bench, runs);
        else if (path == QLatin1String("cluster"))
            all << cluster(bench, runs);
        else
            all << plain(bench, path, runs);
    }
    std::printf("\n%-9s %5s  %-26s %-26s %s\n", "path", "runs", "write pause (Vigil)", "writer stalled", "lost");
    bool ok = true;
    for (const Series &s : std::as_const(all)) {
        QList<qint64> pauses, stalls;
        qint64 lost = 0;
        for (const Sample &x : s.samples) {
            pauses << x.pauseMs;
            stalls << x.stallMs;
            lost += x.lost;
        }
        std::printf("%-9s %5d  %-26s %-26s %lld\n", qPrintable(s.path), int(s.samples.size()), qPrintable(stats(pauses)), qPrintable(stats(stalls)),
                    static_cast<long long>(lost));
        ok = ok && s.failures == 0 && s.samples.size() == runs && lost == 0;
    }
    std::printf("(min / median / max)\n");
    return ok ? 0 : 1;
}
