// `vigil incidents` and `vigil report`: the journal's incidents, listed or written up.
#include "commandline.h"
#include "console.h"

#include "incidents/report.h"
#include "journal/exporter.h"
#include "journal/incidentstore.h"
#include "journal/journal.h"
#include "monitor/targets.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

namespace vigil {

namespace {

// The incidents in `window`: as stored, or grouped afresh when asked (--recompute, or other
// incident options) or when the journal stores none (said on stderr). False, said on stderr,
// when the journal cannot be read.
bool incidentsFrom(const QCommandLineParser &parser, const QString &command, const JournalQuery &window, QList<Incident> *incidents)
{
    const bool recompute = (parser.optionNames().contains(QStringLiteral("recompute")) && parser.isSet(QStringLiteral("recompute")))
        || parser.isSet(QStringLiteral("incident-gap")) || parser.isSet(QStringLiteral("incident-quiet"));
    const IncidentOptions options = readIncidentOptions(parser, command);
    const QString path = journalPathFrom(parser);
    QString note;
    QString error;
    if (!loadIncidents(path, window, recompute ? &options : nullptr, incidents, &note, &error)) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(escapeControl(error)));
        return false;
    }
    if (!note.isEmpty())
        std::fprintf(stderr, "vigil: %s: %s\n", qPrintable(escapeControl(path)), qPrintable(note));
    return true;
}

bool helpAsked(const QCommandLineParser &parser)
{
    if (!parser.isSet(QStringLiteral("help")))
        return false;
    std::fputs(fullHelpText().toLocal8Bit().constData(), stdout);
    return true;
}

} // namespace

int runIncidents(const QStringList &args)
{
    QCommandLineParser parser;
    addJournalOption(parser);
    addTimeWindowOptions(parser);
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    parser.addOption({QStringLiteral("recompute"), QStringLiteral("Group the journal's events afresh.")});
    addIncidentOptions(parser);
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show help.")});
    parseOrThrow(parser, args, QStringLiteral("incidents"));
    if (helpAsked(parser))
        return ExitOk;
    JournalQuery query;
    readTimeWindow(parser, QStringLiteral("incidents"), &query);
    QList<Incident> incidents;
    if (!incidentsFrom(parser, QStringLiteral("incidents"), query, &incidents))
        return ExitFailure;

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const Incident &i : std::as_const(incidents))
            array.append(incidentToJson(i));
        std::fputs(QJsonDocument(array).toJson(QJsonDocument::Indented).constData(), stdout);
        return ExitOk;
    }
    for (const Incident &i : std::as_const(incidents)) {
        const qint64 end = i.isOpen() ? i.lastMs : i.resolvedMs;
        std::printf("%s\n",
                    escapeControl(QStringLiteral("#%1 %2 %3 %4 %5 s %6  %7")
                                      .arg(i.id)
                                      .arg(i.isOpen() ? QStringLiteral("OPEN    ") : QStringLiteral("resolved"),
                                           formatTime(QDateTime::fromMSecsSinceEpoch(i.openedMs, Qt::UTC)), severityName(i.severity).leftJustified(8))
                                      .arg(double(end - i.openedMs) / 1000.0, 0, 'f', 1)
                                      .arg(i.scope, i.title))
                        .toUtf8()
                        .constData());
    }
    if (incidents.isEmpty())
        std::printf("no incidents\n");
    return ExitOk;
}

int runReport(const QStringList &args)
{
    QCommandLineParser parser;
    addJournalOption(parser);
    addIncidentOptions(parser);
    parser.addOption({QStringLiteral("format"), QStringLiteral("md, html or json."), QStringLiteral("FORMAT"), QStringLiteral("md")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Write to FILE."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("local"), QStringLiteral("Times in the local zone instead of UTC.")});
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show help.")});
    parser.addPositionalArgument(QStringLiteral("incident"), QStringLiteral("An incident's id, or last."));
    if (!parser.parse(args))
        throw UsageError{QStringLiteral("report: %1").arg(parser.errorText())};
    if (helpAsked(parser))
        return ExitOk;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        throw UsageError{QStringLiteral("report: name one incident: its id (see vigil incidents) or last")};
    ReportFormat format;
    if (!parseReportFormat(parser.value(QStringLiteral("format")), &format))
        throw UsageError{QStringLiteral("report: --format is md, html or json")};
    const QString which = positional.first();
    bool numeric = false;
    const qint64 wanted = which.toLongLong(&numeric);
    if (which != QLatin1String("last") && (!numeric || wanted <= 0))
        throw UsageError{QStringLiteral("report: \"%1\" is neither an incident id nor last").arg(which)};

    const QString path = journalPathFrom(parser);
    QList<Incident> incidents;
    QList<Event> events;
    QString error;
    if (!incidentsFrom(parser, QStringLiteral("report"), {}, &incidents))
        return ExitFailure;
    const auto found = which == QLatin1String("last")
        ? (incidents.isEmpty() ? incidents.cend() : std::prev(incidents.cend()))
        : std::find_if(incidents.cbegin(), incidents.cend(), [wanted](const Incident &i) { return i.id == wanted; });
    if (found == incidents.cend()) {
        std::fprintf(stderr, "vigil: %s\n",
                     qPrintable(incidents.isEmpty()
                                    ? QStringLiteral("%1 holds no incident").arg(escapeControl(path))
                                    : QStringLiteral("no incident %1 in %2 (vigil incidents lists them)").arg(which, escapeControl(path))));
        return ExitFailure;
    }
    const Incident &incident = *found;
    if (!readIncidentEvents(path, incident, &events, &error)) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(error));
        return ExitFailure;
    }
    ReportOptions options;
    options.localTime = parser.isSet(QStringLiteral("local"));
    if (format == ReportFormat::Html)
        options.charts = readIncidentCharts(path, incident);
    const QByteArray report = incidentReport(incident, events, format, options);
    if (!parser.isSet(QStringLiteral("output"))) {
        std::fwrite(report.constData(), 1, size_t(report.size()), stdout);
        return std::fflush(stdout) == 0 ? ExitOk : ExitFailure;
    }
    ExportFile out(parser.value(QStringLiteral("output")));
    if (!out.open(&error) || out.device()->write(report) != report.size() || !out.commit(&error)) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(error.isEmpty() ? out.device()->errorString() : error));
        return ExitFailure;
    }
    return ExitOk;
}

} // namespace vigil
