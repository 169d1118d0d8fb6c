#pragma once

#include <QTableView>

class QSortFilterProxyModel;

namespace vigil::ui {

// The table every overview screen uses: sorted through a proxy on RowDiffModel::SortRole,
// whole-row selection, no editing, alternating rows, columns sized to their contents once the
// first rows arrive (then left to the user). Selection and scroll position survive refreshes
// because the models below never reset.
class TableView : public QTableView
{
    Q_OBJECT
public:
    explicit TableView(QAbstractItemModel *source, QWidget *parent = nullptr);
    QSortFilterProxyModel *proxy() const { return m_proxy; }

private:
    QSortFilterProxyModel *m_proxy;
    int m_autoSizes = 3;
};

} // namespace vigil::ui
