#pragma once

#include "models/chartbackfill.h"
#include "models/charthistory.h"
#include "ui/charts/timeserieschart.h"

#include <QPointer>
#include <QWidget>

class QButtonGroup;
class QGridLayout;
class QLabel;
class QTimer;
class QToolButton;

namespace vigil::ui {

class TimeSeriesChart;

// The live charts of one cluster: replication lag (bytes and seconds) per replica, connections by
// state, transactions per second and tuples inserted/updated per second per database.
//
// A fixed frame timer (kFrameMs) redraws the charts that are out of date (new samples, another
// window): each series is reduced with min/max per pixel column to the plot's width and handed
// to its chart in one replace(). A tick draws charts round-robin until kFrameBudgetMs is spent
// (at least one), so a 24 h window (86,400 samples per series) never blocks the UI thread for
// more than about one chart's worth of work; short windows redraw every chart every tick.
// Windows: 5 min, 1 h, 24 h, and 7 d and 30 d when the cluster has a Prometheus
// (setBackfill()). Pause freezes the picture (sampling goes on); Export writes a PNG.
//
// With a backfill, opening the charts and changing the window ask Prometheus for the window's
// part before the first live sample (the seam) at no more points than the plot has pixels; each
// line is Prometheus's points up to the seam followed by the live samples, one series, and a
// dashed marker at the seam says "before HH:MM from Prometheus". A failure shows one sentence
// above the charts (not one per chart), and the live charts go on.
//
// Below them, under "Custom metrics", one chart per custom metric of the profile
// (ChartHistory::customCharts(): titled with its name and unit, one line per label), drawn by
// the same frame timer; the sentence of each metric whose last run failed is listed above them.
// Everything scrolls when the window is too low for all the charts.
class ChartsPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kFrameMs = 250;
    static constexpr int kFrameBudgetMs = 8;
    static constexpr int kRefetchDelayMs = 300;

    explicit ChartsPanel(QWidget *parent = nullptr);
    ~ChartsPanel() override;

    void setHistory(models::ChartHistory *history);    // not owned; may be null
    void setBackfill(models::ChartBackfill *backfill); // not owned; may be null
    models::ChartBackfill *backfill() const { return m_backfill; }
    void setWindowSeconds(int seconds); // 300, 3600, 86400; 604800, 2592000 with a backfill
    static constexpr int kWeek = 7 * 86400;
    static constexpr int kMonth = 30 * 86400;
    int windowSeconds() const { return m_windowSeconds; }
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    bool exportPng(const QString &path);
    void setLargeFonts(bool large);

    // Draws every chart now (tests, screenshots); normally the frame timer does it, in slices.
    void renderFrame();
    QList<TimeSeriesChart *> charts() const { return m_charts; }
    qint64 lastFrameCostUs() const { return m_lastFrameUs; }
    // Asks for a file name (window-modal, asynchronous) and writes the PNG there.
    void chooseExportFile();

Q_SIGNALS:
    void windowSecondsChanged(int seconds);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void onFrame();
    void requestBackfill();
    int narrowestPlotWidth() const;
    void refetchIfPlotsNarrowed();
    void showBackfillProblem(const QString &message);
    void rebuildCustomCharts();
    void addChart(TimeSeriesChart *chart, models::ChartHistory::Chart kind, const QString &metric);

    QPointer<models::ChartHistory> m_history;
    QList<TimeSeriesChart *> m_charts;
    QList<models::ChartHistory::Chart> m_kinds;
    QStringList m_metricOf; // per chart: the custom metric it shows (empty: a built-in chart)
    QList<models::ChartHistory::CustomChart> m_customShown;
    QWidget *m_customSection = nullptr;
    QGridLayout *m_customGrid = nullptr;
    QLabel *m_customProblems = nullptr;
    QMetaObject::Connection m_customFeed;
    bool m_largeFonts = false;
    QTimer *m_frameTimer = nullptr;
    QTimer *m_refetchTimer = nullptr; // plots narrowed: ask again when the width has settled
    QButtonGroup *m_windowButtons = nullptr;
    QToolButton *m_pauseButton = nullptr;
    QLabel *m_info = nullptr;
    QLabel *m_backfillProblem = nullptr;
    QPointer<models::ChartBackfill> m_backfill;
    int m_backfillAskedFor = 0; // the window of the last request (0: none yet)
    int m_backfillPixels = 0;   // the plot width it was asked for
    int m_windowSeconds = 300;
    bool m_paused = false;
    void renderChart(int index, qint64 from, qint64 to);
    bool prependBackfill(models::ChartHistory::Chart kind, qint64 from,
                         QList<TimeSeriesChart::Line> *lines);
    void markAllStale();
    void updateInfo();

    QList<quint64> m_drawnRevision; // per chart: the history revision it shows (0: stale)
    int m_nextChart = 0;
    qint64 m_lastFrameUs = 0;
};

} // namespace vigil::ui
