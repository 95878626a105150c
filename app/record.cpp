// `vigil record`: the headless monitor.
#include "commandline.h"

#include "actions/recovery.h"
#include "console.h"
#include "signalwatcher.h"

#include "journal/journal.h"
#include "monitor/monitor.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QDeadlineTimer>
#include <QTimer>

#include <cmath>
#include <cstdio>
#include <unistd.h>

namespace vigil {

namespace {

// The longest --duration: ten years, far beyond any recording and within every timer's range.
constexpr double kMaxDurationSeconds = 10.0 * 365 * 24 * 3600;

// Quits the event loop when `deadline` expires, however far away it is (a QTimer's interval is an
// int of milliseconds: 24.8 days at most).
void quitAt(QDeadlineTimer deadline)
{
    constexpr qint64 kStepMs = 3'600'000;
    const qint64 left = deadline.remainingTime();
    if (left <= kStepMs) {
        QTimer::singleShot(int(left), qApp, &QCoreApplication::quit);
        return;
    }
    QTimer::singleShot(int(kStepMs), qApp, [deadline] { quitAt(deadline); });
}

QByteArray eventLine(const Event &e)
{
    return QStringLiteral("%1 %2 %3 %4 %5\n")
        .arg(formatTime(e.time), severityName(e.severity).leftJustified(8), escapeControl(e.kind).leftJustified(20), escapeControl(e.source),
             escapeControl(e.message))
        .toUtf8();
}

} // namespace

int runRecord(const QStringList &args)
{
    QCommandLineParser parser;
    addTargetOptions(parser);
    addJournalOption(parser);
    addIncidentOptions(parser);
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
        if (!ok || !std::isfinite(duration) || duration <= 0 || duration > kMaxDurationSeconds)
            throw UsageError{
                QStringLiteral("record: --duration needs a number of seconds above 0 and at most %1 (ten years)").arg(qint64(kMaxDurationSeconds))};
    }
    const Targets targets = requireTargets(parser, QStringLiteral("record"));

    // Printing never holds up monitoring: a reader who stops reading loses lines, not polls, and
    // one who leaves (`| head`) ends the printing, not the recording.
    ignoreSigpipe();
    ConsoleWriter out(STDOUT_FILENO);
    ConsoleWriter err(STDERR_FILENO);
    Journal journal;
    journal.setIncidentOptions(readIncidentOptions(parser, QStringLiteral("record")));
    QString error;
    const QString path = journalPathFrom(parser);
    if (!journal.open(path, &error)) {
        err.write("vigil: " + escapeControl(error).toUtf8() + '\n');
        return ExitFailure;
    }
    bool writeFailed = false;
    QObject::connect(&journal, &Journal::writeFailed, &journal, [&writeFailed, &err](const QString &message) {
        writeFailed = true;
        err.write("vigil: " + escapeControl(message).toUtf8() + '\n');
    });
    QObject::connect(&journal, &Journal::writeRecovered, &journal,
                     [&err](const QString &where) { err.write("vigil: journal " + escapeControl(where).toUtf8() + " writes again\n"); });

    Monitor monitor(&journal);
    // An event is printed once it is committed: whatever was printed survives a SIGKILL.
    if (!parser.isSet(QStringLiteral("quiet"))) {
        QObject::connect(&journal, &Journal::committed, &journal, [&out, &err, noted = false](const QList<Event> &events) mutable {
            if (out.closed() && !std::exchange(noted, true))
                err.write("vigil: the output was closed; recording goes on into the journal\n");
            for (const Event &e : events)
                out.write(eventLine(e));
        });
    }
    monitor.setHeartbeatOptions(readHeartbeatOptions(parser));
    targets.applyTo(monitor);
    for (const Event &e : unfinishedActionEvents(journal.path()))
        monitor.raise(e);

    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, qApp, &QCoreApplication::quit);
    if (duration > 0)
        quitAt(QDeadlineTimer(qint64(duration * 1000)));

    QElapsedTimer elapsed;
    elapsed.start();
    monitor.start();
    QCoreApplication::exec();

    const int connected = monitor.connectedCount();
    monitor.stop();
    journal.close();
    // The last commit's committed() is queued to this thread: print it before the summary.
    QCoreApplication::sendPostedEvents();
    const Monitor::HeartbeatTotals beats = monitor.heartbeatTotals();
    out.write(QStringLiteral("vigil record: %1 events in %2 s, %3 of %4 targets connected at the end, %5 beats from %6 nodes "
                             "(%7 duplicates, %8 malformed); journal %9\n")
                  .arg(journal.committedCount())
                  .arg(double(elapsed.elapsed()) / 1000.0, 0, 'f', 1)
                  .arg(connected)
                  .arg(monitor.targetCount())
                  .arg(beats.beats)
                  .arg(beats.nodes)
                  .arg(beats.duplicates)
                  .arg(beats.malformed)
                  .arg(escapeControl(journal.path()))
                  .toUtf8(),
              true);
    return writeFailed && journal.committedCount() < journal.appendedCount() ? ExitFailure : ExitOk;
}

} // namespace vigil
