#include "ui/wall/wallview.h"

#include "models/clusterwatch.h"
#include "ui/wall/walltile.h"
#include "ui/wall/wallzoomview.h"

#include <QEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QStackedLayout>
#include <QTimer>

namespace vigil::ui {

namespace {
constexpr double kGap = 10;
constexpr int kTickMs = 1000;
} // namespace

struct WallView::Cluster
{
    Cluster(const QString &name, int intervalMs)
        : watch(name, intervalMs)
        , state(name, intervalMs)
    {
    }
    models::ClusterWatch watch;
    models::WallTileState state;
    WallTile *tile = nullptr; // owned by the grid page
};

WallView::WallView(QWidget *parent)
    : QWidget(parent)
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
    setObjectName(QStringLiteral("wallView"));
    setWindowTitle(tr("Vigil — wall"));
    setContextMenuPolicy(Qt::NoContextMenu);
    QPalette dark = palette();
    dark.setColor(QPalette::Window, QColor(0x10, 0x12, 0x16));
    dark.setColor(QPalette::WindowText, QColor(0xf0, 0xf0, 0xf0));
    // The zoomed topology fills its boxes with Base and writes in WindowText: both dark-theme,
    // or its white text lands on white boxes.
    dark.setColor(QPalette::Base, QColor(0x1e, 0x22, 0x2a));
    dark.setColor(QPalette::Text, QColor(0xf0, 0xf0, 0xf0));
    setPalette(dark);
    setAutoFillBackground(true);

    m_gridPage = new QWidget(this);
    m_gridPage->installEventFilter(this);
    m_problem = new QLabel(m_gridPage);
    m_problem->setObjectName(QStringLiteral("wallProblem"));
    m_problem->setWordWrap(true);
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    m_problem->setFont(big);
    m_problem->setStyleSheet(QStringLiteral("color: #ffffff; background: #b01e1e; padding: 6px;"));
    m_problem->hide();
    m_zoom = new WallZoomView(this);
    m_pages = new QStackedLayout(this);
    m_pages->setContentsMargins(kGap, kGap, kGap, kGap);
    m_pages->addWidget(m_gridPage);
    m_pages->addWidget(m_zoom);

    m_tick = new QTimer(this);
    m_tick->setInterval(kTickMs);
    m_tick->setTimerType(Qt::CoarseTimer);
    connect(m_tick, &QTimer::timeout, this, &WallView::refreshTiles);
    m_tick->start();
}

WallView::~WallView() = default;

WallView::Cluster *WallView::find(const QString &profileName) const
{
    for (const auto &c : m_clusters)
        if (c->watch.profileName() == profileName)
            return c.get();
    return nullptr;
}

void WallView::addCluster(const QString &profileName, int intervalMs)
{
    if (find(profileName))
        return;
    auto cluster = std::make_unique<Cluster>(profileName, intervalMs);
    cluster->tile = new WallTile(profileName, m_gridPage);
    cluster->tile->setSummary(cluster->state.summary(m_clock()));
    connect(cluster->tile, &WallTile::activated, this, &WallView::zoomTo);
    WallTile *tile = cluster->tile;
    connect(tile, &WallTile::moveRequested, this,
            [this, tile](int dx, int dy) { moveFocus(tile, dx, dy); });
    tile->show();
    m_clusters.push_back(std::move(cluster));
    layoutTiles();
}

QStringList WallView::clusters() const
{
    QStringList names;
    for (const auto &c : m_clusters)
        names << c->watch.profileName();
    return names;
}

void WallView::showSnapshot(const services::ClusterSnapshotPtr &snapshot)
{
    Cluster *c = snapshot ? find(snapshot->profileName) : nullptr;
    if (!c)
        return;
    c->watch.ingest(snapshot);
    c->state.ingest(snapshot);
    c->tile->setSummary(c->state.summary(m_clock()));
}

void WallView::showProblem(const QString &text)
{
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
    layoutTiles();
}

WallTile *WallView::tile(const QString &profileName) const
{
    Cluster *c = find(profileName);
    return c ? c->tile : nullptr;
}

models::ClusterWatch *WallView::watch(const QString &profileName) const
{
    Cluster *c = find(profileName);
    return c ? &c->watch : nullptr;
}

void WallView::zoomTo(const QString &profileName)
{
    Cluster *c = find(profileName);
    if (!c)
        return;
    m_zoom->showCluster(&c->watch, c->tile->summary().name);
    m_pages->setCurrentWidget(m_zoom);
    setFocus(Qt::OtherFocusReason); // Esc reaches the wall, whatever had the focus
}

void WallView::showGrid()
{
    const QString was = m_zoom->cluster();
    m_zoom->showCluster(nullptr, QString());
    m_pages->setCurrentWidget(m_gridPage);
    if (WallTile *t = tile(was))
        t->setFocus(Qt::OtherFocusReason);
}

QString WallView::zoomedCluster() const
{
    return m_pages->currentWidget() == m_zoom ? m_zoom->cluster() : QString();
}

void WallView::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
    refreshTiles();
}

void WallView::refreshTiles()
{
    const QDateTime now = m_clock();
    for (const auto &c : m_clusters)
        c->tile->setSummary(c->state.summary(now));
}

void WallView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape && !zoomedCluster().isEmpty()) {
        showGrid();
        return;
    }
    QWidget::keyPressEvent(event);
}

bool WallView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_gridPage && event->type() == QEvent::Resize)
        layoutTiles();
    return QWidget::eventFilter(watched, event);
}

void WallView::layoutTiles()
{
    QRectF area = m_gridPage->rect();
    if (m_problem->isVisible()) {
        const int h = m_problem->heightForWidth(int(area.width()));
        m_problem->setGeometry(0, 0, int(area.width()), std::max(h, 0));
        area.setTop(h + kGap);
    }
    m_grid = models::wallGrid(int(m_clusters.size()), area.size(), models::kWallTileAspect, kGap);
    if (m_grid.columns == 0)
        return;
    // The grid is centred; tiles keep the aspect the grid was chosen for.
    const double w = m_grid.tileWidth, h = m_grid.tileHeight;
    const double left =
        area.left() + (area.width() - (w * m_grid.columns + kGap * (m_grid.columns - 1))) / 2;
    const double top =
        area.top() + (area.height() - (h * m_grid.rows + kGap * (m_grid.rows - 1))) / 2;
    for (size_t i = 0; i < m_clusters.size(); ++i) {
        const int row = int(i) / m_grid.columns, column = int(i) % m_grid.columns;
        m_clusters[i]->tile->setGeometry(
            QRectF(left + column * (w + kGap), top + row * (h + kGap), w, h).toRect());
    }
}

void WallView::moveFocus(WallTile *from, int dx, int dy)
{
    if (m_grid.columns == 0)
        return;
    int index = -1;
    for (size_t i = 0; i < m_clusters.size(); ++i)
        if (m_clusters[i]->tile == from)
            index = int(i);
    if (index < 0)
        return;
    const int target = index + dx + dy * m_grid.columns;
    if (target >= 0 && target < int(m_clusters.size()))
        m_clusters[size_t(target)]->tile->setFocus(Qt::OtherFocusReason);
}

} // namespace vigil::ui
