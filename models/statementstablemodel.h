#pragma once

#include "models/keyedtablemodel.h"
#include "services/diagnostics/statementsservice.h"

#include <deque>

namespace vigil::models {

// pg_stat_statements as a table, cumulative or as the delta over a recent window.
//
// addSample() keeps a light history of samples (counters only, no query text) and shows either
// the latest cumulative counters or the difference between the latest sample and the oldest one
// inside the window (diffStatementSamples: resets and re-created entries count as new). Rows are
// keyed by (userid, dbid, queryid, toplevel) and refreshed in place. Highlights mean time above
// 1 s (warning) and 5 s (critical, the manual's threshold).
class StatementsTableModel : public KeyedTableModel<services::StatementRow, services::StatementKey>
{
    Q_OBJECT
public:
    enum Column
    {
        Query,
        Database,
        User,
        Calls,
        TotalTime,
        MeanTime,
        MaxTime,
        Rows,
        SharedHit,
        SharedRead,
        TempWritten,
        ColumnCount
    };
    enum Role
    {
        SortRole = Qt::UserRole + 1,
        HighlightRole,
        FullQueryRole
    };

    explicit StatementsTableModel(QObject *parent = nullptr);

    // windowSeconds 0 = cumulative (since the statistics were reset).
    void setWindowSeconds(int windowSeconds);
    int windowSeconds() const { return m_windowSeconds; }
    void addSample(const services::StatementsSample &sample);
    // Forget every sample (another member is shown: its counters are not comparable).
    void clear();
    // How many seconds the delta really covers (shorter than the window until enough history).
    double coveredSeconds() const { return m_coveredSeconds; }
    static int highlightFor(double meanMs); // 0, 1 (> 1 s), 2 (> 5 s)

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

protected:
    services::StatementKey keyOf(const services::StatementRow &row) const override
    {
        return row.key;
    }
    bool sameData(const services::StatementRow &a, const services::StatementRow &b) const override;

private:
    void recompute();
    // data() per role.
    QVariant displayData(const services::StatementRow &row, int column) const;
    static QVariant toolTipData(const services::StatementRow &row, int column);
    QVariant sortData(const services::StatementRow &row, int column) const;

    int m_windowSeconds = 0;
    double m_coveredSeconds = 0;
    services::StatementsSample m_latest;
    std::deque<services::StatementsSample> m_history; // light copies, oldest first, ≤ 2 h
};

} // namespace vigil::models
