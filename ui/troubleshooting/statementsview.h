#pragma once

#include "services/diagnostics/statementsservice.h"
#include "ui/troubleshooting/memberviewbase.h"

class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace vigil::models {
class StatementsTableModel;
class StatementsFilterModel;
} // namespace vigil::models

namespace vigil::services {
class MemberSessionPool;
}

namespace vigil::ui {

// Slow queries from pg_stat_statements on one member: cumulative, or what happened in the last
// 1/5/15/60 minutes (deltas between samples taken every refreshIntervalMs); filter on query text
// (e.g. "game_"), user and database; copy the selected query; mean above 1 s / 5 s highlighted.
// When the extension is missing or not preloaded, the view says exactly what to change through
// Patroni's dynamic configuration.
class StatementsView : public MemberViewBase
{
    Q_OBJECT
public:
    explicit StatementsView(services::MemberSessionPool *context, QWidget *parent = nullptr);

    models::StatementsTableModel *model() const { return m_model; }
    models::StatementsFilterModel *filterModel() const { return m_filter; }
    QTableView *table() const { return m_table; }
    void setQueryFilter(const QString &text);
    void refresh() override;
    void copySelectedQuery();
    QString adviceText() const;

Q_SIGNALS:
    void refreshed();

protected:
    void memberChanged() override;

private:
    QHBoxLayout *createFilters();
    void createAdvice();
    void createTable();
    void updateCoverage();

    models::StatementsTableModel *m_model;
    models::StatementsFilterModel *m_filter;
    QComboBox *m_window;
    QLineEdit *m_text, *m_user, *m_database;
    QPushButton *m_copy;
    QTableView *m_table;
    QLabel *m_advice, *m_summary;
    services::StatementsStatus m_status;
    bool m_haveStatus = false;
    bool m_fitted = false;
};

} // namespace vigil::ui
