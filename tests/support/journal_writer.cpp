// Test helper: appends events to a journal in bursts every 5 ms and prints, after each burst, how
// many it has appended and when ("appended N MS", Unix milliseconds), and after each commit, the
// highest id known to be committed. The durability test SIGKILLs it mid-stream.
#include "journal/journal.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace vigil;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: journal_writer FILE [EVENTS_PER_5_MS]\n");
        return 2;
    }
    const int burst = argc > 2 ? std::max(1, std::atoi(argv[2])) : 50;
    Journal journal;
    QString error;
    if (!journal.open(QString::fromLocal8Bit(argv[1]), &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    QObject::connect(&journal, &Journal::committed, &app, [](const QList<Event> &events) {
        std::printf("committed %lld\n", static_cast<long long>(events.last().id));
        std::fflush(stdout);
    });
    qint64 n = 0;
    QTimer timer;
    QObject::connect(&timer, &QTimer::timeout, &app, [&] {
        for (int i = 0; i < burst; ++i, ++n)
            journal.append(Event::make(QStringLiteral("test.write"), Severity::Info, QStringLiteral("writer"), QStringLiteral("event %1").arg(n),
                                       {{QStringLiteral("n"), n}}));
        std::printf("appended %lld %lld\n", static_cast<long long>(n), static_cast<long long>(QDateTime::currentMSecsSinceEpoch()));
        std::fflush(stdout);
    });
    timer.start(5);
    return QCoreApplication::exec();
}
