// Benchmark: `vigil record` watching a fleet. N replication groups (a master and two replicas each,
// real redis-server processes at `hz 1` to spare the machine) and M heartbeat nodes publishing JSON
// beats once a second, spread over the masters. Vigil is given the masters (--connect each) and
// finds the replicas itself. Nothing fails during the run.
//
// Printed, so that a saturated test machine is not blamed on Vigil, nor Vigil on the machine:
// - discovery: servers reachable and the time to the journal's monitor.baseline;
// - poll cadence as each server saw it: INFO commands per second from its own INFO commandstats
//   (Vigil sends one INFO per poll to Redis 7), over a window after discovery;
// - Vigil's CPU share and memory, the servers' CPU together, this process's (the publisher's), the
//   machine's;
// - how late the publisher ran: each second's start behind its schedule, and how long until all
//   of that second's beats were acknowledged;
// - false alarms: warnings and critical events in the journal.
//
// With --gui the GUI's main window watches the fleet instead of `vigil record` (bench_gui --watch,
// offscreen), with the same figures and its own: how long until every server was reachable and
// drawn, and how late its event loop ran.
//
//   bench_fleet [--groups N] [--nodes M] [--duration S] [--settle S] [--gui] [--journal FILE] [--vigil FILE]
#include "benchutil.h"
#include "journal/journal.h"
#include "redis/connection.h"
#include "sandbox/localtopology.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

using namespace vigil;
using vigil::bench::spinUntil;

namespace {

// CPU seconds (user + system) a process has used; -1 when it cannot be read.
double cpuSeconds(qint64 pid)
{
    QFile f(pid > 0 ? QStringLiteral("/proc/%1/stat").arg(pid) : QStringLiteral("/proc/self/stat"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    // The command name may hold spaces: the fields that follow start after its closing parenthesis.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    return double(fields[11].toLongLong() + fields[12].toLongLong()) / double(sysconf(_SC_CLK_TCK));
}

// The CPU seconds of a process's threads by name (Vigil's "journal" and "heartbeats", its GUI or
// main thread under the process's own name, bench_gui's reference "probe ..." threads).
QMap<QByteArray, double> threadCpuSeconds(qint64 pid)
{
    QMap<QByteArray, double> byName;
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(pid));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile f(tasks.filePath(tid + QStringLiteral("/stat")));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray stat = f.readAll();
        const qsizetype open = stat.indexOf('(');
        const qsizetype close = stat.lastIndexOf(')');
        if (open < 0 || close < open)
            continue;
        const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
        if (fields.size() >= 13)
            byName[stat.mid(open + 1, close - open - 1)] += double(fields[11].toLongLong() + fields[12].toLongLong()) / double(sysconf(_SC_CLK_TCK));
    }
    return byName;
}

// A line of /proc/PID/status in MB ("VmRSS", "VmHWM").
double statusMb(qint64 pid, const QByteArray &key)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(QByteArray(key + ':')))
            return double(line.mid(key.size() + 1).trimmed().split(' ').value(0).toLongLong()) / 1024.0;
    return 0;
}

// The machine's busy and total CPU time (all cores) from /proc/stat, in clock ticks.
std::pair<double, double> machineTicks()
{
    QFile f(QStringLiteral("/proc/stat"));
    if (!f.open(QIODevice::ReadOnly))
        return {0, 0};
    const QList<QByteArray> fields = f.readLine().simplified().split(' ');
    double total = 0, idle = 0;
    for (int i = 1; i < fields.size(); ++i) {
        const double v = fields[i].toDouble();
        total += v;
        if (i == 4 || i == 5) // idle, iowait
            idle += v;
    }
    return {total - idle, total};
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p * double(values.size() - 1) + 0.5))];
}

// `name:calls=N,...` in INFO commandstats.
qint64 callsOf(const QByteArray &commandstats, const QByteArray &name)
{
    const QByteArray key = "cmdstat_" + name + ":calls=";
    const qsizetype at = commandstats.indexOf(key);
    if (at < 0)
        return 0;
    const qsizetype from = at + key.size();
    return commandstats.mid(from, commandstats.indexOf(',', from) - from).toLongLong();
}

// Publishes a JSON beat for every node once a second, on the masters in turn, on a fixed schedule.
class Publisher final : public QObject
{
public:
    Publisher(std::vector<Connection *> masters, int nodes)
        : m_masters(std::move(masters))
        , m_nodes(nodes)
    {
    }

    void start()
    {
        m_clock.start();
        tick(0);
    }
    void stop() { m_stopped = true; }
    // From now on, lateness is kept (the seconds before are the warm-up).
    void measure() { m_measuring = true; }

    std::vector<double> startLateMs, ackedAfterMs;
    qint64 errors = 0, published = 0;

private:
    void tick(qint64 second)
    {
        if (m_stopped)
            return;
        const qint64 scheduledMs = second * 1000;
        const double late = double(m_clock.nsecsElapsed()) / 1e6 - double(scheduledMs);
        const bool measured = m_measuring;
        if (measured)
            startLateMs.push_back(late);
        const double ts = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        auto outstanding = std::make_shared<int>(m_nodes);
        for (int i = 0; i < m_nodes; ++i) {
            const QByteArray node = "node-" + QByteArray::number(i).rightJustified(5, '0');
            const QByteArray payload = R"({"node":")" + node + R"(","seq":)" + QByteArray::number(second) + R"(,"ts":)"
                + QByteArray::number(ts, 'f', 3) + R"(,"interval_ms":1000})";
            m_masters[size_t(i) % m_masters.size()]->command(
                {QByteArrayLiteral("PUBLISH"), "heartbeat:" + node, payload}, this, [this, outstanding, scheduledMs, measured](const Reply &r) {
                    if (r.isError())
                        ++errors;
                    else
                        ++published;
                    if (--*outstanding == 0 && measured)
                        ackedAfterMs.push_back(double(m_clock.nsecsElapsed()) / 1e6 - double(scheduledMs));
                });
        }
        const qint64 next = (second + 1) * 1000 - m_clock.elapsed();
        QTimer::singleShot(int(std::max<qint64>(0, next)), Qt::PreciseTimer, this, [this, second] { tick(second + 1); });
    }

    std::vector<Connection *> m_masters;
    int m_nodes;
    QElapsedTimer m_clock;
    bool m_stopped = false;
    bool m_measuring = false;
};

// What every server, Vigil, this process and the machine had used at one moment.
struct Reading
{
    std::vector<qint64> infoCalls, pingCalls;
    std::vector<qint64> atMs; // when each server answered
    double vigilCpu = 0, serversCpu = 0, selfCpu = 0;
    QMap<QByteArray, double> threadsCpu; // Vigil's threads (a thread that ended is not counted)
    std::pair<double, double> machine;
    qint64 wallMs = 0;
};

bool readAll(const std::vector<Connection *> &servers, const LocalTopology &topology, qint64 vigilPid, const QElapsedTimer &clock, Reading *reading)
{
    const size_t n = servers.size();
    reading->infoCalls.assign(n, -1);
    reading->pingCalls.assign(n, -1);
    reading->atMs.assign(n, 0);
    reading->wallMs = clock.elapsed();
    reading->vigilCpu = cpuSeconds(vigilPid);
    reading->threadsCpu = threadCpuSeconds(vigilPid);
    for (auto it = reading->threadsCpu.cbegin(); it != reading->threadsCpu.cend(); ++it)
        if (it.key().startsWith("probe"))
            reading->vigilCpu -= it.value();
    reading->selfCpu = cpuSeconds(0);
    reading->machine = machineTicks();
    reading->serversCpu = 0;
    for (int i = 0; i < topology.count(); ++i)
        reading->serversCpu += std::max(0.0, cpuSeconds(topology.pid(i)));
    size_t answered = 0;
    for (size_t i = 0; i < n; ++i)
        servers[i]->command({QByteArrayLiteral("INFO"), QByteArrayLiteral("commandstats")}, servers[i], [&, i](const Reply &r) {
            ++answered;
            reading->atMs[i] = clock.elapsed();
            if (!r.isString())
                return;
            reading->infoCalls[i] = callsOf(r.string, "info");
            reading->pingCalls[i] = callsOf(r.string, "ping");
        });
    return spinUntil([&] { return answered == n; }, 30000);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("groups"), QStringLiteral("Replication groups (a master and two replicas each)."), QStringLiteral("N"),
                      QStringLiteral("250")});
    parser.addOption({QStringLiteral("nodes"), QStringLiteral("Heartbeat nodes."), QStringLiteral("M"), QStringLiteral("10000")});
    parser.addOption({QStringLiteral("duration"), QStringLiteral("How long Vigil runs, in seconds."), QStringLiteral("S"), QStringLiteral("60")});
    parser.addOption({QStringLiteral("settle"), QStringLiteral("Seconds after Vigil's start before the measurement window opens."),
                      QStringLiteral("S"), QStringLiteral("15")});
    parser.addOption({QStringLiteral("gui"), QStringLiteral("Run the GUI's main window (bench_gui --watch, offscreen) instead of vigil record.")});
    parser.addOption(
        {QStringLiteral("journal"), QStringLiteral("Where vigil record writes its journal (default: a temporary file)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("vigil"), QStringLiteral("The vigil binary (not with --gui: bench_gui beside this one runs)."),
                      QStringLiteral("FILE"), QCoreApplication::applicationDirPath() + QStringLiteral("/../app/vigil")});
    parser.addHelpOption();
    parser.process(app);
    const int groups = parser.value(QStringLiteral("groups")).toInt();
    const int nodes = parser.value(QStringLiteral("nodes")).toInt();
    const int duration = parser.value(QStringLiteral("duration")).toInt();
    const int settle = parser.value(QStringLiteral("settle")).toInt();
    const bool gui = parser.isSet(QStringLiteral("gui"));
    const QString vigil = gui ? QCoreApplication::applicationDirPath() + QStringLiteral("/bench_gui")
                              : QFileInfo(parser.value(QStringLiteral("vigil"))).absoluteFilePath();
    if (gui && parser.isSet(QStringLiteral("vigil"))) {
        std::fprintf(stderr, "bench_fleet: --gui runs bench_gui, not the --vigil binary: give one or the other\n");
        return 2;
    }
    if (groups < 1 || nodes < 0 || duration < settle + 10) {
        std::fprintf(stderr, "bench_fleet: needs --groups of at least 1 and --duration at least --settle + 10\n");
        return 2;
    }
    if (!QFileInfo(vigil).isExecutable()) {
        std::fprintf(stderr, "bench_fleet: needs %s\n", qPrintable(vigil));
        return 1;
    }
    if (const QString missing = LocalTopology::checkBinaries(false); !missing.isEmpty()) {
        std::fprintf(stderr, "bench_fleet: %s\n", qPrintable(missing));
        return 1;
    }
    // Every server's process and this process's connection to it: a few descriptors each.
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 65536);
        setrlimit(RLIMIT_NOFILE, &limit);
    }

    QElapsedTimer clock;
    clock.start();
    LocalTopology topology;
    std::vector<int> masters;
    // This process's own connections: the publisher's (to the masters) and the readings'. No
    // keep-alive, so that every PING a server counts is Vigil's.
    std::vector<Connection *> servers;
    const QStringList quiet{QStringLiteral("hz 1")};
    // A batch of groups at a time, each up and in sync before the next: thousands of replicas
    // syncing at once would measure the machine, not the fleet. Ports are picked per batch, so
    // that the connections of the batches before cannot take them meanwhile.
    constexpr int kBatch = 50;
    for (int first = 0; first < groups; first += kBatch) {
        const int from = topology.count();
        for (int g = first; g < std::min(groups, first + kBatch); ++g) {
            const int master = topology.addServer(QStringLiteral("g%1m").arg(g), quiet);
            masters.push_back(master);
            topology.addReplica(QStringLiteral("g%1r1").arg(g), master, quiet);
            topology.addReplica(QStringLiteral("g%1r2").arg(g), master, quiet);
        }
        for (int i = from; i < topology.count(); ++i) {
            QString error;
            if (!topology.start(i, &error)) {
                std::fprintf(stderr, "bench_fleet: %s\n", qPrintable(error));
                return 1;
            }
            ConnectionOptions options = topology.connectionOptions(i);
            options.clientName = QByteArrayLiteral("bench-fleet");
            options.keepAliveIntervalMs = 0;
            options.connectTimeoutMs = 10000;
            options.commandTimeoutMs = 30000;
            auto *c = new Connection(options, &app);
            c->open();
            servers.push_back(c);
        }
        // Replicas in sync before Vigil looks: a link still coming up is not what is measured.
        std::vector<int> state(servers.size(), 0); // 0 not known, 1 asked, 2 in sync (or a master)
        for (const int m : masters)
            state[size_t(m)] = 2;
        const bool ready = spinUntil(
            [&] {
                bool all = true;
                for (size_t i = size_t(from); i < servers.size(); ++i) {
                    all = all && state[i] == 2;
                    if (state[i] != 0 || !servers[i]->isReady())
                        continue;
                    state[i] = 1;
                    servers[i]->command({QByteArrayLiteral("INFO"), QByteArrayLiteral("replication")}, servers[i], [&state, i](const Reply &r) {
                        state[i] = r.isString() && r.string.contains("master_link_status:up") ? 2 : 0;
                    });
                }
                return all;
            },
            120000, 200);
        if (!ready) {
            std::fprintf(stderr, "bench_fleet: the servers of groups %d to %d were not up and in sync within 120 s\n", first,
                         std::min(groups, first + kBatch) - 1);
            return 1;
        }
    }
    std::printf("fleet: %d groups (%d redis-server processes at hz 1) started and in sync in %.1f s\n", groups, topology.count(),
                double(clock.elapsed()) / 1000.0);

    std::vector<Connection *> masterConnections;
    for (const int m : masters)
        masterConnections.push_back(servers[size_t(m)]);
    Publisher publisher(masterConnections, nodes);
    if (nodes > 0)
        publisher.start();
    // Every node beating before Vigil starts.
    spinUntil([] { return false; }, 3000, 100);

    const QString journal =
        parser.isSet(QStringLiteral("journal")) ? parser.value(QStringLiteral("journal")) : topology.directory() + QStringLiteral("/journal.sqlite");
    QStringList arguments = gui ? QStringList{QStringLiteral("--watch"),
                                              QStringLiteral("--expect-servers"),
                                              QString::number(topology.count()),
                                              QStringLiteral("--expect-groups"),
                                              QString::number(groups),
                                              QStringLiteral("--settle"),
                                              QString::number(settle)}
                                : QStringList{QStringLiteral("record"), QStringLiteral("--quiet")};
    arguments << QStringLiteral("--journal") << journal << QStringLiteral("--duration") << QString::number(duration);
    for (const int m : masters)
        arguments << QStringLiteral("--connect") << QStringLiteral("redis://127.0.0.1:%1").arg(topology.node(m).port);
    QProcess recorder;
    recorder.setProcessChannelMode(QProcess::SeparateChannels);
    if (gui) {
        // Whatever the window keeps in its settings stays in the temporary directory.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), topology.directory() + QStringLiteral("/config"));
        recorder.setProcessEnvironment(env);
    }
    recorder.start(vigil, arguments);
    if (!recorder.waitForStarted(10000)) {
        std::fprintf(stderr, "bench_fleet: cannot start %s: %s\n", qPrintable(vigil), qPrintable(recorder.errorString()));
        return 1;
    }
    const qint64 vigilPid = recorder.processId();
    const qint64 vigilStartMs = clock.elapsed();

    spinUntil([] { return false; }, settle * 1000, 100);
    Reading first, last;
    publisher.measure();
    if (!readAll(servers, topology, vigilPid, clock, &first)) {
        std::fprintf(stderr, "bench_fleet: the servers did not answer INFO commandstats within 30 s\n");
        return 1;
    }
    const qint64 windowEndMs = vigilStartMs + qint64(duration - 3) * 1000;
    spinUntil([&] { return clock.elapsed() >= windowEndMs; }, int(windowEndMs - clock.elapsed()) + 1000, 100);
    const double rssMb = statusMb(vigilPid, "VmRSS");
    const double peakMb = statusMb(vigilPid, "VmHWM");
    if (!readAll(servers, topology, vigilPid, clock, &last)) {
        std::fprintf(stderr, "bench_fleet: the servers did not answer INFO commandstats within 30 s\n");
        return 1;
    }
    // The nodes beat until Vigil stops: silence before that would be a true alarm.
    if (!spinUntil([&] { return recorder.state() == QProcess::NotRunning; }, 60000, 50)) {
        std::fprintf(stderr, "bench_fleet: vigil did not end within a minute of its duration\n");
        recorder.kill();
        return 1;
    }
    publisher.stop();
    const QByteArray summary = recorder.readAllStandardOutput().trimmed();
    const QByteArray recorderErrors = recorder.readAllStandardError().trimmed();

    // Cadence per server: INFO commands it answered per second, less this process's first reading.
    std::vector<double> infoRate, pingRate;
    int slow = 0;
    for (size_t i = 0; i < servers.size(); ++i) {
        const double seconds = double(last.atMs[i] - first.atMs[i]) / 1000.0;
        if (first.infoCalls[i] < 0 || last.infoCalls[i] < 0 || seconds <= 0)
            continue;
        infoRate.push_back(double(last.infoCalls[i] - first.infoCalls[i] - 1) / seconds);
        pingRate.push_back(double(last.pingCalls[i] - first.pingCalls[i]) / seconds);
        slow += infoRate.back() < 0.9 ? 1 : 0;
    }
    const double window = double(last.wallMs - first.wallMs) / 1000.0;
    const double cores = double(sysconf(_SC_NPROCESSORS_ONLN));
    const double machineBusy = (last.machine.first - first.machine.first) / std::max(1.0, last.machine.second - first.machine.second) * cores;

    QString readError;
    const QList<Event> events = readJournal(journal, {}, &readError);
    int alarms = 0;
    QString baseline = QStringLiteral("no monitor.baseline in the journal");
    for (const Event &e : events) {
        if (e.kind == QLatin1String("monitor.baseline"))
            baseline = QStringLiteral("%1 of %2 servers reachable, %3 discovered, baseline after %4 s")
                           .arg(e.data.value(QStringLiteral("reachable")).toInt())
                           .arg(topology.count())
                           .arg(e.data.value(QStringLiteral("discovered")).toInt())
                           .arg(e.data.value(QStringLiteral("after_ms")).toDouble() / 1000.0, 0, 'f', 1);
        if (e.severity != Severity::Info && alarms++ < 10)
            std::printf("  alarm: %s %s %s %s\n", qPrintable(formatTime(e.time)), qPrintable(e.kind), qPrintable(e.source), qPrintable(e.message));
    }

    std::printf("%s --connect (each of the %d masters) for %d s; measured from %d s to %d s after its start (%.1f s)\n",
                gui ? "the main window (bench_gui --watch, offscreen)" : "vigil record", groups, duration, settle, duration - 3, window);
    std::printf("discovery: %s\n", qPrintable(baseline));
    std::printf("poll cadence (INFO per server per second): min %.2f  median %.2f  max %.2f  (servers under 0.9/s: %d of %zu)\n",
                percentile(infoRate, 0), percentile(infoRate, 0.5), percentile(infoRate, 1), slow, infoRate.size());
    std::printf("keep-alive PING per server per second: median %.2f\n", percentile(pingRate, 0.5));
    std::printf("vigil: %.1f %% of a core, RSS %.0f MB at the end, peak %.0f MB\n", 100.0 * (last.vigilCpu - first.vigilCpu) / window, rssMb, peakMb);
    QStringList threads;
    for (auto it = last.threadsCpu.cbegin(); it != last.threadsCpu.cend(); ++it) {
        const double share = 100.0 * (it.value() - first.threadsCpu.value(it.key())) / window;
        if (!it.key().startsWith("probe") && share >= 0.05)
            threads << QStringLiteral("%1 %2 %").arg(QString::fromUtf8(it.key())).arg(share, 0, 'f', 1);
    }
    std::printf("  by thread: %s\n", qPrintable(threads.join(QStringLiteral(", "))));
    std::printf("servers together: %.1f %% of a core; publisher (this process): %.1f %%; machine: %.0f %% of %.0f cores busy\n",
                100.0 * (last.serversCpu - first.serversCpu) / window, 100.0 * (last.selfCpu - first.selfCpu) / window, 100.0 * machineBusy / cores,
                cores);
    std::printf("publisher: %d beats a second; a second's start behind schedule p50 %.1f ms, p99 %.1f ms, max %.1f ms; all its beats "
                "acknowledged after p50 %.0f ms, p99 %.0f ms, max %.0f ms; %lld errors\n",
                nodes, percentile(publisher.startLateMs, 0.5), percentile(publisher.startLateMs, 0.99), percentile(publisher.startLateMs, 1),
                percentile(publisher.ackedAfterMs, 0.5), percentile(publisher.ackedAfterMs, 0.99), percentile(publisher.ackedAfterMs, 1),
                static_cast<long long>(publisher.errors));
    std::printf("false alarms (warning or critical events in the journal): %d%s\n", alarms,
                readError.isEmpty() ? "" : qPrintable(QStringLiteral(" (journal: %1)").arg(readError)));
    if (!summary.isEmpty())
        std::printf("%s\n", summary.constData());
    if (!recorderErrors.isEmpty())
        std::printf("%s said on stderr: %s\n", gui ? "bench_gui" : "vigil record", recorderErrors.constData());
    // Nothing failed: an alarm is false, and fails the run.
    return recorder.exitCode() == 0 && alarms == 0 ? 0 : 1;
}
