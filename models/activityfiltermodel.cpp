#include "models/activityfiltermodel.h"

namespace vigil::models {

ActivityFilterModel::ActivityFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(ActivityTableModel::SortRole);
    setDynamicSortFilter(true);
}

void ActivityFilterModel::changed()
{
    // Qt 6.4: invalidateFilter() re-runs filterAcceptsRow for every row.
    invalidateFilter();
}

void ActivityFilterModel::setStates(const QSet<QString> &states) { m_criteria.states = states; changed(); }
void ActivityFilterModel::setApplicationPattern(const QString &p) { m_criteria.applicationPattern = p.trimmed(); changed(); }
void ActivityFilterModel::setUser(const QString &user) { m_criteria.user = user.trimmed(); changed(); }
void ActivityFilterModel::setDatabase(const QString &db) { m_criteria.database = db.trimmed(); changed(); }
void ActivityFilterModel::setMinimumDurationSeconds(double s) { m_criteria.minimumDurationSeconds = s; changed(); }
void ActivityFilterModel::setSearchText(const QString &t) { m_criteria.search = t.trimmed(); changed(); }
void ActivityFilterModel::setShowBackgroundProcesses(bool show) { m_criteria.showBackgroundProcesses = show; changed(); }

bool ActivityFilterModel::matches(const services::ActivityRow &r, const Criteria &c)
{
    if (!c.showBackgroundProcesses && !r.isClientBackend())
        return false;
    if (!c.states.isEmpty() && !c.states.contains(r.state))
        return false;
    if (!c.applicationPattern.isEmpty() && !services::ActivityService::likeMatches(c.applicationPattern, r.application))
        return false;
    if (!c.user.isEmpty() && r.user.compare(c.user, Qt::CaseInsensitive) != 0)
        return false;
    if (!c.database.isEmpty() && r.database.compare(c.database, Qt::CaseInsensitive) != 0)
        return false;
    if (c.minimumDurationSeconds > 0 && r.relevantAge().value_or(0) < c.minimumDurationSeconds)
        return false;
    if (!c.search.isEmpty()) {
        const QString hay = QString::number(r.pid) + QLatin1Char('\n') + r.user + QLatin1Char('\n') +
                            r.database + QLatin1Char('\n') + r.application + QLatin1Char('\n') +
                            r.clientAddr + QLatin1Char('\n') + r.query;
        if (!hay.contains(c.search, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

bool ActivityFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    const auto *source = qobject_cast<const ActivityTableModel *>(sourceModel());
    if (!source || sourceRow >= source->rowCount())
        return true;
    return matches(source->rowAt(sourceRow), m_criteria);
}

} // namespace vigil::models
