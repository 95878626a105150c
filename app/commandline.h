// Command-line front ends shared by the subcommands: target options, usage errors, help text.
#pragma once

#include "heartbeat/heartbeatservice.h"
#include "journal/journal.h"
#include "monitor/monitor.h"
#include "profiles/profile.h"
#include "redis/connection.h"

#include <QCommandLineParser>

#include <optional>

namespace vigil {

// Exit codes of the command-line contract.
enum ExitCode { ExitOk = 0, ExitFailure = 1, ExitUsage = 2, ExitRefused = 3 };

// Thrown by helpers on bad usage; main() prints "vigil: <message>" and exits 2.
struct UsageError
{
    QString message;
};

QString fullHelpText();

// What the target options name: servers, sentinels and their master groups, the poll period.
struct Targets
{
    QList<ConnectionOptions> servers;   // --connect
    QList<ConnectionOptions> sentinels; // --sentinel
    QStringList masters;                // --master
    int pollIntervalMs = 1000;          // --poll-interval-ms
    bool forwardAuth = true;            // not --no-forward-auth
    QString profile;                    // --profile: the profile they came from
    bool rememberPasswords = false;     // that profile keeps its passwords in the keyring

    bool isEmpty() const { return servers.isEmpty() && sentinels.isEmpty(); }
    void applyTo(Monitor &monitor) const;
};

// Starts `monitor` on the targets (without heartbeats) and runs the event loop until discovery has
// settled: every node found has answered a poll or failed (at most 10 s).
void discoverTopology(Monitor &monitor, const Targets &targets);

// Adds --connect, --tls-*, --askpass to a parser.
void addConnectionOptions(QCommandLineParser &parser);
// Adds --sentinel, --master, --poll-interval-ms.
void addDiscoveryOptions(QCommandLineParser &parser);
// Adds --profile NAME: a saved profile's targets, TLS files, poll period, heartbeat channels,
// services and incident options, under what the command line adds to them.
void addProfileOption(QCommandLineParser &parser);
// The profile --profile names, or nullopt when none is named; throws UsageError when it cannot be read.
std::optional<Profile> readProfile(const QCommandLineParser &parser);
// Builds the targets from them (the profile's first, then the command line's); throws UsageError on
// a bad URI, a missing file or a bad number. With a QCoreApplication, passwords still missing come
// from the keyring when the profile keeps them there (see readKeyringPasswords).
Targets readTargets(const QCommandLineParser &parser);
// Gives targets without a password the ones their profile keeps in the keyring; says on stderr
// when the keyring cannot be read.
void readKeyringPasswords(Targets *targets);
// The same, for a subcommand that needs at least one target.
Targets requireTargets(const QCommandLineParser &parser, const QString &command);
// The connection and discovery options plus the heartbeat --channel and --pattern.
void addTargetOptions(QCommandLineParser &parser);
// The heartbeat channels and patterns (default: channel `heartbeat`, pattern `heartbeat:*`).
HeartbeatOptions readHeartbeatOptions(const QCommandLineParser &parser);

void addJournalOption(QCommandLineParser &parser);
// --since T and --until T, and the window they give a journal query (throws UsageError naming
// `command` on a bad time).
void addTimeWindowOptions(QCommandLineParser &parser);
void readTimeWindow(const QCommandLineParser &parser, const QString &command, JournalQuery *query);
QString journalPathFrom(const QCommandLineParser &parser);
// --incident-gap DURATION and --incident-quiet DURATION, and the grouping they give (throws
// UsageError naming `command` on a bad duration).
void addIncidentOptions(QCommandLineParser &parser);
IncidentOptions readIncidentOptions(const QCommandLineParser &parser, const QString &command);

// Parses `args` (program name first) and throws UsageError on unknown options or positionals.
void parseOrThrow(QCommandLineParser &parser, const QStringList &args, const QString &command);

// Asks for a password on the terminal without echo (stdin when there is no terminal).
QString askPassword(const QString &prompt);

int runRecord(const QStringList &args);
int runExport(const QStringList &args);
int runStatus(const QStringList &args);
int runPromote(const QStringList &args);
int runSnapshot(const QStringList &args);
int runRecover(const QStringList &args);
int runIncidents(const QStringList &args);
int runReport(const QStringList &args);
// The GUI commands: `vigil [--demo]` and `vigil open FILE`.
int runGui(int &argc, char **argv, const QStringList &args);
int runOpen(int &argc, char **argv, const QStringList &args);

} // namespace vigil
