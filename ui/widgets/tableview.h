#pragma once

#include <QSet>
#include <QTableView>

class QSortFilterProxyModel;

namespace vigil::ui {

// The table every overview screen uses: sorted through a proxy on CellTableModel::SortRole,
// whole-row selection, no editing, alternating rows, columns sized to their contents once the
// first rows arrive (then left to the user), and again when the font changes (war-room mode).
// Selection and scroll position survive refreshes because the models below never reset.
class TableView : public QTableView
{
    Q_OBJECT
public:
    explicit TableView(QAbstractItemModel *source, QWidget *parent = nullptr);
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    // Width the table needs to show every column at its current size without a scroll bar.
    int contentsWidth() const;
    // True when no visible column is narrower than its contents (nothing is elided).
    bool allColumnsFit() const;
    // Height that shows the header and `rows` rows in the current font, with room for the
    // horizontal scroll bar.
    int heightForRows(int rows) const;

Q_SIGNALS:
    // The columns were fitted to their contents (first contents, or a new font).
    void columnsFitted();
    // Some column grew for longer contents after the fit (see growColumns).
    void columnsGrew();

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void fitColumns();
    void growColumns();
    void fitRowHeight(); // the one row height, from the font

    QSortFilterProxyModel *m_proxy;
    int m_autoSizes = 3;
    bool m_fitPending = false;
    bool m_fitOnShow = false;   // contents came while hidden: fit when shown
    bool m_growPending = false; // one measurement per event-loop turn
    bool m_resizing = false;    // our own resizes are not the user's
    QSet<int> m_userSized;      // columns the user has resized by hand
};

} // namespace vigil::ui
