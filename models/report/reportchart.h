#pragma once

#include "models/charthistory.h"

#include <QDateTime>
#include <QImage>
#include <QList>
#include <QPointF>
#include <QString>

namespace vigil::models {

// One line of a report chart: x in ms since the epoch, y the value.
struct ReportSeries
{
    QString label;
    QList<QPointF> points;
};

// A chart of the health report, drawn once into an image (no Qt Charts: the report is built
// below ui/ and by `vigil report` without widgets). The y axis is in bytes (IEC units) or a plain
// count; the x axis is UTC clock time.
struct ReportChart
{
    enum class Unit
    {
        Bytes,
        Count
    };
    QString title;
    Unit unit = Unit::Count;
    qint64 fromMs = 0, toMs = 0;
    QList<ReportSeries> series;

    bool hasPoints() const;
};

// The series of `chart` in `history` between from and to, reduced to about `buckets` min/max
// pairs each (downsampling.h), so an hour of 1 s samples stays a small image.
ReportChart reportChartFrom(const ChartHistory &history, ChartHistory::Chart chart,
                            const QString &title, ReportChart::Unit unit, const QDateTime &from,
                            const QDateTime &to, int buckets = 300);

// Paints `chart` on white: title, legend, grid, axes with round steps, one coloured line per
// series. `logicalSize` is in CSS pixels; the image has `scale` times as many, for print.
QImage renderReportChart(const ReportChart &chart, QSize logicalSize, qreal scale = 2.0);

// The colour of the n-th series (a palette that stays apart on white and in grey print).
QColor reportSeriesColor(int n);

} // namespace vigil::models
