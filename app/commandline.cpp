// Command-line parsing shared by `vigil`, `vigil record` and `vigil export`.
#include "commandline.h"

#include "journal/journal.h"
#include "monitor/targets.h"
#include "profiles/keyring.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <QTimer>
#include <QTextStream>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace vigil {

QString fullHelpText()
{
    return QStringLiteral("Vigil %1: watches Redis heartbeats and replication from an operator's workstation.\n"
                          "\n"
                          "Usage:\n"
                          "  vigil [TARGET OPTIONS] [--journal FILE] [INCIDENT OPTIONS]\n"
                          "                                            the GUI (with no target option: the profile\n"
                          "                                            used last)\n"
                          "  vigil --demo                              the GUI on a throwaway local topology it starts itself\n"
                          "  vigil ... --lang en|zh_CN                 the GUI's language (default: the system's; English\n"
                          "                                            when Vigil has no translation for it)\n"
                          "  vigil record [TARGET OPTIONS] [--journal FILE] [--duration SECONDS] [--quiet]\n"
                          "               [INCIDENT OPTIONS]           headless monitor: writes events to the journal until\n"
                          "                                            SIGINT/SIGTERM or the duration, then prints a summary\n"
                          "  vigil export [--journal FILE] [--format jsonl|csv] [--since T] [--until T]\n"
                          "               [--kind PREFIX] [--source SOURCE] [-o FILE]\n"
                          "                                            writes journal events as JSON Lines or CSV\n"
                          "  vigil status [TARGET OPTIONS] [--json]    discovers the topology and polls it once: role,\n"
                          "                                            master, offsets, lag, link, last save (never when\n"
                          "                                            never saved), AOF, cluster shards, the sentinels'\n"
                          "                                            view, split brains, replication cycles; exit 1\n"
                          "                                            when a given target is unreachable or its INFO\n"
                          "                                            is unusable; names a promotion the journal\n"
                          "                                            (--journal FILE) says never ended\n"
                          "  vigil promote [TARGET OPTIONS] --candidate HOST:PORT [--force] [--reason TEXT]\n"
                          "                [--dry-run] [--yes] [--accept-warnings] [--path auto|by-hand|failover]\n"
                          "                [--max-lag-bytes N] [--max-lag-seconds N] [--pause-timeout-ms N] [--journal FILE]\n"
                          "                                            promotes a replica safely: checks, shows the plan,\n"
                          "                                            asks for the candidate's address as confirmation\n"
                          "                                            (unless --yes), reports each step, rolls back on\n"
                          "                                            failure, verifies; exit 0 verified, 1 failed,\n"
                          "                                            3 refused by a check; a plain switchover runs\n"
                          "                                            the steps by hand unless --path failover\n"
                          "  vigil recover [--journal FILE] [TARGET OPTIONS] [--keep HOST:PORT] [--dry-run] [--yes]\n"
                          "                                            finishes or undoes a promotion Vigil did not end\n"
                          "                                            (it died mid-way): restores replica-priority, keeps\n"
                          "                                            one master (the one that took writes; --keep when\n"
                          "                                            both did, or to keep the one left when the other is\n"
                          "                                            dead), re-points the others, verifies, journals\n"
                          "                                            action.promote.recovered; exit 3 when it refuses\n"
                          "  vigil snapshot [TARGET OPTIONS] --node HOST:PORT [--wait] [--schedule] [--accept-warnings]\n"
                          "                [--journal FILE]            a guarded BGSAVE: refused while a save or an AOF\n"
                          "                                            rewrite runs (--schedule queues it after the\n"
                          "                                            rewrite), warned when the fork looks costly or the\n"
                          "                                            last save failed; --wait follows it to the end\n"
                          "  vigil incidents [--journal FILE] [--since T] [--until T] [--json] [--recompute]\n"
                          "                [INCIDENT OPTIONS]          the incidents the recorder stored (scope, probable\n"
                          "                                            root cause, symptoms, recoveries); --recompute or\n"
                          "                                            incident options group the events afresh\n"
                          "  vigil report ID|last [--journal FILE] [--format md|html|json] [-o FILE] [--local]\n"
                          "                                            an incident written up: summary, impact, probable\n"
                          "                                            root cause, detection, resolution, timeline, notes,\n"
                          "                                            actions (html: one self-contained page; json: the\n"
                          "                                            incident with its events); times in UTC unless\n"
                          "                                            --local\n"
                          "  vigil open FILE [--lang L]                a recorded journal in the GUI, read-only: its\n"
                          "                                            events, incidents and reports (no server is\n"
                          "                                            contacted; the file is not changed)\n"
                          "  vigil --help | --version\n"
                          "\n"
                          "Incident options (grouping events into incidents, see docs/incidents.md):\n"
                          "  --incident-gap D     the longest gap between an incident's events (default 5m; 30s, 2h)\n"
                          "  --incident-quiet D   how long an incident whose problems all recovered stays open\n"
                          "                       (default 5m)\n"
                          "\n"
                          "Target options:\n"
                          "  --profile NAME       a saved profile (File > Save Profile As in the GUI): its servers,\n"
                          "                       sentinels, master groups, TLS files, poll period, heartbeat channels,\n"
                          "                       services and incident options, under what the other options add;\n"
                          "                       passwords it keeps in the desktop keyring are read from there\n"
                          "  --connect URI        redis://[user[:password]@]host[:port][/db], rediss://..., unix:///path\n"
                          "                       (repeatable)\n"
                          "  --sentinel URI       a Sentinel to discover master groups from (repeatable), with --master\n"
                          "  --master NAME        the master group to follow (repeatable; default: every group the\n"
                          "                       sentinels watch)\n"
                          "  Replicas and masters named in INFO, the nodes and sentinels a Sentinel knows and the nodes\n"
                          "  of a Redis Cluster are found and monitored too, reached with the same credentials and TLS\n"
                          "  options as the node they were found through (through a Sentinel: those of the first\n"
                          "  --connect URI, else of the Sentinel).\n"
                          "  --no-forward-auth    reach discovered nodes without the user and password of the node that\n"
                          "                       named them (by default they go to every node found, whatever host a\n"
                          "                       reply names: see Security in the README)\n"
                          "  --poll-interval-ms N how often every node is polled (INFO, SENTINEL, CLUSTER reads;\n"
                          "                       default 1000)\n"
                          "  --tls-ca FILE        CA certificates (PEM) to verify rediss:// servers with\n"
                          "  --tls-cert FILE      client certificate (PEM), for servers that require one\n"
                          "  --tls-key FILE       the client certificate's private key (PEM)\n"
                          "  --tls-server-name N  the name to verify in the server's certificate (default: the host)\n"
                          "  --tls-insecure       do not verify the server's certificate\n"
                          "  --askpass            ask for the password on the terminal\n"
                          "  --max-reply-size N   the largest reply accepted from a server (default 512M; k, M, G\n"
                          "                       suffixes); a larger one resets the connection with a protocol error\n"
                          "  --channel NAME       heartbeat channel (repeatable); --pattern GLOB likewise. Default when\n"
                          "                       neither is given: channel `heartbeat` and pattern `heartbeat:*`\n"
                          "  --service NAME=NODE[,NODE...]\n"
                          "                       watch these nodes as one service (repeatable); nodes whose beats\n"
                          "                       name a service (\"service\" in JSON) need none\n"
                          "  Passwords come from the URI, --askpass, the REDISCLI_AUTH environment variable or (for a\n"
                          "  profile that remembers them) the desktop keyring; they are never written to settings,\n"
                          "  profiles, the journal, logs or exports.\n"
                          "\n"
                          "  --journal FILE       the event journal (default: %2)\n"
                          "  Time arguments (T) accept ISO 8601 (2026-11-26T04:12:13Z) or relative times (-15m, -2h, -1d).\n"
                          "\n"
                          "Exit codes: 0 ok, 1 runtime failure, 2 bad usage, 3 refused by a pre-flight check (promote,\n"
                          "snapshot).\n")
        .arg(QStringLiteral(VIGIL_VERSION), defaultJournalPath());
}

void addProfileOption(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("profile"), QStringLiteral("A saved profile."), QStringLiteral("NAME")});
}

std::optional<Profile> readProfile(const QCommandLineParser &parser)
{
    // optionNames() lists the options given; --profile is defined only where addProfileOption added it.
    if (!parser.optionNames().contains(QStringLiteral("profile")))
        return std::nullopt;
    QString error;
    auto profile = ProfileStore().load(parser.value(QStringLiteral("profile")), &error);
    if (!profile)
        throw UsageError{QStringLiteral("--profile: %1").arg(error)};
    return profile;
}

void readKeyringPasswords(Targets *targets)
{
    if (!targets->rememberPasswords)
        return;
    QString error = Keyring::fillPasswords(targets->profile, &targets->servers);
    if (error.isEmpty())
        error = Keyring::fillPasswords(targets->profile, &targets->sentinels);
    if (!error.isEmpty())
        std::fprintf(stderr,
                     "vigil: the passwords of profile \"%s\" cannot be read from the keyring: %s "
                     "(give them with --askpass or REDISCLI_AUTH)\n",
                     qPrintable(targets->profile), qPrintable(error));
}

void addTargetOptions(QCommandLineParser &parser)
{
    addProfileOption(parser);
    addConnectionOptions(parser);
    addDiscoveryOptions(parser);
    parser.addOption({QStringLiteral("channel"), QStringLiteral("Heartbeat channel (repeatable)."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("pattern"), QStringLiteral("Heartbeat channel pattern (repeatable)."), QStringLiteral("GLOB")});
    parser.addOption({QStringLiteral("service"), QStringLiteral("Nodes watched as one service (repeatable)."), QStringLiteral("NAME=NODE,...")});
}

void addDiscoveryOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("sentinel"), QStringLiteral("Sentinel to discover from (repeatable)."), QStringLiteral("URI")});
    parser.addOption({QStringLiteral("master"), QStringLiteral("Master group name (repeatable)."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("poll-interval-ms"), QStringLiteral("Poll period."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("no-forward-auth"), QStringLiteral("Reach discovered nodes without credentials.")});
}

void addConnectionOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("connect"), QStringLiteral("Redis server to monitor (repeatable)."), QStringLiteral("URI")});
    parser.addOption({QStringLiteral("tls-ca"), QStringLiteral("CA certificates (PEM)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("tls-cert"), QStringLiteral("Client certificate (PEM)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("tls-key"), QStringLiteral("Client key (PEM)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("tls-server-name"), QStringLiteral("Name to verify."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("tls-insecure"), QStringLiteral("Skip certificate verification.")});
    parser.addOption({QStringLiteral("askpass"), QStringLiteral("Ask for the password on the terminal.")});
    parser.addOption({QStringLiteral("max-reply-size"), QStringLiteral("Largest reply accepted."), QStringLiteral("SIZE")});
}

HeartbeatOptions readHeartbeatOptions(const QCommandLineParser &parser)
{
    HeartbeatOptions options;
    QSet<QString> grouped;
    const std::optional<Profile> profile = readProfile(parser);
    for (const QString &spec : parser.values(QStringLiteral("service"))) {
        const qsizetype eq = spec.indexOf(QLatin1Char('='));
        const QString name = spec.left(eq).trimmed();
        QStringList nodes;
        for (const QString &part : spec.mid(eq + 1).split(QLatin1Char(',')))
            if (const QString node = part.trimmed(); !node.isEmpty() && !nodes.contains(node))
                nodes << node;
        if (eq <= 0 || name.isEmpty() || nodes.isEmpty())
            throw UsageError{QStringLiteral("--service needs NAME=NODE[,NODE...], not \"%1\"").arg(spec)};
        for (const QString &node : std::as_const(nodes)) {
            if (grouped.contains(node))
                throw UsageError{QStringLiteral("--service: node %1 is in two services").arg(node)};
            grouped.insert(node);
        }
        options.services[name] += nodes;
    }
    // The profile's services, less the nodes the command line groups.
    if (profile) {
        for (auto it = profile->services.cbegin(); it != profile->services.cend(); ++it) {
            if (options.services.contains(it.key()))
                continue;
            QStringList nodes;
            for (const QString &node : it.value())
                if (!grouped.contains(node))
                    nodes << node;
            if (!nodes.isEmpty())
                options.services.insert(it.key(), nodes);
        }
    }
    QStringList channels = parser.values(QStringLiteral("channel"));
    QStringList patterns = parser.values(QStringLiteral("pattern"));
    if (profile && channels.isEmpty() && patterns.isEmpty()) {
        channels = profile->channels;
        patterns = profile->patterns;
    }
    if (channels.isEmpty() && patterns.isEmpty())
        return options;
    options.channels.clear();
    options.patterns.clear();
    for (const QString &c : channels) {
        if (c.isEmpty())
            throw UsageError{QStringLiteral("--channel needs a name")};
        options.channels << c.toUtf8();
    }
    for (const QString &p : patterns) {
        if (p.isEmpty())
            throw UsageError{QStringLiteral("--pattern needs a glob")};
        options.patterns << p.toUtf8();
    }
    return options;
}

void discoverTopology(Monitor &monitor, const Targets &targets)
{
    // Discovery and the first poll of every node normally take well under a second; a node that
    // does not answer is given up on after its connect and command timeouts (2 s each).
    constexpr int kSettleTimeoutMs = 10'000;
    HeartbeatOptions noBeats;
    noBeats.channels.clear();
    noBeats.patterns.clear();
    monitor.setHeartbeatOptions(noBeats);
    targets.applyTo(monitor);
    QElapsedTimer elapsed;
    elapsed.start();
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &check, [&monitor, &elapsed] {
        if (monitor.isSettled() || elapsed.elapsed() > kSettleTimeoutMs)
            QCoreApplication::quit();
    });
    monitor.start();
    check.start(20);
    QCoreApplication::exec();
}

void Targets::applyTo(Monitor &monitor) const
{
    monitor.setPollInterval(pollIntervalMs);
    monitor.setForwardAuth(forwardAuth);
    monitor.setTargets(servers);
    monitor.setSentinels(sentinels, masters);
}

namespace {

// Whether a discovery option was given (they are defined only where addDiscoveryOptions added them).
bool hasDiscoveryOptions(const QCommandLineParser &parser)
{
    return parser.optionNames().contains(QStringLiteral("sentinel")) || parser.optionNames().contains(QStringLiteral("master"))
        || parser.optionNames().contains(QStringLiteral("poll-interval-ms"));
}

} // namespace

Targets readTargets(const QCommandLineParser &parser)
{
    const bool discovery = hasDiscoveryOptions(parser);
    const std::optional<Profile> profile = readProfile(parser);
    TargetArguments args;
    if (profile) {
        args.connect = profile->servers;
        args.sentinel = profile->sentinels;
        args.tls = profile->tls;
    }
    args.connect += parser.values(QStringLiteral("connect"));
    if (discovery)
        args.sentinel += parser.values(QStringLiteral("sentinel"));
    // A TLS option on the command line overrides the profile's.
    for (const auto &[option, field] :
         {std::pair{QStringLiteral("tls-ca"), &TlsOptions::caFile}, std::pair{QStringLiteral("tls-cert"), &TlsOptions::certFile},
          std::pair{QStringLiteral("tls-key"), &TlsOptions::keyFile}, std::pair{QStringLiteral("tls-server-name"), &TlsOptions::serverName}})
        if (parser.isSet(option))
            args.tls.*field = parser.value(option);
    args.tls.insecure = args.tls.insecure || parser.isSet(QStringLiteral("tls-insecure"));
    for (const QString &file : {args.tls.caFile, args.tls.certFile, args.tls.keyFile})
        if (!file.isEmpty() && !QFile::exists(file))
            throw UsageError{QStringLiteral("no such file: %1").arg(file)};
    if (!args.tls.keyFile.isEmpty() && args.tls.certFile.isEmpty())
        throw UsageError{QStringLiteral("--tls-key needs --tls-cert")};
    if (parser.isSet(QStringLiteral("max-reply-size"))) {
        const qint64 size = parseByteSize(parser.value(QStringLiteral("max-reply-size")));
        if (size < 1024 || size > (qint64(1) << 40))
            throw UsageError{QStringLiteral("--max-reply-size needs a size from 1k to 1024G, such as 64M or 1G")};
        args.replyLimits.maxBytes = size;
    }
    if (parser.isSet(QStringLiteral("askpass")))
        args.password = askPassword(QStringLiteral("Redis password: "));
    Targets targets;
    QString error;
    if (!buildTargets(args, &targets.servers, &error) || !buildSentinelTargets(args, &targets.sentinels, &error))
        throw UsageError{error};
    // optionNames() lists the options given: this one is defined only with the discovery options.
    targets.forwardAuth = !parser.optionNames().contains(QStringLiteral("no-forward-auth"));
    if (profile) {
        targets.profile = profile->name;
        targets.rememberPasswords = profile->rememberPasswords;
        targets.masters = profile->masters;
        targets.pollIntervalMs = profile->pollIntervalMs;
    }
    if (QCoreApplication::instance())
        readKeyringPasswords(&targets);
    if (!discovery)
        return targets;
    targets.masters += parser.values(QStringLiteral("master"));
    if (!targets.masters.isEmpty() && targets.sentinels.isEmpty())
        throw UsageError{QStringLiteral("--master needs --sentinel")};
    if (parser.isSet(QStringLiteral("poll-interval-ms"))) {
        bool ok = false;
        targets.pollIntervalMs = parser.value(QStringLiteral("poll-interval-ms")).toInt(&ok);
        if (!ok || targets.pollIntervalMs < 100 || targets.pollIntervalMs > 3'600'000)
            throw UsageError{QStringLiteral("--poll-interval-ms needs a number of milliseconds from 100 to 3600000")};
    }
    return targets;
}

Targets requireTargets(const QCommandLineParser &parser, const QString &command)
{
    Targets targets = readTargets(parser);
    if (targets.isEmpty())
        throw UsageError{QStringLiteral("%1: give at least one --connect or --sentinel URI").arg(command)};
    return targets;
}

void addJournalOption(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("journal"), QStringLiteral("Event journal file."), QStringLiteral("FILE")});
}

void addIncidentOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("incident-gap"), QStringLiteral("Longest gap between an incident's events."), QStringLiteral("DURATION")});
    parser.addOption({QStringLiteral("incident-quiet"), QStringLiteral("Quiet time before an incident resolves."), QStringLiteral("DURATION")});
}

IncidentOptions readIncidentOptions(const QCommandLineParser &parser, const QString &command)
{
    IncidentOptions options;
    if (const std::optional<Profile> profile = readProfile(parser)) {
        options.gapMs = profile->incidentGapMs;
        options.quietMs = profile->incidentQuietMs;
    }
    for (const auto &[name, field] : {std::pair{QStringLiteral("incident-gap"), &IncidentOptions::gapMs},
                                      std::pair{QStringLiteral("incident-quiet"), &IncidentOptions::quietMs}}) {
        if (!parser.isSet(name))
            continue;
        const qint64 ms = parseDurationMs(parser.value(name));
        if (ms <= 0)
            throw UsageError{QStringLiteral("%1: --%2 needs a duration such as 30s, 5m or 2h").arg(command, name)};
        options.*field = ms;
    }
    return options;
}

void addTimeWindowOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("since"), QStringLiteral("Earliest time."), QStringLiteral("T")});
    parser.addOption({QStringLiteral("until"), QStringLiteral("Latest time."), QStringLiteral("T")});
}

void readTimeWindow(const QCommandLineParser &parser, const QString &command, JournalQuery *query)
{
    for (const auto &[option, target] : {std::pair{QStringLiteral("since"), &query->since}, std::pair{QStringLiteral("until"), &query->until}}) {
        if (!parser.isSet(option))
            continue;
        *target = parseTimeArgument(parser.value(option));
        if (!target->isValid())
            throw UsageError{
                QStringLiteral("%1: --%2 '%3' is not a time (use ISO 8601 or -15m, -2h, -1d)").arg(command, option, parser.value(option))};
    }
}

QString journalPathFrom(const QCommandLineParser &parser)
{
    const QString path = parser.value(QStringLiteral("journal"));
    return path.isEmpty() ? defaultJournalPath() : path;
}

void parseOrThrow(QCommandLineParser &parser, const QStringList &args, const QString &command)
{
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    // vigil-beat has its own help; everything else is described by vigil --help.
    const QString help =
        QFileInfo(args.value(0)).fileName() == QLatin1String("vigil-beat") ? QStringLiteral("vigil-beat --help") : QStringLiteral("vigil --help");
    if (!parser.parse(args)) {
        QString error = parser.errorText();
        if (error.endsWith(QLatin1Char('.')))
            error.chop(1);
        throw UsageError{(command.isEmpty() ? error : command + QStringLiteral(": ") + error) + QStringLiteral(" (see %1)").arg(help)};
    }
    if (!parser.positionalArguments().isEmpty())
        throw UsageError{QStringLiteral("%1unexpected argument '%2'")
                             .arg(command.isEmpty() ? QString() : command + QStringLiteral(": "), parser.positionalArguments().first())};
}

QString askPassword(const QString &prompt)
{
    FILE *tty = std::fopen("/dev/tty", "r+");
    FILE *in = tty ? tty : stdin;
    FILE *out = tty ? tty : stderr;
    std::fputs(prompt.toLocal8Bit().constData(), out);
    std::fflush(out);
    termios saved{};
    const bool terminal = ::tcgetattr(fileno(in), &saved) == 0;
    if (terminal) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(fileno(in), TCSAFLUSH, &quiet);
    }
    char buffer[1024] = {};
    const bool ok = std::fgets(buffer, sizeof buffer, in) != nullptr;
    if (terminal) {
        ::tcsetattr(fileno(in), TCSAFLUSH, &saved);
        std::fputs("\n", out);
    }
    if (tty)
        std::fclose(tty);
    QString password = ok ? QString::fromLocal8Bit(buffer) : QString();
    while (password.endsWith(QLatin1Char('\n')) || password.endsWith(QLatin1Char('\r')))
        password.chop(1);
    return password;
}

} // namespace vigil
