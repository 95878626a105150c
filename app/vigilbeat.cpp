// vigil-beat: publishes heartbeats for one node from an application host.
//
//   vigil-beat (--connect URI | --sentinel URI... --master NAME) --node NAME [--interval-ms N]
//              [--channel NAME] [--format json|plain] [--role ROLE]
//              [--service NAME] [--role auto [--lease-ms N] [--on-promote CMD] [--on-demote CMD]
//              [--peers PATTERN]]
//              [--tls-ca FILE --tls-cert FILE --tls-key FILE --tls-insecure] [--askpass]
#include "commandline.h"
#include "signalwatcher.h"

#include "heartbeat/beatpublisher.h"
#include "services/servicerole.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTimer>

#include <cstdio>
#include <deque>
#include <memory>

using namespace vigil;

namespace {

const char *kUsage = "Usage: vigil-beat (--connect URI | --sentinel URI [--sentinel URI...] --master NAME) --node NAME\n"
                     "                  [--interval-ms N] [--channel NAME] [--format json|plain] [--role ROLE]\n"
                     "                  [--service NAME] [--role auto [--lease-ms N] [--on-promote CMD] [--on-demote CMD]\n"
                     "                  [--peers PATTERN]]\n"
                     "                  [--tls-ca FILE] [--tls-cert FILE] [--tls-key FILE] [--tls-server-name NAME]\n"
                     "                  [--tls-insecure] [--askpass] [--quiet]\n"
                     "\n"
                     "Publishes a heartbeat every --interval-ms (default 1000) on --channel (default heartbeat:NAME):\n"
                     "JSON {\"node\",\"seq\",\"ts\",\"interval_ms\",\"role\",\"service\",\"epoch\"} or, with --format plain, alive.\n"
                     "With --sentinel and --master it publishes on the group's master as the sentinels name it, and\n"
                     "moves to the new master at the first +switch-master. Reconnects by itself and keeps beating\n"
                     "across Redis restarts; SIGTERM or SIGINT end it.\n"
                     "\n"
                     "With --role auto and --service, the instance is its service's primary while it holds the lease\n"
                     "vigil:lease:{SERVICE} in Redis (time to live --lease-ms, default and least three intervals),\n"
                     "and a standby otherwise. A standby takes the lease when the primary's beats on --peers (default\n"
                     "heartbeat:*) stop or say it left, and runs --on-promote; a primary that cannot renew the lease\n"
                     "stops claiming a third of a lease before it could expire and runs --on-demote. Each holder gets\n"
                     "an epoch that only grows, carried in its beats as \"epoch\". The commands run with /bin/sh -c and\n"
                     "VIGIL_SERVICE, VIGIL_NODE, VIGIL_ROLE, VIGIL_EPOCH and VIGIL_REASON in their environment, one\n"
                     "at a time in the order of the role changes.\n"
                     "SIGTERM releases a held lease first.\n"
                     "\n"
                     "Passwords: in the URI, with --askpass, or in REDISCLI_AUTH.\n";

// Runs the operator's hooks one at a time, in the order the role changed: a demotion's hook never
// overtakes the promotion's before it.
class HookRunner final : public QObject
{
public:
    explicit HookRunner(ServiceRoleOptions options)
        : m_options(std::move(options))
    {
    }

    void run(const QString &command, const QString &which, const QString &role, qint64 epoch, const QString &reason)
    {
        if (command.isEmpty())
            return;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("VIGIL_SERVICE"), m_options.service);
        env.insert(QStringLiteral("VIGIL_NODE"), m_options.node);
        env.insert(QStringLiteral("VIGIL_ROLE"), role);
        env.insert(QStringLiteral("VIGIL_EPOCH"), epoch >= 0 ? QString::number(epoch) : QString());
        env.insert(QStringLiteral("VIGIL_REASON"), reason);
        m_queue.push_back({command, which, env});
        if (!m_running)
            next();
    }

    // Lets the running hook and those queued finish, for at most `timeoutMs` (the event loop has
    // ended: each is waited for in turn).
    void finish(int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            if (m_process && m_process->state() != QProcess::NotRunning)
                m_process->waitForFinished(int(std::max<qint64>(1, deadline.remainingTime())));
            else if (!m_queue.empty())
                next();
            else
                return;
        }
    }

private:
    struct Hook
    {
        QString command, which;
        QProcessEnvironment env;
    };

    void next()
    {
        m_running = false;
        if (m_queue.empty())
            return;
        const Hook hook = m_queue.front();
        m_queue.pop_front();
        m_process = std::make_unique<QProcess>();
        m_process->setProcessEnvironment(hook.env);
        m_process->setProcessChannelMode(QProcess::ForwardedChannels);
        connect(m_process.get(), &QProcess::finished, this, [this, which = hook.which](int code, QProcess::ExitStatus status) {
            if (status != QProcess::NormalExit || code != 0)
                std::fprintf(stderr, "vigil-beat: %s failed (%s)\n", qPrintable(which),
                             status == QProcess::NormalExit ? qPrintable(QStringLiteral("exit code %1").arg(code)) : "crashed");
            QTimer::singleShot(0, this, &HookRunner::next);
        });
        connect(m_process.get(), &QProcess::errorOccurred, this, [this, which = hook.which](QProcess::ProcessError error) {
            if (error != QProcess::FailedToStart)
                return;
            std::fprintf(stderr, "vigil-beat: %s could not be run: %s\n", qPrintable(which), qPrintable(m_process->errorString()));
            QTimer::singleShot(0, this, &HookRunner::next);
        });
        m_running = true;
        m_process->start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), hook.command});
    }

    ServiceRoleOptions m_options;
    std::deque<Hook> m_queue;
    std::unique_ptr<QProcess> m_process;
    bool m_running = false;
};

int run(const QStringList &args)
{
    QCommandLineParser parser;
    addConnectionOptions(parser);
    addDiscoveryOptions(parser);
    parser.addOption({QStringLiteral("node"), QStringLiteral("Node name."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("interval-ms"), QStringLiteral("Period."), QStringLiteral("N"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("channel"), QStringLiteral("Channel."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("json or plain."), QStringLiteral("FORMAT"), QStringLiteral("json")});
    parser.addOption({QStringLiteral("role"), QStringLiteral("Role to announce."), QStringLiteral("ROLE")});
    parser.addOption({QStringLiteral("service"), QStringLiteral("Service the node beats for."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("lease-ms"), QStringLiteral("Lease time to live."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("on-promote"), QStringLiteral("Command run on becoming primary."), QStringLiteral("CMD")});
    parser.addOption({QStringLiteral("on-demote"), QStringLiteral("Command run on ceasing to be primary."), QStringLiteral("CMD")});
    parser.addOption(
        {QStringLiteral("peers"), QStringLiteral("Channels of the service's beats."), QStringLiteral("PATTERN"), QStringLiteral("heartbeat:*")});
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

    const Targets targets = readTargets(parser);
    if (targets.sentinels.isEmpty() ? targets.servers.size() != 1 : !targets.servers.isEmpty())
        throw UsageError{QStringLiteral("give exactly one --connect URI, or --sentinel URI with --master NAME")};
    if (!targets.sentinels.isEmpty() && targets.masters.size() != 1)
        throw UsageError{QStringLiteral("with --sentinel, name the master group with one --master NAME")};
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

    const bool automatic = parser.value(QStringLiteral("role")) == QLatin1String("auto");
    int leaseMs = 3 * interval;
    if (automatic) {
        if (parser.value(QStringLiteral("service")).isEmpty())
            throw UsageError{QStringLiteral("--role auto needs the service's name with --service")};
        if (format != QLatin1String("json"))
            throw UsageError{QStringLiteral("--role auto beats JSON (the role and epoch travel in it)")};
        if (parser.isSet(QStringLiteral("lease-ms"))) {
            leaseMs = parser.value(QStringLiteral("lease-ms")).toInt(&ok);
            if (!ok || leaseMs < 3 * interval || leaseMs > 86'400'000)
                throw UsageError{QStringLiteral("--lease-ms must be at least three intervals (%1) and at most 86400000").arg(3 * interval)};
        }
    } else {
        for (const char *name : {"lease-ms", "on-promote", "on-demote", "peers"})
            if (parser.isSet(QLatin1String(name)))
                throw UsageError{QStringLiteral("--%1 goes with --role auto").arg(QLatin1String(name))};
    }

    BeatPublisherOptions options;
    if (targets.sentinels.isEmpty()) {
        options.connection = targets.servers.first();
    } else {
        // The master is reached like the first sentinel (credentials, TLS); its address comes later.
        options.connection = targets.sentinels.first();
        options.sentinels = targets.sentinels;
        options.masterName = targets.masters.first();
    }
    options.connection.clientName = QByteArrayLiteral("vigil-beat");
    options.connection.keepAliveIntervalMs = 0; // the beats themselves keep it alive
    options.node = node;
    options.intervalMs = interval;
    options.channel = parser.value(QStringLiteral("channel")).toUtf8();
    options.plain = format == QLatin1String("plain");
    options.role = parser.value(QStringLiteral("role"));
    options.service = parser.value(QStringLiteral("service"));
    if (automatic) {
        options.watchPattern = parser.value(QStringLiteral("peers")).toUtf8();
        // The instances of a service hear each other on --peers: its own channel should be one of them.
        const QString channel = options.channel.isEmpty() ? QStringLiteral("heartbeat:") + node : QString::fromUtf8(options.channel);
        const QRegularExpression peers(QRegularExpression::wildcardToRegularExpression(QString::fromUtf8(options.watchPattern)));
        if (!peers.match(channel).hasMatch())
            std::fprintf(stderr, "vigil-beat: warning: the channel %s is not among --peers %s: the other instances will not hear this one\n",
                         qPrintable(channel), options.watchPattern.constData());
    }

    BeatPublisher publisher(options);
    const bool quiet = parser.isSet(QStringLiteral("quiet"));
    std::unique_ptr<ServiceRole> role;
    std::unique_ptr<HookRunner> hooks;
    if (automatic) {
        const ServiceRoleOptions roleOptions{options.service, node, interval, leaseMs};
        role = std::make_unique<ServiceRole>(roleOptions, &publisher);
        hooks = std::make_unique<HookRunner>(roleOptions);
        HookRunner *runner = hooks.get();
        const QString onPromote = parser.value(QStringLiteral("on-promote"));
        const QString onDemote = parser.value(QStringLiteral("on-demote"));
        QObject::connect(role.get(), &ServiceRole::promoted, &publisher, [=](qint64 epoch, const QString &reason) {
            if (!quiet)
                std::fprintf(stderr, "vigil-beat: %s is the primary of %s with epoch %lld: %s\n", qPrintable(node), qPrintable(roleOptions.service),
                             static_cast<long long>(epoch), qPrintable(reason));
            runner->run(onPromote, QStringLiteral("--on-promote"), QStringLiteral("primary"), epoch, reason);
        });
        QObject::connect(role.get(), &ServiceRole::demoted, &publisher, [=](const QString &reason) {
            if (!quiet)
                std::fprintf(stderr, "vigil-beat: %s is no longer the primary of %s: %s\n", qPrintable(node), qPrintable(roleOptions.service),
                             qPrintable(reason));
            runner->run(onDemote, QStringLiteral("--on-demote"), QStringLiteral("standby"), -1, reason);
        });
        QObject::connect(role.get(), &ServiceRole::problem, &publisher,
                         [](const QString &message) { std::fprintf(stderr, "vigil-beat: %s\n", qPrintable(message)); });
    }
    QString lastError;
    QObject::connect(&publisher, &BeatPublisher::publishFailed, &publisher, [&lastError](const QString &message) {
        // One line per kind of failure, not one per beat.
        if (message.section(QLatin1Char(':'), 1) != lastError.section(QLatin1Char(':'), 1))
            std::fprintf(stderr, "vigil-beat: %s\n", qPrintable(message));
        lastError = message;
    });
    QObject::connect(&publisher, &BeatPublisher::connectionLost, &publisher,
                     [](const QString &message) { std::fprintf(stderr, "vigil-beat: %s\n", qPrintable(message)); });
    QObject::connect(&publisher, &BeatPublisher::targetChanged, &publisher, [quiet](const QString &address, const QString &how) {
        if (!quiet)
            std::fprintf(stderr, "vigil-beat: the master is %s (%s)\n", qPrintable(address), qPrintable(how));
    });
    QObject::connect(&publisher, &BeatPublisher::connected, &publisher, [&, quiet](const QString &address) {
        lastError.clear();
        if (!quiet)
            std::fprintf(stderr, "vigil-beat: publishing %s beats for %s on %s at %s every %d ms\n", qPrintable(format), qPrintable(node),
                         publisher.channel().constData(), qPrintable(address), interval);
    });

    SignalWatcher watcher;
    // A held lease is released before the end (a standby takes over at once).
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, qApp, [&role] {
        if (role)
            role->release(1000);
        else
            QCoreApplication::quit();
    });
    if (role)
        QObject::connect(role.get(), &ServiceRole::released, qApp, &QCoreApplication::quit);
    publisher.start();
    QCoreApplication::exec();
    publisher.stop();
    if (hooks)
        hooks->finish(5000);
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
