// Benchmark: the GUI (offscreen) while a heartbeat flood arrives. The main window runs with all
// its panels; redis-benchmark floods plain beats from 10,000 nodes while 100 JSON publishers beat
// every 100 ms, so the node table, the chart (100 lines) and the events panel all work, the
// Heartbeats panel in front. A 5 ms probe timer measures how late the event loop runs (stalls),
// beside the same probe on an idle thread (how late the busy machine alone makes a timer); RSS is
// sampled after a warm-up and at the end, to show memory staying flat. In --watch, also beside a
// thread as busy as the GUI thread (1 ms spins for a fifth of a core), and the GUI thread's share.
//
// With --watch the main window watches the servers given instead (bench_fleet runs it so, beside
// its fleet): printed are how long after the start every expected server was reachable and the
// window drawn, and the event loop's lateness from --settle seconds to the end of --duration.
//
//   bench_gui [--messages N] [--nodes N] [--publishers N]
//   bench_gui --watch --connect URI... --expect-servers N [--expect-groups N] [--duration S] [--settle S] [--journal FILE]
#include "benchutil.h"
#include "heartbeat/beatpublisher.h"
#include "incidents/incidentmodel.h"
#include "journal/eventmodel.h"
#include "journal/journal.h"
#include "heartbeatspanel.h"
#include "mainwindow.h"
#include "monitor/monitor.h"
#include "redis/uri.h"
#include "sandbox/localtopology.h"
#include "topologypanel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <unistd.h>
#include <utility>

using namespace vigil;
using vigil::bench::rssMb;

namespace {

// The busy reference thread's share of a core in --watch: about the GUI thread's own on the fleet.
constexpr int kBusyReferencePercent = 20;

// The JSON publishers run on a thread of their own, like application hosts would.
class Publishers final : public QObject
{
public:
    Publishers(const ConnectionOptions &target, int count)
    {
        for (int i = 0; i < count; ++i) {
            BeatPublisherOptions o;
            o.connection = target;
            o.connection.keepAliveIntervalMs = 0;
            o.node = QStringLiteral("svc-%1").arg(i, 3, 10, QLatin1Char('0'));
            o.intervalMs = 100;
            auto *p = new BeatPublisher(o, this);
            p->start();
        }
    }
};

// How late a 5 ms timer fires: the event loop's stalls, kept while measuring.
class LatenessProbe final : public QObject
{
public:
    LatenessProbe()
    {
        m_clock.start();
        m_last = m_clock.nsecsElapsed();
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            const qint64 late = now - m_last - kPeriodMs * 1'000'000;
            m_last = now;
            if (m_measuring)
                m_lateness << late;
        });
        m_timer.start(kPeriodMs);
    }
    void setMeasuring(bool on) { m_measuring = on; }
    // Everything kept so far; from now on only what follows.
    QList<qint64> take() { return std::exchange(m_lateness, {}); }

    // "p50 a ms, p99 b ms, worst c ms"
    static QString describe(QList<qint64> lateness)
    {
        std::sort(lateness.begin(), lateness.end());
        const auto pct = [&lateness](double p) {
            return lateness.isEmpty() ? 0.0 : double(lateness.at(qsizetype(p * double(lateness.size() - 1)))) / 1e6;
        };
        return QStringLiteral("p50 %1 ms, p99 %2 ms, worst %3 ms").arg(pct(0.5), 0, 'f', 1).arg(pct(0.99), 0, 'f', 1).arg(pct(1.0), 0, 'f', 1);
    }

private:
    static constexpr int kPeriodMs = 5;
    QElapsedTimer m_clock;
    QTimer m_timer;
    qint64 m_last = 0;
    bool m_measuring = false;
    QList<qint64> m_lateness;
};

// The CPU time the calling thread has used, in ns.
qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// The same probe on a thread of its own: idle (busyPercent 0), how late the machine alone makes a
// timer for a thread that mostly sleeps, the floor the GUI thread's lateness is compared with; or
// busy for a share of a core in 1 ms spins, as busy as the GUI thread, how late the machine makes
// a timer for a thread that works as much (the scheduler favours threads that sleep more).
class ThreadProbe
{
public:
    explicit ThreadProbe(int busyPercent = 0)
    {
        // bench_fleet leaves the "probe" threads out of Vigil's share.
        m_thread.setObjectName(busyPercent > 0 ? QStringLiteral("probe busy") : QStringLiteral("probe idle"));
        m_anchor.moveToThread(&m_thread);
        m_thread.start();
        QMetaObject::invokeMethod(
            &m_anchor,
            [this, busyPercent] {
                m_probe = new LatenessProbe;
                if (busyPercent <= 0)
                    return;
                m_busy = new QTimer;
                m_busy->setTimerType(Qt::PreciseTimer);
                QObject::connect(m_busy, &QTimer::timeout, m_busy, [] {
                    const qint64 until = threadCpuNs() + 1'000'000;
                    while (threadCpuNs() < until) { }
                });
                m_busy->start(100 / busyPercent);
            },
            Qt::BlockingQueuedConnection);
    }
    ~ThreadProbe()
    {
        QThread *home = QCoreApplication::instance()->thread();
        QMetaObject::invokeMethod(
            &m_anchor,
            [this, home] {
                delete m_busy;
                delete m_probe;
                m_anchor.moveToThread(home);
            },
            Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    Q_DISABLE_COPY_MOVE(ThreadProbe)

    void setMeasuring(bool on)
    {
        QMetaObject::invokeMethod(
            &m_anchor, [this, on] { m_probe->setMeasuring(on); }, Qt::BlockingQueuedConnection);
    }
    QList<qint64> take()
    {
        QList<qint64> taken;
        QMetaObject::invokeMethod(
            &m_anchor, [this, &taken] { taken = m_probe->take(); }, Qt::BlockingQueuedConnection);
        return taken;
    }

private:
    QThread m_thread;
    QObject m_anchor;
    LatenessProbe *m_probe = nullptr;
    QTimer *m_busy = nullptr;
};

void runEventLoopFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// --watch: the main window on the servers given, timed from this process's start.
int watch(const QCommandLineParser &parser, const QElapsedTimer &sinceStart)
{
    QList<ConnectionOptions> targets;
    for (const QString &text : parser.values(QStringLiteral("connect"))) {
        QString error;
        const std::optional<RedisUri> uri = parseRedisUri(text, &error);
        if (!uri) {
            std::fprintf(stderr, "bench_gui: %s: %s\n", qPrintable(text), qPrintable(error));
            return 2;
        }
        ConnectionOptions o;
        o.uri = *uri;
        targets << o;
    }
    const int expected = parser.value(QStringLiteral("expect-servers")).toInt();
    const int expectedGroups = parser.value(QStringLiteral("expect-groups")).toInt();
    const int duration = parser.value(QStringLiteral("duration")).toInt();
    const int settle = parser.value(QStringLiteral("settle")).toInt();
    if (targets.isEmpty() || expected < 1 || duration <= settle) {
        std::fprintf(stderr, "bench_gui: --watch needs --connect, --expect-servers and a --duration past --settle\n");
        return 2;
    }
    QTemporaryDir scratch;
    const QString journalPath =
        parser.isSet(QStringLiteral("journal")) ? parser.value(QStringLiteral("journal")) : scratch.filePath(QStringLiteral("journal.sqlite"));
    Journal journal;
    QString error;
    if (!journal.open(journalPath, &error)) {
        std::fprintf(stderr, "bench_gui: %s\n", qPrintable(error));
        return 1;
    }
    EventModel events;
    QObject::connect(&journal, &Journal::committed, &events, &EventModel::append);
    IncidentModel incidents;
    QObject::connect(&journal, &Journal::incidentsChanged, &incidents, &IncidentModel::apply);
    Monitor monitor(&journal);
    monitor.setTargets(targets);
    MainWindow window(&monitor, &journal, &events, &incidents, {.demo = false, .profile = {}, .rememberPasswords = false});
    window.resize(1600, 1000);
    window.show();
    monitor.start();

    // Startup: every expected server reachable in the fleet overview's counts, then the whole
    // window painted with them.
    qint64 drawnMs = -1;
    TopologyPanel *topology = window.topologyPanel();
    QObject::connect(topology, &TopologyPanel::refreshed, &window, [&] {
        // Every server reachable, and known by its group (a replica's before its role is polled is
        // a group of its own).
        if (drawnMs >= 0 || topology->fleetCounts().reachable < expected || (expectedGroups > 0 && topology->fleetCounts().groups != expectedGroups))
            return;
        window.grab();
        drawnMs = sinceStart.elapsed();
        std::printf("startup: %d servers reachable (%d groups) and the window drawn %.2f s after the start\n", topology->fleetCounts().reachable,
                    topology->fleetCounts().groups, double(drawnMs) / 1000.0);
        std::fflush(stdout);
    });

    LatenessProbe probe;
    ThreadProbe floor;
    ThreadProbe busy(kBusyReferencePercent);
    QElapsedTimer windowClock;
    qint64 guiCpuNs = 0;
    QTimer::singleShot(std::max<qint64>(0, settle * 1000 - sinceStart.elapsed()), &window, [&] {
        probe.setMeasuring(true);
        floor.setMeasuring(true);
        busy.setMeasuring(true);
        windowClock.start();
        guiCpuNs = threadCpuNs();
    });
    QTimer::singleShot(std::max<qint64>(0, duration * 1000 - sinceStart.elapsed()), &window, [&] {
        guiCpuNs = threadCpuNs() - guiCpuNs;
        QCoreApplication::quit();
    });
    QApplication::exec();
    if (drawnMs < 0)
        std::printf("startup: %d of %d servers reachable in %d groups at the end; the window never showed them all\n",
                    topology->fleetCounts().reachable, expected, topology->fleetCounts().groups);
    std::printf("event-loop lateness (5 ms probe) from %d s to %d s: %s\n", settle, duration, qPrintable(LatenessProbe::describe(probe.take())));
    std::printf("  the same probe on an idle thread beside it: %s\n", qPrintable(LatenessProbe::describe(floor.take())));
    std::printf("  and on a thread beside it busy %d %% of the time in 1 ms spins: %s\n", kBusyReferencePercent,
                qPrintable(LatenessProbe::describe(busy.take())));
    std::printf("the GUI thread: %.1f %% of a core\n", windowClock.isValid() ? 100.0 * double(guiCpuNs) / double(windowClock.nsecsElapsed()) : 0.0);
    monitor.stop();
    journal.close();
    return drawnMs < 0 ? 1 : 0;
}

} // namespace

int main(int argc, char **argv)
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("vigil-bench"));
    QCoreApplication::setApplicationName(QStringLiteral("vigil-bench"));
    // The window's layout as a first start has it, whatever an earlier run left.
    QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("messages"), QStringLiteral("Flood beats."), QStringLiteral("N"), QStringLiteral("8000000")});
    parser.addOption({QStringLiteral("nodes"), QStringLiteral("Distinct flood nodes."), QStringLiteral("N"), QStringLiteral("10000")});
    parser.addOption({QStringLiteral("publishers"), QStringLiteral("JSON publishers at 100 ms."), QStringLiteral("N"), QStringLiteral("100")});
    parser.addOption({QStringLiteral("watch"), QStringLiteral("Watch the --connect servers instead of a flood.")});
    parser.addOption({QStringLiteral("connect"), QStringLiteral("A server to watch (repeat)."), QStringLiteral("URI")});
    parser.addOption({QStringLiteral("expect-servers"), QStringLiteral("Servers reachable when the fleet is all found."), QStringLiteral("N")});
    parser.addOption(
        {QStringLiteral("expect-groups"), QStringLiteral("Groups the fleet overview shows then (default: not checked)."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("duration"), QStringLiteral("Seconds to watch."), QStringLiteral("S"), QStringLiteral("60")});
    parser.addOption({QStringLiteral("settle"), QStringLiteral("Seconds before lateness is measured."), QStringLiteral("S"), QStringLiteral("15")});
    parser.addOption({QStringLiteral("journal"), QStringLiteral("The journal (default: a temporary file)."), QStringLiteral("FILE")});
    parser.addHelpOption();
    parser.process(app);
    if (parser.isSet(QStringLiteral("watch")))
        return watch(parser, sinceStart);
    const qint64 messages = parser.value(QStringLiteral("messages")).toLongLong();
    const int nodes = parser.value(QStringLiteral("nodes")).toInt();
    const int publisherCount = parser.value(QStringLiteral("publishers")).toInt();

    LocalTopology topology;
    QString error;
    const int server = topology.addServer(QStringLiteral("gui-flood"));
    if (!topology.start(server, &error)) {
        std::fprintf(stderr, "bench_gui: %s\n", qPrintable(error));
        return 1;
    }
    Journal journal;
    if (!journal.open(topology.directory() + QStringLiteral("/journal.sqlite"), &error)) {
        std::fprintf(stderr, "bench_gui: %s\n", qPrintable(error));
        return 1;
    }
    EventModel events;
    QObject::connect(&journal, &Journal::committed, &events, &EventModel::append);
    Monitor monitor(&journal);
    monitor.setTargets({topology.connectionOptions(server)});
    IncidentModel incidents;
    QObject::connect(&journal, &Journal::incidentsChanged, &incidents, &IncidentModel::apply);
    MainWindow window(&monitor, &journal, &events, &incidents, {.demo = true, .profile = {}, .rememberPasswords = false});
    window.resize(1400, 900);
    window.show();
    // The node table and the chart in front of the other tabs: drawn as an operator watching them
    // would see them.
    if (auto *dock = qobject_cast<QDockWidget *>(window.heartbeatsPanel()->parentWidget()))
        dock->raise();
    monitor.start();

    QThread publisherThread;
    publisherThread.start();
    Publishers *publishers = nullptr;
    QObject starter;
    starter.moveToThread(&publisherThread);
    QMetaObject::invokeMethod(
        &starter, [&] { publishers = new Publishers(topology.connectionOptions(server), publisherCount); }, Qt::BlockingQueuedConnection);

    // The stall probe: the first seconds of the flood (every flood node new) kept apart from the
    // steady state after them.
    LatenessProbe probe;
    ThreadProbe floor;
    QList<qint64> firstSeconds, floorFirstSeconds;

    // Warm-up: the JSON publishers run for a while.
    runEventLoopFor(5000);
    const double rssStart = rssMb();

    // One sustained flood: every flood node keeps beating, so after the first seconds (every
    // node seen, every view filled) nothing should grow.
    QProcess publisher;
    publisher.start(QStringLiteral("redis-benchmark"),
                    {QStringLiteral("-p"), QString::number(topology.node(server).port), QStringLiteral("-n"), QString::number(messages),
                     QStringLiteral("-r"), QString::number(nodes), QStringLiteral("-c"), QStringLiteral("2"), QStringLiteral("-P"),
                     QStringLiteral("16"), QStringLiteral("-q"), QStringLiteral("PUBLISH"), QStringLiteral("heartbeat:__rand_int__"),
                     QStringLiteral("alive")});
    QList<QPair<double, double>> rss; // seconds into the flood, MB
    QElapsedTimer t;
    t.start();
    probe.setMeasuring(true);
    floor.setMeasuring(true);
    // The event loop waits as the GUI's does (a loop polling for the publisher's end would spin
    // and take the CPU it measures).
    QEventLoop flooding;
    bool split = false;
    QTimer::singleShot(5000, &flooding, [&] {
        firstSeconds = probe.take();
        floorFirstSeconds = floor.take();
        split = true;
    });
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &app, [&] { rss.append({double(t.elapsed()) / 1000.0, rssMb()}); });
    sampler.start(1000);
    QObject::connect(&publisher, &QProcess::finished, &flooding, &QEventLoop::quit);
    QObject::connect(&publisher, &QProcess::errorOccurred, &flooding, &QEventLoop::quit);
    if (publisher.state() != QProcess::NotRunning)
        flooding.exec();
    probe.setMeasuring(false);
    floor.setMeasuring(false);
    sampler.stop();
    const double floodSeconds = double(t.elapsed()) / 1000.0;
    std::printf("flood: %lld beats from %d nodes in %.1f s (%.0f beats/s), plus %d JSON publishers at 100 ms\n", static_cast<long long>(messages),
                nodes, floodSeconds, double(messages) / floodSeconds, publisherCount);
    std::printf("RSS: %.0f MB before the flood;", rssStart);
    for (const auto &[seconds, mb] : rss)
        std::printf(" %.0fs:%.0f", seconds, mb);
    std::printf(" MB\n");
    runEventLoopFor(2000);

    const QList<qint64> steady = probe.take();
    const QList<qint64> floorSteady = floor.take();
    std::printf("event-loop lateness during the flood (5 ms probe): %s\n", qPrintable(LatenessProbe::describe(firstSeconds + steady)));
    if (split)
        std::printf("  after the first 5 s (every node known): %s\n", qPrintable(LatenessProbe::describe(steady)));
    else
        std::printf("  the flood was over within 5 s: no steady state to tell apart\n");
    std::printf("the same probe on an idle thread beside it (the machine's own lateness): %s; after the first 5 s: %s\n",
                qPrintable(LatenessProbe::describe(floorFirstSeconds + floorSteady)), qPrintable(LatenessProbe::describe(floorSteady)));

    QMetaObject::invokeMethod(
        &starter, [&] { delete publishers; }, Qt::BlockingQueuedConnection);
    publisherThread.quit();
    publisherThread.wait();
    monitor.stop(); // the final snapshot counts every beat ingested
    journal.close();
    const Monitor::HeartbeatTotals totals = monitor.heartbeatTotals();
    std::printf("heartbeats: %lld beats from %d nodes (%lld malformed); %lld events in the journal\n", static_cast<long long>(totals.beats),
                totals.nodes, static_cast<long long>(totals.malformed), static_cast<long long>(journal.committedCount()));
    return 0;
}
