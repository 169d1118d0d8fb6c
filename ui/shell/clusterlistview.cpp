#include "ui/shell/clusterlistview.h"

#include "models/clusterlistmodel.h"
#include "ui/shell/alertcountdelegate.h"
#include "ui/widgets/tableview.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QVBoxLayout>

namespace vigil::ui {

ClusterListView::ClusterListView(models::ClusterListModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_table(new TableView(model, this))
{
    setObjectName(QStringLiteral("ClusterListView"));
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setObjectName(QStringLiteral("clusterTable"));
    m_table->setItemDelegateForColumn(models::ClusterListModel::Alerts,
                                      new AlertCountDelegate(m_table));
    auto *add = new QPushButton(tr("Add cluster…"), this);
    add->setObjectName(QStringLiteral("addClusterButton"));
    auto *edit = new QPushButton(tr("Edit…"), this);
    edit->setObjectName(QStringLiteral("editClusterButton"));
    edit->setToolTip(tr("Change the selected cluster's connection settings"));
    connect(edit, &QPushButton::clicked, this, [this] {
        const QString name = currentCluster();
        if (!name.isEmpty())
            Q_EMIT editRequested(name);
    });
    connect(m_table, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex &index) {
        if (index.isValid())
            Q_EMIT editRequested(index.data(models::CellTableModel::KeyRole).toString());
    });
    auto *remove = new QPushButton(tr("Stop watching"), this);
    remove->setToolTip(tr("Stop watching the selected cluster (its saved profile is kept)"));
    connect(add, &QPushButton::clicked, this, &ClusterListView::addRequested);
    connect(remove, &QPushButton::clicked, this, [this] {
        const QString name = currentCluster();
        if (!name.isEmpty())
            Q_EMIT removeRequested(name);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    Q_EMIT currentClusterChanged(
                        current.data(models::CellTableModel::KeyRole).toString());
            });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(edit);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
}

QString ClusterListView::currentCluster() const
{
    return m_table->currentIndex().data(models::CellTableModel::KeyRole).toString();
}

void ClusterListView::setCurrentCluster(const QString &name)
{
    const int row = m_model->rowOf(name);
    if (row < 0)
        return;
    const QModelIndex index = m_table->proxy()->mapFromSource(m_model->index(row, 0));
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
}

} // namespace vigil::ui
