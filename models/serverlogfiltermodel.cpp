#include "models/serverlogfiltermodel.h"

namespace vigil::models {

bool ServerLogFilterModel::matches(const services::ServerLogEntry &entry, const Criteria &criteria)
{
    if (criteria.minimumLevel != services::ServerLogLevel::Unknown &&
        entry.level < criteria.minimumLevel)
        return false;
    return entry.contains(criteria.text);
}

ServerLogFilterModel::ServerLogFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
}

void ServerLogFilterModel::setMinimumLevel(services::ServerLogLevel level)
{
    if (level == m_criteria.minimumLevel)
        return;
    m_criteria.minimumLevel = level;
    invalidateFilter();
}

void ServerLogFilterModel::setText(const QString &text)
{
    if (text == m_criteria.text)
        return;
    m_criteria.text = text;
    invalidateFilter();
}

bool ServerLogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const auto *model = qobject_cast<const ServerLogModel *>(sourceModel());
    if (!model || sourceParent.isValid() || sourceRow >= model->rowCount())
        return false;
    return matches(model->entryAt(sourceRow), m_criteria);
}

} // namespace vigil::models
