#include "models/celltablemodel.h"

#include "models/swatchiconengine.h"

#include <QColor>

namespace vigil::models {

CellTableModel::CellTableModel(QStringList headers, QObject *parent)
    : KeyedTableModel(parent)
    , m_headers(std::move(headers))
{
}

int CellTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

QVariant CellTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    if (role == KeyRole)
        return row.key;
    if (index.column() >= row.cells.size())
        return {};
    const Cell &cell = row.cells.at(index.column());
    if (role == SortRole) {
        const QVariant sort = cell.value(SortRole);
        return sort.isValid() ? sort : cell.value(Qt::DisplayRole);
    }
    const QVariant value = cell.value(role);
    // A colour decoration is handed out as the colour's one shared swatch icon: a bare QColor
    // would make the delegate build a new pixmap for every paint, each one kept in QPixmapCache.
    // The cells keep the QColor, so the refresh diff still compares colours.
    if (role == Qt::DecorationRole && value.typeId() == QMetaType::QColor)
        return SwatchIconEngine::icon(value.value<QColor>());
    return value;
}

QVariant CellTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= m_headers.size())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole)
        return m_headers.at(section);
    if (role == Qt::ToolTipRole && section < m_headerToolTips.size())
        return m_headerToolTips.at(section);
    return {};
}

QString CellTableModel::keyAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).key : QString();
}

QStringList CellTableModel::keys() const
{
    QStringList out;
    out.reserve(m_rows.size());
    for (const Row &r : m_rows)
        out << r.key;
    return out;
}

void CellTableModel::setRows(QList<Row> rows)
{
    // Every row has one cell per column, so an unset trailing cell compares equal to an empty one.
    const int columns = int(m_headers.size());
    for (Row &row : rows)
        row.cells.resize(columns);
    replaceRows(rows);
}

CellTableModel::Cell CellTableModel::text(const QString &display, const QVariant &sort,
                                          const QString &toolTip)
{
    Cell c;
    c.insert(Qt::DisplayRole, display);
    if (sort.isValid())
        c.insert(SortRole, sort);
    if (!toolTip.isEmpty())
        c.insert(Qt::ToolTipRole, toolTip);
    return c;
}

} // namespace vigil::models
