#pragma once

#include "ui/troubleshooting/memberviewbase.h"

class QComboBox;
class QLabel;
class QTableView;
class QTimer;

namespace vigil::models {
class TableStatsModel;
}

namespace vigil::services {
class MemberSessionPool;
}

namespace vigil::ui {

// Database sizes (the manual's query, plus pg_stat_database counters), and for one database its
// tables' writes and scans (many sequential scans highlighted) and its unused indexes.
// Refreshes every 30 s while visible.
class TableStatsView : public MemberViewBase
{
    Q_OBJECT
public:
    explicit TableStatsView(services::MemberSessionPool *context, QWidget *parent = nullptr);
    void refresh() override;
    models::TableStatsModel *databasesModel() const { return m_databases; }
    models::TableStatsModel *tablesModel() const { return m_tables; }

Q_SIGNALS:
    void refreshed();

protected:
    void memberChanged() override;

private:
    QTableView *makeTable(models::TableStatsModel *model);

    models::TableStatsModel *m_databases, *m_tables, *m_unused;
    QComboBox *m_database;
    QLabel *m_status;
};

} // namespace vigil::ui
