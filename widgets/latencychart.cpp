// Heartbeat latency chart over QCustomPlot.
#include "latencychart.h"

#include "heartbeat/latencyhistory.h"
#include "onscreen.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <limits>
#include "qcustomplot_include.h"
#include "theme.h"

namespace vigil {

namespace {

const QList<QColor> kPalette = {
    QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd),
    QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22), QColor(0x17, 0xbe, 0xcf),
};

} // namespace

LatencyChart::LatencyChart(const LatencyHistory *history, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
    , m_plot(new QCustomPlot(this))
    , m_window(new QComboBox(this))
    , m_followBox(new QCheckBox(tr("Live"), this))
    , m_readout(new QLabel(this))
    , m_title(new QLabel(tr("Heartbeat latency"), this))
    , m_note(new QLabel(this))
{
    m_note->setObjectName(QStringLiteral("chartNote"));
    m_window->setObjectName(QStringLiteral("chartWindow"));
    m_window->addItem(tr("Last 5 minutes"), FiveMinutes);
    m_window->addItem(tr("Last hour"), OneHour);
    m_window->addItem(tr("Last 24 hours"), OneDay);
    m_window->addItem(tr("Everything"), All);
    m_followBox->setObjectName(QStringLiteral("chartFollow"));
    m_followBox->setChecked(true);
    m_followBox->setToolTip(tr("Follow new beats; dragging or zooming the chart pauses it"));
    m_readout->setObjectName(QStringLiteral("chartReadout"));
    // The read-out gives way on a narrow chart (a small window, the topology details) rather than
    // holding the window wide.
    m_readout->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_note->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    auto *bar = new QHBoxLayout;
    m_title->setObjectName(QStringLiteral("chartTitle"));
    bar->addWidget(m_title);
    bar->addWidget(m_note);
    bar->addStretch();
    bar->addWidget(m_readout);
    bar->addWidget(m_window);
    bar->addWidget(m_followBox);

    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat(QStringLiteral("HH:mm:ss"));
    ticker->setDateTimeSpec(Qt::LocalTime);
    m_plot->xAxis->setTicker(ticker);
    m_plot->yAxis->setLabel(tr("latency (ms)"));
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setPlottingHint(QCP::phFastPolylines, true);
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(font());
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    m_plot->setMinimumHeight(60);
    followPalette(m_plot);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_plot, 1);

    m_replot.setSingleShot(true);
    connect(&m_replot, &QTimer::timeout, this, &LatencyChart::replotNow);
    connect(m_window, &QComboBox::currentIndexChanged, this, [this] { setWindow(Window(m_window->currentData().toInt())); });
    connect(m_followBox, &QCheckBox::toggled, this, &LatencyChart::setFollow);
    // Looking back in time pauses the live view.
    connect(m_plot, &QCustomPlot::mousePress, this, [this] { m_followBox->setChecked(false); });
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { m_followBox->setChecked(false); });
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent *e) { showReadout(e->pos()); });
}

void LatencyChart::setNodes(const QStringList &nodes)
{
    m_nodes = nodes;
    scheduleReplot();
}

void LatencyChart::setWindow(Window window)
{
    const int index = m_window->findData(window);
    if (index != m_window->currentIndex())
        m_window->setCurrentIndex(index);
    m_followBox->setChecked(true);
    scheduleReplot();
}

void LatencyChart::setFollow(bool follow)
{
    m_follow = follow;
    if (m_followBox->isChecked() != follow)
        m_followBox->setChecked(follow);
    if (follow)
        scheduleReplot();
}

void LatencyChart::scheduleReplot()
{
    // Drawing 100 lines takes tens of milliseconds that nobody sees behind another tab.
    if (!isOnScreen(this)) {
        m_stale = true;
        return;
    }
    if (!m_replot.isActive())
        m_replot.start(kMinReplotMs);
}

void LatencyChart::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    callWhenRevealed(this, [this] { revealed(); });
    // Laid out only once the event loop runs.
    QTimer::singleShot(0, this, &LatencyChart::revealed);
}

void LatencyChart::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    revealed(); // a splitter opened it again
}

void LatencyChart::moveEvent(QMoveEvent *event)
{
    QWidget::moveEvent(event);
    revealed();
}

void LatencyChart::revealed()
{
    if (m_stale && isOnScreen(this)) {
        m_stale = false;
        scheduleReplot();
    }
}

qint64 LatencyChart::windowMs() const
{
    switch (Window(m_window->currentData().toInt())) {
    case FiveMinutes: return 5 * 60 * 1000;
    case OneHour: return 3600 * 1000;
    case OneDay: return 24 * 3600 * 1000;
    case All: break;
    }
    return -1;
}

QColor LatencyChart::colorFor(const QString &node) const
{
    const int index = m_history->indexOf(node);
    return kPalette.at(std::max(0, index) % kPalette.size());
}

int LatencyChart::graphCount() const
{
    return m_plot->graphCount();
}

int LatencyChart::replotNow()
{
    m_replot.stop();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 from, to;
    if (m_follow) {
        to = now;
        const qint64 span = windowMs();
        from = span > 0 ? now - span : (m_history->firstMs() > 0 ? m_history->firstMs() : now - 60'000);
    } else {
        from = qint64(m_plot->xAxis->range().lower * 1000);
        to = qint64(m_plot->xAxis->range().upper * 1000);
    }

    QStringList nodes = m_nodes;
    m_note->clear();
    if (nodes.isEmpty()) {
        // Everything that has something to draw, up to a readable number.
        const QStringList all = m_history->nodes();
        int drawable = 0;
        for (const QString &node : all) {
            if (!m_history->hasData(node))
                continue;
            if (++drawable <= kMaxAutoNodes)
                nodes << node;
        }
        if (drawable > kMaxAutoNodes)
            m_note->setText(tr("(first %1 of %2 nodes: select rows to choose)").arg(kMaxAutoNodes).arg(drawable));
    }
    // Reuse graphs where the node list is unchanged; rebuild them otherwise.
    bool sameGraphs = m_plot->graphCount() == nodes.size();
    for (int i = 0; sameGraphs && i < nodes.size(); ++i)
        sameGraphs = m_plot->graph(i)->name() == nodes.at(i);
    if (!sameGraphs) {
        m_plot->clearGraphs();
        // A readable few lines get a legend and a heavier pen; dozens of lines get neither (a
        // pen over one pixel is stroked as a shape: a hundred of them took tens of milliseconds).
        const bool few = nodes.size() <= 12;
        for (const QString &node : nodes) {
            QCPGraph *graph = m_plot->addGraph();
            graph->setName(node);
            graph->setPen(QPen(colorFor(node), few ? 1.5 : 1.0));
            graph->setAdaptiveSampling(true);
        }
        m_plot->legend->setVisible(few);
    }

    m_plot->clearItems();
    m_shaded = 0;
    int points = 0;
    double maxLatency = 0.05;
    for (int i = 0; i < nodes.size(); ++i) {
        const QString &node = nodes.at(i);
        const QList<LatencyPoint> series = m_history->series(node, from, to);
        // A silence (a down period, a stopped publisher) breaks the line instead of bridging it:
        // QCustomPlot leaves a gap at a NaN value.
        std::vector<qint64> gaps;
        gaps.reserve(size_t(series.size()));
        for (qsizetype k = 1; k < series.size(); ++k)
            gaps.push_back(series.at(k).ms - series.at(k - 1).ms);
        qint64 breakAfterMs = std::numeric_limits<qint64>::max();
        if (!gaps.empty()) {
            std::nth_element(gaps.begin(), gaps.begin() + qsizetype(gaps.size() / 2), gaps.end());
            breakAfterMs = std::max<qint64>(500, gaps[gaps.size() / 2] * 5 / 2);
        }
        QVector<double> keys, values;
        keys.reserve(series.size() + 8);
        values.reserve(series.size() + 8);
        for (qsizetype k = 0; k < series.size(); ++k) {
            const LatencyPoint &p = series.at(k);
            if (k > 0 && p.ms - series.at(k - 1).ms > breakAfterMs) {
                keys << double(series.at(k - 1).ms + 1) / 1000.0;
                values << std::numeric_limits<double>::quiet_NaN();
            }
            keys << double(p.ms) / 1000.0;
            values << double(p.mean);
            maxLatency = std::max(maxLatency, double(p.mean));
        }
        points += int(keys.size());
        m_plot->graph(i)->setData(keys, values, true);

        const QColor color = colorFor(node);
        for (const DownPeriod &period : m_history->downPeriods(node, from, to)) {
            auto *rect = new QCPItemRect(m_plot);
            rect->setClipToAxisRect(true);
            rect->topLeft->setTypeX(QCPItemPosition::ptPlotCoords);
            rect->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
            rect->bottomRight->setTypeX(QCPItemPosition::ptPlotCoords);
            rect->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
            rect->topLeft->setCoords(double(period.startMs) / 1000.0, 0);
            rect->bottomRight->setCoords(double(period.endMs < 0 ? now : period.endMs) / 1000.0, 1);
            // Down: solid; unknown (cannot see) and flapping: hatched.
            QColor fill = color;
            fill.setAlpha(period.state == NodeState::Unknown || period.flapping ? 60 : 50);
            rect->setBrush(period.state == NodeState::Unknown ? QBrush(fill, Qt::BDiagPattern)
                               : period.flapping              ? QBrush(fill, Qt::Dense6Pattern)
                                                              : QBrush(fill));
            rect->setPen(Qt::NoPen);
            rect->setSelectable(false);
            ++m_shaded;
        }
    }
    if (m_follow) {
        m_plot->xAxis->setRange(double(from) / 1000.0, double(to) / 1000.0);
        m_plot->yAxis->setRange(0, maxLatency * 1.15);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    ++m_replots;
    return points;
}

void LatencyChart::setValueAxis(const QString &title, const QString &axisLabel, const QString &unit)
{
    m_title->setText(title);
    m_plot->yAxis->setLabel(axisLabel);
    m_unit = unit;
    scheduleReplot();
}

void LatencyChart::showReadout(const QPoint &pos)
{
    const double key = m_plot->xAxis->pixelToCoord(pos.x());
    double bestDistance = 12; // pixels
    QString text;
    for (int i = 0; i < m_plot->graphCount(); ++i) {
        QCPGraph *graph = m_plot->graph(i);
        auto it = graph->data()->findBegin(key);
        if (it == graph->data()->constEnd())
            continue;
        for (auto candidate : {it, it == graph->data()->constBegin() ? it : it - 1}) {
            const double dx = m_plot->xAxis->coordToPixel(candidate->key) - pos.x();
            const double dy = m_plot->yAxis->coordToPixel(candidate->value) - pos.y();
            const double distance = std::sqrt(dx * dx + dy * dy);
            if (distance < bestDistance) {
                bestDistance = distance;
                text = QStringLiteral("%1  %2  %3 %4")
                           .arg(graph->name(), QDateTime::fromMSecsSinceEpoch(qint64(candidate->key * 1000)).toString(QStringLiteral("HH:mm:ss.zzz")))
                           .arg(candidate->value, 0, 'f', 2)
                           .arg(m_unit);
            }
        }
    }
    m_readout->setText(text);
}

} // namespace vigil
