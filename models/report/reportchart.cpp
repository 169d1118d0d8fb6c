#include "models/report/reportchart.h"

#include "models/downsampling.h"
#include "models/formatting.h"
#include "models/tr.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace vigil::models {

namespace {

// A round step (1, 2, 5 x 10^n) that cuts `span` into about `parts` intervals.
double niceStep(double span, int parts)
{
    if (span <= 0)
        return 1;
    const double raw = span / parts;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double f : {1.0, 2.0, 5.0, 10.0})
        if (raw <= f * magnitude)
            return f * magnitude;
    return 10 * magnitude;
}

// For bytes: a step of a power of two times 1, 2 or 5 of the unit the maximum is shown in.
double niceByteStep(double span, int parts)
{
    double unit = 1;
    while (span / unit >= 1024 && unit < 1024.0 * 1024 * 1024 * 1024)
        unit *= 1024;
    return niceStep(span / unit, parts) * unit;
}

QString yLabel(double v, ReportChart::Unit unit)
{
    if (unit == ReportChart::Unit::Bytes)
        return formatBytes(qint64(std::llround(v)));
    return QString::number(v, 'g', 6);
}

// Time-axis steps: 10 s up to 1 h, picked so there are at most about `parts` labels.
qint64 timeStepMs(qint64 spanMs, int parts)
{
    static const qint64 steps[] = {10'000,  15'000,  30'000,    60'000,    120'000,  300'000,
                                   600'000, 900'000, 1'800'000, 3'600'000, 7'200'000};
    for (qint64 s : steps)
        if (spanMs / s <= parts)
            return s;
    return 7'200'000;
}

struct Range
{
    double maxY = 0;
};

Range rangeOf(const ReportChart &chart)
{
    Range r;
    for (const ReportSeries &s : chart.series)
        for (const QPointF &p : s.points)
            r.maxY = std::max(r.maxY, p.y());
    return r;
}

void drawLegend(QPainter &p, const ReportChart &chart, const QRectF &area)
{
    const QFontMetricsF fm(p.font());
    qreal x = area.left();
    for (int i = 0; i < chart.series.size(); ++i) {
        const QString label = chart.series.at(i).label;
        const qreal w = 18 + fm.horizontalAdvance(label) + 16;
        if (x + w > area.right() && x > area.left())
            break; // what does not fit on the line is left out rather than overlapped
        p.fillRect(QRectF(x, area.center().y() - 4, 12, 8), reportSeriesColor(i));
        p.setPen(QColor(0x33, 0x33, 0x33));
        p.drawText(QPointF(x + 16, area.center().y() + fm.ascent() / 2 - 1), label);
        x += w;
    }
}

void drawAxes(QPainter &p, const ReportChart &chart, const QRectF &plot, double maxY, double step)
{
    const QFontMetricsF fm(p.font());
    p.setPen(QPen(QColor(0xe3, 0xe6, 0xea), 1));
    for (double v = 0; v <= maxY + step / 2; v += step) {
        const qreal y = plot.bottom() - plot.height() * v / maxY;
        p.setPen(QPen(QColor(0xe3, 0xe6, 0xea), 1));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(QColor(0x55, 0x5b, 0x66));
        const QString t = yLabel(v, chart.unit);
        p.drawText(QPointF(plot.left() - 6 - fm.horizontalAdvance(t), y + fm.ascent() / 2 - 1), t);
    }
    const qint64 span = std::max<qint64>(1, chart.toMs - chart.fromMs);
    const qint64 tstep = timeStepMs(span, 6);
    for (qint64 t = (chart.fromMs / tstep + 1) * tstep; t <= chart.toMs; t += tstep) {
        const qreal x = plot.left() + plot.width() * double(t - chart.fromMs) / double(span);
        p.setPen(QPen(QColor(0xf0, 0xf2, 0xf4), 1));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(QColor(0x55, 0x5b, 0x66));
        const QString label =
            QDateTime::fromMSecsSinceEpoch(t, Qt::UTC)
                .toString(tstep < 60'000 ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm"));
        p.drawText(QPointF(x - fm.horizontalAdvance(label) / 2, plot.bottom() + fm.ascent() + 4),
                   label);
    }
    p.setPen(QPen(QColor(0x8a, 0x8f, 0x98), 1));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    p.drawLine(plot.bottomLeft(), plot.topLeft());
}

void drawSeries(QPainter &p, const ReportChart &chart, const QRectF &plot, double maxY)
{
    const double span = double(std::max<qint64>(1, chart.toMs - chart.fromMs));
    p.setClipRect(plot.adjusted(-1, -2, 1, 1));
    for (int i = 0; i < chart.series.size(); ++i) {
        QPainterPath path;
        bool first = true;
        for (const QPointF &pt : chart.series.at(i).points) {
            const QPointF at(plot.left() + plot.width() * (pt.x() - double(chart.fromMs)) / span,
                             plot.bottom() - plot.height() * pt.y() / maxY);
            if (first)
                path.moveTo(at);
            else
                path.lineTo(at);
            first = false;
        }
        p.setPen(QPen(reportSeriesColor(i), 1.6, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawPath(path);
    }
    p.setClipping(false);
}

} // namespace

bool ReportChart::hasPoints() const
{
    return std::any_of(series.begin(), series.end(),
                       [](const ReportSeries &s) { return !s.points.isEmpty(); });
}

QColor reportSeriesColor(int n)
{
    static const QColor colors[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xe0, 0x6c, 0x00),
                                    QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28),
                                    QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                    QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f)};
    return colors[n % int(std::size(colors))];
}

ReportChart reportChartFrom(const ChartHistory &history, ChartHistory::Chart which,
                            const QString &title, ReportChart::Unit unit, const QDateTime &from,
                            const QDateTime &to, int buckets)
{
    ReportChart chart;
    chart.title = title;
    chart.unit = unit;
    chart.fromMs = from.toMSecsSinceEpoch();
    chart.toMs = to.toMSecsSinceEpoch();
    for (const ChartHistory::Series &s : history.series(which)) {
        ReportSeries out{
            s.label, minMaxDownsample(history.store(), s.index, chart.fromMs, chart.toMs, buckets)};
        if (!out.points.isEmpty())
            chart.series.append(out);
    }
    return chart;
}

QImage renderReportChart(const ReportChart &chart, QSize logicalSize, qreal scale)
{
    QImage image(logicalSize * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(11);
    p.setFont(font);
    const QRectF all(QPointF(0, 0), QSizeF(logicalSize));

    QFont bold = font;
    bold.setPixelSize(13);
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(QColor(0x1d, 0x23, 0x2b));
    p.drawText(QRectF(8, 4, all.width() - 16, 20), Qt::AlignLeft | Qt::AlignVCenter, chart.title);
    p.setFont(font);
    drawLegend(p, chart, QRectF(8, 26, all.width() - 16, 16));

    const double maxData = rangeOf(chart).maxY;
    const double step = chart.unit == ReportChart::Unit::Bytes
                            ? niceByteStep(maxData, 4)
                            : niceStep(std::max(maxData, 1.0), 4);
    const double maxY = std::max(step, std::ceil(maxData / step) * step);
    const QFontMetricsF fm(font);
    const qreal labelWidth = fm.horizontalAdvance(yLabel(maxY, chart.unit)) + 14;
    const QRectF plot(std::max<qreal>(48, labelWidth), 50, 0, 0);
    const QRectF plotArea(plot.topLeft(), QPointF(all.right() - 14, all.bottom() - 24));
    drawAxes(p, chart, plotArea, maxY, step);
    if (!chart.hasPoints()) {
        p.setPen(QColor(0x6b, 0x70, 0x78));
        p.drawText(plotArea, Qt::AlignCenter, Tr::tr("No samples in this window."));
        return image;
    }
    drawSeries(p, chart, plotArea, maxY);
    return image;
}

} // namespace vigil::models
