#pragma once

#include "models/sessionstablemodel.h"

#include <QSet>
#include <QSortFilterProxyModel>

namespace vigil::models {

// Filters and sorts an SessionsTableModel: by state, application (SQL LIKE pattern, e.g.
// "hokm%"), user, database, a minimum duration (the running query for active sessions, the time
// in the state otherwise), and free text over pid, user, database, application, client and
// query. Background processes (no client) are hidden unless asked for. Sorts on SortRole.
class SessionsFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit SessionsFilterModel(QObject *parent = nullptr);

    void setStates(const QSet<QString> &states);            // empty: all
    void setApplicationPattern(const QString &likePattern); // empty: all
    void setUser(const QString &user);
    void setDatabase(const QString &database);
    void setMinimumDurationSeconds(double seconds);
    void setSearchText(const QString &text);
    void setShowBackgroundProcesses(bool show);

    // The row filter on its own, for the headless command (same semantics as the GUI).
    struct Criteria
    {
        QSet<QString> states;
        QString applicationPattern, user, database, search;
        double minimumDurationSeconds = 0;
        bool showBackgroundProcesses = false;
    };
    static bool matches(const services::SessionRow &row, const Criteria &criteria);
    const Criteria &criteria() const { return m_criteria; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void changed();
    Criteria m_criteria;
};

} // namespace vigil::models
