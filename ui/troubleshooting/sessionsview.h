#pragma once

#include "services/diagnostics/sessionsservice.h"
#include "ui/troubleshooting/memberviewbase.h"

class QCheckBox;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QSplitter;
class QTableView;
class QTimer;
class QTreeWidget;

namespace vigil::models {
class SessionsTableModel;
class SessionsFilterModel;
} // namespace vigil::models

namespace vigil::services {
class MemberSessionPool;
}

namespace vigil::ui {

// Sessions of one member (pg_stat_activity): filters, a sortable table with long-running and
// idle-in-transaction sessions highlighted, a detail pane for the selected session (full query,
// the locks it holds or waits for, who it blocks, who blocks it), and cancel / terminate behind a
// confirmation naming the session. Refreshes every refreshIntervalMs while visible; one query in
// flight at most. Lives on the UI thread.
class SessionsView : public MemberViewBase
{
    Q_OBJECT
public:
    explicit SessionsView(services::MemberSessionPool *context, QWidget *parent = nullptr);

    models::SessionsTableModel *model() const { return m_model; }
    models::SessionsFilterModel *filterModel() const { return m_filter; }
    QTableView *table() const { return m_table; }
    void refresh() override;
    void selectPid(int pid);
    // Filter controls, for the main window's shortcuts and tests.
    void setApplicationFilter(const QString &likePattern);

Q_SIGNALS:
    void refreshed(); // after a result (or an error) was shown

protected:
    void memberChanged() override;
    std::optional<SignalTarget> signalTarget() const override;

private:
    QHBoxLayout *createFilters();
    void createTable(QSplitter *splitter);
    void createDetail(QSplitter *splitter);
    void applyFilters();
    void showDetail();
    const services::SessionRow *selectedRow() const;

    models::SessionsTableModel *m_model;
    models::SessionsFilterModel *m_filter;
    QComboBox *m_state;
    QLineEdit *m_application, *m_user, *m_database, *m_search;
    QSpinBox *m_minDuration;
    QCheckBox *m_background;
    QTableView *m_table;
    QLabel *m_summary, *m_detailHeader, *m_blocking;
    QTreeWidget *m_locks;
    QPlainTextEdit *m_query;
    bool m_fitted = false;
    quint64 m_detailRequest = 0;
};

} // namespace vigil::ui
