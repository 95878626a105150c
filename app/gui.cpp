// `vigil` and `vigil --demo`: the GUI over a monitor, a journal and (for the demo) a local topology.
#include "commandline.h"
#include "mainwindow.h"
#include "signalwatcher.h"

#include "heartbeat/heartbeatservice.h"
#include "incidents/incidentmodel.h"
#include "journal/eventmodel.h"
#include "journal/incidentstore.h"
#include "journal/journal.h"
#include "journalwindow.h"
#include "language.h"
#include "theme.h"
#include "monitor/monitor.h"
#include "profiles/profile.h"
#include "sandbox/demobeats.h"
#include "sandbox/demoservice.h"
#include "sandbox/localtopology.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QMessageBox>
#include <QRegularExpression>
#include <QStandardPaths>

#include <cstdio>
#include <memory>

namespace vigil {

namespace {

// Whether there is a display to open a window on; says so, with what to do instead, when not.
bool haveDisplay(const char *instead)
{
    if (!qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        return true;
    std::fprintf(stderr, "vigil: no display to open the window on (DISPLAY is not set); %s\n", instead);
    return false;
}

// The demo's journal lives in its throwaway directory: say where it was, and (when a person closed
// the window, not a signal) offer to keep a copy before the directory goes.
void offerDemoJournal(const QString &path, bool ask)
{
    QString kept;
    if (ask) {
        QMessageBox box(QMessageBox::Question, QStringLiteral("Vigil"),
                        QObject::tr("The demo's journal is about to be deleted with the demo topology:\n%1").arg(path),
                        QMessageBox::Save | QMessageBox::Discard);
        box.setObjectName(QStringLiteral("demoJournalBox"));
        box.setInformativeText(QObject::tr("Keep a copy to export or read later (vigil export --journal FILE)?"));
        box.setDefaultButton(QMessageBox::Discard);
        if (box.exec() == QMessageBox::Save) {
            const QString suggested =
                QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                    .filePath(QStringLiteral("vigil-demo-%1.sqlite").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
            const QString target =
                QFileDialog::getSaveFileName(nullptr, QObject::tr("Keep the demo's journal"), suggested, QObject::tr("Vigil journals (*.sqlite)"));
            if (!target.isEmpty()) {
                QFile::remove(target);
                if (QFile::copy(path, target))
                    kept = target;
                else
                    QMessageBox::warning(nullptr, QStringLiteral("Vigil"), QObject::tr("Could not write %1").arg(target));
            }
        }
    }
    if (kept.isEmpty())
        std::fprintf(stderr, "vigil: the demo's journal was %s; it is deleted with the demo topology\n", qPrintable(path));
    else
        std::fprintf(stderr, "vigil: the demo's journal was %s; kept as %s\n", qPrintable(path), qPrintable(kept));
}

void addLanguageOption(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("lang"), QStringLiteral("The GUI's language."), QStringLiteral("LANGUAGE")});
}

// The GUI's language: --lang, else the system locale's (English when Vigil has no translation for it).
void useLanguage(const QCommandLineParser &parser)
{
    const QString wanted = parser.value(QStringLiteral("lang"));
    if (installTranslations(wanted).isEmpty())
        throw UsageError{QStringLiteral("--lang %1: the GUI speaks %2").arg(wanted, availableLanguages().join(QStringLiteral(", ")))};
}

} // namespace

int runGui(int &argc, char **argv, const QStringList &args)
{
    QCommandLineParser parser;
    addTargetOptions(parser);
    addJournalOption(parser);
    addIncidentOptions(parser);
    parser.addOption({QStringLiteral("demo"), QStringLiteral("Run on a throwaway local topology.")});
    addLanguageOption(parser);
    parseOrThrow(parser, args, QString());
    const bool demo = parser.isSet(QStringLiteral("demo"));
    // With no target named, the profile used last (or the targets saved before profiles, moved into
    // the profile "Default"); with none at all, the window starts empty on "Default".
    QString profile = parser.value(QStringLiteral("profile"));
    QString profileTrouble; // why the profile used last was not opened, said in the window
    if (!demo && profile.isEmpty() && !parser.isSet(QStringLiteral("connect")) && !parser.isSet(QStringLiteral("sentinel"))) {
        const ProfileStore store;
        QString last = store.lastUsed();
        if (last.isEmpty())
            last = migrateSavedTargets(store);
        if (last.isEmpty() && store.contains(QStringLiteral("Default")))
            last = QStringLiteral("Default");
        if (last.isEmpty()) {
            profile = QStringLiteral("Default"); // made by the first edit
        } else {
            // A profile that cannot be used (a broken file, a TLS file gone) does not stop the
            // window: it opens without one, says why, and saves nothing over the profile.
            try {
                parseOrThrow(parser, args + QStringList{QStringLiteral("--profile"), last}, QString());
                if (!parser.isSet(QStringLiteral("askpass"))) // asked once, below
                    (void)readTargets(parser);
                (void)readHeartbeatOptions(parser);
                profile = last;
            } catch (const UsageError &e) {
                QString why = e.message;
                why.remove(QRegularExpression(QStringLiteral("^--profile: ")));
                profileTrouble = QStringLiteral("The profile %1, used last, was not opened: %2").arg(last, why);
                std::fprintf(stderr, "vigil: %s\n", qPrintable(profileTrouble));
                parseOrThrow(parser, args, QString());
            }
        }
    }
    const IncidentOptions incidentOptions = readIncidentOptions(parser, QStringLiteral("vigil"));
    Targets targets = readTargets(parser);
    if (demo && !targets.isEmpty())
        throw UsageError{QStringLiteral("--demo starts its own servers: do not combine it with --connect or --sentinel")};

    if (!haveDisplay("run it in a desktop session, or use `vigil record` for headless monitoring"))
        return ExitFailure;
    QApplication app(argc, argv);
    useLanguage(parser);
    if (const Theme theme = savedTheme(); theme != Theme::System)
        applyTheme(theme);
    readKeyringPasswords(&targets);
    if (!profile.isEmpty())
        ProfileStore::setLastUsed(profile);
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
            return fail(QObject::tr("cannot start the demo topology: %1").arg(error));
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
        std::fprintf(stderr, "vigil: demo topology in %s (master, 2 replicas, 3 sentinels)\n", qPrintable(topology->directory()));
    }

    Journal journal;
    journal.setIncidentOptions(incidentOptions);
    QString error;
    if (!journal.open(journalPath, &error))
        return fail(error);

    EventModel events;
    JournalQuery recent;
    recent.limit = 5000;
    events.reset(journal.query(recent));
    QObject::connect(&journal, &Journal::committed, &events, &EventModel::append);

    // The incidents of the last 30 days as stored, then as the journal's writer stores them.
    IncidentModel incidents;
    {
        JournalQuery recentIncidents;
        recentIncidents.since = QDateTime::currentDateTimeUtc().addDays(-30);
        QList<Incident> stored;
        QString note;
        if (loadIncidents(journal.path(), recentIncidents, nullptr, &stored, &note, &error))
            incidents.reset(stored);
    }
    QObject::connect(&journal, &Journal::incidentsChanged, &incidents, &IncidentModel::apply);

    Monitor monitor(&journal);
    monitor.setHeartbeatOptions(readHeartbeatOptions(parser));
    targets.applyTo(monitor);

    SignalWatcher watcher;
    bool signalled = false;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, &app, [&signalled] {
        signalled = true;
        QApplication::quit();
    });

    MainWindow window(&monitor, &journal, &events, &incidents,
                      {.demo = demo, .profile = demo ? QString() : profile, .rememberPasswords = targets.rememberPasswords});
    window.show();
    if (!profileTrouble.isEmpty())
        QMessageBox::warning(&window, QStringLiteral("Vigil"), profileTrouble);
    window.reportUnfinishedActions();
    monitor.start();
    std::unique_ptr<DemoBeats> beats;
    std::unique_ptr<DemoService> service;
    if (demo) {
        beats = std::make_unique<DemoBeats>(topology->connectionOptions(0), targets.sentinels, QStringLiteral("demo"));
        beats->start();
        service = std::make_unique<DemoService>(QCoreApplication::applicationDirPath() + QStringLiteral("/vigil-beat"), targets.sentinels,
                                                QStringLiteral("demo"), DemoService::Timing{});
        QObject::connect(service.get(), &DemoService::message, &app,
                         [](const QString &text) { std::fprintf(stderr, "vigil: demo: %s\n", qPrintable(text)); });
        QObject::connect(monitor.heartbeats(), &HeartbeatService::updated, service.get(),
                         [&service](const HeartbeatUpdate &u) { service->observe(u.services); });
        service->start();
    }
    const int code = QApplication::exec();
    if (service)
        service->stop();
    if (beats)
        beats->stop();
    monitor.stop();
    journal.close();
    if (demo)
        offerDemoJournal(journalPath, !signalled);
    return code == 0 ? ExitOk : ExitFailure;
}

int runOpen(int &argc, char **argv, const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show help.")});
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("A journal."));
    addLanguageOption(parser);
    if (!parser.parse(args)) // args[0] is "open", in the place of a program name
        throw UsageError{QStringLiteral("open: %1").arg(parser.errorText())};
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(fullHelpText().toLocal8Bit().constData(), stdout);
        return ExitOk;
    }
    if (parser.positionalArguments().size() != 1)
        throw UsageError{QStringLiteral("open: name one journal file")};
    const QString path = parser.positionalArguments().first();
    if (!haveDisplay("`vigil incidents` and `vigil report` read a journal without one"))
        return ExitFailure;
    QApplication app(argc, argv);
    useLanguage(parser);
    if (const Theme theme = savedTheme(); theme != Theme::System)
        applyTheme(theme);
    JournalWindow window;
    QString error;
    if (!window.load(path, &error)) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(error));
        return ExitFailure;
    }
    window.show();
    return QApplication::exec() == 0 ? ExitOk : ExitFailure;
}

} // namespace vigil
