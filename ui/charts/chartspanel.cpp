#include "ui/charts/chartspanel.h"

#include "models/downsampling.h"
#include "ui/charts/timeserieschart.h"

#include <QButtonGroup>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QScrollArea>
#include <QStandardPaths>
#include <QTimer>
#include <QToolButton>
#include <algorithm>
#include <limits>

namespace vigil::ui {

using Chart = models::ChartHistory::Chart;

namespace {
// The window ends at the newest sample (not the wall clock), so recorded data and a stalled
// monitor still show their last minutes.
qint64 windowEnd(const models::TimeSeriesStore &store)
{
    return store.size() > 0 ? store.lastTime() : QDateTime::currentMSecsSinceEpoch();
}
} // namespace

ChartsPanel::ChartsPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("ChartsPanel"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Window:"), this));
    m_windowButtons = new QButtonGroup(this);
    m_windowButtons->setExclusive(true);
    const QList<QPair<int, QString>> windows = {{300, tr("5 min")},
                                                {3600, tr("1 h")},
                                                {86400, tr("24 h")},
                                                {kWeek, tr("7 d")},
                                                {kMonth, tr("30 d")}};
    for (const auto &[seconds, label] : windows) {
        auto *b = new QToolButton(this);
        b->setText(label);
        b->setCheckable(true);
        b->setChecked(seconds == m_windowSeconds);
        b->setToolTip(tr("Show the last %1").arg(label));
        m_windowButtons->addButton(b, seconds);
        b->setVisible(seconds <= 86400); // the long windows need Prometheus
        bar->addWidget(b);
    }
    connect(m_windowButtons, &QButtonGroup::idClicked, this, &ChartsPanel::setWindowSeconds);

    m_pauseButton = new QToolButton(this);
    m_pauseButton->setText(tr("Pause"));
    m_pauseButton->setCheckable(true);
    m_pauseButton->setToolTip(tr("Freeze the charts to read them; samples are still recorded"));
    connect(m_pauseButton, &QToolButton::toggled, this, &ChartsPanel::setPaused);
    bar->addSpacing(12);
    bar->addWidget(m_pauseButton);
    auto *exportButton = new QToolButton(this);
    exportButton->setText(tr("Export PNG…"));
    exportButton->setToolTip(tr("Save a picture of the charts"));
    connect(exportButton, &QToolButton::clicked, this, &ChartsPanel::chooseExportFile);
    bar->addWidget(exportButton);
    m_info = new QLabel(this);
    m_info->setObjectName(QStringLiteral("chartsInfo"));
    bar->addSpacing(12);
    bar->addWidget(m_info, 1);

    auto *grid = new QGridLayout;
    grid->setSpacing(6);
    const QList<std::tuple<Chart, QString, TimeSeriesChart::Unit>> defs = {
        {Chart::LagBytes, tr("Replication lag (bytes)"), TimeSeriesChart::Unit::Bytes},
        {Chart::LagSeconds, tr("Replication lag (time)"), TimeSeriesChart::Unit::Seconds},
        {Chart::ConnectionsByState, tr("Connections by state"), TimeSeriesChart::Unit::Count},
        {Chart::Transactions, tr("Transactions per second"), TimeSeriesChart::Unit::PerSecond},
        {Chart::Tuples, tr("Rows inserted and updated per second"),
         TimeSeriesChart::Unit::PerSecond},
    };
    auto *content = new QWidget;
    int i = 0;
    for (const auto &[kind, title, unit] : defs) {
        auto *chart = new TimeSeriesChart(title, unit, content);
        addChart(chart, kind, QString());
        if (i == 4)
            grid->addWidget(chart, 2, 0, 1, 2);
        else
            grid->addWidget(chart, i / 2, i % 2);
        ++i;
    }
    m_backfillProblem = new QLabel(this);
    m_backfillProblem->setObjectName(QStringLiteral("chartsBackfillProblem"));
    m_backfillProblem->setWordWrap(true);
    m_backfillProblem->setStyleSheet(QStringLiteral("QLabel { color: #8a4b00; }"));
    m_backfillProblem->hide();
    // The custom metrics' charts, below the built-in ones (rebuildCustomCharts).
    m_customSection = new QWidget(content);
    m_customSection->setObjectName(QStringLiteral("customMetricsSection"));
    auto *customLayout = new QVBoxLayout(m_customSection);
    customLayout->setContentsMargins(0, 8, 0, 0);
    auto *customTitle = new QLabel(tr("<b>Custom metrics</b>"), m_customSection);
    customLayout->addWidget(customTitle);
    m_customProblems = new QLabel(m_customSection);
    m_customProblems->setObjectName(QStringLiteral("customMetricsProblems"));
    m_customProblems->setWordWrap(true);
    m_customProblems->setTextFormat(Qt::PlainText); // errors quote SQL, which may hold '<'
    m_customProblems->setStyleSheet(QStringLiteral("QLabel { color: #8a4b00; }"));
    m_customProblems->hide();
    customLayout->addWidget(m_customProblems);
    m_customGrid = new QGridLayout;
    m_customGrid->setSpacing(6);
    customLayout->addLayout(m_customGrid);
    m_customSection->hide();
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addLayout(grid, 1);
    contentLayout->addWidget(m_customSection);
    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("chartsScroll"));
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(content);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_backfillProblem);
    layout->addWidget(scroll, 1);

    markAllStale();
    m_refetchTimer = new QTimer(this);
    m_refetchTimer->setSingleShot(true);
    m_refetchTimer->setInterval(kRefetchDelayMs);
    connect(m_refetchTimer, &QTimer::timeout, this, &ChartsPanel::refetchIfPlotsNarrowed);
    m_frameTimer = new QTimer(this);
    m_frameTimer->setInterval(kFrameMs);
    m_frameTimer->setTimerType(Qt::CoarseTimer);
    connect(m_frameTimer, &QTimer::timeout, this, &ChartsPanel::onFrame);
    m_frameTimer->start();
}

ChartsPanel::~ChartsPanel() = default;

void ChartsPanel::addChart(TimeSeriesChart *chart, Chart kind, const QString &metric)
{
    connect(chart, &TimeSeriesChart::plotWidthChanged, this, [this] {
        if (m_refetchTimer) // ask again once the width settles (a drag resizes many times)
            m_refetchTimer->start();
    });
    if (m_largeFonts) // a custom chart made while the war-room fonts are on
        chart->setLargeFonts(true);
    m_charts << chart;
    m_kinds << kind;
    m_metricOf << metric;
}

void ChartsPanel::rebuildCustomCharts()
{
    const QList<models::ChartHistory::CustomChart> wanted =
        m_history ? m_history->customCharts() : QList<models::ChartHistory::CustomChart>();
    QStringList problems;
    for (const auto &c : wanted)
        if (!c.error.isEmpty())
            problems << tr("%1: %2").arg(c.name, c.error);
    m_customProblems->setText(problems.join(QLatin1Char('\n')));
    m_customProblems->setVisible(!problems.isEmpty());
    m_customSection->setVisible(!wanted.isEmpty());

    // The charts are made again only when the metrics (names, units) change, not for an error.
    const auto sameCharts = [&] {
        if (wanted.size() != m_customShown.size())
            return false;
        for (int i = 0; i < wanted.size(); ++i)
            if (wanted.at(i).name != m_customShown.at(i).name ||
                wanted.at(i).unit != m_customShown.at(i).unit)
                return false;
        return true;
    };
    if (sameCharts())
        return;
    m_customShown = wanted;
    for (int i = int(m_charts.size()) - 1; i >= 0; --i)
        if (m_kinds.at(i) == Chart::Custom) {
            delete m_charts.takeAt(i);
            m_kinds.removeAt(i);
            m_metricOf.removeAt(i);
        }
    m_nextChart = 0;
    int i = 0;
    for (const auto &c : wanted) {
        const QString title = c.unit.isEmpty() ? c.name : tr("%1 (%2)").arg(c.name, c.unit);
        auto *chart = new TimeSeriesChart(title, TimeSeriesChart::Unit::Custom, m_customSection);
        chart->setObjectName(QStringLiteral("customChart"));
        chart->setUnitName(c.unit);
        chart->setMinimumHeight(220);
        addChart(chart, Chart::Custom, c.name);
        m_customGrid->addWidget(chart, i / 2, i % 2);
        ++i;
    }
    markAllStale();
}

void ChartsPanel::markAllStale()
{
    m_drawnRevision = QList<quint64>(m_charts.size(), 0);
}

void ChartsPanel::setHistory(models::ChartHistory *history)
{
    disconnect(m_customFeed);
    m_history = history;
    if (history)
        m_customFeed = connect(history, &models::ChartHistory::customChartsChanged, this,
                               &ChartsPanel::rebuildCustomCharts);
    rebuildCustomCharts();
    markAllStale();
}

void ChartsPanel::setBackfill(models::ChartBackfill *backfill)
{
    if (m_backfill == backfill)
        return;
    if (m_backfill)
        disconnect(m_backfill, nullptr, this, nullptr);
    m_backfill = backfill;
    m_backfillAskedFor = 0;
    for (int seconds : {kWeek, kMonth})
        m_windowButtons->button(seconds)->setVisible(backfill != nullptr);
    if (!backfill && m_windowSeconds > 86400)
        setWindowSeconds(86400);
    showBackfillProblem(backfill ? backfill->problem() : QString());
    if (backfill) {
        connect(backfill, &models::ChartBackfill::updated, this, &ChartsPanel::markAllStale);
        connect(backfill, &models::ChartBackfill::problemChanged, this,
                &ChartsPanel::showBackfillProblem);
        if (isVisible())
            requestBackfill();
    }
    markAllStale();
}

void ChartsPanel::showBackfillProblem(const QString &message)
{
    m_backfillProblem->setText(message);
    m_backfillProblem->setVisible(!message.isEmpty());
}

void ChartsPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_backfill && m_backfillAskedFor != m_windowSeconds)
        requestBackfill();
}

void ChartsPanel::requestBackfill()
{
    if (!m_backfill)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 seam =
        m_history && m_history->store().size() > 0 ? m_history->store().firstTime() : now;
    const qint64 to = m_history ? windowEnd(m_history->store()) : now;
    const int pixels = narrowestPlotWidth(); // no chart gets more points than it has pixels
    m_backfillAskedFor = m_windowSeconds;
    m_backfillPixels = pixels;
    m_backfill->request(to - qint64(m_windowSeconds) * 1000, seam, pixels);
}

int ChartsPanel::narrowestPlotWidth() const
{
    int pixels = std::numeric_limits<int>::max();
    for (TimeSeriesChart *c : std::as_const(m_charts))
        pixels = qMin(pixels, c->plotWidth());
    return pixels;
}

void ChartsPanel::refetchIfPlotsNarrowed()
{
    // A new window relabels the time axis, and wider labels narrow the plots only when the
    // charts are laid out again, after the history was asked for (24 h: ~593 px asked, 573 px
    // drawn, 596 points fetched). Asked again for the narrower width; a wider plot needs
    // nothing.
    if (m_backfill && m_backfillAskedFor == m_windowSeconds &&
        narrowestPlotWidth() < m_backfillPixels)
        requestBackfill();
}

void ChartsPanel::setWindowSeconds(int seconds)
{
    const bool longWindow = (seconds == kWeek || seconds == kMonth) && m_backfill;
    if (seconds != 300 && seconds != 3600 && seconds != 86400 && !longWindow)
        return;
    if (auto *b = m_windowButtons->button(seconds))
        b->setChecked(true);
    if (seconds == m_windowSeconds)
        return;
    m_windowSeconds = seconds;
    markAllStale();
    if (isVisible())
        requestBackfill();
    Q_EMIT windowSecondsChanged(seconds);
}

void ChartsPanel::setPaused(bool paused)
{
    m_paused = paused;
    if (m_pauseButton->isChecked() != paused)
        m_pauseButton->setChecked(paused);
    m_pauseButton->setText(paused ? tr("Resume") : tr("Pause"));
    if (paused)
        m_info->setText(
            tr("Paused at %1 — samples are still recorded.")
                .arg(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"))));
}

void ChartsPanel::setLargeFonts(bool large)
{
    m_largeFonts = large;
    for (TimeSeriesChart *c : m_charts)
        c->setLargeFonts(large);
    markAllStale();
}

void ChartsPanel::onFrame()
{
    if (m_paused || !isVisible() || !m_history)
        return;
    const quint64 revision = m_history->revision();
    const qint64 to = windowEnd(m_history->store());
    const qint64 from = to - qint64(m_windowSeconds) * 1000;
    QElapsedTimer budget;
    budget.start();
    qint64 cost = 0;
    bool drew = false;
    for (int n = 0; n < m_charts.size(); ++n) {
        const int i = (m_nextChart + n) % int(m_charts.size());
        if (m_drawnRevision.at(i) == revision)
            continue;
        if (drew && budget.elapsed() >= kFrameBudgetMs)
            break;
        renderChart(i, from, to);
        m_drawnRevision[i] = revision;
        m_nextChart = (i + 1) % int(m_charts.size());
        drew = true;
    }
    if (drew) {
        cost = budget.nsecsElapsed() / 1000;
        m_lastFrameUs = cost;
        updateInfo();
    }
}

void ChartsPanel::renderChart(int index, qint64 from, qint64 to)
{
    TimeSeriesChart *chart = m_charts.at(index);
    // Min/max per bucket gives up to two points per bucket: one bucket per two pixels keeps the
    // point count at about the plot's width.
    const int buckets = qMax(50, chart->plotWidth() / 2);
    QList<TimeSeriesChart::Line> lines;
    const bool custom = m_kinds.at(index) == Chart::Custom;
    for (const auto &s : custom ? m_history->customSeries(m_metricOf.at(index))
                                : m_history->series(m_kinds.at(index)))
        lines.append(
            {s.label, models::minMaxDownsample(m_history->store(), s.index, from, to, buckets)});
    const bool joined = !custom && m_backfill && prependBackfill(m_kinds.at(index), from, &lines);
    chart->setSeam(joined ? m_backfill->seamMs() : 0,
                   joined ? tr("before %1 from Prometheus")
                                .arg(QDateTime::fromMSecsSinceEpoch(m_backfill->seamMs())
                                         .toString(QStringLiteral("HH:mm")))
                          : QString());
    chart->setLines(lines, from, to);
}

bool ChartsPanel::prependBackfill(Chart kind, qint64 from, QList<TimeSeriesChart::Line> *lines)
{
    // Prometheus's points (all before the seam) go in front of the live line of the same label,
    // in one series: the line runs on across the seam. Labels gone since have their own line.
    bool any = false;
    for (const models::ChartBackfill::Line &old : m_backfill->lines(kind)) {
        auto first = std::lower_bound(old.points.begin(), old.points.end(), double(from),
                                      [](const QPointF &p, double t) { return p.x() < t; });
        if (first == old.points.end())
            continue;
        QList<QPointF> points(first, old.points.end());
        auto live = std::find_if(lines->begin(), lines->end(), [&](const TimeSeriesChart::Line &l) {
            return l.label == old.label;
        });
        if (live == lines->end()) {
            // A series that is all zero before the seam and absent now (postgres_exporter lists
            // every state, even unused ones) would only add a flat line to the legend.
            if (std::all_of(points.begin(), points.end(),
                            [](const QPointF &p) { return p.y() == 0; }))
                continue;
            lines->append({old.label, points});
        } else {
            live->points = points + live->points;
        }
        any = true;
    }
    return any;
}

void ChartsPanel::renderFrame()
{
    if (!m_history)
        return;
    QElapsedTimer cost;
    cost.start();
    const qint64 to = windowEnd(m_history->store());
    const qint64 from = to - qint64(m_windowSeconds) * 1000;
    for (int i = 0; i < m_charts.size(); ++i) {
        renderChart(i, from, to);
        m_drawnRevision[i] = m_history->revision();
    }
    m_lastFrameUs = cost.nsecsElapsed() / 1000;
    updateInfo();
}

void ChartsPanel::updateInfo()
{
    if (m_paused || !m_history)
        return;
    const models::TimeSeriesStore &store = m_history->store();
    m_info->setText(store.size() > 0 ? tr("%1 samples kept, since %2.")
                                           .arg(store.size())
                                           .arg(QDateTime::fromMSecsSinceEpoch(store.firstTime())
                                                    .toString(QStringLiteral("HH:mm:ss")))
                                     : tr("Waiting for the first samples…"));
}

bool ChartsPanel::exportPng(const QString &path)
{
    return grab().save(path, "PNG");
}

void ChartsPanel::chooseExportFile()
{
    // Window-modal and asynchronous (open(), not exec()): no nested event loop, monitoring goes on.
    const QString suggested =
        QStandardPaths::writableLocation(QStandardPaths::PicturesLocation) +
        QStringLiteral("/vigil-charts-%1.png")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    auto *dialog = new QFileDialog(this, tr("Export charts"), suggested, tr("PNG images (*.png)"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("png"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        if (!exportPng(path)) {
            auto *box = new QMessageBox(QMessageBox::Warning, tr("Export charts"),
                                        tr("The picture could not be written to %1.").arg(path),
                                        QMessageBox::Ok, this);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
    });
    dialog->open();
}

} // namespace vigil::ui
