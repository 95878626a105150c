// An incident's timeline with the charts of what it involves.
#include "incidenttimeline.h"

#include "icons.h"
#include "incidents/report.h"
#include "journal/incidentstore.h"
#include "qcustomplot_include.h"
#include "theme.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QSet>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace vigil {

namespace {

constexpr double kMarginS = 5; // around the incident when it is fitted

QColor severityColour(Severity severity)
{
    switch (severity) {
    case Severity::Critical: return QColor(0xc0, 0x39, 0x2b);
    case Severity::Warning: return QColor(0xe6, 0x7e, 0x22);
    case Severity::Info: break;
    }
    return QColor(0x2e, 0x86, 0xc1);
}

QColor seriesColour(int index)
{
    static const QColor palette[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c), QColor(0x94, 0x67, 0xbd),
                                     QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f), QColor(0x17, 0xbe, 0xcf)};
    return palette[index % int(std::size(palette))];
}

// "T+00:12" (with milliseconds when they are not zero), for `ms` after the incident's start.
QString shortOffset(qint64 ms)
{
    QString text = formatOffset(ms);
    if (text.endsWith(QLatin1String(".000")))
        text.chop(4);
    return text;
}

// A zone as people read it: "CET, UTC+01:00".
QString zoneName(const QDateTime &at)
{
    const int offset = at.offsetFromUtc();
    const QString sign = offset < 0 ? QStringLiteral("-") : QStringLiteral("+");
    const int minutes = std::abs(offset) / 60;
    return QStringLiteral("%1, UTC%2%3:%4")
        .arg(at.timeZoneAbbreviation(), sign)
        .arg(minutes / 60, 2, 10, QLatin1Char('0'))
        .arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

// Labels the time axis (seconds from the incident's start) as T+, UTC or local clock time.
class ClockTicker final : public QCPAxisTicker
{
public:
    ClockTicker(qint64 originMs, IncidentTimeline::Clock clock)
        : m_originMs(originMs)
        , m_clock(clock)
    {
    }

protected:
    // On a clock, ticks fall on round clock times (the incident rarely starts on a whole second).
    QVector<double> createTickVector(double tickStep, const QCPRange &range) override
    {
        if (m_clock == IncidentTimeline::Clock::Offset)
            return QCPAxisTicker::createTickVector(tickStep, range);
        const qint64 stepMs = std::max<qint64>(1, qRound64(tickStep * 1000));
        const qint64 fromMs = m_originMs + qint64(std::floor(range.lower * 1000));
        QVector<double> ticks;
        for (qint64 at = (fromMs / stepMs + 1) * stepMs; at <= m_originMs + range.upper * 1000 && ticks.size() < 1000; at += stepMs)
            ticks << double(at - m_originMs) / 1000.0;
        return ticks;
    }
    QString getTickLabel(double tick, const QLocale &, QChar, int) override
    {
        const qint64 offset = qRound64(tick * 1000);
        if (m_clock == IncidentTimeline::Clock::Offset)
            return shortOffset(offset);
        const qint64 wall = m_originMs + offset;
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(wall, m_clock == IncidentTimeline::Clock::Utc ? Qt::UTC : Qt::LocalTime);
        return at.toString(wall % 1000 == 0 ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm:ss.zzz"));
    }

private:
    qint64 m_originMs;
    IncidentTimeline::Clock m_clock;
};

} // namespace

IncidentTimeline::IncidentTimeline(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
    , m_caption(new QLabel(this))
    , m_clockBox(new QComboBox(this))
{
    setObjectName(QStringLiteral("incidentTimeline"));
    setFocusPolicy(Qt::StrongFocus);
    m_plot->setObjectName(QStringLiteral("incidentTimelinePlot"));
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setFocusPolicy(Qt::NoFocus);
    m_plot->setAutoAddPlottableToLegend(false); // each chart has its own legend
    m_caption->setObjectName(QStringLiteral("incidentTimelineCaption"));
    m_caption->setMinimumWidth(1); // cut rather than widen the window
    m_plot->setMinimumHeight(30);
    m_plot->setMouseTracking(true);
    m_clockBox->setObjectName(QStringLiteral("incidentTimelineClock"));
    m_clockBox->addItem(tr("T+ from the start"), int(Clock::Offset));
    m_clockBox->addItem(tr("UTC"), int(Clock::Utc));
    m_clockBox->addItem(tr("Local time"), int(Clock::Local));
    m_clockBox->setToolTip(tr("How the time axis is labelled"));
    m_clockBox->setFocusPolicy(Qt::NoFocus); // N, P and F stay with the timeline
    auto *top = new QHBoxLayout;
    top->addWidget(m_caption, 1);
    top->addWidget(m_clockBox);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_plot, 1);
    connect(m_plot, &QCustomPlot::mousePress, this, &IncidentTimeline::clicked);
    connect(m_plot, &QCustomPlot::mouseMove, this, &IncidentTimeline::hovered);
    connect(m_clockBox, &QComboBox::currentIndexChanged, this, [this] { setClock(Clock(m_clockBox->currentData().toInt())); });
    followPalette(m_plot);
    clear();
}

void IncidentTimeline::redraw()
{
    // A plot with no room to draw in (a hidden tab) draws once it is given some.
    if (m_plot->isVisible() && !m_plot->size().isEmpty())
        m_plot->replot();
}

void IncidentTimeline::clear()
{
    m_incident = {};
    m_lanes.clear();
    m_laneOf.clear();
    m_sources = 0;
    m_current = -1;
    m_charts = 0;
    m_plot->clearItems();
    m_plot->clearGraphs();
    m_plot->plotLayout()->clear();
    delete std::exchange(m_margins, nullptr);
    m_caption->setText(tr("Select an incident to see its timeline."));
    redraw();
}

void IncidentTimeline::show(const Incident &incident, const QString &path)
{
    // The same incident again (it grew, or its state changed): the view the operator chose stays.
    const bool again = !m_incident.members.isEmpty() && m_incident.id == incident.id && m_incident.openedMs == incident.openedMs;
    const QCPRange range = again && m_plot->axisRect(0) ? m_plot->axisRect(0)->axis(QCPAxis::atBottom)->range() : QCPRange();
    const qint64 current = again ? m_current : -1;
    clear();
    if (incident.members.isEmpty())
        return;
    m_incident = incident;
    const qint64 origin = incident.openedMs;
    auto x = [origin](qint64 ms) { return double(ms - origin) / 1000.0; };
    // A lane per source, found by name, for the first kMaxLanes sources to join; the root's
    // always. A member whose source has no lane is not drawn (the member list has it).
    const IncidentMember *root = incident.member(incident.rootId);
    QSet<QString> sources;
    for (const IncidentMember &m : incident.members)
        sources.insert(m.source);
    m_sources = int(sources.size());
    auto addLane = [this](const QString &source) {
        if (!m_laneOf.contains(source)) {
            m_laneOf.insert(source, int(m_lanes.size()));
            m_lanes << source;
        }
    };
    for (const IncidentMember &m : incident.members) {
        if (m_lanes.size() >= kMaxLanes - (root && !m_laneOf.contains(root->source) ? 1 : 0))
            break;
        addLane(m.source);
    }
    if (root)
        addLane(root->source);

    m_margins = new QCPMarginGroup(m_plot);
    QCPMarginGroup *group = m_margins;
    auto *lanes = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(0, 0, lanes);
    lanes->setMarginGroup(QCP::msLeft | QCP::msRight, group);
    lanes->setRangeDrag(Qt::Horizontal);
    lanes->setRangeZoom(Qt::Horizontal);
    QCPAxis *time = lanes->axis(QCPAxis::atBottom);
    QCPAxis *lane = lanes->axis(QCPAxis::atLeft);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < m_lanes.size(); ++i)
        ticker->addTick(i, m_lanes[i]);
    lane->setTicker(ticker);
    lane->setRange(-0.7, double(m_lanes.size()) - 0.3);
    lane->setRangeReversed(true);

    // The incident's span, under everything else.
    const qint64 endMs = incident.isOpen() ? incident.lastMs : incident.resolvedMs;
    auto *span = new QCPItemRect(m_plot);
    span->setLayer(QStringLiteral("grid"));
    span->setClipAxisRect(lanes);
    for (QCPItemPosition *corner : {span->topLeft, span->bottomRight}) {
        corner->setAxes(time, lane);
        corner->setAxisRect(lanes);
    }
    span->topLeft->setCoords(0, -0.7);
    span->bottomRight->setCoords(x(endMs), double(m_lanes.size()) - 0.3);
    span->setPen(Qt::NoPen);
    span->setBrush(QColor(0xc0, 0x39, 0x2b, 28));

    // Symptoms linked to their cause.
    for (const IncidentMember &m : incident.members) {
        const IncidentMember *cause = m.causeId >= 0 ? incident.member(m.causeId) : nullptr;
        if (!cause || !m_laneOf.contains(cause->source) || !m_laneOf.contains(m.source))
            continue;
        auto *link = new QCPItemLine(m_plot);
        link->setClipAxisRect(lanes);
        for (QCPItemPosition *end : {link->start, link->end}) {
            end->setAxes(time, lane);
            end->setAxisRect(lanes);
        }
        link->start->setCoords(x(cause->timeMs), m_laneOf.value(cause->source));
        link->end->setCoords(x(m.timeMs), m_laneOf.value(m.source));
        link->setPen(QPen(QColor(0x99, 0x99, 0x99), 0.8));
    }

    // Markers: one graph per look (severity and role).
    QHash<QString, QCPGraph *> looks;
    for (const IncidentMember &m : incident.members) {
        if (!m_laneOf.contains(m.source))
            continue;
        const bool diamond = m.role == MemberRole::Note || m.role == MemberRole::Action;
        const QString key = QStringLiteral("%1/%2").arg(int(m.severity)).arg(m.role == MemberRole::Root ? 1 : diamond ? 2 : 0);
        QCPGraph *graph = looks.value(key);
        if (!graph) {
            graph = m_plot->addGraph(time, lane);
            graph->setLineStyle(QCPGraph::lsNone);
            const QColor colour = m.role == MemberRole::Note ? QColor(0x8e, 0x44, 0xad)
                : m.role == MemberRole::Action               ? QColor(0x27, 0xae, 0x60)
                                                             : severityColour(m.severity);
            if (m.role == MemberRole::Root)
                graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(palette().color(QPalette::Text), 2), colour, 14));
            else
                graph->setScatterStyle(
                    QCPScatterStyle(diamond ? QCPScatterStyle::ssDiamond : QCPScatterStyle::ssDisc, colour, colour, diamond ? 11 : 8));
            looks.insert(key, graph);
        }
        graph->addData(x(m.timeMs), m_laneOf.value(m.source));
    }

    // The charts of what it involves, on the same time axis.
    QList<QCPAxisRect *> rects{lanes};
    for (const IncidentChart &chart : readIncidentCharts(path, incident)) {
        const auto &series = chart.series;
        auto *rect = new QCPAxisRect(m_plot);
        m_plot->plotLayout()->addElement(m_plot->plotLayout()->rowCount(), 0, rect);
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, group);
        rect->setRangeDrag(Qt::Horizontal);
        rect->setRangeZoom(Qt::Horizontal);
        rect->axis(QCPAxis::atLeft)->setLabel(chart.title);
        rect->axis(QCPAxis::atLeft)->ticker()->setTickCount(3); // readable in a short chart
        rect->axis(QCPAxis::atBottom)->setTickLabels(false);
        // Which line is which: a small legend in the chart's corner.
        auto *legend = new QCPLegend;
        rect->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignRight);
        legend->setLayer(QStringLiteral("legend"));
        legend->setFont(QFont(font().family(), 7));
        legend->setRowSpacing(-3);
        legend->setIconSize(14, 6);
        legend->setMargins(QMargins(3, 1, 3, 1));
        double top = 0;
        for (int i = 0; i < series.size(); ++i) {
            QCPGraph *graph = m_plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            graph->setName(series[i].first);
            graph->setPen(QPen(seriesColour(i), 1.2));
            legend->addItem(new QCPPlottableLegendItem(legend, graph));
            // A gap in the samples (the server was unreachable, Vigil was not running) is a gap
            // in the line, not a straight line across it.
            for (const QList<SeriesPoint> &run : splitAtGaps(series[i].second)) {
                if (graph->dataCount() > 0)
                    graph->addData(x(run.first().timeMs) - 0.001, std::numeric_limits<double>::quiet_NaN());
                for (const SeriesPoint &p : run) {
                    graph->addData(x(p.timeMs), p.mean);
                    top = std::max(top, p.max);
                }
            }
        }
        rect->axis(QCPAxis::atLeft)->setRange(0, top > 0 ? top * 1.1 : 1);
        rects << rect;
        ++m_charts;
    }
    // One time axis: panning or zooming any of them moves all.
    for (QCPAxisRect *a : std::as_const(rects))
        for (QCPAxisRect *b : std::as_const(rects))
            if (a != b)
                connect(a->axis(QCPAxis::atBottom), qOverload<const QCPRange &>(&QCPAxis::rangeChanged), b->axis(QCPAxis::atBottom),
                        qOverload<const QCPRange &>(&QCPAxis::setRange));
    m_plot->plotLayout()->setRowStretchFactor(0, 2.0);
    // Room for every lane's name, whatever room the charts would take.
    const int laneHeight = QFontMetrics(font()).height() + 2;
    lanes->setMinimumSize(0, int(m_lanes.size()) * laneHeight + 3 * laneHeight);
    styleChart(m_plot);

    applyClock();
    if (!again) {
        fit();
        return;
    }
    lanes->axis(QCPAxis::atBottom)->setRange(range);
    if (current >= 0)
        setCurrentEvent(current);
    redraw();
}

void IncidentTimeline::setClock(Clock clock)
{
    m_clock = clock;
    const QSignalBlocker quiet(m_clockBox); // it calls this when the operator changes it
    m_clockBox->setCurrentIndex(m_clockBox->findData(int(clock)));
    applyClock();
    redraw();
}

QString IncidentTimeline::timeAxisLabel() const
{
    const QDateTime start = QDateTime::fromMSecsSinceEpoch(m_incident.openedMs, Qt::UTC);
    switch (m_clock) {
    case Clock::Offset: return tr("T+ from the start, %1").arg(formatTime(start));
    case Clock::Utc: return tr("UTC");
    case Clock::Local: return tr("local time (%1)").arg(zoneName(start.toLocalTime()));
    }
    return {};
}

void IncidentTimeline::applyClock()
{
    QCPAxisRect *lanes = m_plot->axisRect(0);
    if (m_incident.members.isEmpty() || !lanes)
        return;
    QCPAxis *time = lanes->axis(QCPAxis::atBottom);
    time->setTicker(QSharedPointer<ClockTicker>::create(m_incident.openedMs, m_clock));
    time->setLabel(timeAxisLabel());
    const IncidentMember *root = m_incident.member(m_incident.rootId);
    const QDateTime start = QDateTime::fromMSecsSinceEpoch(m_incident.openedMs, Qt::UTC);
    QString caption = tr("Started %1. Root: %2. Hover a marker for what it is; drag or wheel to pan and zoom; N / P: next or "
                         "previous event; F: fit.")
                          .arg(fullTime(start), root ? QStringLiteral("%1 on %2").arg(root->kind, root->source) : tr("none found"));
    if (m_sources > m_lanes.size())
        caption +=
            tr(" Lanes for %1 of %2 sources (the first to join, and the root's); the member list holds them all.").arg(m_lanes.size()).arg(m_sources);
    m_caption->setText(caption);
}

QString IncidentTimeline::fullTime(const QDateTime &at) const
{
    if (m_clock != Clock::Local)
        return formatTime(at);
    const QDateTime local = at.toLocalTime();
    return QStringLiteral("%1 (%2)").arg(local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")), zoneName(local));
}

QString IncidentTimeline::describe(const IncidentMember &m) const
{
    QStringList lines{
        QStringLiteral("%1  %2").arg(shortOffset(m.timeMs - m_incident.openedMs), fullTime(QDateTime::fromMSecsSinceEpoch(m.timeMs, Qt::UTC))),
        tr("%1 (%2) on %3", "kind (severity) on source").arg(m.kind, severityLabel(m.severity), m.source)};
    if (m.repeats > 1)
        lines << tr("%n time(s) in all", nullptr, m.repeats);
    QString role = memberRoleName(m.role);
    if (const IncidentMember *cause = m.causeId >= 0 ? m_incident.member(m.causeId) : nullptr)
        role = tr("symptom of %1 on %2 (%3)").arg(cause->kind, cause->source, m.rule);
    else if (!m.rule.isEmpty())
        role += QStringLiteral(": ") + m.rule;
    lines << role;
    return lines.join(QLatin1Char('\n'));
}

void IncidentTimeline::fit()
{
    if (m_incident.members.isEmpty())
        return;
    const qint64 endMs = m_incident.isOpen() ? m_incident.lastMs : m_incident.resolvedMs;
    double from = 0, to = double(endMs - m_incident.openedMs) / 1000.0;
    for (const IncidentMember &m : m_incident.members)
        from = std::min(from, double(m.timeMs - m_incident.openedMs) / 1000.0);
    const double margin = std::max(kMarginS, (to - from) * 0.05);
    if (auto *lanes = m_plot->axisRect(0))
        lanes->axis(QCPAxis::atBottom)->setRange(from - margin, to + margin);
    redraw();
}

void IncidentTimeline::setCurrentEvent(qint64 eventId)
{
    const IncidentMember *m = m_incident.member(eventId);
    if (!m)
        return;
    m_current = eventId;
    for (int i = m_plot->itemCount() - 1; i >= 0; --i)
        if (m_plot->item(i)->objectName() == QLatin1String("cursor"))
            m_plot->removeItem(i);
    QCPAxisRect *lanes = m_plot->axisRect(0);
    const double at = double(m->timeMs - m_incident.openedMs) / 1000.0;
    auto *cursor = new QCPItemStraightLine(m_plot);
    cursor->setObjectName(QStringLiteral("cursor"));
    cursor->setClipAxisRect(lanes);
    for (QCPItemPosition *p : {cursor->point1, cursor->point2}) {
        p->setAxes(lanes->axis(QCPAxis::atBottom), lanes->axis(QCPAxis::atLeft));
        p->setAxisRect(lanes);
    }
    cursor->point1->setCoords(at, 0);
    cursor->point2->setCoords(at, 1);
    cursor->setPen(QPen(palette().color(QPalette::Text), 1, Qt::DashLine));
    // Keep it in view.
    QCPAxis *time = lanes->axis(QCPAxis::atBottom);
    if (!time->range().contains(at))
        time->setRange(at - time->range().size() / 2, at + time->range().size() / 2);
    m_caption->setToolTip(describe(*m));
    redraw();
}

void IncidentTimeline::step(int direction)
{
    if (m_incident.members.isEmpty())
        return;
    qsizetype at = -1;
    for (qsizetype i = 0; i < m_incident.members.size(); ++i)
        if (m_incident.members[i].eventId == m_current)
            at = i;
    at = at < 0 ? (direction > 0 ? 0 : m_incident.members.size() - 1) : std::clamp<qsizetype>(at + direction, 0, m_incident.members.size() - 1);
    setCurrentEvent(m_incident.members[at].eventId);
    Q_EMIT eventActivated(m_current);
}

void IncidentTimeline::showEvent(QShowEvent *event)
{
    // Drawn while hidden (another tab in front) is not drawn at all.
    QWidget::showEvent(event);
    m_plot->replot();
}

void IncidentTimeline::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_N: step(1); break;
    case Qt::Key_P: step(-1); break;
    case Qt::Key_F: fit(); break;
    default: QWidget::keyPressEvent(event); return;
    }
    event->accept();
}

const IncidentMember *IncidentTimeline::memberAt(const QPoint &pos) const
{
    QCPAxisRect *lanes = m_plot->axisRect(0);
    if (!lanes || !lanes->rect().contains(pos))
        return nullptr;
    // The member nearest the point, within a few pixels.
    const IncidentMember *nearest = nullptr;
    double best = 10;
    for (const IncidentMember &m : m_incident.members) {
        if (!m_laneOf.contains(m.source))
            continue;
        const double px = lanes->axis(QCPAxis::atBottom)->coordToPixel(double(m.timeMs - m_incident.openedMs) / 1000.0);
        const double py = lanes->axis(QCPAxis::atLeft)->coordToPixel(m_laneOf.value(m.source));
        const double d = std::hypot(px - pos.x(), py - pos.y());
        if (d < best) {
            best = d;
            nearest = &m;
        }
    }
    return nearest;
}

void IncidentTimeline::hovered(QMouseEvent *event)
{
    if (event->buttons() != Qt::NoButton)
        return; // panning
    if (const IncidentMember *m = memberAt(event->pos()))
        QToolTip::showText(event->globalPosition().toPoint(), describe(*m), m_plot);
    else
        QToolTip::hideText();
}

void IncidentTimeline::clicked(QMouseEvent *event)
{
    setFocus();
    const IncidentMember *nearest = memberAt(event->pos());
    if (!nearest)
        return;
    setCurrentEvent(nearest->eventId);
    Q_EMIT eventActivated(nearest->eventId);
}

} // namespace vigil
