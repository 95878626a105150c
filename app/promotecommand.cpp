// `vigil promote`: the promotion engine on the command line. Discovers the topology, plans, asks
// the servers what the plan cannot judge alone, prints checks and plan, asks for the candidate's
// address as confirmation, then runs and reports each step.
#include "commandline.h"

#include "actions/actionsession.h"
#include "journal/journal.h"
#include "monitor/monitor.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

namespace vigil {

namespace {

void printPlan(const PromotionPlan &plan)
{
    std::printf("Promote %s (master %s) by %s:\n  %s\n", qPrintable(plan.candidate), qPrintable(plan.master),
                qPrintable(promotionPathName(plan.path)), qPrintable(plan.summary));
    std::printf("Expected data loss: %s\n",
                plan.expectedLossBytes == 0 ? "none"
                    : plan.expectedLossBytes < 0
                    ? "unknown"
                    : qPrintable(QStringLiteral("up to %1 (the candidate's last known gap)").arg(humanBytes(plan.expectedLossBytes))));
    std::printf("\nChecks:\n");
    for (const PreflightCheck &c : plan.checks)
        std::printf("  %-8s %-40s %s\n", qPrintable(checkResultName(c.result).toUpper()), qPrintable(c.name), qPrintable(c.detail));
    std::printf("\nPlan:\n");
    for (int i = 0; i < plan.steps.size(); ++i) {
        const PlanStep &s = plan.steps.at(i);
        std::printf("  %2d. %-22s %s  (timeout %d ms)%s\n      %s\n", i + 1, qPrintable(s.node), qPrintable(s.command), s.timeoutMs,
                    s.pointOfNoReturn ? "  <- point of no return" : "", qPrintable(s.purpose));
    }
    std::fflush(stdout);
}

} // namespace

int runPromote(const QStringList &args)
{
    QCommandLineParser parser;
    addProfileOption(parser);
    addConnectionOptions(parser);
    addDiscoveryOptions(parser);
    addJournalOption(parser);
    parser.addOption({QStringLiteral("candidate"), QStringLiteral("The replica to promote."), QStringLiteral("HOST:PORT")});
    parser.addOption({QStringLiteral("force"), QStringLiteral("The master is down: promote without it.")});
    parser.addOption({QStringLiteral("reason"), QStringLiteral("Why, for the journal."), QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("dry-run"), QStringLiteral("Print checks and plan; change nothing.")});
    parser.addOption({QStringLiteral("yes"), QStringLiteral("Do not ask for the typed confirmation.")});
    parser.addOption({QStringLiteral("accept-warnings"), QStringLiteral("Proceed despite checks that warned.")});
    parser.addOption({QStringLiteral("max-lag-bytes"), QStringLiteral("Largest byte gap allowed."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("max-lag-seconds"), QStringLiteral("Longest time since the last ACK."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("pause-timeout-ms"), QStringLiteral("Longest write pause."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("path"), QStringLiteral("How a plain switchover runs: auto, by-hand or failover."), QStringLiteral("METHOD")});
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show help.")});
    parseOrThrow(parser, args, QStringLiteral("promote"));
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(fullHelpText().toLocal8Bit().constData(), stdout);
        return ExitOk;
    }
    const Targets targets = requireTargets(parser, QStringLiteral("promote"));
    PromotionRequest request;
    request.candidate = parser.value(QStringLiteral("candidate"));
    if (request.candidate.isEmpty() || !request.candidate.contains(QLatin1Char(':')))
        throw UsageError{QStringLiteral("promote: give the replica to promote with --candidate HOST:PORT")};
    request.force = parser.isSet(QStringLiteral("force"));
    request.reason = parser.value(QStringLiteral("reason"));
    if (parser.isSet(QStringLiteral("path")) && !parseSwitchoverMethod(parser.value(QStringLiteral("path")), &request.method))
        throw UsageError{QStringLiteral("promote: --path is auto, by-hand or failover")};
    auto number = [&parser](const char *name, qint64 min, qint64 max, qint64 fallback) {
        const QString option = QLatin1String(name);
        if (!parser.isSet(option))
            return fallback;
        bool ok = false;
        const qint64 v = parser.value(option).toLongLong(&ok);
        if (!ok || v < min || v > max)
            throw UsageError{QStringLiteral("promote: --%1 needs a number from %2 to %3").arg(option).arg(min).arg(max)};
        return v;
    };
    request.maxLagBytes = number("max-lag-bytes", 0, qint64(1) << 40, request.maxLagBytes);
    request.maxLagSeconds = int(number("max-lag-seconds", 0, 3600, request.maxLagSeconds));
    request.pauseTimeoutMs = int(number("pause-timeout-ms", 100, 60'000, request.pauseTimeoutMs));

    Journal journal;
    QString error;
    const bool dryRun = parser.isSet(QStringLiteral("dry-run"));
    if (!dryRun && !journal.open(journalPathFrom(parser), &error)) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(error));
        return ExitFailure;
    }
    Monitor monitor(dryRun ? nullptr : &journal);
    discoverTopology(monitor, targets);
    PromotionSession session(&monitor, request);
    PromotionEngine &engine = *session.engine();
    PromotionPlan plan;
    QObject::connect(&engine, &PromotionEngine::prepared, &engine, [&plan](const PromotionPlan &p) {
        plan = p;
        QCoreApplication::quit();
    });
    engine.prepare();
    QCoreApplication::exec();
    printPlan(plan);
    if (plan.blocked()) {
        std::fprintf(stderr, "vigil: promotion refused: a check failed\n");
        return ExitRefused;
    }
    const bool accept = parser.isSet(QStringLiteral("accept-warnings"));
    if (plan.needsOverride() && !accept) {
        std::fprintf(stderr, "vigil: promotion refused: checks warned; review them and add --accept-warnings to proceed\n");
        return ExitRefused;
    }
    if (dryRun) {
        std::printf("\nDry run: nothing was changed.\n");
        return ExitOk;
    }
    if (!parser.isSet(QStringLiteral("yes"))) {
        std::printf("\nType the candidate's address (%s) to promote it: ", qPrintable(plan.candidate));
        std::fflush(stdout);
        QTextStream in(stdin);
        const QString typed = in.readLine().trimmed();
        if (typed != plan.candidate && typed != request.candidate) {
            std::fprintf(stderr, "vigil: not confirmed; nothing was changed\n");
            return ExitFailure;
        }
    }

    PromotionResult result;
    QObject::connect(&engine, &PromotionEngine::stepStarted, &engine, [&plan](int index) {
        const PlanStep &s = plan.steps.at(index);
        std::printf("[%d/%d] %s on %s ... ", index + 1, int(plan.steps.size()), qPrintable(s.command), qPrintable(s.node));
        std::fflush(stdout);
    });
    QObject::connect(&engine, &PromotionEngine::stepFinished, &engine, [](const StepReport &r) {
        std::printf("%s (%lld ms) %s\n", r.ok ? "ok" : "FAILED", static_cast<long long>(r.elapsedMs), qPrintable(r.detail));
        std::fflush(stdout);
    });
    QObject::connect(&engine, &PromotionEngine::finished, &engine, [&result](const PromotionResult &r) {
        result = r;
        QCoreApplication::quit();
    });
    engine.execute(accept);
    if (engine.isRunning())
        QCoreApplication::exec();
    monitor.stop();
    journal.close();
    switch (result.outcome) {
    case PromotionResult::Outcome::Succeeded:
        std::printf("\n%s\n", qPrintable(result.message));
        for (const QString &v : result.verification)
            std::printf("  verified: %s\n", qPrintable(v));
        if (result.bytesCaughtUp >= 0)
            std::printf("  the candidate caught up %lld bytes while writes were paused\n", static_cast<long long>(result.bytesCaughtUp));
        return ExitOk;
    case PromotionResult::Outcome::Refused: std::fprintf(stderr, "vigil: promotion refused: %s\n", qPrintable(result.message)); return ExitRefused;
    case PromotionResult::Outcome::Failed:
    case PromotionResult::Outcome::Aborted: break;
    }
    std::fprintf(stderr, "vigil: promotion failed: %s\nvigil: rollback: %s\n", qPrintable(result.message), qPrintable(result.rollback));
    return ExitFailure;
}

} // namespace vigil
