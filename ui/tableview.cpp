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
    // Size the columns to the first real contents (a row may arrive empty, "connecting", and get
    // its figures a refresh later), then leave the widths to the user.
    auto autoSize = [this] {
        if (m_autoSizes <= 0)
            return;
        --m_autoSizes;
        resizeColumnsToContents();
    };
    connect(source, &QAbstractItemModel::rowsInserted, this, autoSize);
    connect(source, &QAbstractItemModel::dataChanged, this, autoSize);
}

} // namespace vigil::ui
