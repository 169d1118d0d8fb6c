#include "ui/tableview.h"

#include "models/rowdiffmodel.h"

#include <QHeaderView>
#include <QSortFilterProxyModel>

namespace vigil::ui {

TableView::TableView(QAbstractItemModel *source, QWidget *parent)
    : QTableView(parent)
    , m_proxy(new QSortFilterProxyModel(this))
{
    m_proxy->setSourceModel(source);
    m_proxy->setSortRole(models::RowDiffModel::SortRole);
    m_proxy->setDynamicSortFilter(true);
    setModel(m_proxy);
    setSortingEnabled(true);
    sortByColumn(0, Qt::AscendingOrder);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setCornerButtonEnabled(false);
    verticalHeader()->setVisible(false);
    verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setHighlightSections(false);
    horizontalHeader()->setSectionsMovable(true);
    connect(source, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_sized)
            return;
        resizeColumnsToContents();
        m_sized = true;
    });
}

} // namespace vigil::ui
