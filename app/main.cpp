// Entry point: dispatches to the GUI or to a subcommand.
#include "commandline.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>
#include <cstdio>

#include <sys/resource.h>

using namespace vigil;

namespace {

void setIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("vigil"));
    QCoreApplication::setApplicationName(QStringLiteral("vigil"));
    QCoreApplication::setApplicationVersion(QStringLiteral(VIGIL_VERSION));
}

// A fleet takes a socket or two per server: a desktop session's soft limit on open files (often
// 1,024) is raised to what the hard limit allows, as far as 65,536.
void raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    const rlim_t wanted = limit.rlim_max == RLIM_INFINITY ? 65'536 : std::min<rlim_t>(limit.rlim_max, 65'536);
    if (limit.rlim_cur < wanted) {
        limit.rlim_cur = wanted;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

// The subcommands that run without a window.
using Subcommand = int (*)(const QStringList &);
const std::pair<const char *, Subcommand> kSubcommands[] = {
    {"record", runRecord},     {"export", runExport},       {"status", runStatus}, {"promote", runPromote},
    {"snapshot", runSnapshot}, {"incidents", runIncidents}, {"report", runReport}, {"recover", runRecover},
};

Subcommand subcommand(const QString &word)
{
    for (const auto &[name, run] : kSubcommands)
        if (word == QLatin1String(name))
            return run;
    return nullptr;
}

int runCommand(const QString &command, int &argc, char **argv, QStringList args)
{
    if (command == QLatin1String("open"))
        return runOpen(argc, argv, args.mid(1));
    if (const Subcommand run = subcommand(command)) {
        QCoreApplication app(argc, argv);
        args.removeAt(1);
        return run(args);
    }
    return runGui(argc, argv, args);
}

} // namespace

int main(int argc, char **argv)
{
    setIdentity();
    raiseFileLimit();
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);

    const QString first = args.size() > 1 ? args.at(1) : QString();
    if (first == QLatin1String("--help") || first == QLatin1String("-h") || first == QLatin1String("help")) {
        std::fputs(fullHelpText().toLocal8Bit().constData(), stdout);
        return ExitOk;
    }
    if (first == QLatin1String("--version") || first == QLatin1String("-v")) {
        std::printf("vigil %s\n", VIGIL_VERSION);
        return ExitOk;
    }
    if (!first.isEmpty() && !first.startsWith(QLatin1Char('-')) && !subcommand(first) && first != QLatin1String("open")) {
        std::fprintf(stderr, "vigil: unknown command '%s' (see vigil --help)\n", qPrintable(first));
        return ExitUsage;
    }
    try {
        return runCommand(first, argc, argv, args);
    } catch (const UsageError &e) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(e.message));
        return ExitUsage;
    }
}
