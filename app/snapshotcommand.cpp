// `vigil snapshot`: the guarded BGSAVE on the command line.
#include "commandline.h"

#include "actions/actionsession.h"
#include "journal/journal.h"

#include <QCoreApplication>

#include <cstdio>

namespace vigil {

int runSnapshot(const QStringList &args)
{
    QCommandLineParser parser;
    addProfileOption(parser);
    addConnectionOptions(parser);
    addDiscoveryOptions(parser);
    addJournalOption(parser);
    parser.addOption({QStringLiteral("node"), QStringLiteral("The server to save."), QStringLiteral("HOST:PORT")});
    parser.addOption({QStringLiteral("wait"), QStringLiteral("Follow the save to its end.")});
    parser.addOption({QStringLiteral("schedule"), QStringLiteral("Queue the save after a running AOF rewrite (BGSAVE SCHEDULE).")});
    parser.addOption({QStringLiteral("accept-warnings"), QStringLiteral("Proceed despite checks that warned.")});
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show help.")});
    parseOrThrow(parser, args, QStringLiteral("snapshot"));
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(fullHelpText().toLocal8Bit().constData(), stdout);
        return ExitOk;
    }
    const Targets targets = requireTargets(parser, QStringLiteral("snapshot"));
    SnapshotRequest request;
    request.node = parser.value(QStringLiteral("node"));
    if (request.node.isEmpty() || !request.node.contains(QLatin1Char(':')))
        throw UsageError{QStringLiteral("snapshot: give the server to save with --node HOST:PORT")};
    request.schedule = parser.isSet(QStringLiteral("schedule"));

    Journal journal;
    QString error;
    if (!journal.open(journalPathFrom(parser), &error)) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(error));
        return ExitFailure;
    }
    Monitor monitor(&journal);
    discoverTopology(monitor, targets);
    const QList<TargetStatus> nodes = monitor.status();
    const bool known =
        std::any_of(nodes.begin(), nodes.end(), [&request](const TargetStatus &n) { return !n.isSentinel() && n.answersTo(request.node); });
    if (!known) {
        std::fprintf(stderr, "vigil: %s is not one of the monitored servers\n", qPrintable(request.node));
        return ExitRefused;
    }
    SnapshotSession session(&monitor, request);
    SnapshotAction &action = *session.action();
    QObject::connect(&action, &SnapshotAction::checked, &action, [] { QCoreApplication::quit(); });
    action.check();
    QCoreApplication::exec();
    std::printf("Snapshot of %s:\n", qPrintable(request.node));
    bool failed = false, warned = false;
    for (const PreflightCheck &c : action.checks()) {
        std::printf("  %-8s %-24s %s\n", qPrintable(checkResultName(c.result).toUpper()), qPrintable(c.name), qPrintable(c.detail));
        failed |= c.result == PreflightCheck::Result::Fail;
        warned |= c.result == PreflightCheck::Result::Warn;
    }
    std::fflush(stdout);
    if (failed) {
        std::fprintf(stderr, "vigil: snapshot refused: a check failed%s\n",
                     request.schedule ? "" : " (--schedule queues a save after a running AOF rewrite)");
        return ExitRefused;
    }
    if (warned && !parser.isSet(QStringLiteral("accept-warnings"))) {
        std::fprintf(stderr, "vigil: snapshot refused: checks warned; review them and add --accept-warnings to proceed\n");
        return ExitRefused;
    }
    SnapshotResult result;
    QObject::connect(&action, &SnapshotAction::started, &action, [](const QString &reply) {
        std::printf("%s\n", qPrintable(reply));
        std::fflush(stdout);
    });
    int lastPercent = -1;
    QObject::connect(&action, &SnapshotAction::progress, &action, [&lastPercent](const SnapshotProgress &p) {
        if (p.percent() >= 0 && p.percent() / 10 != lastPercent / 10) {
            lastPercent = p.percent();
            std::printf("  %d %% of %lld keys\n", p.percent(), static_cast<long long>(p.keysTotal));
            std::fflush(stdout);
        }
    });
    QObject::connect(&action, &SnapshotAction::finished, &action, [&result](const SnapshotResult &r) {
        result = r;
        QCoreApplication::quit();
    });
    action.start(true, parser.isSet(QStringLiteral("wait")));
    QCoreApplication::exec();
    monitor.stop();
    journal.close();
    if (result.refused) {
        std::fprintf(stderr, "vigil: snapshot refused: %s\n", qPrintable(result.message));
        return ExitRefused;
    }
    if (!result.ok) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(result.message));
        return ExitFailure;
    }
    std::printf("%s\n", qPrintable(result.message));
    return ExitOk;
}

} // namespace vigil
