#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QTableView;
class QTimer;

namespace vigil::models {
class TableStatsModel;
}

namespace vigil::ui {

class TroubleshootingContext;

// Database sizes (the manual's query, plus pg_stat_database counters), and for one database its
// tables' writes and scans (many sequential scans highlighted) and its unused indexes.
// Refreshes every 30 s while visible.
class TableStatsView : public QWidget
{
    Q_OBJECT
public:
    explicit TableStatsView(TroubleshootingContext *context, QWidget *parent = nullptr);
    void refresh();
    models::TableStatsModel *databasesModel() const { return m_databases; }
    models::TableStatsModel *tablesModel() const { return m_tables; }

Q_SIGNALS:
    void refreshed();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QString member() const;
    void rebuildMembers();
    QTableView *makeTable(models::TableStatsModel *model);

    TroubleshootingContext *m_context;
    models::TableStatsModel *m_databases, *m_tables, *m_unused;
    QComboBox *m_member, *m_database;
    QLabel *m_status;
    QTimer *m_timer;
    int m_inFlight = 0;
};

} // namespace vigil::ui
