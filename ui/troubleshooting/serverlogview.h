#pragma once

#include "services/logs/serverlogentry.h"
#include "ui/troubleshooting/memberviewbase.h"

#include <QDateTime>
#include <QPointer>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace vigil::models {
class ServerLogFilterModel;
class ServerLogModel;
} // namespace vigil::models

namespace vigil::services {
class PgSession;
class ServerLogReader;
struct ServiceError;
} // namespace vigil::services

namespace vigil::ui {

// One member's PostgreSQL server log (ServerLogReader on the member's troubleshooting session):
// the last 256 KiB when opened, then, with "Follow" on, what the server writes as it writes it
// (through rotations). Filters: a minimum level (WARNING and above, ERROR and above, FATAL and
// PANIC) and a text; rows coloured by level; the model keeps the newest 20,000 entries. A role
// that may not read the log, or a server without the logging collector, gets the exact grant or
// setting in the status line (selectable, to copy the SQL). jumpToTime() selects the first entry
// at or after a time (for an alert's time).
class ServerLogView : public MemberViewBase
{
    Q_OBJECT
public:
    explicit ServerLogView(services::MemberSessionPool *context, QWidget *parent = nullptr);
    ~ServerLogView() override;

    models::ServerLogModel *model() const { return m_model; }
    models::ServerLogFilterModel *filter() const { return m_filter; }
    QTableView *table() const { return m_table; }
    QString statusText() const;
    void refresh() override;
    void setFollow(bool follow);
    void setMinimumLevel(services::ServerLogLevel level);
    void setFilterText(const QString &text);

public Q_SLOTS:
    // Selects and scrolls to the first shown entry at or after `time`; false when there is none
    // (then nothing moves). Following stops scrolling to the end until the view is scrolled there.
    bool jumpToTime(const QDateTime &time);
    // Reads the log again from the last 256 KiB (after a grant was given, or to start over).
    void reload();

Q_SIGNALS:
    void entriesShown(int count); // after each batch, the number of rows the filter shows

protected:
    void memberChanged() override;

private:
    void buildToolbar();
    void startReader(services::PgSession *session);
    void stopReader();
    void showEntries(const QList<services::ServerLogEntry> &entries);
    void showFailure(const services::ServiceError &error);
    void updateStatus();

    models::ServerLogModel *m_model;
    models::ServerLogFilterModel *m_filter;
    QTableView *m_table;
    QComboBox *m_level = nullptr;
    QLineEdit *m_text = nullptr;
    QCheckBox *m_follow = nullptr;
    QPushButton *m_reload = nullptr;
    QLabel *m_status;
    services::ServerLogReader *m_reader = nullptr;
    QPointer<services::PgSession> m_readerSession;
    QString m_problem; // the last failure, shown in the status line
    bool m_started = false;
};

} // namespace vigil::ui
