// Benchmark: `vigil record` under a heartbeat flood, beside redis-cli subscribed to the same flood.
// redis-benchmark publishes plain beats on heartbeat:<12 digits> for 10,000 distinct nodes, as fast
// as it can, into a redis-server with the default pub/sub output-buffer limits (a subscriber that
// falls 32 MB behind is disconnected). A subscriber has drained the flood when the server holds no
// more output for it; its rate is messages over the time from the first publish to that moment.
//
// With --backlog the subscribers are the bottleneck, not the publisher: both are stopped (SIGSTOP)
// while the whole flood is published into a server without pub/sub output limits, then resumed one
// at a time (which one first alternates by run); a subscriber's rate is messages over the time from
// its resumption until the server holds no more output for it.
//
//   bench_flood [--messages N] [--nodes N] [--runs R] [--backlog]
#include "benchutil.h"
#include "redis/connection.h"
#include "sandbox/localtopology.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <csignal>
#include <cstdio>

using namespace vigil;
using vigil::bench::spinUntil;

namespace {

struct ClientState
{
    bool present = false;
    qint64 omem = 0;
    qint64 oll = 0;
};

// Parses CLIENT LIST into the state of the client named `name` (or, for an empty name, of the
// unnamed client with a pattern subscription: redis-cli).
ClientState findClient(const QByteArray &list, const QByteArray &name)
{
    ClientState state;
    for (const QByteArray &line : list.split('\n')) {
        QHash<QByteArray, QByteArray> fields;
        for (const QByteArray &pair : line.trimmed().split(' ')) {
            const qsizetype eq = pair.indexOf('=');
            if (eq > 0)
                fields.insert(pair.left(eq), pair.mid(eq + 1));
        }
        if (fields.value("name") != name || fields.value("psub").toInt() < 1)
            continue;
        state.present = true;
        state.omem = fields.value("omem").toLongLong();
        state.oll = fields.value("oll").toLongLong();
    }
    return state;
}

struct Run
{
    double vigilRate = 0, cliRate = 0, publishRate = 0;
    bool cliFirst = false; // --backlog: redis-cli resumed first
    qint64 vigilMaxOmem = 0, cliMaxOmem = 0;
    bool vigilDisconnected = false, cliDisconnected = false;
    qint64 vigilBeats = -1;
    qint64 vigilNodes = -1;
};

Run runOnce(LocalTopology &topology, int server, const QString &vigil, qint64 messages, int nodes, bool backlog, bool cliFirst)
{
    Run run;
    run.cliFirst = cliFirst;
    const quint16 port = topology.node(server).port;
    const QString dir = topology.directory();
    const QString journal = dir + QStringLiteral("/flood-%1.sqlite").arg(QDateTime::currentMSecsSinceEpoch());

    Connection control(topology.connectionOptions(server));
    control.open();
    spinUntil([&] { return control.isReady(); }, 10000);
    auto clientList = [&] {
        QByteArray list;
        bool answered = false;
        control.command({"CLIENT", "LIST"}, &control, [&](const Reply &r) {
            list = r.string;
            answered = true;
        });
        spinUntil([&] { return answered; }, 2000, 1);
        return list;
    };

    QProcess recorder;
    recorder.setProcessChannelMode(QProcess::SeparateChannels);
    recorder.start(vigil,
                   {QStringLiteral("record"), QStringLiteral("--quiet"), QStringLiteral("--journal"), journal, QStringLiteral("--connect"),
                    QStringLiteral("redis://127.0.0.1:%1").arg(port), QStringLiteral("--pattern"), QStringLiteral("heartbeat:*")});
    QProcess cli;
    cli.setStandardOutputFile(QProcess::nullDevice());
    cli.start(QStringLiteral("redis-cli"),
              {QStringLiteral("-p"), QString::number(port), QStringLiteral("psubscribe"), QStringLiteral("heartbeat:*")});
    if (!spinUntil(
            [&] {
                const QByteArray list = clientList();
                return findClient(list, "vigil-heartbeats").present && findClient(list, "").present;
            },
            10000)) {
        std::fprintf(stderr, "bench_flood: subscribers did not appear\n");
        std::exit(1);
    }

    if (backlog) {
        ::kill(pid_t(recorder.processId()), SIGSTOP);
        ::kill(pid_t(cli.processId()), SIGSTOP);
    }
    QElapsedTimer clock;
    QProcess publisher;
    clock.start();
    publisher.start(QStringLiteral("redis-benchmark"),
                    {QStringLiteral("-p"), QString::number(port), QStringLiteral("-n"), QString::number(messages), QStringLiteral("-r"),
                     QString::number(nodes), QStringLiteral("-c"), QStringLiteral("4"), QStringLiteral("-P"), QStringLiteral("64"),
                     QStringLiteral("-q"), QStringLiteral("PUBLISH"), QStringLiteral("heartbeat:__rand_int__"), QStringLiteral("alive")});
    qint64 publishDone = -1, vigilDone = -1, cliDone = -1;
    auto rate = [&](qint64 ns) { return ns > 0 ? double(messages) / (double(ns) / 1e9) : 0.0; };
    if (backlog) {
        spinUntil([&] { return publisher.state() == QProcess::NotRunning; }, 600000, 5);
        run.publishRate = rate(clock.nsecsElapsed());
        const QByteArray list = clientList();
        run.vigilMaxOmem = findClient(list, "vigil-heartbeats").omem;
        run.cliMaxOmem = findClient(list, "").omem;
        // Resumed alone, until the server holds nothing more for it.
        auto drain = [&](QProcess &process, const QByteArray &name, bool *disconnected) {
            QElapsedTimer drained;
            drained.start();
            ::kill(pid_t(process.processId()), SIGCONT);
            qint64 done = -1;
            spinUntil(
                [&] {
                    const ClientState c = findClient(clientList(), name);
                    if (!c.present)
                        *disconnected = true;
                    else if (c.omem == 0 && c.oll == 0)
                        done = drained.nsecsElapsed();
                    return *disconnected || done >= 0;
                },
                600000, 1);
            return rate(done);
        };
        if (cliFirst)
            run.cliRate = drain(cli, "", &run.cliDisconnected);
        run.vigilRate = drain(recorder, "vigil-heartbeats", &run.vigilDisconnected);
        if (!cliFirst)
            run.cliRate = drain(cli, "", &run.cliDisconnected);
    } else {
        spinUntil(
            [&] {
                if (publishDone < 0 && publisher.state() == QProcess::NotRunning)
                    publishDone = clock.nsecsElapsed();
                const QByteArray list = clientList();
                const ClientState v = findClient(list, "vigil-heartbeats");
                const ClientState c = findClient(list, "");
                run.vigilMaxOmem = std::max(run.vigilMaxOmem, v.omem);
                run.cliMaxOmem = std::max(run.cliMaxOmem, c.omem);
                if (!v.present && vigilDone < 0) {
                    run.vigilDisconnected = true;
                    vigilDone = 0;
                }
                if (!c.present && cliDone < 0) {
                    run.cliDisconnected = true;
                    cliDone = 0;
                }
                if (publishDone >= 0 && vigilDone < 0 && v.omem == 0 && v.oll == 0)
                    vigilDone = clock.nsecsElapsed();
                if (publishDone >= 0 && cliDone < 0 && c.omem == 0 && c.oll == 0)
                    cliDone = clock.nsecsElapsed();
                return publishDone >= 0 && vigilDone >= 0 && cliDone >= 0;
            },
            300000, 1);
        run.publishRate = rate(publishDone);
        run.vigilRate = rate(vigilDone);
        run.cliRate = rate(cliDone);
    }

    // Let the recorder read what is still in its socket, then stop it and read its count.
    QThread::msleep(300);
    ::kill(pid_t(recorder.processId()), SIGINT);
    recorder.waitForFinished(60000);
    const QString summary = QString::fromUtf8(recorder.readAllStandardOutput());
    static const QRegularExpression beats(QStringLiteral("(\\d+) beats from (\\d+) nodes"));
    if (const auto m = beats.match(summary); m.hasMatch()) {
        run.vigilBeats = m.captured(1).toLongLong();
        run.vigilNodes = m.captured(2).toLongLong();
    }
    cli.kill();
    cli.waitForFinished();
    return run;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("messages"), QStringLiteral("Beats per run."), QStringLiteral("N"), QStringLiteral("2000000")});
    parser.addOption({QStringLiteral("nodes"), QStringLiteral("Distinct node names."), QStringLiteral("N"), QStringLiteral("10000")});
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Runs."), QStringLiteral("R"), QStringLiteral("3")});
    parser.addOption({QStringLiteral("vigil"), QStringLiteral("The vigil binary."), QStringLiteral("FILE"),
                      QCoreApplication::applicationDirPath() + QStringLiteral("/../app/vigil")});
    parser.addOption({QStringLiteral("backlog"), QStringLiteral("Publish into stopped subscribers, then time each one's drain.")});
    parser.addHelpOption();
    parser.process(app);
    const qint64 messages = parser.value(QStringLiteral("messages")).toLongLong();
    const int nodes = parser.value(QStringLiteral("nodes")).toInt();
    const int runs = parser.value(QStringLiteral("runs")).toInt();
    const bool backlog = parser.isSet(QStringLiteral("backlog"));
    const QString vigil = QFileInfo(parser.value(QStringLiteral("vigil"))).absoluteFilePath();
    if (!QFileInfo(vigil).isExecutable() || QStandardPaths::findExecutable(QStringLiteral("redis-benchmark")).isEmpty()) {
        std::fprintf(stderr, "bench_flood: needs %s and redis-benchmark (Debian package redis-tools)\n", qPrintable(vigil));
        return 1;
    }

    LocalTopology topology;
    QString error;
    // The flood: default output-buffer limits; the backlog: none, or it would cut the subscribers off.
    const int server =
        topology.addServer(QStringLiteral("flood"), backlog ? QStringList{QStringLiteral("client-output-buffer-limit pubsub 0 0 0")} : QStringList{});
    if (!topology.start(server, &error)) {
        std::fprintf(stderr, "bench_flood: %s\n", qPrintable(error));
        return 1;
    }
    if (backlog)
        std::printf("heartbeat backlog: %lld plain beats per run from %d nodes published (redis-benchmark -c 4 -P 64) into stopped "
                    "subscribers, client-output-buffer-limit pubsub 0 0 0; each resumed alone and timed until drained\n",
                    static_cast<long long>(messages), nodes);
    else
        std::printf("heartbeat flood: %lld plain beats per run from %d nodes, redis-benchmark -c 4 -P 64, default "
                    "client-output-buffer-limit pubsub 32mb 8mb 60\n",
                    static_cast<long long>(messages), nodes);
    std::printf("%-4s %14s %14s %14s %7s %12s %12s %14s\n", "run", "vigil rec/s", "redis-cli/s", "publish/s", "ratio",
                backlog ? "vigil queue" : "vigil omem", backlog ? "cli queue" : "cli omem", "vigil beats");
    QList<double> ratios;
    bool failed = false;
    for (int r = 1; r <= runs; ++r) {
        const Run run = runOnce(topology, server, vigil, messages, nodes, backlog, r % 2 == 0);
        const double ratio = run.cliRate > 0 ? run.vigilRate / run.cliRate : 0;
        std::printf("%-4d %14.0f %14.0f %14.0f %7.2f %10.1f MB %10.1f MB %14lld%s%s\n", r, run.vigilRate, run.cliRate, run.publishRate, ratio,
                    double(run.vigilMaxOmem) / 1e6, double(run.cliMaxOmem) / 1e6, static_cast<long long>(run.vigilBeats),
                    run.vigilDisconnected ? "  VIGIL DISCONNECTED" : "", run.cliDisconnected ? "  redis-cli disconnected" : "");
        if (backlog)
            std::printf("     (%s resumed first)\n", run.cliFirst ? "redis-cli" : "vigil");
        std::fflush(stdout);
        failed = failed || run.vigilDisconnected || run.vigilBeats < messages || run.vigilNodes != nodes;
        if (!run.vigilDisconnected && !run.cliDisconnected)
            ratios << ratio;
    }
    std::sort(ratios.begin(), ratios.end());
    if (!ratios.isEmpty())
        std::printf("median ratio vigil / redis-cli: %.2f\n", ratios.at(ratios.size() / 2));
    return failed ? 1 : 0;
}
