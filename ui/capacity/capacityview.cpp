#include "ui/capacity/capacityview.h"

#include "ui/charts/timeserieschart.h"

#include <QApplication>
#include <QButtonGroup>
#include <QDateTime>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <limits>

namespace vigil::ui {

using models::CapacityTrend;
using Unit = TimeSeriesChart::Unit;

CapacityView::CapacityView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("CapacityView"));

    // Page 0: the profile names no Prometheus.
    auto *none = new QWidget(this);
    auto *noneText = new QLabel(
        tr("<p><b>The capacity view needs the cluster's Prometheus.</b></p>"
           "<p>It shows 30 days of database size, connections, transactions and WAL, and when "
           "the data volume fills, from the history Prometheus keeps. This cluster's profile "
           "names none: set its URL and the label matchers that select this cluster in "
           "File → Edit cluster… (Ctrl+Shift+E), section Prometheus.</p>"),
        none);
    noneText->setObjectName(QStringLiteral("capacityNoPrometheus"));
    noneText->setWordWrap(true);
    // A fixed width, so that the wrapped text's height is known from it.
    noneText->setFixedWidth(noneText->fontMetrics().averageCharWidth() * 72);
    auto *edit = new QPushButton(tr("Edit cluster…"), none);
    connect(edit, &QPushButton::clicked, this, &CapacityView::editClusterRequested);
    auto *noneLayout = new QVBoxLayout(none);
    noneLayout->addStretch(1);
    auto *centred = new QHBoxLayout; // not an alignment: that would lose heightForWidth
    centred->addStretch(1);
    centred->addWidget(noneText);
    centred->addStretch(1);
    noneLayout->addLayout(centred);
    noneLayout->addWidget(edit, 0, Qt::AlignHCenter);
    noneLayout->addStretch(2);

    // Page 1: the trends.
    auto *page = new QWidget(this);
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Window:"), page));
    m_windowButtons = new QButtonGroup(this);
    m_windowButtons->setExclusive(true);
    for (const auto &[seconds, label] :
         QList<QPair<int, QString>>{{kWeek, tr("7 d")}, {kMonth, tr("30 d")}}) {
        auto *b = new QToolButton(page);
        b->setText(label);
        b->setCheckable(true);
        b->setChecked(seconds == m_windowSeconds);
        b->setToolTip(tr("Trends and projection over the last %1").arg(label));
        m_windowButtons->addButton(b, seconds);
        bar->addWidget(b);
    }
    connect(m_windowButtons, &QButtonGroup::idClicked, this, &CapacityView::setWindowSeconds);
    m_refresh = new QPushButton(tr("&Refresh"), page);
    m_refresh->setToolTip(tr("Read the trends from Prometheus again"));
    connect(m_refresh, &QPushButton::clicked, this, &CapacityView::refresh);
    bar->addSpacing(12);
    bar->addWidget(m_refresh);
    m_info = new QLabel(page);
    m_info->setObjectName(QStringLiteral("capacityInfo"));
    bar->addSpacing(12);
    bar->addWidget(m_info, 1);

    m_headline = new QLabel(page);
    m_headline->setObjectName(QStringLiteral("capacityHeadline"));
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details = new QLabel(page);
    m_details->setObjectName(QStringLiteral("capacityDetails"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problem = new QLabel(page);
    m_problem->setObjectName(QStringLiteral("capacityProblem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("QLabel { color: #8a4b00; }"));
    m_problem->hide();

    m_chartsArea = new QWidget(page);
    auto *grid = new QGridLayout(m_chartsArea);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(6);
    const QList<std::tuple<CapacityTrend, QString, Unit>> defs = {
        {CapacityTrend::VolumeFree, tr("Free space on the data volume"), Unit::Bytes},
        {CapacityTrend::DatabaseSize, tr("Database size"), Unit::Bytes},
        {CapacityTrend::ConnectionsPeak, tr("Connections peak per member"), Unit::Count},
        {CapacityTrend::Transactions, tr("Transactions per second"), Unit::PerSecond},
        {CapacityTrend::WalRate, tr("WAL written per second"), Unit::Bytes},
    };
    for (const auto &[trend, title, unit] : defs) {
        auto *chart = new TimeSeriesChart(title, unit, m_chartsArea);
        connect(chart, &TimeSeriesChart::plotWidthChanged, this, [this] {
            if (m_refetchTimer) // ask again once the width settles (a drag resizes many times)
                m_refetchTimer->start();
        });
        const int i = int(m_charts.size());
        if (i == 4)
            grid->addWidget(chart, 2, 0, 1, 2);
        else
            grid->addWidget(chart, i / 2, i % 2);
        m_charts << chart;
        m_trends << trend;
    }
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addSpacing(4);
    layout->addWidget(m_headline);
    layout->addWidget(m_details);
    layout->addWidget(m_problem);
    layout->addSpacing(4);
    layout->addWidget(m_chartsArea, 1);
    layout->addStretch(0);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(none);
    m_stack->addWidget(page);
    auto *outer = new QVBoxLayout(this);
    outer->addWidget(m_stack);

    m_refetchTimer = new QTimer(this);
    m_refetchTimer->setSingleShot(true);
    m_refetchTimer->setInterval(kRefetchDelayMs);
    connect(m_refetchTimer, &QTimer::timeout, this, &CapacityView::refetchIfWidthChanged);
    applyHeadlineFont();
    setModel(nullptr);
}

CapacityView::~CapacityView() = default;

void CapacityView::setModel(models::CapacityModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    m_askedPixels = 0;
    m_askedAtMs = 0;
    m_stack->setCurrentIndex(model ? 1 : 0);
    if (model) {
        connect(model, &models::CapacityModel::updated, this, &CapacityView::showModel);
        connect(model, &models::CapacityModel::problemChanged, this, &CapacityView::showProblem);
        connect(model, &models::CapacityModel::busyChanged, this, &CapacityView::showModel);
        connect(model, &QObject::destroyed, this, [this] { setModel(nullptr); });
        showProblem(model->problem());
    }
    showModel();
    if (model && isVisible())
        refresh();
}

void CapacityView::setWindowSeconds(int seconds)
{
    if (seconds != kWeek && seconds != kMonth)
        return;
    if (QAbstractButton *b = m_windowButtons->button(seconds))
        b->setChecked(true);
    if (seconds == m_windowSeconds)
        return;
    m_windowSeconds = seconds;
    refresh();
}

int CapacityView::narrowestPlotWidth() const
{
    int pixels = std::numeric_limits<int>::max();
    for (const TimeSeriesChart *c : m_charts)
        pixels = qMin(pixels, c->plotWidth());
    return pixels;
}

void CapacityView::refresh()
{
    if (!m_model)
        return;
    m_askedPixels = narrowestPlotWidth();
    m_askedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_model->request(m_windowSeconds, m_askedPixels);
    showModel();
}

void CapacityView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_model &&
        (m_askedAtMs == 0 || QDateTime::currentMSecsSinceEpoch() - m_askedAtMs > kStaleMs))
        refresh();
}

void CapacityView::refetchIfWidthChanged()
{
    if (!m_model || !isVisible() || m_askedPixels <= 0)
        return;
    // Narrower: too many points for the plot; much wider: a coarser line than it could show.
    const int pixels = narrowestPlotWidth();
    if (pixels < m_askedPixels || pixels > m_askedPixels * 6 / 5) {
        m_askedPixels = pixels;
        m_model->request(m_windowSeconds, pixels);
    }
}

void CapacityView::showModel()
{
    if (!m_model) {
        for (TimeSeriesChart *c : std::as_const(m_charts))
            c->setLines({}, 0, 1);
        return;
    }
    QString headline = m_model->headline();
    if (headline.isEmpty())
        headline = tr("No trends read yet.");
    m_headline->setText(headline);
    m_details->setText(m_model->details());
    m_details->setVisible(!m_model->details().isEmpty());
    const models::CapacityModel::Plan plan = m_model->lastPlan();
    if (m_model->busy())
        m_info->setText(tr("Reading from %1…").arg(m_model->sourceName()));
    else if (m_model->hasData())
        m_info->setText(tr("From %1, a point every %2.")
                            .arg(m_model->sourceName(),
                                 plan.stepSeconds >= 3600
                                     ? tr("%1 h %2 min")
                                           .arg(plan.stepSeconds / 3600)
                                           .arg(plan.stepSeconds % 3600 / 60)
                                     : tr("%1 min").arg(qMax(1, plan.stepSeconds / 60))));
    else
        m_info->clear();
    m_refresh->setEnabled(!m_model->busy());
    // Empty plots with a made-up time axis say nothing: no charts until a window was read.
    m_chartsArea->setVisible(m_model->hasData());
    if (!m_model->hasData())
        return;
    for (int i = 0; i < m_charts.size(); ++i) {
        QList<TimeSeriesChart::Line> lines;
        for (const models::CapacityModel::Line &l : m_model->lines(m_trends.at(i)))
            lines.append({l.label, l.points});
        m_charts.at(i)->setLines(lines, plan.startMs, plan.endMs);
    }
}

void CapacityView::showProblem(const QString &message)
{
    m_problem->setText(message);
    m_problem->setVisible(!message.isEmpty());
}

void CapacityView::applyHeadlineFont()
{
    // QApplication::setFont() reaches widgets later, through events: take the new font directly.
    QFont f = QApplication::font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.25);
    m_headline->setFont(f);
}

void CapacityView::setLargeFonts(bool large)
{
    applyHeadlineFont();
    for (TimeSeriesChart *c : std::as_const(m_charts))
        c->setLargeFonts(large);
}

QString CapacityView::headlineText() const
{
    return m_headline->text();
}

QString CapacityView::problemText() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

bool CapacityView::showsNoPrometheusMessage() const
{
    return m_stack->currentIndex() == 0;
}

} // namespace vigil::ui
