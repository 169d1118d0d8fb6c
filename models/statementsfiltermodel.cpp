#include "models/statementsfiltermodel.h"

#include "models/statementstablemodel.h"

namespace vigil::models {

StatementsFilterModel::StatementsFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(StatementsTableModel::SortRole);
    setDynamicSortFilter(true);
}

void StatementsFilterModel::setQueryText(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}
void StatementsFilterModel::setUser(const QString &user)
{
    m_user = user.trimmed();
    invalidateFilter();
}
void StatementsFilterModel::setDatabase(const QString &db)
{
    m_database = db.trimmed();
    invalidateFilter();
}

bool StatementsFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const auto *m = qobject_cast<const StatementsTableModel *>(sourceModel());
    if (!m || sourceParent.isValid())
        return true;
    const auto &r = m->rowAt(sourceRow);
    if (!m_text.isEmpty() && !r.query.contains(m_text, Qt::CaseInsensitive))
        return false;
    if (!m_user.isEmpty() && r.user != m_user)
        return false;
    if (!m_database.isEmpty() && r.database != m_database)
        return false;
    return true;
}

} // namespace vigil::models
