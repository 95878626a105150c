// vigil-beat: publishes heartbeats for one node from an application host.
//
//   vigil-beat --connect URI --node NAME [--interval-ms N] [--channel NAME] [--format json|plain]
//              [--role ROLE] [--tls-ca FILE --tls-cert FILE --tls-key FILE --tls-insecure] [--askpass]
#include "commandline.h"
#include "signalwatcher.h"

#include "heartbeat/beatpublisher.h"

#include <QCoreApplication>

#include <cstdio>

using namespace vigil;

namespace {

const char *kUsage =
    "Usage: vigil-beat --connect URI --node NAME [--interval-ms N] [--channel NAME]\n"
    "                  [--format json|plain] [--role ROLE] [--tls-ca FILE] [--tls-cert FILE]\n"
    "                  [--tls-key FILE] [--tls-server-name NAME] [--tls-insecure] [--askpass] [--quiet]\n"
    "\n"
    "Publishes a heartbeat every --interval-ms (default 1000) on --channel (default heartbeat:NAME):\n"
    "JSON {\"node\",\"seq\",\"ts\",\"interval_ms\",\"role\"} or, with --format plain, the word alive.\n"
    "Reconnects by itself and keeps beating across Redis restarts; SIGTERM or SIGINT end it.\n"
    "Passwords: in the URI, with --askpass, or in REDISCLI_AUTH.\n";

int run(const QStringList &args)
{
    QCommandLineParser parser;
    addConnectionOptions(parser);
    parser.addOption({QStringLiteral("node"), QStringLiteral("Node name."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("interval-ms"), QStringLiteral("Period."), QStringLiteral("N"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("channel"), QStringLiteral("Channel."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("json or plain."), QStringLiteral("FORMAT"), QStringLiteral("json")});
    parser.addOption({QStringLiteral("role"), QStringLiteral("Role to announce."), QStringLiteral("ROLE")});
    parser.addOption({QStringLiteral("quiet"), QStringLiteral("Print nothing but errors.")});
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show help.")});
    parser.addOption({{QStringLiteral("v"), QStringLiteral("version")}, QStringLiteral("Show the version.")});
    parseOrThrow(parser, args, QString());
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(kUsage, stdout);
        return ExitOk;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("vigil-beat %s\n", VIGIL_VERSION);
        return ExitOk;
    }

    if (parser.values(QStringLiteral("connect")).size() != 1)
        throw UsageError{QStringLiteral("give exactly one --connect URI")};
    const QString node = parser.value(QStringLiteral("node"));
    if (node.isEmpty())
        throw UsageError{QStringLiteral("give the node's name with --node")};
    bool ok = false;
    const int interval = parser.value(QStringLiteral("interval-ms")).toInt(&ok);
    if (!ok || interval < 10 || interval > 3'600'000)
        throw UsageError{QStringLiteral("--interval-ms must be between 10 and 3600000")};
    const QString format = parser.value(QStringLiteral("format"));
    if (format != QLatin1String("json") && format != QLatin1String("plain"))
        throw UsageError{QStringLiteral("--format must be json or plain")};

    BeatPublisherOptions options;
    options.connection = readTargets(parser).servers.first();
    options.connection.clientName = QByteArrayLiteral("vigil-beat");
    options.connection.keepAliveIntervalMs = 0; // the beats themselves keep it alive
    options.node = node;
    options.intervalMs = interval;
    options.channel = parser.value(QStringLiteral("channel")).toUtf8();
    options.plain = format == QLatin1String("plain");
    options.role = parser.value(QStringLiteral("role"));

    BeatPublisher publisher(options);
    const bool quiet = parser.isSet(QStringLiteral("quiet"));
    QString lastError;
    QObject::connect(&publisher, &BeatPublisher::publishFailed, &publisher, [&lastError](const QString &message) {
        // One line per kind of failure, not one per beat.
        if (message.section(QLatin1Char(':'), 1) != lastError.section(QLatin1Char(':'), 1))
            std::fprintf(stderr, "vigil-beat: %s\n", qPrintable(message));
        lastError = message;
    });
    QObject::connect(publisher.connection(), &Connection::disconnected, &publisher,
                     [](ErrorKind, const QString &message) { std::fprintf(stderr, "vigil-beat: %s\n", qPrintable(message)); });
    QObject::connect(publisher.connection(), &Connection::ready, &publisher, [&, quiet] {
        lastError.clear();
        if (!quiet)
            std::fprintf(stderr, "vigil-beat: publishing %s beats for %s on %s every %d ms\n", qPrintable(format),
                         qPrintable(node), publisher.channel().constData(), interval);
    });

    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, qApp, &QCoreApplication::quit);
    publisher.start();
    QCoreApplication::exec();
    publisher.stop();
    if (!quiet)
        std::fprintf(stderr, "vigil-beat: %lld beats published\n", static_cast<long long>(publisher.published()));
    return ExitOk;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    try {
        return run(args);
    } catch (const UsageError &e) {
        std::fprintf(stderr, "vigil-beat: %s\n", qPrintable(e.message));
        return ExitUsage;
    }
}
