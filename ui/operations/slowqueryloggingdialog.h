#pragma once

#include "services/operations/memberactionrunner.h"
#include "services/operations/operationcontext.h"
#include "services/operations/parameterverification.h"
#include "services/patroni/patronitypes.h"

#include <QDialog>
#include <QJsonObject>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableWidget;

namespace vigil::services {
class ParameterReloadCheck;
}

namespace vigil::ui {

// Operations ▸ Slow-query logging…: turns log_min_duration_statement on (with a threshold, the
// ops manual's 1000 ms by default) or off (-1) for the whole cluster. The same path as the
// configuration editor: a merge patch of Patroni's dynamic configuration (PATCH /config through
// MemberActionRunner, which writes the audit log entry), never ALTER SYSTEM; the diff is shown
// before and the cluster name must be typed. After the PATCH every member is read
// (ParameterReloadCheck: pg_settings per member, async, with deadlines) until it shows the new
// value, and the table shows per member: applied / pending restart / not yet / unreachable.
// Opens with open() (window-modal, no nested loop).
class SlowQueryLoggingDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr int kDefaultThresholdMs = 1000; // the ops manual's value

    SlowQueryLoggingDialog(services::OperationContext ctx, services::PatroniConfig current,
                           QString cluster, QWidget *parent = nullptr);

    // The value that Apply sends: the threshold in ms, or -1 for off.
    int chosenValue() const;
    void setChosenValue(int ms); // -1: off
    QJsonObject patch() const;
    QString diffText() const;
    bool canApply() const;
    void apply();
    QPushButton *applyButton() const { return m_apply; }
    QLineEdit *confirmationEdit() const { return m_typed; }
    services::ParameterReloadCheck *check() const { return m_check; }
    QTableWidget *memberTable() const { return m_members; }

Q_SIGNALS:
    // The PATCH was refused or failed (no verification follows), or every member was read.
    void finished(bool patched, const QList<vigil::services::MemberParameterStatus> &members);

private:
    QWidget *buildChoice();
    void refresh();
    void showStatuses(const QList<services::MemberParameterStatus> &statuses);

    services::OperationContext m_ctx;
    QJsonObject m_current;
    QJsonValue m_sent; // the value of the last PATCH
    QString m_cluster;
    services::MemberActionRunner *m_runner;
    services::ParameterReloadCheck *m_check;
    QLabel *m_intro; // the current value: updated after each PATCH
    QRadioButton *m_on;
    QRadioButton *m_off;
    QSpinBox *m_threshold;
    QPlainTextEdit *m_diff;
    QLineEdit *m_typed;
    QTableWidget *m_members;
    QLabel *m_status;
    QPushButton *m_apply;
};

} // namespace vigil::ui
