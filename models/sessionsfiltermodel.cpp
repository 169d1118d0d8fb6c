#include "models/sessionsfiltermodel.h"

namespace vigil::models {

SessionsFilterModel::SessionsFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(SessionsTableModel::SortRole);
    setDynamicSortFilter(true);
}

void SessionsFilterModel::changed()
{
    // Qt 6.4: invalidateFilter() re-runs filterAcceptsRow for every row.
    invalidateFilter();
}

void SessionsFilterModel::setStates(const QSet<QString> &states)
{
    m_criteria.states = states;
    changed();
}
void SessionsFilterModel::setApplicationPattern(const QString &p)
{
    m_criteria.applicationPattern = p.trimmed();
    changed();
}
void SessionsFilterModel::setUser(const QString &user)
{
    m_criteria.user = user.trimmed();
    changed();
}
void SessionsFilterModel::setDatabase(const QString &db)
{
    m_criteria.database = db.trimmed();
    changed();
}
void SessionsFilterModel::setMinimumDurationSeconds(double s)
{
    m_criteria.minimumDurationSeconds = s;
    changed();
}
void SessionsFilterModel::setSearchText(const QString &t)
{
    m_criteria.search = t.trimmed();
    changed();
}
void SessionsFilterModel::setShowBackgroundProcesses(bool show)
{
    m_criteria.showBackgroundProcesses = show;
    changed();
}

bool SessionsFilterModel::matches(const services::SessionRow &r, const Criteria &c)
{
    if (!c.showBackgroundProcesses && !r.isClientBackend())
        return false;
    if (!c.states.isEmpty() && !c.states.contains(r.state))
        return false;
    if (!c.applicationPattern.isEmpty() &&
        !services::SessionsService::likeMatches(c.applicationPattern, r.application))
        return false;
    if (!c.user.isEmpty() && r.user.compare(c.user, Qt::CaseInsensitive) != 0)
        return false;
    if (!c.database.isEmpty() && r.database.compare(c.database, Qt::CaseInsensitive) != 0)
        return false;
    if (c.minimumDurationSeconds > 0 && r.relevantAge().value_or(0) < c.minimumDurationSeconds)
        return false;
    if (!c.search.isEmpty()) {
        const QString hay = QString::number(r.pid) + QLatin1Char('\n') + r.user +
                            QLatin1Char('\n') + r.database + QLatin1Char('\n') + r.application +
                            QLatin1Char('\n') + r.clientAddr + QLatin1Char('\n') + r.query;
        if (!hay.contains(c.search, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

bool SessionsFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    const auto *source = qobject_cast<const SessionsTableModel *>(sourceModel());
    if (!source || sourceRow >= source->rowCount())
        return true;
    return matches(source->rowAt(sourceRow), m_criteria);
}

} // namespace vigil::models
