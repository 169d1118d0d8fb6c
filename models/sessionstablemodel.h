#pragma once

#include "models/keyedtablemodel.h"
#include "services/diagnostics/sessionsservice.h"

namespace vigil::models {

// pg_stat_activity of one member as a table. Rows are keyed by (pid, backend_start) and refreshed
// in place (see KeyedTableModel): no reset per refresh. Highlights: an active query running
// longer than the long-query threshold, and idle-in-transaction sessions past their threshold
// (both in BackgroundRole, with the reason in ToolTipRole).
class SessionsTableModel : public KeyedTableModel<services::SessionRow, QString>
{
    Q_OBJECT
public:
    enum Column
    {
        Pid,
        User,
        Database,
        Application,
        Client,
        State,
        Wait,
        BackendStart,
        XactAge,
        QueryAge,
        StateAge,
        Query,
        ColumnCount
    };
    enum Role
    {
        SortRole = Qt::UserRole + 1, // numbers for the duration columns, text otherwise
        HighlightRole,               // 0 none, 1 warning, 2 critical
        PidRole,
        BackendStartRole,
    };

    explicit SessionsTableModel(QObject *parent = nullptr);

    void setSessions(const QList<services::SessionRow> &rows);
    void setThresholds(double longQuerySeconds, double idleInTransactionSeconds);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // 0 none, 1 warning, 2 critical (twice the threshold or more).
    int highlight(const services::SessionRow &row) const;
    int rowOf(const services::SessionRef &ref) const;

protected:
    QString keyOf(const services::SessionRow &row) const override;
    bool sameData(const services::SessionRow &a, const services::SessionRow &b) const override;

private:
    // data() per role.
    QVariant displayData(const services::SessionRow &row, int column) const;
    QVariant toolTipData(const services::SessionRow &row, int column) const;
    QVariant sortData(const services::SessionRow &row, int column) const;
    // "Lock: transactionid (blocked by 12, 34)": wait event type, event, blocking pids.
    static QString waitText(const services::SessionRow &row);

    double m_longQuerySeconds = 60;
    double m_idleInTransactionSeconds = 60;
};

} // namespace vigil::models
