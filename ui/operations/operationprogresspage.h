#pragma once

#include "services/operations/switchoverreport.h"
#include "services/operations/switchoverrunner.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWizardPage>

class QLabel;
class QPushButton;
class QTextBrowser;
class QTreeWidget;

namespace vigil::ui {

class PreflightListWidget;

// The "execute with live progress" page of the switchover and failover wizards: runs the plan
// with the wizard's SwitchoverRunner (started once in initializePage: a double click cannot
// submit twice, the runner itself refuses a second start) and shows each step as it happens,
// with elapsed times. Complete when the runner finished; Back is not offered (commit page).
class OperationProgressPage : public QWizardPage
{
    Q_OBJECT
public:
    OperationProgressPage(services::SwitchoverRunner *runner,
                          std::function<services::SwitchoverPlan()> plan,
                          QWidget *parent = nullptr);
    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override { return m_finished; }
    bool hasFinished() const { return m_finished; }
    const services::SwitchoverReport &report() const { return m_report; }

private:
    void onStep(const services::SwitchoverStep &step);
    void onFinished(const services::SwitchoverReport &report);

    services::SwitchoverRunner *m_runner;
    std::function<services::SwitchoverPlan()> m_plan;
    QTreeWidget *m_steps;
    QLabel *m_status;
    QElapsedTimer m_clock; // started with the run: the runner's steps count from the same moment
    QTimer m_tick;         // refreshes the elapsed time of running steps
    bool m_started = false;
    bool m_finished = false;
    services::SwitchoverReport m_report;
};

// The "verify and report" page: the outcome, the verification verdicts, and the markdown
// report with a button that copies it.
class OperationReportPage : public QWizardPage
{
    Q_OBJECT
public:
    OperationReportPage(OperationProgressPage *progress, QWidget *parent = nullptr);
    void initializePage() override;
    QString markdown() const { return m_markdown; }

Q_SIGNALS:
    void reinitializeRequested(const QString &member);

private:
    OperationProgressPage *m_progress;
    QLabel *m_outcome;
    PreflightListWidget *m_verification;
    QTextBrowser *m_text;
    QPushButton *m_reinit;
    QString m_markdown;
};

} // namespace vigil::ui
