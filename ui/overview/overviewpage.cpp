#include "ui/overview/overviewpage.h"

#include "models/membersmodel.h"
#include "ui/overview/bannerstrip.h"
#include "ui/overview/topologywidget.h"
#include "ui/widgets/tableview.h"

#include <QEvent>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

namespace vigil::ui {

OverviewPage::OverviewPage(models::MembersModel *members, QWidget *parent)
    : QWidget(parent)
    , m_banners(new BannerStrip(this))
    , m_topology(new TopologyWidget(this))
    , m_table(new TableView(members, this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
{
    setObjectName(QStringLiteral("OverviewPage"));
    m_table->setObjectName(QStringLiteral("membersTable"));
    m_splitter->addWidget(m_topology);
    m_splitter->addWidget(m_table);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_banners);
    layout->addWidget(m_splitter, 1);
    // Room for the members as they come and go (not on every refresh).
    connect(members, &QAbstractItemModel::rowsInserted, this, [this] { fitTableToMembers(); });
    connect(members, &QAbstractItemModel::rowsRemoved, this, [this] { fitTableToMembers(); });
    connect(members, &QAbstractItemModel::modelReset, this, [this] { fitTableToMembers(); });
    fitTableToMembers();
}

void OverviewPage::fitTableToMembers()
{
    const int rows = std::clamp(m_table->model()->rowCount(), 3, 5);
    m_table->setMinimumHeight(m_table->heightForRows(rows));
}

void OverviewPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // After the table has its new row height (QApplication::setFont reaches it in turn).
    if (event->type() == QEvent::FontChange)
        QTimer::singleShot(0, this, [this] { fitTableToMembers(); });
}

void OverviewPage::setSnapshot(const services::ClusterSnapshotPtr &snapshot)
{
    m_banners->setSnapshot(snapshot);
    // The host figures' columns only when the profile's Prometheus gives some.
    const bool hosts = snapshot && models::MembersModel::hasHostFigures(*snapshot);
    for (int c : {models::MembersModel::DataFree, models::MembersModel::Cpu,
                  models::MembersModel::Memory, models::MembersModel::DiskIo})
        m_table->setColumnHidden(c, !hosts);
}

void OverviewPage::setTopologyModel(models::TopologyModel *model)
{
    m_topology->setModel(model);
}

void OverviewPage::setReadOnlyNotice(const QString &text)
{
    m_banners->setExtra(text);
}

} // namespace vigil::ui
