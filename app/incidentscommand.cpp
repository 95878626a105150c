// `vigil incidents`: the journal's events grouped into incidents.
#include "commandline.h"
#include "console.h"

#include "incidents/grouping.h"
#include "journal/journal.h"
#include "monitor/targets.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace vigil {

namespace {

qint64 durationOption(const QCommandLineParser &parser, const QString &option, qint64 fallback)
{
    if (!parser.isSet(option))
        return fallback;
    const qint64 ms = parseDurationMs(parser.value(option));
    if (ms <= 0)
        throw UsageError{QStringLiteral("incidents: --%1 needs a duration such as 30s, 5m or 2h").arg(option)};
    return ms;
}

QJsonValue timeOrNull(qint64 ms)
{
    return ms < 0 ? QJsonValue() : QJsonValue(formatTime(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)));
}

QJsonObject incidentJson(const Incident &incident, const QHash<qint64, Event> &events)
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
    const Event root = events.value(incident.rootId);
    return {{QStringLiteral("id"), incident.id},
            {QStringLiteral("scope"), incident.scope},
            {QStringLiteral("state"), incident.isOpen() ? QStringLiteral("open") : QStringLiteral("resolved")},
            {QStringLiteral("opened"), timeOrNull(incident.openedMs)},
            {QStringLiteral("resolved"), timeOrNull(incident.resolvedMs)},
            {QStringLiteral("severity"), severityName(incident.severity)},
            {QStringLiteral("title"), incident.title},
            {QStringLiteral("root"), root.id > 0 ? QJsonValue(QJsonObject{{QStringLiteral("id"), root.id},
                                                                          {QStringLiteral("kind"), root.kind},
                                                                          {QStringLiteral("source"), root.source}})
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
    parser.addOption({QStringLiteral("incident-gap"), QStringLiteral("Longest gap between an incident's events."), QStringLiteral("DURATION")});
    parser.addOption({QStringLiteral("incident-quiet"), QStringLiteral("Quiet time before resolving."), QStringLiteral("DURATION")});
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show help.")});
    parseOrThrow(parser, args, QStringLiteral("incidents"));
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(fullHelpText().toLocal8Bit().constData(), stdout);
        return ExitOk;
    }
    IncidentOptions options;
    options.gapMs = durationOption(parser, QStringLiteral("incident-gap"), options.gapMs);
    options.quietMs = durationOption(parser, QStringLiteral("incident-quiet"), options.quietMs);
    JournalQuery query;
    readTimeWindow(parser, QStringLiteral("incidents"), &query);

    // Incidents are not stored yet: they are always grouped from the events (--recompute is that).
    QString error;
    const QList<Event> events = readJournal(journalPathFrom(parser), query, &error);
    if (!error.isEmpty()) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(error));
        return ExitFailure;
    }
    QHash<qint64, Event> byId;
    for (const Event &e : events)
        byId.insert(e.id, e);
    // Judged as they stood at the end of the window asked for.
    qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (query.until.isValid())
        nowMs = std::min(nowMs, query.until.toMSecsSinceEpoch());
    const QList<Incident> incidents = groupIncidents(events, options, nowMs);

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const Incident &i : incidents)
            array.append(incidentJson(i, byId));
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
