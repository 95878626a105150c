// Benchmark: the GUI (offscreen) while a heartbeat flood arrives. The main window runs with all
// its panels; redis-benchmark floods plain beats from 10,000 nodes while 100 JSON publishers beat
// every 100 ms, so the node table, the chart (100 lines) and the events panel all work. A 5 ms
// probe timer measures how late the event loop runs (stalls); RSS is sampled after a warm-up and
// at the end, to show memory staying flat.
//
//   bench_gui [--messages N] [--nodes N] [--publishers N]
#include "benchutil.h"
#include "heartbeat/beatpublisher.h"
#include "incidents/incidentmodel.h"
#include "journal/eventmodel.h"
#include "journal/journal.h"
#include "mainwindow.h"
#include "monitor/monitor.h"
#include "sandbox/localtopology.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

using namespace vigil;
using vigil::bench::rssMb;

namespace {

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

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("vigil-bench"));
    QCoreApplication::setApplicationName(QStringLiteral("vigil-bench"));
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("messages"), QStringLiteral("Flood beats."), QStringLiteral("N"), QStringLiteral("8000000")});
    parser.addOption({QStringLiteral("nodes"), QStringLiteral("Distinct flood nodes."), QStringLiteral("N"), QStringLiteral("10000")});
    parser.addOption({QStringLiteral("publishers"), QStringLiteral("JSON publishers at 100 ms."), QStringLiteral("N"), QStringLiteral("100")});
    parser.addHelpOption();
    parser.process(app);
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
    MainWindow window(&monitor, &journal, &events, &incidents, {.demo = true, .persistTargets = false, .commandLineServices = {}});
    window.resize(1400, 900);
    window.show();
    monitor.start();

    QThread publisherThread;
    publisherThread.start();
    Publishers *publishers = nullptr;
    QObject starter;
    starter.moveToThread(&publisherThread);
    QMetaObject::invokeMethod(
        &starter, [&] { publishers = new Publishers(topology.connectionOptions(server), publisherCount); }, Qt::BlockingQueuedConnection);

    // The stall probe.
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    qint64 worstNs = 0;
    qint64 worstSteadyNs = 0;
    bool measuring = false;
    QList<qint64> lateness;
    QList<qint64> steadyLateness;
    QElapsedTimer floodClock;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, &app, [&] {
        const qint64 now = clock.nsecsElapsed();
        const qint64 late = now - last - 5'000'000;
        last = now;
        if (measuring) {
            worstNs = std::max(worstNs, late);
            lateness << late;
            // After the first seconds every flood node is known: the steady state.
            if (floodClock.elapsed() > 5000) {
                worstSteadyNs = std::max(worstSteadyNs, late);
                steadyLateness << late;
            }
        }
    });
    probe.start(5);

    // Warm-up: the JSON publishers run for a while.
    QElapsedTimer warm;
    warm.start();
    while (warm.elapsed() < 5000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
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
    floodClock.start();
    measuring = true;
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &app, [&] { rss.append({double(t.elapsed()) / 1000.0, rssMb()}); });
    sampler.start(1000);
    while (publisher.state() != QProcess::NotRunning)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    measuring = false;
    sampler.stop();
    const double floodSeconds = double(t.elapsed()) / 1000.0;
    std::printf("flood: %lld beats from %d nodes in %.1f s (%.0f beats/s), plus %d JSON publishers at 100 ms\n", static_cast<long long>(messages),
                nodes, floodSeconds, double(messages) / floodSeconds, publisherCount);
    std::printf("RSS: %.0f MB before the flood;", rssStart);
    for (const auto &[seconds, mb] : rss)
        std::printf(" %.0fs:%.0f", seconds, mb);
    std::printf(" MB\n");
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 2000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);

    std::sort(lateness.begin(), lateness.end());
    std::sort(steadyLateness.begin(), steadyLateness.end());
    const auto pctOf = [](const QList<qint64> &l, double p) { return l.isEmpty() ? 0.0 : double(l.at(qsizetype(p * double(l.size() - 1)))) / 1e6; };
    const auto pct = [&](double p) { return pctOf(lateness, p); };
    std::printf("event-loop lateness during the flood (5 ms probe): p50 %.1f ms, p99 %.1f ms, worst %.1f ms\n", pct(0.5), pct(0.99),
                double(worstNs) / 1e6);
    std::printf("  after the first 5 s (every node known): p50 %.1f ms, p99 %.1f ms, worst %.1f ms\n", pctOf(steadyLateness, 0.5),
                pctOf(steadyLateness, 0.99), double(worstSteadyNs) / 1e6);

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
