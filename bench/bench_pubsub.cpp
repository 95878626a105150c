// Benchmark: how fast the Vigil client drains a pub/sub flood from a real redis-server, beside
// redis-cli subscribed to the same flood in the same run. Prints messages per second for both.
//
//   bench_pubsub [--messages N] [--payload BYTES] [--runs R]
#include "benchutil.h"
#include "redis/connection.h"
#include "sandbox/localtopology.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace vigil;
using vigil::bench::spinUntil;

namespace {

struct RunResult
{
    double vigilRate = 0;
    double cliRate = 0;
    double publishRate = 0;
    qint64 vigilReceived = 0;
    bool vigilDisconnected = false;
};

RunResult runOnce(LocalTopology &topology, int server, qint64 messages, int payloadBytes)
{
    RunResult result;
    const quint16 port = topology.node(server).port;
    const QByteArray channel = "flood";
    const QByteArray payload(payloadBytes, 'x');

    // The server is up once this connects.
    Connection control(topology.connectionOptions(server));
    control.open();
    spinUntil([&] { return control.isReady(); }, 10000);

    // Vigil's subscriber.
    ConnectionOptions options = topology.connectionOptions(server);
    options.keepAliveIntervalMs = 1000;
    Connection subscriber(options);
    qint64 received = 0;
    QElapsedTimer clock;
    qint64 vigilDoneNs = -1;
    QObject::connect(&subscriber, &Connection::message, &subscriber, [&](const QByteArray &, const QByteArray &, const QByteArray &) {
        // redis-benchmark may send a few more than -n when it pipelines.
        if (++received == messages)
            vigilDoneNs = clock.nsecsElapsed();
    });
    QObject::connect(&subscriber, &Connection::disconnected, &subscriber, [&](ErrorKind, const QString &why) {
        result.vigilDisconnected = true;
        std::fprintf(stderr, "bench_pubsub: vigil's subscriber disconnected: %s\n", qPrintable(why));
    });
    subscriber.subscribe({channel});
    subscriber.open();

    // redis-cli's subscriber, writing to a file so that its rate is not bounded by a pipe reader.
    const QString cliOut = topology.directory() + QStringLiteral("/redis-cli.out");
    QFile::remove(cliOut);
    QProcess cli;
    cli.setStandardOutputFile(cliOut);
    cli.start(QStringLiteral("redis-cli"), {QStringLiteral("-p"), QString::number(port), QStringLiteral("subscribe"), QString::fromUtf8(channel)});
    cli.waitForStarted();

    spinUntil([&] { return subscriber.isReady(); }, 5000);
    qint64 subscribers = 0;
    spinUntil(
        [&] {
            bool answered = false;
            control.command({"PUBSUB", "NUMSUB", channel}, &control, [&](const Reply &r) {
                subscribers = r.elements.size() == 2 ? r.elements[1].integer : 0;
                answered = true;
            });
            spinUntil([&] { return answered; }, 1000);
            return subscribers >= 2;
        },
        5000);

    // Bytes redis-cli prints per message: "message\nflood\n<payload>\n".
    const qint64 cliHeader = QByteArray("subscribe\nflood\n1\n").size();
    const qint64 cliPerMessage = QByteArray("message\n").size() + channel.size() + 1 + payload.size() + 1;
    const qint64 cliExpected = cliHeader + messages * cliPerMessage;

    QProcess publisher;
    clock.start();
    publisher.start(QStringLiteral("redis-benchmark"),
                    {QStringLiteral("-p"), QString::number(port), QStringLiteral("-n"), QString::number(messages), QStringLiteral("-c"),
                     QStringLiteral("4"), QStringLiteral("-P"), QStringLiteral("64"), QStringLiteral("-q"), QStringLiteral("PUBLISH"),
                     QString::fromUtf8(channel), QString::fromUtf8(payload)});
    qint64 publishDoneNs = -1;
    qint64 cliDoneNs = -1;
    spinUntil(
        [&] {
            if (publishDoneNs < 0 && publisher.state() == QProcess::NotRunning)
                publishDoneNs = clock.nsecsElapsed();
            if (cliDoneNs < 0 && QFileInfo(cliOut).size() >= cliExpected)
                cliDoneNs = clock.nsecsElapsed();
            if (cliDoneNs < 0 && cli.state() == QProcess::NotRunning) {
                std::fprintf(stderr, "bench_pubsub: redis-cli exited after %lld of %lld bytes\n", static_cast<long long>(QFileInfo(cliOut).size()),
                             static_cast<long long>(cliExpected));
                cliDoneNs = 0;
            }
            return publishDoneNs >= 0 && cliDoneNs >= 0 && (vigilDoneNs >= 0 || result.vigilDisconnected);
        },
        120000);

    result.vigilReceived = received;
    auto rate = [&](qint64 ns) { return ns > 0 ? double(messages) / (double(ns) / 1e9) : 0.0; };
    result.vigilRate = vigilDoneNs > 0 ? rate(vigilDoneNs) : 0;
    result.cliRate = rate(cliDoneNs);
    result.publishRate = rate(publishDoneNs);
    cli.kill();
    cli.waitForFinished();
    return result;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("messages"), QStringLiteral("Messages per run."), QStringLiteral("N"), QStringLiteral("1000000")});
    parser.addOption({QStringLiteral("payload"), QStringLiteral("Payload bytes."), QStringLiteral("BYTES"), QStringLiteral("64")});
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Runs."), QStringLiteral("R"), QStringLiteral("3")});
    parser.addHelpOption();
    parser.process(app);
    const qint64 messages = parser.value(QStringLiteral("messages")).toLongLong();
    const int payload = parser.value(QStringLiteral("payload")).toInt();
    const int runs = parser.value(QStringLiteral("runs")).toInt();

    for (const char *tool : {"redis-cli", "redis-benchmark"})
        if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty()) {
            std::fprintf(stderr, "bench_pubsub: %s not found: install the Debian package redis-tools\n", tool);
            return 1;
        }
    LocalTopology topology;
    QString error;
    // No output-buffer limit for subscribers: each drains the whole flood at its own pace, so the
    // rates compare the clients, not who got disconnected first.
    const int server = topology.addServer(QStringLiteral("bench"), {QStringLiteral("client-output-buffer-limit pubsub 0 0 0")});
    if (!topology.start(server, &error)) {
        std::fprintf(stderr, "bench_pubsub: %s\n", qPrintable(error));
        return 1;
    }

    std::printf("pub/sub drain: %lld messages of %d bytes per run, redis-benchmark -c 4 -P 64 publishing\n", static_cast<long long>(messages),
                payload);
    std::printf("%-5s %14s %14s %14s %8s\n", "run", "vigil msg/s", "redis-cli msg/s", "publish msg/s", "ratio");
    QList<double> vigilRates, cliRates, ratios;
    bool lost = false;
    for (int run = 1; run <= runs; ++run) {
        const RunResult r = runOnce(topology, server, messages, payload);
        if (r.vigilReceived < messages || r.vigilDisconnected) {
            std::printf("%-5d vigil received %lld of %lld%s\n", run, static_cast<long long>(r.vigilReceived), static_cast<long long>(messages),
                        r.vigilDisconnected ? " (disconnected)" : "");
            lost = true;
            continue;
        }
        const double ratio = r.cliRate > 0 ? r.vigilRate / r.cliRate : 0;
        std::printf("%-5d %14.0f %14.0f %14.0f %8.2f\n", run, r.vigilRate, r.cliRate, r.publishRate, ratio);
        std::fflush(stdout);
        vigilRates << r.vigilRate;
        cliRates << r.cliRate;
        ratios << ratio;
    }
    std::printf("median %14.0f %14.0f %14s %8.2f\n", median(vigilRates), median(cliRates), "", median(ratios));
    return lost ? 1 : 0;
}
