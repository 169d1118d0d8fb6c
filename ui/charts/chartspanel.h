#pragma once

#include "models/charthistory.h"

#include <QPointer>
#include <QWidget>

class QButtonGroup;
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
// Windows: 5 min, 1 h, 24 h. Pause freezes the picture (sampling goes on); Export writes a PNG.
class ChartsPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kFrameMs = 250;
    static constexpr int kFrameBudgetMs = 8;

    explicit ChartsPanel(QWidget *parent = nullptr);
    ~ChartsPanel() override;

    void setHistory(models::ChartHistory *history); // not owned; may be null
    void setWindowSeconds(int seconds);             // 300, 3600, 86400
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

private:
    void onFrame();

    QPointer<models::ChartHistory> m_history;
    QList<TimeSeriesChart *> m_charts;
    QList<models::ChartHistory::Chart> m_kinds;
    QTimer *m_frameTimer = nullptr;
    QButtonGroup *m_windowButtons = nullptr;
    QToolButton *m_pauseButton = nullptr;
    QLabel *m_info = nullptr;
    int m_windowSeconds = 300;
    bool m_paused = false;
    void renderChart(int index, qint64 from, qint64 to);
    void markAllStale();
    void updateInfo();

    QList<quint64> m_drawnRevision; // per chart: the history revision it shows (0: stale)
    int m_nextChart = 0;
    qint64 m_lastFrameUs = 0;
};

} // namespace vigil::ui
