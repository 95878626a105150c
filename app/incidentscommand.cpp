// `vigil incidents`: the journal's events grouped into incidents.
#include "commandline.h"
#include "console.h"

#include "incidents/grouping.h"
#include "journal/incidentstore.h"
#include "journal/journal.h"
#include "monitor/targets.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace vigil {

namespace {

QJsonValue timeOrNull(qint64 ms)
{
    return ms < 0 ? QJsonValue() : QJsonValue(formatTime(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)));
}

QJsonObject incidentJson(const Incident &incident)
{
    QJsonArray members;
    for (const IncidentMember &m : incident.members)
        members.append(QJsonObject{{QStringLiteral("id"), m.eventId},
                                   {QStringLiteral("time"), formatTime(QDateTime::fromMSecsSinceEpoch(m.timeMs, Qt::UTC))},
                                   {QStringLiteral("kind"), m.kind},
                                   {QStringLiteral("severity"), severityName(m.severity)},
                                   {QStringLiteral("source"), m.source},
                                   {QStringLiteral("role"), memberRoleName(m.role)},
                                   {QStringLiteral("cause"), m.causeId < 0 ? QJsonValue() : QJsonValue(m.causeId)},
                                   {QStringLiteral("rule"), m.rule.isEmpty() ? QJsonValue() : QJsonValue(m.rule)},
                                   {QStringLiteral("repeats"), m.repeats}});
    const IncidentMember *root = incident.member(incident.rootId);
    return {{QStringLiteral("id"), incident.id},
            {QStringLiteral("scope"), incident.scope},
            {QStringLiteral("state"), incident.isOpen() ? QStringLiteral("open") : QStringLiteral("resolved")},
            {QStringLiteral("opened"), timeOrNull(incident.openedMs)},
            {QStringLiteral("resolved"), timeOrNull(incident.resolvedMs)},
            {QStringLiteral("severity"), severityName(incident.severity)},
            {QStringLiteral("title"), incident.title},
            {QStringLiteral("root"), root ? QJsonValue(QJsonObject{{QStringLiteral("id"), root->eventId},
                                                                   {QStringLiteral("kind"), root->kind},
                                                                   {QStringLiteral("source"), root->source}})
                                          : QJsonValue()},
            {QStringLiteral("members"), members}};
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
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(fullHelpText().toLocal8Bit().constData(), stdout);
        return ExitOk;
    }
    const IncidentOptions options = readIncidentOptions(parser, QStringLiteral("incidents"));
    JournalQuery query;
    readTimeWindow(parser, QStringLiteral("incidents"), &query);

    // The stored incidents, as the recorder grouped them, unless asked to group afresh (with other
    // options too) or the journal stored none.
    const QString path = journalPathFrom(parser);
    const bool recompute = parser.isSet(QStringLiteral("recompute")) || parser.isSet(QStringLiteral("incident-gap"))
                           || parser.isSet(QStringLiteral("incident-quiet"));
    QString error;
    QList<Incident> incidents;
    bool stored = false;
    if (!recompute && !readStoredIncidents(path, query, &incidents, &stored, &error)) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(error));
        return ExitFailure;
    }
    if (!recompute && !stored)
        std::fprintf(stderr, "vigil: %s stores no incidents (recorded by an older Vigil): grouped from its events\n",
                     qPrintable(escapeControl(path)));
    if (recompute || !stored) {
        const QList<Event> events = readJournal(path, query, &error);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "vigil: %s\n", qPrintable(error));
            return ExitFailure;
        }
        // Judged as they stood at the end of the window asked for.
        qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
        if (query.until.isValid())
            nowMs = std::min(nowMs, query.until.toMSecsSinceEpoch());
        incidents = groupIncidents(events, options, nowMs);
    }

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const Incident &i : incidents)
            array.append(incidentJson(i));
        std::fputs(QJsonDocument(array).toJson(QJsonDocument::Indented).constData(), stdout);
        return ExitOk;
    }
    for (const Incident &i : incidents) {
        const qint64 end = i.isOpen() ? i.lastMs : i.resolvedMs;
        std::printf("%s\n", escapeControl(QStringLiteral("#%1 %2 %3 %4 %5 s %6  %7")
                                              .arg(i.id)
                                              .arg(i.isOpen() ? QStringLiteral("OPEN    ") : QStringLiteral("resolved"),
                                                   formatTime(QDateTime::fromMSecsSinceEpoch(i.openedMs, Qt::UTC)),
                                                   severityName(i.severity).leftJustified(8))
                                              .arg(double(end - i.openedMs) / 1000.0, 0, 'f', 1)
                                              .arg(i.scope, i.title))
                                    .toUtf8()
                                    .constData());
    }
    if (incidents.isEmpty())
        std::printf("no incidents\n");
    return ExitOk;
}

} // namespace vigil
