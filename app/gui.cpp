// `vigil` and `vigil --demo`: the GUI over a monitor, a journal and (for the demo) a local topology.
#include "commandline.h"
#include "mainwindow.h"
#include "signalwatcher.h"

#include "journal/eventmodel.h"
#include "journal/journal.h"
#include "monitor/monitor.h"
#include "sandbox/demobeats.h"
#include "sandbox/localtopology.h"

#include <QApplication>
#include <QMessageBox>

#include <cstdio>
#include <memory>

namespace vigil {

int runGui(int &argc, char **argv, const QStringList &args)
{
    QCommandLineParser parser;
    addTargetOptions(parser);
    addJournalOption(parser);
    parser.addOption({QStringLiteral("demo"), QStringLiteral("Run on a throwaway local topology.")});
    parseOrThrow(parser, args, QString());
    const bool demo = parser.isSet(QStringLiteral("demo"));
    Targets targets = readTargets(parser);
    if (demo && !targets.isEmpty())
        throw UsageError{QStringLiteral("--demo starts its own servers: do not combine it with --connect or --sentinel")};

    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        std::fprintf(stderr, "vigil: no display to open the window on (DISPLAY is not set); run it in a desktop "
                             "session, or use `vigil record` for headless monitoring\n");
        return ExitFailure;
    }
    QApplication app(argc, argv);
    auto fail = [](const QString &message) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(message));
        QMessageBox::critical(nullptr, QStringLiteral("Vigil"), message);
        return int(ExitFailure);
    };

    // Declared first so that it is destroyed last: its servers outlive the connections to them.
    std::unique_ptr<LocalTopology> topology;
    QString journalPath = journalPathFrom(parser);
    if (demo) {
        topology = std::make_unique<LocalTopology>();
        QString error;
        if (!topology->buildDemo(&error))
            return fail(QStringLiteral("cannot start the demo topology: %1").arg(error));
        // The master and one sentinel; discovery finds the replicas and the other sentinels.
        targets.servers << topology->connectionOptions(0);
        for (int i = 0; i < topology->count(); ++i)
            if (topology->node(i).kind == LocalTopology::Kind::Sentinel) {
                targets.sentinels << topology->connectionOptions(i);
                break;
            }
        targets.masters << QStringLiteral("demo");
        if (!parser.isSet(QStringLiteral("journal")))
            journalPath = topology->directory() + QStringLiteral("/journal.sqlite");
        std::fprintf(stderr, "vigil: demo topology in %s (master, 2 replicas, 3 sentinels)\n",
                     qPrintable(topology->directory()));
    } else if (targets.isEmpty()) {
        targets.servers = loadSavedTargets();
    }

    Journal journal;
    QString error;
    if (!journal.open(journalPath, &error))
        return fail(error);

    EventModel events;
    JournalQuery recent;
    recent.limit = 5000;
    events.reset(journal.query(recent));
    QObject::connect(&journal, &Journal::committed, &events, &EventModel::append);

    Monitor monitor(&journal);
    monitor.setHeartbeatOptions(readHeartbeatOptions(parser));
    targets.applyTo(monitor);

    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, &app, &QApplication::quit);

    MainWindow window(&monitor, &journal, &events, {.demo = demo, .persistTargets = !demo});
    window.show();
    monitor.start();
    std::unique_ptr<DemoBeats> beats;
    if (demo) {
        beats = std::make_unique<DemoBeats>(topology->connectionOptions(0), targets.sentinels, QStringLiteral("demo"));
        beats->start();
    }
    const int code = QApplication::exec();
    if (beats)
        beats->stop();
    monitor.stop();
    journal.close();
    return code == 0 ? ExitOk : ExitFailure;
}

} // namespace vigil
