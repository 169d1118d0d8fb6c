#include "ui/charts/timeserieschart.h"

#include "models/formatting.h"
#include "services/monitor/custommetricfindings.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QHash>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>
#include <cmath>

namespace vigil::ui {

// The chart view that reports the hovered time to its TimeSeriesChart.
class HoverChartView : public QChartView
{
public:
    HoverChartView(QChart *chart, TimeSeriesChart *owner)
        : QChartView(chart)
        , m_owner(owner)
    {
        setMouseTracking(true);
        // Lines of ~1,000 points per series are drawn every frame: antialiased wide lines cost
        // tens of milliseconds per chart on the raster engine, aliased ones a few. Text stays
        // antialiased.
        setRenderHint(QPainter::Antialiasing, false);
        setRenderHint(QPainter::TextAntialiasing, true);
        setViewportUpdateMode(QGraphicsView::MinimalViewportUpdate);
    }

protected:
    void mouseMoveEvent(QMouseEvent *event) override
    {
        QChartView::mouseMoveEvent(event);
        const QPointF inChart = chart()->mapFromScene(mapToScene(event->position().toPoint()));
        if (!chart()->plotArea().contains(inChart) || chart()->series().isEmpty()) {
            QToolTip::hideText();
            return;
        }
        const QPointF value = chart()->mapToValue(inChart, chart()->series().first());
        const QString text = m_owner->valuesAt(qint64(value.x()));
        if (!text.isEmpty())
            QToolTip::showText(event->globalPosition().toPoint(), text, this);
    }
    void leaveEvent(QEvent *event) override
    {
        QToolTip::hideText();
        QChartView::leaveEvent(event);
    }

private:
    TimeSeriesChart *m_owner;
};

namespace {

// A palette that stays distinguishable on white and in print; a series keeps its colour for the
// life of the chart.
const QList<QColor> &seriesColors()
{
    static const QList<QColor> colors = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e),
                                         QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28),
                                         QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                         QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f),
                                         QColor(0xbc, 0xbd, 0x22), QColor(0x17, 0xbe, 0xcf)};
    return colors;
}

struct Scale
{
    double divisor = 1;
    QString unitName;
};

Scale scaleFor(TimeSeriesChart::Unit unit, double maxValue, const QString &unitName)
{
    switch (unit) {
    case TimeSeriesChart::Unit::Bytes: {
        // The axis counts in the units of formatBytes (IEC, 1 KiB = 1024 B).
        static const char *names[] = {"B", "KiB", "MiB", "GiB", "TiB"};
        double d = 1;
        int i = 0;
        while (maxValue / d >= 1024.0 && i < 4) {
            d *= 1024.0;
            ++i;
        }
        return {d, QLatin1String(names[i])};
    }
    case TimeSeriesChart::Unit::Seconds:
        return maxValue < 1.0 ? Scale{0.001, TimeSeriesChart::tr("ms")}
                              : Scale{1, TimeSeriesChart::tr("s")};
    case TimeSeriesChart::Unit::Count:
        return {1, QString()};
    case TimeSeriesChart::Unit::PerSecond:
        return {1, TimeSeriesChart::tr("per second")};
    case TimeSeriesChart::Unit::Custom:
        return {1, unitName};
    }
    return {};
}

// 1, 2, 5 × 10^n at or above v: round axis maxima.
double niceCeiling(double v)
{
    if (v <= 0)
        return 1;
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * p >= v)
            return m * p;
    return 10 * p;
}

QString formatValue(TimeSeriesChart::Unit unit, double v, const QString &unitName)
{
    switch (unit) {
    case TimeSeriesChart::Unit::Bytes:
        return models::formatBytes(qint64(std::llround(v)));
    case TimeSeriesChart::Unit::Seconds:
        return models::formatSeconds(v);
    case TimeSeriesChart::Unit::Count:
        return QString::number(qint64(std::llround(v)));
    case TimeSeriesChart::Unit::PerSecond:
        return TimeSeriesChart::tr("%1/s").arg(v, 0, 'f', v < 10 ? 1 : 0);
    case TimeSeriesChart::Unit::Custom:
        return services::formatCustomMetricValue(v, unitName);
    }
    return QString::number(v);
}

} // namespace

struct TimeSeriesChart::Impl
{
    QChart *chart = nullptr;
    HoverChartView *view = nullptr;
    QDateTimeAxis *xAxis = nullptr;
    QValueAxis *yAxis = nullptr;
    QHash<QString, QLineSeries *> series;
    QHash<QString, QList<QPointF>> points; // as given (base unit), for hover
    QStringList order;
    qreal lineWidth = 1.0;
    QLineSeries *seam = nullptr; // the source marker: two points, or none
};

TimeSeriesChart::TimeSeriesChart(const QString &title, Unit unit, QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Impl>())
    , m_title(title)
    , m_unit(unit)
{
    d->chart = new QChart();
    connect(d->chart, &QChart::plotAreaChanged, this, [this, last = 0](const QRectF &area) mutable {
        if (int(area.width()) != last)
            Q_EMIT plotWidthChanged(last = int(area.width()));
    });
    d->chart->setAnimationOptions(QChart::NoAnimation);
    d->chart->setTitle(title);
    d->chart->legend()->setAlignment(Qt::AlignBottom);
    d->chart->setMargins(QMargins(4, 4, 4, 4));
    d->chart->setBackgroundRoundness(0);
    d->xAxis = new QDateTimeAxis(d->chart);
    d->xAxis->setFormat(QStringLiteral("HH:mm:ss"));
    d->xAxis->setTickCount(6);
    d->yAxis = new QValueAxis(d->chart);
    d->yAxis->setLabelFormat(QStringLiteral("%.4g"));
    d->yAxis->setRange(0, 1);
    d->yAxis->setTickCount(5);
    d->chart->addAxis(d->xAxis, Qt::AlignBottom);
    d->chart->addAxis(d->yAxis, Qt::AlignLeft);
    // Qt Charts 6.4 hides a QDateTimeAxis (labels and grid) for good when the chart is first laid
    // out with no series attached to it; an empty anchor series, kept out of the legend, avoids it.
    auto *anchor = new QLineSeries(d->chart);
    d->chart->addSeries(anchor);
    anchor->attachAxis(d->xAxis);
    anchor->attachAxis(d->yAxis);
    for (QLegendMarker *marker : d->chart->legend()->markers(anchor))
        marker->setVisible(false);
    d->seam = new QLineSeries(d->chart);
    QPen seamPen(QColor(0x55, 0x55, 0x55));
    seamPen.setStyle(Qt::DashLine);
    seamPen.setCosmetic(true);
    seamPen.setWidthF(1.0);
    d->seam->setPen(seamPen);
    d->chart->addSeries(d->seam);
    d->seam->attachAxis(d->xAxis);
    d->seam->attachAxis(d->yAxis);
    for (QLegendMarker *marker : d->chart->legend()->markers(d->seam))
        marker->setVisible(false);
    d->view = new HoverChartView(d->chart, this);
    d->view->setMinimumHeight(160);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(d->view);
    setObjectName(QStringLiteral("chart:") + title);
}

TimeSeriesChart::~TimeSeriesChart() = default;

int TimeSeriesChart::plotWidth() const
{
    const int w = int(d->chart->plotArea().width());
    // Before the first layout: a guess on the narrow side (axis labels take 60-110 px).
    return w > 10 ? w : qMax(100, width() - 120);
}

QStringList TimeSeriesChart::labels() const
{
    return d->order;
}

int TimeSeriesChart::pointCount(const QString &label) const
{
    const auto it = d->series.constFind(label);
    return it == d->series.constEnd() ? -1 : int((*it)->count());
}

QList<QPointF> TimeSeriesChart::points(const QString &label) const
{
    return d->points.value(label);
}

void TimeSeriesChart::setLines(const QList<Line> &lines, qint64 fromMs, qint64 toMs)
{
    double maxValue = 0;
    for (const Line &l : lines)
        for (const QPointF &p : l.points)
            maxValue = std::max(maxValue, p.y());
    const Scale scale = scaleFor(m_unit, maxValue, m_unitName);

    QStringList present;
    for (const Line &l : lines) {
        present << l.label;
        QLineSeries *s = d->series.value(l.label);
        if (!s) {
            s = new QLineSeries(d->chart);
            s->setName(l.label);
            QPen pen(seriesColors().at(int(d->order.size()) % seriesColors().size()));
            // 1 px cosmetic lines take the raster engine's fast path (wider ones go through the
            // stroker: several times the cost per frame); the war-room mode trades that back.
            pen.setWidthF(d->lineWidth);
            pen.setCosmetic(true);
            s->setPen(pen);
            s->setUseOpenGL(false);
            d->chart->addSeries(s);
            s->attachAxis(d->xAxis);
            s->attachAxis(d->yAxis);
            d->series.insert(l.label, s);
            d->order << l.label;
        }
        QList<QPointF> scaled;
        scaled.reserve(l.points.size());
        for (const QPointF &p : l.points)
            scaled.append(QPointF(p.x(), p.y() / scale.divisor));
        s->replace(scaled); // the one update of this series in this frame
        d->points.insert(l.label, l.points);
    }
    for (const QString &label : QStringList(d->order))
        if (!present.contains(label)) {
            QLineSeries *s = d->series.take(label);
            d->chart->removeSeries(s);
            delete s;
            d->points.remove(label);
            d->order.removeAll(label);
        }

    const qint64 span = toMs - fromMs;
    // Days-long windows (7 d, 30 d from Prometheus) need the date, not only the time.
    d->xAxis->setFormat(span <= 15 * 60 * 1000       ? QStringLiteral("HH:mm:ss")
                        : span <= 36 * 3600 * 1000LL ? QStringLiteral("HH:mm")
                                                     : QStringLiteral("d MMM"));
    d->xAxis->setRange(QDateTime::fromMSecsSinceEpoch(fromMs),
                       QDateTime::fromMSecsSinceEpoch(toMs));
    const double top = niceCeiling(maxValue / scale.divisor * 1.1);
    if (d->yAxis->max() != top)
        d->yAxis->setRange(0, top);
    d->yAxis->setTitleText(scale.unitName);
    updateSeam(fromMs, toMs, top);
}

void TimeSeriesChart::setSeam(qint64 timeMs, const QString &note)
{
    m_seamMs = timeMs;
    m_seamNote = note;
}

void TimeSeriesChart::updateSeam(qint64 fromMs, qint64 toMs, double top)
{
    const bool shown = m_seamMs > fromMs && m_seamMs < toMs;
    if (shown)
        d->seam->replace({QPointF(double(m_seamMs), 0), QPointF(double(m_seamMs), top)});
    else
        d->seam->clear();
    d->seam->setName(shown ? m_seamNote : QString());
    for (QLegendMarker *marker : d->chart->legend()->markers(d->seam))
        marker->setVisible(shown);
}

QString TimeSeriesChart::valuesAt(qint64 timeMs) const
{
    QStringList parts;
    for (const QString &label : d->order) {
        const QList<QPointF> &pts = d->points.value(label);
        if (pts.isEmpty())
            continue;
        auto it = std::lower_bound(pts.begin(), pts.end(), double(timeMs),
                                   [](const QPointF &p, double t) { return p.x() < t; });
        if (it == pts.end())
            --it;
        else if (it != pts.begin() && std::abs((it - 1)->x() - timeMs) < std::abs(it->x() - timeMs))
            --it;
        parts << tr("%1: %2").arg(label, formatValue(m_unit, it->y(), m_unitName));
    }
    if (parts.isEmpty())
        return {};
    const bool days = d->xAxis->max().toMSecsSinceEpoch() - d->xAxis->min().toMSecsSinceEpoch() >
                      36 * 3600 * 1000LL;
    return tr("%1 — %2").arg(QDateTime::fromMSecsSinceEpoch(timeMs).toString(
                                 days ? QStringLiteral("d MMM HH:mm") : QStringLiteral("HH:mm:ss")),
                             parts.join(QStringLiteral(", ")));
}

void TimeSeriesChart::setLargeFonts(bool large)
{
    // Qt Charts does not inherit the widget font: hand it the (possibly enlarged) one.
    // QApplication::setFont() reaches widgets through events, later: take the application
    // font directly, it is already the new one.
    const QFont f = QApplication::font();
    QFont titleFont = f;
    titleFont.setBold(true);
    titleFont.setPointSizeF(f.pointSizeF() * 1.15);
    d->chart->setTitleFont(titleFont);
    d->xAxis->setLabelsFont(f);
    d->yAxis->setLabelsFont(f);
    d->yAxis->setTitleFont(f);
    d->chart->legend()->setFont(f);
    d->view->setMinimumHeight(large ? 240 : 160);
    d->lineWidth = large ? 2.0 : 1.0;
    for (QLineSeries *s : std::as_const(d->series)) {
        QPen pen = s->pen();
        pen.setWidthF(d->lineWidth);
        s->setPen(pen);
    }
}

} // namespace vigil::ui
