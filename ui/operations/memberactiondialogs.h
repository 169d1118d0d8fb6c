#pragma once

#include "services/operations/memberaction.h"
#include "services/operations/memberactionrunner.h"
#include "services/operations/operationcontext.h"

#include <QDialog>

class QCheckBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;

namespace vigil::ui {

// The short wizard for restart / reload / reinitialize of a member and pause / resume of the
// cluster: what will happen in full sentences, the options (restart: now or scheduled, only if a
// restart is pending; reinitialize: force), the typed cluster name where the action destroys
// data (reinitialize), then the run with its progress and the verified result, in place.
// The run button is disabled while a run is in flight and MemberActionRunner refuses a second
// start, so a double click never submits twice. Opens with open() (window-modal, no nested loop).
class MemberActionDialog : public QDialog
{
    Q_OBJECT
public:
    MemberActionDialog(services::OperationContext ctx, services::MemberAction action,
                       QWidget *parent = nullptr);

    services::MemberAction action() const; // with the options as set in the dialog
    bool canRun() const;
    void run(); // what the Run button does
    QPushButton *runButton() const { return m_run; }
    QLineEdit *confirmationEdit() const { return m_typed; }
    services::MemberActionRunner *runner() const { return m_runner; }

Q_SIGNALS:
    void actionFinished(const vigil::services::MemberActionResult &result);

private:
    void updateState();

    services::OperationContext m_ctx;
    services::MemberAction m_action;
    services::MemberActionRunner *m_runner;
    QLabel *m_summary;
    QRadioButton *m_now = nullptr;
    QDateTimeEdit *m_at = nullptr;
    QCheckBox *m_pending = nullptr;
    QCheckBox *m_force = nullptr;
    QLineEdit *m_typed = nullptr;
    QPlainTextEdit *m_log;
    QPushButton *m_run;
    bool m_done = false;
};

} // namespace vigil::ui
