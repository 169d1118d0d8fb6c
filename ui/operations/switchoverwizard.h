#pragma once

#include "services/operations/preflight.h"
#include "services/operations/switchoverplan.h"
#include "ui/operations/operationwizard.h"

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QPushButton;
class QRadioButton;

namespace vigil::ui {

class PreflightListWidget;

// The planned switchover wizard: Choose → Pre-flight → Confirm → Execute → Report. All logic
// lives in services (PreflightGatherer, switchoverPreflight, SwitchoverPlan, SwitchoverRunner) —
// the same code `vigil switchover` runs; this class only shows it.
//
// The pre-flight is gathered when its page opens (the UI never waits: the page shows "Checking…"
// until gathered() arrives); setPreflightInput() gives it instead (e.g. replayed data). A red
// check keeps Next disabled. The confirm page is the commit page (no way back once started).
class SwitchoverWizard : public OperationWizard
{
    Q_OBJECT
public:
    enum PageId
    {
        ChoosePage,
        PreflightPage,
        ConfirmPage,
        ExecutePage,
        ReportPage
    };

    SwitchoverWizard(services::OperationContext ctx, services::ClusterSnapshotPtr snapshot,
                     QWidget *parent = nullptr);

    // Use this input for the pre-flight instead of gathering (stays until the user re-checks).
    void setPreflightInput(const services::PreflightInput &input);
    services::SwitchoverChoice choice() const;
    services::SwitchoverPlan plan() const override;
    const QList<services::PreflightCheck> &checks() const { return m_checks; }

    // Page widgets, for tests and screenshots.
    QComboBox *candidateBox() const { return m_candidate; }
    QCheckBox *pauseClientsBox() const { return m_pause; }

private:
    friend class SwitchoverPreflightPage;
    void addChoosePage();
    void addPreflightPage();
    void addConfirmPage();
    void fillCandidates();
    void runPreflight();
    void judge();

    std::optional<services::PreflightInput> m_input;
    bool m_injected = false;
    QList<services::PreflightCheck> m_checks;

    QLabel *m_leaderLabel = nullptr;
    QComboBox *m_candidate = nullptr;
    QRadioButton *m_now = nullptr;
    QRadioButton *m_later = nullptr;
    QDateTimeEdit *m_at = nullptr;
    QCheckBox *m_pause = nullptr;
    PreflightListWidget *m_preflight = nullptr;
    QPushButton *m_recheck = nullptr;
};

} // namespace vigil::ui
