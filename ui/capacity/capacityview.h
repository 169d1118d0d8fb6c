#pragma once

#include "models/capacitymodel.h"

#include <QList>
#include <QPointer>
#include <QWidget>

class QButtonGroup;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTimer;
class QToolButton;

namespace vigil::ui {

class TimeSeriesChart;

// The capacity view of the cluster on screen (the "Capacity" tab): a headline with the data
// volume's projection ("fills in about 40 days (around 14 Jan 2027)" or "not filling"), the
// databases' growth a day, and the trends of the last 7 or 30 days from the profile's
// Prometheus: free space of the data volume, database size, each member's connections peak,
// transactions per second and the WAL rate.
//
// The model (models::CapacityModel, owned by the cluster's ClusterWatch) reads on demand: when
// the page is shown with nothing read in the last kStaleMs, when the window changes, on Refresh,
// and again when the plots' width changed by a fifth (the step follows the pixels). Without a
// model (the profile names no Prometheus) the page says how to set one. A failure shows one
// sentence above the charts; the last trends stay. Lives on the UI thread.
class CapacityView : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kWeek = 7 * 86400;
    static constexpr int kMonth = 30 * 86400;
    static constexpr int kStaleMs = 5 * 60 * 1000;
    static constexpr int kRefetchDelayMs = 300;

    explicit CapacityView(QWidget *parent = nullptr);
    ~CapacityView() override;

    void setModel(models::CapacityModel *model); // not owned; null: no Prometheus
    models::CapacityModel *model() const { return m_model; }
    void setWindowSeconds(int seconds); // kWeek or kMonth
    int windowSeconds() const { return m_windowSeconds; }
    void refresh(); // reads the window again now (when a model is set)
    void setLargeFonts(bool large);

    // For tests and screenshots.
    QList<TimeSeriesChart *> charts() const { return m_charts; }
    int narrowestPlotWidth() const;
    QString headlineText() const;
    QString problemText() const;
    bool showsNoPrometheusMessage() const;

Q_SIGNALS:
    void editClusterRequested(); // "Edit cluster…" on the no-Prometheus page

protected:
    void showEvent(QShowEvent *event) override;

private:
    void showModel();
    void showProblem(const QString &message);
    void refetchIfWidthChanged();
    void applyHeadlineFont();

    QPointer<models::CapacityModel> m_model;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_headline = nullptr;
    QLabel *m_details = nullptr;
    QLabel *m_problem = nullptr;
    QLabel *m_info = nullptr;
    QPushButton *m_refresh = nullptr;
    QButtonGroup *m_windowButtons = nullptr;
    QWidget *m_chartsArea = nullptr;
    QList<TimeSeriesChart *> m_charts;
    QList<models::CapacityTrend> m_trends;
    QTimer *m_refetchTimer = nullptr;
    int m_windowSeconds = kMonth;
    int m_askedPixels = 0;
    qint64 m_askedAtMs = 0;
};

} // namespace vigil::ui
