#include "ui/overview/connectionsview.h"

#include "models/connectionbreakdownmodel.h"
#include "ui/overview/connectiongauge.h"
#include "ui/widgets/tableview.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace vigil::ui {

using models::ConnectionBreakdownModel;

ConnectionsView::ConnectionsView(QWidget *parent)
    : QWidget(parent)
    , m_member(new QComboBox(this))
    , m_gaugeLayout(new QVBoxLayout)
    , m_byState(new ConnectionBreakdownModel(ConnectionBreakdownModel::Dimension::State, this))
    , m_byApp(new ConnectionBreakdownModel(ConnectionBreakdownModel::Dimension::Application, this))
    , m_byDb(new ConnectionBreakdownModel(ConnectionBreakdownModel::Dimension::Database, this))
{
    setObjectName(QStringLiteral("ConnectionsView"));
    auto *gaugeBox = new QGroupBox(
        tr("In use against max_connections (warning at 80 %, critical at 95 %)"), this);
    gaugeBox->setLayout(m_gaugeLayout);

    auto *pick = new QHBoxLayout;
    pick->addWidget(new QLabel(tr("Client backends of:"), this));
    m_member->addItem(tr("All members"), QString());
    pick->addWidget(m_member);
    pick->addStretch(1);
    connect(m_member, &QComboBox::currentIndexChanged, this, &ConnectionsView::refreshBreakdown);

    auto *tables = new QHBoxLayout;
    for (auto *model : {m_byState, m_byApp, m_byDb}) {
        auto *view = new TableView(model, this);
        view->sortByColumn(ConnectionBreakdownModel::Count, Qt::DescendingOrder);
        tables->addWidget(view);
    }
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(gaugeBox);
    layout->addLayout(pick);
    layout->addLayout(tables, 1);
}

QString ConnectionsView::selectedMember() const
{
    return m_member->currentData().toString();
}

void ConnectionsView::setSnapshot(const services::ClusterSnapshotPtr &snapshot)
{
    m_snapshot = snapshot;
    QStringList names;
    if (snapshot)
        for (const auto &m : snapshot->members)
            names << m.name;
    // Gauges: reuse, add or remove to match the members.
    while (m_gauges.size() < names.size()) {
        auto *g = new ConnectionGauge(this);
        m_gaugeLayout->addWidget(g);
        m_gauges << g;
    }
    while (m_gauges.size() > names.size())
        delete m_gauges.takeLast();
    for (int i = 0; i < names.size(); ++i) {
        const auto &m = snapshot->members.at(i);
        const QString label = m.isLeader() ? tr("%1 (leader)").arg(m.name) : m.name;
        if (m.connections)
            m_gauges[i]->setValues(label, m.connections->total, m.connections->maxConnections);
        else
            m_gauges[i]->setValues(tr("%1 (no answer)").arg(m.name), 0, 0);
    }
    // Member choices: keep the current one selected.
    for (const QString &n : names)
        if (m_member->findData(n) < 0)
            m_member->addItem(n, n);
    for (int i = m_member->count() - 1; i >= 1; --i)
        if (!names.contains(m_member->itemData(i).toString()) && m_member->currentIndex() != i)
            m_member->removeItem(i);
    refreshBreakdown();
}

void ConnectionsView::refreshBreakdown()
{
    std::optional<services::ConnectionStats> stats;
    if (m_snapshot)
        stats = models::connectionStatsOf(*m_snapshot, selectedMember());
    m_byState->setStats(stats);
    m_byApp->setStats(stats);
    m_byDb->setStats(stats);
}

} // namespace vigil::ui
