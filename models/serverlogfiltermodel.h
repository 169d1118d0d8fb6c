#pragma once

#include "models/serverlogmodel.h"

#include <QSortFilterProxyModel>

namespace vigil::models {

// Filters a ServerLogModel by a minimum level (ERROR keeps ERROR, FATAL and PANIC; Unknown keeps
// everything, also the lines the parser could not read) and a text (case-insensitive, over the
// message, its DETAIL/HINT/STATEMENT lines, user, database and application). Keeps the source's
// order (the log's).
class ServerLogFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    struct Criteria
    {
        services::ServerLogLevel minimumLevel = services::ServerLogLevel::Unknown;
        QString text;
    };
    // The row filter on its own, for `vigil logs` (same semantics as the window).
    static bool matches(const services::ServerLogEntry &entry, const Criteria &criteria);

    explicit ServerLogFilterModel(QObject *parent = nullptr);
    void setMinimumLevel(services::ServerLogLevel level);
    void setText(const QString &text);
    const Criteria &criteria() const { return m_criteria; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    Criteria m_criteria;
};

} // namespace vigil::models
