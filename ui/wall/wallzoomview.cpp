#include "ui/wall/wallzoomview.h"

#include "models/clusterwatch.h"
#include "ui/charts/chartspanel.h"
#include "ui/overview/topologywidget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace vigil::ui {

WallZoomView::WallZoomView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("wallZoom"));
    setContextMenuPolicy(Qt::NoContextMenu);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("wallZoomTitle"));
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 2.0);
    big.setBold(true);
    m_title->setFont(big);
    auto *hint = new QLabel(tr("Esc: back to all clusters"), this);
    QFont hintFont = font();
    hintFont.setPointSizeF(hintFont.pointSizeF() * 1.3);
    hint->setFont(hintFont);

    m_topology = new TopologyWidget(this);
    QFont topologyFont = font();
    topologyFont.setPointSizeF(topologyFont.pointSizeF() * 1.4);
    m_topology->setFont(topologyFont);
    m_charts = new ChartsPanel(this);
    m_charts->setLargeFonts(true);
    // Read-only and without dialogs: the one button of the panel that opens one goes.
    for (QToolButton *b : m_charts->findChildren<QToolButton *>())
        if (b->text() == ChartsPanel::tr("Export PNG…"))
            delete b;

    auto *header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(hint);
    auto *body = new QHBoxLayout;
    body->addWidget(m_topology, 2);
    body->addWidget(m_charts, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addLayout(body, 1);
}

void WallZoomView::showCluster(models::ClusterWatch *watch, const QString &title)
{
    m_cluster = watch ? watch->profileName() : QString();
    m_title->setText(title);
    m_topology->setModel(watch ? watch->topology() : nullptr);
    m_charts->setHistory(watch ? watch->history() : nullptr);
}

} // namespace vigil::ui
