// `vigil record`: the headless monitor.
#include "commandline.h"
#include "signalwatcher.h"

#include "journal/journal.h"
#include "monitor/monitor.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

namespace vigil {

int runRecord(const QStringList &args)
{
    QCommandLineParser parser;
    addTargetOptions(parser);
    addJournalOption(parser);
    parser.addOption({QStringLiteral("duration"), QStringLiteral("Stop after this many seconds."), QStringLiteral("SECONDS")});
    parser.addOption({QStringLiteral("quiet"), QStringLiteral("Do not print events as they happen.")});
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show help.")});
    parseOrThrow(parser, args, QStringLiteral("record"));
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(fullHelpText().toLocal8Bit().constData(), stdout);
        return ExitOk;
    }

    double duration = 0;
    if (parser.isSet(QStringLiteral("duration"))) {
        bool ok = false;
        duration = parser.value(QStringLiteral("duration")).toDouble(&ok);
        if (!ok || duration <= 0)
            throw UsageError{QStringLiteral("record: --duration needs a positive number of seconds")};
    }
    const Targets targets = requireTargets(parser, QStringLiteral("record"));

    Journal journal;
    QString error;
    const QString path = journalPathFrom(parser);
    if (!journal.open(path, &error)) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(error));
        return ExitFailure;
    }
    bool writeFailed = false;
    QObject::connect(&journal, &Journal::writeFailed, &journal, [&writeFailed](const QString &message) {
        writeFailed = true;
        std::fprintf(stderr, "vigil: %s\n", qPrintable(message));
    });

    Monitor monitor(&journal);
    if (!parser.isSet(QStringLiteral("quiet"))) {
        QObject::connect(&monitor, &Monitor::eventRaised, &monitor, [](const Event &e) {
            std::fprintf(stdout, "%s %-8s %-20s %s %s\n", qPrintable(formatTime(e.time)),
                         qPrintable(severityName(e.severity)), qPrintable(e.kind), qPrintable(e.source),
                         qPrintable(e.message));
            std::fflush(stdout);
        });
    }
    monitor.setHeartbeatOptions(readHeartbeatOptions(parser));
    targets.applyTo(monitor);

    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, qApp, &QCoreApplication::quit);
    if (duration > 0)
        QTimer::singleShot(int(duration * 1000), qApp, &QCoreApplication::quit);

    QElapsedTimer elapsed;
    elapsed.start();
    monitor.start();
    QCoreApplication::exec();

    const int connected = monitor.connectedCount();
    monitor.stop();
    journal.close();
    const Monitor::HeartbeatTotals beats = monitor.heartbeatTotals();
    std::fprintf(stdout,
                 "vigil record: %lld events in %.1f s, %d of %d targets connected at the end, %lld beats from %d nodes "
                 "(%lld duplicates, %lld malformed); journal %s\n",
                 static_cast<long long>(journal.committedCount()), double(elapsed.elapsed()) / 1000.0, connected,
                 monitor.targetCount(), static_cast<long long>(beats.beats), beats.nodes,
                 static_cast<long long>(beats.duplicates), static_cast<long long>(beats.malformed), qPrintable(journal.path()));
    std::fflush(stdout);
    return writeFailed && journal.committedCount() < journal.appendedCount() ? ExitFailure : ExitOk;
}

} // namespace vigil
