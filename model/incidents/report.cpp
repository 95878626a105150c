// Incident reports in Markdown, HTML (one self-contained page) and JSON.
#include "report.h"

#include "journal/exporter.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

namespace vigil {

namespace {

// A problem of the incident from when it began until its recovery (or still open).
struct Span
{
    QString what;
    qint64 fromMs = 0;
    qint64 untilMs = -1; // -1: no recovery in the incident
};

class Report
{
public:
    Report(const Incident &incident, const QList<Event> &events, const ReportOptions &options)
        : m_incident(incident)
        , m_options(options)
    {
        for (const Event &e : events)
            if (incident.member(e.id))
                m_events.insert(e.id, e);
        computeSpans();
    }

    QByteArray markdown() const;
    QByteArray html() const;
    QByteArray json() const;

private:
    QString time(qint64 ms) const
    {
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
        if (!m_options.localTime)
            return formatTime(t);
        return t.toLocalTime().toString(Qt::ISODateWithMs);
    }
    // From the incident's start ("T-..." for a note dated before it).
    QString offset(qint64 ms) const { return formatOffset(ms - m_incident.openedMs); }
    static QString seconds(qint64 ms) { return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', ms < 10000 ? 3 : 1); }
    qint64 endMs() const { return m_incident.isOpen() ? m_incident.lastMs : m_incident.resolvedMs; }
    Event event(qint64 id) const { return m_events.value(id); }
    QString data(qint64 id, const char *key) const { return event(id).data.value(QLatin1String(key)).toVariant().toString(); }

    void computeSpans();
    QStringList summary() const;
    QStringList impact() const;
    QString rootCause() const;
    QString detection() const;
    QString resolution() const;
    QStringList actions() const;
    QList<const IncidentMember *> notes() const;
    QString noteText(const IncidentMember &m) const;
    QString svgTimeline() const;
    QString svgCharts() const;
    std::pair<qint64, qint64> drawnSpan() const;

    const Incident &m_incident;
    ReportOptions m_options;
    QHash<qint64, Event> m_events;
    QList<Span> m_spans;
};

QString spanText(const QString &key, const Event &e)
{
    const QString kind = key.section(QLatin1Char('|'), 0, 0);
    const QString subject = key.section(QLatin1Char('|'), 1);
    if (kind == QLatin1String("redis"))
        return e.kind != QLatin1String("redis.auth_failed") ? QStringLiteral("%1 unreachable").arg(subject)
            : e.data.value(QLatin1String("reason")).toString() == QLatin1String("denied")
            ? QStringLiteral("%1 refused Vigil's address").arg(subject)
            : QStringLiteral("%1 refused Vigil's credentials").arg(subject);
    if (kind == QLatin1String("link"))
        return QStringLiteral("replica %1: replication link down").arg(subject);
    if (kind == QLatin1String("beat"))
        return QStringLiteral("node %1: heartbeats %2").arg(subject, e.kind.section(QLatin1Char('.'), 1));
    if (kind == QLatin1String("flap"))
        return QStringLiteral("node %1 flapping").arg(subject);
    if (kind == QLatin1String("lag"))
        return QStringLiteral("replica %1 lagging").arg(subject);
    if (kind == QLatin1String("sdown"))
        return QStringLiteral("a sentinel judged %1 down").arg(subject);
    if (kind == QLatin1String("odown"))
        return QStringLiteral("the sentinels agreed %1 is down").arg(subject);
    if (kind == QLatin1String("cluster"))
        return QStringLiteral("cluster state fail");
    if (kind == QLatin1String("cnode"))
        return QStringLiteral("cluster node %1 failed").arg(subject);
    if (kind == QLatin1String("brain"))
        return e.data.value(QLatin1String("accepted_bytes")).toInteger() > 0
            ? QStringLiteral("split brain: %1 took writes beside the promoted master").arg(subject)
            : QStringLiteral("split brain: %1 was a master beside the promoted one").arg(subject);
    if (kind == QLatin1String("cycle"))
        return QStringLiteral("replication cycle through %1").arg(subject);
    return QStringLiteral("%1 %2").arg(e.kind, e.source);
}

void Report::computeSpans()
{
    QHash<QString, qsizetype> open;
    QList<Event> ordered = m_events.values();
    std::sort(ordered.begin(), ordered.end(), eventBefore);
    for (const Event &e : std::as_const(ordered)) {
        for (const QString &key : recoveryKeys(e))
            if (const qsizetype at = open.value(key, -1); at >= 0) {
                m_spans[at].untilMs = e.time.toMSecsSinceEpoch();
                open.remove(key);
            }
        if (const QString key = problemKey(e); !key.isEmpty() && !open.contains(key)) {
            open.insert(key, m_spans.size());
            m_spans << Span{spanText(key, e), e.time.toMSecsSinceEpoch(), -1};
        }
    }
}

QStringList Report::summary() const
{
    int counts[3] = {0, 0, 0};
    for (const IncidentMember &m : m_incident.members)
        counts[int(m.severity)] += m.repeats;
    return {
        QStringLiteral("%1.").arg(m_incident.title),
        QStringLiteral("Scope %1; %2 from %3 %4.")
            .arg(m_incident.scope, m_incident.isOpen() ? QStringLiteral("open") : QStringLiteral("resolved"), time(m_incident.openedMs),
                 m_incident.isOpen() ? QStringLiteral("(last event %1 later)").arg(seconds(m_incident.lastMs - m_incident.openedMs))
                                     : QStringLiteral("to %1 (%2)").arg(time(m_incident.resolvedMs), seconds(endMs() - m_incident.openedMs))),
        QStringLiteral("%1 events: %2 critical, %3 warning, %4 info.")
            .arg(counts[0] + counts[1] + counts[2])
            .arg(counts[2])
            .arg(counts[1])
            .arg(counts[0]),
    };
}

QStringList Report::impact() const
{
    QStringList lines;
    for (const Span &s : m_spans)
        lines << (s.untilMs < 0
                      ? QStringLiteral("%1 from %2 (%3), not recovered within the incident").arg(s.what, time(s.fromMs), offset(s.fromMs))
                      : QStringLiteral("%1 from %2 to %3 (%4)").arg(s.what, time(s.fromMs), time(s.untilMs), seconds(s.untilMs - s.fromMs)));
    for (const IncidentMember &m : m_incident.members) {
        if (m.kind == QLatin1String("sentinel.+switch-master"))
            lines << QStringLiteral("Sentinel switched the master %1 after the first symptom (%2 -> %3)")
                         .arg(seconds(m.timeMs - m_incident.openedMs), data(m.eventId, "old_master"), data(m.eventId, "new_master"));
        if (m.kind == QLatin1String("action.promote.succeeded")) {
            const qint64 pause = event(m.eventId).data.value(QLatin1String("write_pause_ms")).toInteger(-1);
            const qint64 noMaster = event(m.eventId).data.value(QLatin1String("no_writable_master_ms")).toInteger(-1);
            lines << QStringLiteral("promotion of %1: %2; %3")
                         .arg(data(m.eventId, "candidate"),
                              pause >= 0 ? QStringLiteral("writes paused %1 ms").arg(pause) : QStringLiteral("no write pause"),
                              noMaster >= 0 ? QStringLiteral("no writable master for %1 ms").arg(noMaster) : QStringLiteral("no fencing"));
        }
        if (m.kind == QLatin1String("action.promote.requested")) {
            const qint64 loss = event(m.eventId).data.value(QLatin1String("expected_loss_bytes")).toInteger(-1);
            if (loss > 0)
                lines << QStringLiteral("acknowledged writes at risk from the promotion of %1: %2 bytes not yet on the candidate")
                             .arg(data(m.eventId, "candidate"))
                             .arg(loss);
        }
        if (m.kind == QLatin1String("replication.split_brain_ended"))
            lines << QStringLiteral("%1: %2").arg(m.source, event(m.eventId).message);
    }
    if (lines.isEmpty())
        lines << QStringLiteral("no outage, lost link or silent node recorded");
    return lines;
}

QString Report::rootCause() const
{
    const IncidentMember *root = m_incident.member(m_incident.rootId);
    if (!root)
        return QStringLiteral("No probable root cause: every problem in it is explained by another, or it holds none.");
    return QStringLiteral("%1 on %2 at %3 (%4): %5. Rule: %6.")
        .arg(root->kind, root->source, time(root->timeMs), offset(root->timeMs), event(root->eventId).message, root->rule);
}

QString Report::detection() const
{
    // The first event Vigil journalled, not a note written about it (which may be dated earlier).
    const auto seen =
        std::find_if(m_incident.members.cbegin(), m_incident.members.cend(), [](const IncidentMember &m) { return m.role != MemberRole::Note; });
    if (seen == m_incident.members.cend())
        return QStringLiteral("Nothing but notes.");
    const IncidentMember &first = *seen;
    return QStringLiteral("Vigil saw it first at %1: %2 from %3 (%4).")
        .arg(time(first.timeMs), first.kind, first.source, event(first.eventId).message);
}

QString Report::resolution() const
{
    QStringList recoveries;
    for (const IncidentMember &m : m_incident.members)
        if (m.role == MemberRole::Recovery)
            recoveries << QStringLiteral("%1 %2 (%3)").arg(m.kind, m.source, offset(m.timeMs));
    const QString seen =
        recoveries.isEmpty() ? QStringLiteral("No recovery recorded.") : QStringLiteral("Recoveries: %1.").arg(recoveries.join(QStringLiteral(", ")));
    if (m_incident.isOpen())
        return QStringLiteral("Still open. %1").arg(seen);
    return QStringLiteral("Resolved at %1 (%2). %3").arg(time(m_incident.resolvedMs), offset(m_incident.resolvedMs), seen);
}

QStringList Report::actions() const
{
    QStringList lines;
    for (const IncidentMember &m : m_incident.members) {
        if (!m.kind.startsWith(QLatin1String("action.")))
            continue;
        const Event e = event(m.eventId);
        QString line = QStringLiteral("%1 (%2) %3: %4").arg(time(m.timeMs), offset(m.timeMs), m.kind, e.message);
        if (const QString reason = e.data.value(QLatin1String("reason")).toString(); !reason.isEmpty())
            line += QStringLiteral("; reason: %1").arg(reason);
        if (const QString by = e.data.value(QLatin1String("operator")).toString(); !by.isEmpty())
            line += QStringLiteral("; by %1").arg(by);
        lines << line;
    }
    return lines;
}

QList<const IncidentMember *> Report::notes() const
{
    QList<const IncidentMember *> notes;
    for (const IncidentMember &m : m_incident.members)
        if (m.role == MemberRole::Note)
            notes << &m;
    return notes;
}

QString Report::noteText(const IncidentMember &m) const
{
    const Event e = event(m.eventId);
    QString text =
        QStringLiteral("%1 (%2) %3: %4").arg(time(m.timeMs), offset(m.timeMs), e.data.value(QLatin1String("author")).toString(), e.message);
    if (const QString tag = e.data.value(QLatin1String("tag")).toString(); !tag.isEmpty())
        text += QStringLiteral(" [%1]").arg(tag);
    return text;
}

// Markdown table cells: a pipe or a line break would end the cell.
QString cell(QString text)
{
    return text.replace(QLatin1Char('|'), QStringLiteral("\\|"))
        .replace(QLatin1Char('\n'), QLatin1Char(' '))
        .replace(QLatin1Char('\r'), QLatin1Char(' '));
}

QByteArray Report::markdown() const
{
    QStringList md;
    md << QStringLiteral("# Incident %1: %2").arg(m_incident.id).arg(m_incident.title) << QString();
    md << QStringLiteral("## Summary") << QString() << summary().join(QLatin1Char(' ')) << QString();
    md << QStringLiteral("## Impact") << QString();
    for (const QString &line : impact())
        md << QStringLiteral("- %1").arg(line);
    md << QString() << QStringLiteral("## Probable root cause") << QString() << rootCause() << QString();
    md << QStringLiteral("## Detection") << QString() << detection() << QString();
    md << QStringLiteral("## Resolution") << QString() << resolution() << QString();
    md << QStringLiteral("## Timeline") << QString();
    md << QStringLiteral("| Time | T+ | Severity | Role | Source | Event |") << QStringLiteral("|---|---|---|---|---|---|");
    for (const IncidentMember &m : m_incident.members) {
        QString what = QStringLiteral("%1: %2").arg(m.kind, event(m.eventId).message);
        if (m.repeats > 1)
            what += QStringLiteral(" (x%1)").arg(m.repeats);
        QString role = memberRoleName(m.role);
        if (m.causeId >= 0)
            role += QStringLiteral(" of %1").arg(m.causeId);
        md << QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 |")
                  .arg(time(m.timeMs), offset(m.timeMs), severityName(m.severity), cell(role), cell(m.source), cell(what));
    }
    md << QString() << QStringLiteral("## Operator notes") << QString();
    const auto written = notes();
    if (written.isEmpty())
        md << QStringLiteral("None.");
    for (const IncidentMember *m : written)
        md << QStringLiteral("- %1").arg(noteText(*m));
    md << QString() << QStringLiteral("## Actions") << QString();
    const QStringList done = actions();
    if (done.isEmpty())
        md << QStringLiteral("None.");
    for (const QString &line : done)
        md << QStringLiteral("- %1").arg(line);
    md << QString();
    return md.join(QLatin1Char('\n')).toUtf8();
}

QString Report::svgTimeline() const
{
    constexpr int kLeft = 200, kWidth = 960, kLane = 22, kTop = 30;
    QStringList lanes;
    for (const IncidentMember &m : m_incident.members)
        if (!lanes.contains(m.source))
            lanes << m.source;
    const std::pair<qint64, qint64> drawn = drawnSpan(); // named, not bound: lambdas below capture them
    const qint64 from = drawn.first, to = drawn.second;
    const double span = double(to - from);
    const int height = kTop + int(lanes.size()) * kLane + 30;
    auto x = [&](qint64 ms) { return kLeft + (double(ms - from) / span) * (kWidth - kLeft - 20); };
    auto y = [&](const QString &source) { return kTop + int(lanes.indexOf(source)) * kLane + kLane / 2; };
    QStringList svg;
    // Inline in HTML an <svg> needs no namespace attribute: the page names no address at all.
    svg << QStringLiteral("<svg width=\"%1\" height=\"%2\" viewBox=\"0 0 %1 %2\" "
                          "font-family=\"sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"incident timeline\">")
               .arg(kWidth)
               .arg(height);
    svg << QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"#fdecea\"/>")
               .arg(x(m_incident.openedMs), 0, 'f', 1)
               .arg(kTop - 6)
               .arg(std::max(1.0, x(endMs()) - x(m_incident.openedMs)), 0, 'f', 1)
               .arg(int(lanes.size()) * kLane + 6);
    for (const QString &lane : std::as_const(lanes)) {
        svg << QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\">%3</text>").arg(kLeft - 8).arg(y(lane) + 4).arg(lane.toHtmlEscaped());
        svg << QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"#ddd\"/>").arg(kLeft).arg(y(lane)).arg(kWidth - 20);
    }
    for (int i = 0; i <= 4; ++i) {
        const qint64 t = from + qint64(span * i / 4);
        svg << QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"middle\" fill=\"#555\">%3</text>")
                   .arg(x(t), 0, 'f', 1)
                   .arg(height - 10)
                   .arg(offset(t));
    }
    // Symptoms drawn linked to their cause.
    for (const IncidentMember &m : m_incident.members)
        if (const IncidentMember *cause = m.causeId >= 0 ? m_incident.member(m.causeId) : nullptr)
            svg << QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%4\" stroke=\"#999\" stroke-width=\"0.8\"/>")
                       .arg(x(cause->timeMs), 0, 'f', 1)
                       .arg(y(cause->source))
                       .arg(x(m.timeMs), 0, 'f', 1)
                       .arg(y(m.source));
    for (const IncidentMember &m : m_incident.members) {
        const char *colour = m.severity == Severity::Critical ? "#c0392b" : m.severity == Severity::Warning ? "#e67e22" : "#2e86c1";
        const QString title = QStringLiteral("<title>%1 %2 %3 %4</title>")
                                  .arg(offset(m.timeMs), m.kind, memberRoleName(m.role), event(m.eventId).message)
                                  .toHtmlEscaped();
        const double cx = x(m.timeMs);
        const int cy = y(m.source);
        if (m.role == MemberRole::Note || m.role == MemberRole::Action)
            svg << QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"9\" height=\"9\" fill=\"%3\" transform=\"rotate(45 %4 %5)\">%6</rect>")
                       .arg(cx - 4.5, 0, 'f', 1)
                       .arg(cy - 4.5, 0, 'f', 1)
                       .arg(QLatin1String(m.role == MemberRole::Note ? "#8e44ad" : "#27ae60"))
                       .arg(cx, 0, 'f', 1)
                       .arg(cy)
                       .arg(title);
        else
            svg << QStringLiteral("<circle cx=\"%1\" cy=\"%2\" r=\"%3\" fill=\"%4\"%5>%6</circle>")
                       .arg(cx, 0, 'f', 1)
                       .arg(cy)
                       .arg(m.role == MemberRole::Root ? 7 : 4)
                       .arg(QLatin1String(colour))
                       .arg(m.role == MemberRole::Root ? QStringLiteral(" stroke=\"#000\" stroke-width=\"2\"") : QString())
                       .arg(title);
    }
    svg << QStringLiteral("</svg>");
    return svg.join(QLatin1Char('\n'));
}

// What the drawings cover: the incident and its members, with a little before and after.
std::pair<qint64, qint64> Report::drawnSpan() const
{
    qint64 from = m_incident.openedMs, to = std::max(endMs(), m_incident.lastMs);
    for (const IncidentMember &m : m_incident.members) {
        from = std::min(from, m.timeMs);
        to = std::max(to, m.timeMs);
    }
    const qint64 margin = std::max<qint64>(5000, (to - from) / 10);
    return {from - margin, to + margin};
}

QString Report::svgCharts() const
{
    constexpr int kLeft = 200, kWidth = 960, kHeight = 110, kTop = 8;
    const std::pair<qint64, qint64> drawn = drawnSpan(); // named, not bound: lambdas below capture them
    const qint64 from = drawn.first, to = drawn.second;
    const double span = double(to - from);
    auto x = [&](qint64 ms) { return kLeft + (double(ms - from) / span) * (kWidth - kLeft - 20); };
    static const char *colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#17becf"};
    QStringList out;
    for (const IncidentChart &chart : m_options.charts) {
        double top = 0;
        for (const auto &[subject, points] : chart.series)
            for (const SeriesPoint &p : points)
                if (p.timeMs >= from && p.timeMs <= to)
                    top = std::max(top, p.max);
        if (top <= 0)
            top = 1;
        auto y = [&](double v) { return kTop + (1.0 - v / top) * (kHeight - kTop - 14); };
        QStringList svg;
        svg << QStringLiteral("<svg width=\"%1\" height=\"%2\" viewBox=\"0 0 %1 %2\" font-family=\"sans-serif\" font-size=\"11\" "
                              "role=\"img\" aria-label=\"%3\">")
                   .arg(kWidth)
                   .arg(kHeight)
                   .arg(chart.title.toHtmlEscaped());
        svg << QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"#fdecea\"/>")
                   .arg(x(m_incident.openedMs), 0, 'f', 1)
                   .arg(kTop)
                   .arg(std::max(1.0, x(endMs()) - x(m_incident.openedMs)), 0, 'f', 1)
                   .arg(kHeight - kTop - 14);
        svg << QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\">%3</text>").arg(kLeft - 8).arg(kTop + 10).arg(chart.title.toHtmlEscaped());
        svg << QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\" fill=\"#555\">%3</text>")
                   .arg(kLeft - 8)
                   .arg(kTop + 24)
                   .arg(top, 0, 'g', 4);
        svg << QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"#bbb\"/>").arg(kLeft).arg(y(0), 0, 'f', 1).arg(kWidth - 20);
        int index = 0;
        for (const auto &[subject, points] : chart.series) {
            const char *colour = colours[index % int(std::size(colours))];
            // A gap in the samples is a gap in the line.
            for (const QList<SeriesPoint> &run : splitAtGaps(points)) {
                QStringList line;
                for (const SeriesPoint &p : run)
                    if (p.timeMs >= from && p.timeMs <= to)
                        line << QStringLiteral("%1,%2").arg(x(p.timeMs), 0, 'f', 1).arg(y(p.mean), 0, 'f', 1);
                if (line.size() > 1)
                    svg << QStringLiteral("<polyline fill=\"none\" stroke=\"%1\" stroke-width=\"1.2\" points=\"%2\"/>")
                               .arg(QLatin1String(colour), line.join(QLatin1Char(' ')));
                else if (line.size() == 1) // a lone sample: a dot rather than nothing
                    svg << QStringLiteral("<circle cx=\"%1\" cy=\"%2\" r=\"1.5\" fill=\"%3\"/>")
                               .arg(line.first().section(QLatin1Char(','), 0, 0), line.first().section(QLatin1Char(','), 1), QLatin1String(colour));
            }
            svg << QStringLiteral("<text x=\"%1\" y=\"%2\" fill=\"%3\" text-anchor=\"end\">%4</text>")
                       .arg(kLeft - 8)
                       .arg(kTop + 38 + index * 12)
                       .arg(QLatin1String(colour), subject.toHtmlEscaped());
            ++index;
        }
        svg << QStringLiteral("</svg>");
        out << svg.join(QLatin1Char('\n'));
    }
    return out.join(QLatin1Char('\n'));
}

QByteArray Report::html() const
{
    auto esc = [](const QString &s) { return s.toHtmlEscaped(); };
    auto list = [&](const QStringList &lines) -> QString {
        QString out = QStringLiteral("<ul>\n");
        for (const QString &line : lines)
            out += QStringLiteral("<li>%1</li>\n").arg(esc(line));
        out += QStringLiteral("</ul>\n");
        return out;
    };
    QString h;
    h += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Incident %1</title>\n").arg(m_incident.id);
    h += QStringLiteral("<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
                        "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;"
                        "vertical-align:top}tr.root td{font-weight:bold}.critical{color:#c0392b}.warning{color:#b9770e}"
                        "@media print{body{margin:0}}</style>\n</head>\n<body>\n");
    h += QStringLiteral("<h1>Incident %1: %2</h1>\n").arg(m_incident.id).arg(esc(m_incident.title));
    h += QStringLiteral("<h2>Summary</h2>\n<p>%1</p>\n").arg(esc(summary().join(QLatin1Char(' '))));
    h += QStringLiteral("<h2>Timeline</h2>\n") + svgTimeline() + QLatin1Char('\n');
    if (!m_options.charts.isEmpty())
        h += QStringLiteral("<h3>Charts (same time axis)</h3>\n") + svgCharts() + QLatin1Char('\n');
    h += QStringLiteral("<h2>Impact</h2>\n") + list(impact());
    h += QStringLiteral("<h2>Probable root cause</h2>\n<p>%1</p>\n").arg(esc(rootCause()));
    h += QStringLiteral("<h2>Detection</h2>\n<p>%1</p>\n").arg(esc(detection()));
    h += QStringLiteral("<h2>Resolution</h2>\n<p>%1</p>\n").arg(esc(resolution()));
    h += QStringLiteral("<h2>Events</h2>\n<table>\n<tr><th>Time</th><th>T+</th><th>Severity</th><th>Role</th><th>Source</th><th>Event</th></tr>\n");
    for (const IncidentMember &m : m_incident.members) {
        QString role = memberRoleName(m.role);
        if (m.causeId >= 0)
            role += QStringLiteral(" of %1").arg(m.causeId);
        QString what = QStringLiteral("%1: %2").arg(m.kind, event(m.eventId).message);
        if (m.repeats > 1)
            what += QStringLiteral(" (x%1)").arg(m.repeats);
        h += QStringLiteral("<tr%1><td>%2</td><td>%3</td><td class=\"%4\">%4</td><td>%5</td><td>%6</td><td>%7</td></tr>\n")
                 .arg(m.role == MemberRole::Root ? QStringLiteral(" class=\"root\"") : QString(), esc(time(m.timeMs)), offset(m.timeMs),
                      severityName(m.severity), esc(role), esc(m.source), esc(what));
    }
    h += QStringLiteral("</table>\n");
    QStringList noteLines;
    for (const IncidentMember *m : notes())
        noteLines << noteText(*m);
    h += QStringLiteral("<h2>Operator notes</h2>\n") + (noteLines.isEmpty() ? QStringLiteral("<p>None.</p>\n") : list(noteLines));
    const QStringList done = actions();
    h += QStringLiteral("<h2>Actions</h2>\n") + (done.isEmpty() ? QStringLiteral("<p>None.</p>\n") : list(done));
    h += QStringLiteral("</body>\n</html>\n");
    return h.toUtf8();
}

QByteArray Report::json() const
{
    QJsonObject object = incidentToJson(m_incident);
    QJsonArray events;
    for (const IncidentMember &m : m_incident.members)
        if (m_events.contains(m.eventId))
            events.append(QJsonDocument::fromJson(eventToJsonLine(m_events.value(m.eventId))).object());
    object.insert(QStringLiteral("events"), events);
    return QJsonDocument(object).toJson(QJsonDocument::Indented);
}

QJsonValue timeOrNull(qint64 ms)
{
    return ms < 0 ? QJsonValue() : QJsonValue(formatTime(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)));
}

} // namespace

bool parseReportFormat(const QString &name, ReportFormat *format)
{
    if (name == QLatin1String("md") || name == QLatin1String("markdown"))
        *format = ReportFormat::Markdown;
    else if (name == QLatin1String("html"))
        *format = ReportFormat::Html;
    else if (name == QLatin1String("json"))
        *format = ReportFormat::Json;
    else
        return false;
    return true;
}

QJsonObject incidentToJson(const Incident &incident)
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
            {QStringLiteral("root"),
             root ? QJsonValue(
                 QJsonObject{{QStringLiteral("id"), root->eventId}, {QStringLiteral("kind"), root->kind}, {QStringLiteral("source"), root->source}})
                  : QJsonValue()},
            {QStringLiteral("members"), members}};
}

QByteArray incidentReport(const Incident &incident, const QList<Event> &events, ReportFormat format, const ReportOptions &options)
{
    if (incident.members.isEmpty())
        return {};
    const Report report(incident, events, options);
    switch (format) {
    case ReportFormat::Markdown: return report.markdown();
    case ReportFormat::Html: return report.html();
    case ReportFormat::Json: return report.json();
    }
    return {};
}

} // namespace vigil
