#pragma once

#include "services/maintenance/checklistchecks.h"
#include "services/maintenance/checkliststore.h"

#include <QDialog>
#include <functional>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace vigil::models {
class ChecklistModel;
}

namespace vigil::ui {

class TableView;

// One cluster's maintenance checklist: every task of the ops manual's schedule with its due
// state (the overdue count on top), its last result and evidence. "Run checks" (Ctrl+R) runs
// the automatic checks on what `input` returns (the last snapshot, the audit log) and appends
// their results to the store; "Tick as done…" (Ctrl+T) records a hand tick with a comment (the
// OS user as who); "Open server log" (when given) shows the server-log dock for "Review error
// logs". Everything runs on the UI thread without waiting: the checks are pure and the history
// is a small local file.
class ChecklistDialog : public QDialog
{
    Q_OBJECT
public:
    using InputSource = std::function<services::ChecklistCheckInput()>;
    ChecklistDialog(services::ChecklistStore store, InputSource input, QWidget *parent = nullptr);

    // Shows the server log when "Open server log" is pressed; without it the button is hidden.
    void setOpenServerLog(std::function<void()> open);
    // The clock (tests pin it for screenshots); default: the current UTC time.
    void setClock(std::function<QDateTime()> clock);

    void refresh();
    void runChecks();
    // Records a hand tick of `itemId` with `comment` (refused when empty). Returns false with
    // the reason shown in the dialog.
    bool tick(const QString &itemId, const QString &comment);
    models::ChecklistModel *model() const { return m_model; }
    TableView *table() const { return m_table; }
    void selectItem(const QString &itemId);

private:
    void askTick();
    void showSelected();
    void say(const QString &message, bool problem);
    QString selectedItem() const;

    services::ChecklistStore m_store;
    InputSource m_input;
    std::function<QDateTime()> m_clock;
    std::function<void()> m_openLog;
    models::ChecklistModel *m_model;
    TableView *m_table;
    QLabel *m_summary;
    QLabel *m_message;
    QPlainTextEdit *m_detail;
    QPushButton *m_openLogButton;
};

} // namespace vigil::ui
