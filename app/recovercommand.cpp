// `vigil recover`: finishes or undoes a promotion that never ended (Vigil died mid-way). Reads the
// journal for the last unfinished action, connects to its servers (or the targets given), plans
// from what they say now, prints what it found and will do, asks for confirmation, runs it,
// verifies, and journals action.promote.recovered.
#include "commandline.h"

#include "actions/recovery.h"
#include "journal/journal.h"
#include "monitor/monitor.h"
#include "monitor/targets.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

namespace vigil {

namespace {

constexpr int kFailoverWaitMs = 60'000; // how long a failover still running (Sentinel's, FAILOVER, a cluster's) is waited for

// Without target options: the action's own servers and sentinels, as they were named then.
Targets actionTargets(const UnfinishedAction &action)
{
    TargetArguments args;
    for (const QString &a : QStringList{action.master, action.candidate} + action.otherReplicas)
        args.connect << QStringLiteral("redis://%1").arg(a);
    for (const QString &s : action.sentinels)
        args.sentinel << QStringLiteral("redis://%1").arg(s);
    Targets targets;
    QString error;
    if (!buildTargets(args, &targets.servers, &error) || !buildSentinelTargets(args, &targets.sentinels, &error))
        throw UsageError{QStringLiteral("recover: the journal names servers that cannot be reached as given (%1): give the targets").arg(error)};
    return targets;
}

} // namespace

int runRecover(const QStringList &args)
{
    QCommandLineParser parser;
    addProfileOption(parser);
    addConnectionOptions(parser);
    addDiscoveryOptions(parser);
    addJournalOption(parser);
    parser.addOption({QStringLiteral("keep"), QStringLiteral("The master to keep when two claim it."), QStringLiteral("HOST:PORT")});
    parser.addOption({QStringLiteral("dry-run"), QStringLiteral("Print what was found and would be done; change nothing.")});
    parser.addOption({QStringLiteral("yes"), QStringLiteral("Do not ask for confirmation.")});
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show help.")});
    parseOrThrow(parser, args, QStringLiteral("recover"));
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(fullHelpText().toLocal8Bit().constData(), stdout);
        return ExitOk;
    }
    const QString path = journalPathFrom(parser);
    QList<UnfinishedAction> unfinished;
    QString error;
    if (!readUnfinishedActions(path, &unfinished, &error)) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(error));
        return ExitFailure;
    }
    if (unfinished.isEmpty()) {
        std::printf("No unfinished promotion in %s.\n", qPrintable(path));
        return ExitOk;
    }
    for (int i = 0; i + 1 < unfinished.size(); ++i)
        std::printf("Older unfinished: %s\n", qPrintable(unfinished.at(i).describe()));
    const UnfinishedAction action = unfinished.last();
    std::printf("Unfinished %s\n", qPrintable(action.describe()));
    if (action.stillRunning()) {
        std::fprintf(stderr, "vigil: recovery refused: the promotion is still running (process %lld on this machine)\n",
                     static_cast<long long>(action.pid));
        return ExitRefused;
    }
    const Targets given = readTargets(parser);
    const Targets targets = given.isEmpty() ? actionTargets(action) : given;

    const bool dryRun = parser.isSet(QStringLiteral("dry-run"));
    Journal journal;
    if (!dryRun && !journal.open(path, &error)) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(error));
        return ExitFailure;
    }
    Monitor monitor(dryRun ? nullptr : &journal);
    discoverTopology(monitor, targets);
    RecoveryPlan plan = planRecovery(action, buildTopologyGraph(monitor.status(), monitor.clusterView()), parser.value(QStringLiteral("keep")));
    QElapsedTimer waited;
    waited.start();
    while (plan.lookAgain && waited.elapsed() < kFailoverWaitMs) {
        std::printf("Waiting: %s\n", qPrintable(plan.refused));
        std::fflush(stdout);
        QEventLoop loop; // the monitor polls meanwhile
        QTimer::singleShot(500, &loop, &QEventLoop::quit);
        loop.exec();
        plan = planRecovery(action, buildTopologyGraph(monitor.status(), monitor.clusterView()), parser.value(QStringLiteral("keep")));
    }
    std::printf("\nFound:\n");
    for (const QString &f : std::as_const(plan.found))
        std::printf("  %s\n", qPrintable(f));
    if (!plan.refused.isEmpty()) {
        std::fprintf(stderr, "vigil: recovery refused: %s\n", qPrintable(plan.refused));
        return ExitRefused;
    }
    std::printf("\nKeep %s as the master. Steps:\n", qPrintable(plan.keep));
    for (const RecoveryStep &s : std::as_const(plan.steps))
        std::printf("  %s on %s: %s\n", qPrintable(QString::fromUtf8(s.argv.join(' '))), qPrintable(s.node), qPrintable(s.why));
    if (plan.steps.isEmpty())
        std::printf("  none: the servers are as they should be\n");
    std::fflush(stdout);
    if (dryRun) {
        std::printf("\nDry run: nothing was changed.\n");
        return ExitOk;
    }
    if (!parser.isSet(QStringLiteral("yes"))) {
        std::printf("\nType the master to keep (%s) to go on: ", qPrintable(plan.keep));
        std::fflush(stdout);
        QTextStream in(stdin);
        if (in.readLine().trimmed() != plan.keep) {
            std::fprintf(stderr, "vigil: not confirmed; nothing was changed\n");
            return ExitFailure;
        }
    }
    RecoveryRunner runner(action, plan, [&monitor](const QString &address) { return monitor.connectionOptions(address); });
    runner.setEventSink([&monitor](const Event &e) { monitor.raise(e); });
    bool ok = false;
    QString summary;
    QObject::connect(&runner, &RecoveryRunner::stepDone, &runner, [](const QString &line) {
        std::printf("  done: %s\n", qPrintable(line));
        std::fflush(stdout);
    });
    QObject::connect(&runner, &RecoveryRunner::finished, &runner, [&](bool good, const QString &text) {
        ok = good;
        summary = text;
        QCoreApplication::quit();
    });
    runner.run();
    QCoreApplication::exec();
    monitor.stop();
    journal.close();
    if (!ok) {
        std::fprintf(stderr, "vigil: recovery incomplete: %s\n", qPrintable(summary));
        return ExitFailure;
    }
    std::printf("\nRecovered: %s\n", qPrintable(summary));
    return ExitOk;
}

} // namespace vigil
