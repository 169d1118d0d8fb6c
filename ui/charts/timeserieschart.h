#pragma once

#include <QList>
#include <QPointF>
#include <QString>
#include <QWidget>

class QLabel;

namespace vigil::ui {

class HoverChartView;

// Vigil's one chart widget: time on x, one line per labelled series on y. It is the only place
// that uses Qt Charts (deprecated in newer Qt): swapping the backend means rewriting this file
// only. Animations are off; setLines() does exactly one QXYSeries::replace() per series, so a
// frame costs one repaint, without flicker. Hovering shows every series' value at that time.
//
// The caller downsamples (ChartsPanel uses min/max per pixel); plotWidth() says how many pixels
// the plot area has. Lives on the UI thread.
class TimeSeriesChart : public QWidget
{
    Q_OBJECT
public:
    enum class Unit
    {
        Bytes,
        Seconds,
        Count,
        PerSecond,
        Custom // a custom metric's own unit (setUnitName), values as the query gave them
    };

    struct Line
    {
        QString label;
        QList<QPointF> points; // x: ms since the epoch, y: value in the base unit (bytes, s, ...)
    };

    TimeSeriesChart(const QString &title, Unit unit, QWidget *parent = nullptr);
    ~TimeSeriesChart() override;

    void setLines(const QList<Line> &lines, qint64 fromMs, qint64 toMs);
    // A thin dashed vertical line at `timeMs` with `note` as its legend entry ("before 14:02
    // from Prometheus"): where the chart's data changes source. 0 hides it. Takes effect with the
    // next setLines().
    void setSeam(qint64 timeMs, const QString &note);
    qint64 seamMs() const { return m_seamMs; }
    QString seamNote() const { return m_seamNote; }
    int plotWidth() const;
    QStringList labels() const;
    int pointCount(const QString &label) const;
    QList<QPointF> points(const QString &label) const; // as given to setLines (base unit)

    // "12:00:03 — node2: 4.0 MiB, node3: 0 B": the values of every series nearest to `timeMs`.
    QString valuesAt(qint64 timeMs) const;

    // Applies the widget's current font to titles, axes and legend (Qt Charts does not inherit
    // it); `large` also gives the plot more room.
    void setLargeFonts(bool large);
    QString title() const { return m_title; }
    // The unit of a Unit::Custom chart ("games"): the y axis' title and the hover values' suffix.
    void setUnitName(const QString &name) { m_unitName = name; }

Q_SIGNALS:
    // The plot area's width changed (a resize, or the time axis relabelled for a new window).
    void plotWidthChanged(int pixels);

private:
    void updateSeam(qint64 fromMs, qint64 toMs, double top);
    struct Impl;
    std::unique_ptr<Impl> d;
    QString m_title;
    Unit m_unit;
    QString m_unitName;
    qint64 m_seamMs = 0;
    QString m_seamNote;
    friend class HoverChartView;
};

} // namespace vigil::ui
