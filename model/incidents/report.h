// Incident reports: what a person pastes into a postmortem (Markdown), the same as one
// self-contained page (HTML, its timeline drawn inline), and the incident with its events (JSON).
#pragma once

#include "grouping.h"
#include "journal/incidentstore.h"

#include <QByteArray>
#include <QJsonObject>
#include "common/format.h"

namespace vigil {

enum class ReportFormat { Markdown, Html, Json };

// "md", "html", "json"; false for anything else.
bool parseReportFormat(const QString &name, ReportFormat *format);

struct ReportOptions
{
    bool localTime = false;      // times in the local zone (its offset written) instead of UTC ("Z")
    QList<IncidentChart> charts; // drawn under the timeline of the HTML page
};

// The incident as `vigil incidents --json` lists it: {id, scope, state, opened, resolved,
// severity, title, root, members}.
QJsonObject incidentToJson(const Incident &incident);

// The report of `incident`; `events` are its members' events (others are ignored), with their data.
QByteArray incidentReport(const Incident &incident, const QList<Event> &events, ReportFormat format, const ReportOptions &options = {});

} // namespace vigil
