#pragma once

#include "services/diagnostics/sessionsservice.h"

#include <QWizard>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTreeWidget;

namespace vigil::services {
class MemberSessionPool;
}

namespace vigil::ui {

class TypedConfirmationPage;

// The terminate-idle-sessions wizard (the manual's "kill idle connections", made safe):
//   1. thresholds: idle longer than 1 h by default, and/or idle in transaction longer than N,
//      optionally narrowed by application / user / database, on one member (the leader);
//   2. an exact preview of the sessions that will be ended (Vigil's own, Patroni's, replication
//      and background workers excluded and listed with the reason);
//   3. typed confirmation: the cluster name;
//   4. execution by (pid, backend_start) in one statement that re-checks identity and state on
//      the server (SessionsService::signal), and a result page saying what was ended, what was
//      not and why. The service writes the audit entry.
// Nothing blocks the UI thread: the preview and the execution are asynchronous; the pages say
// when they are waiting. Read-only mode: the service refuses, and the result page says so.
class TerminateIdleWizard : public QWizard
{
    Q_OBJECT
public:
    enum Page
    {
        ThresholdsPage,
        PreviewPage,
        ConfirmPage,
        ResultPage
    };

    explicit TerminateIdleWizard(services::MemberSessionPool *context, QWidget *parent = nullptr);

    services::IdleCriteria criteria() const;
    void setCriteria(const services::IdleCriteria &criteria); // the thresholds page's fields
    QString member() const;
    void setMember(const QString &member);
    const services::IdlePlan &plan() const { return m_plan; }
    bool previewLoaded() const { return m_previewLoaded; }
    const QList<services::SignalOutcome> &outcomes() const { return m_outcomes; }
    bool executed() const { return m_executed; }
    QString resultText() const;
    void setTypedConfirmation(const QString &text); // the confirm page's field (tests)

    void loadPreview();
    void execute();

Q_SIGNALS:
    void previewReady();
    void executionFinished();

private:
    QWizardPage *makeThresholdsPage();
    QWizardPage *makePreviewPage();
    QWizardPage *makeConfirmPage();
    QWizardPage *makeResultPage();

    services::MemberSessionPool *m_context;
    // thresholds
    QComboBox *m_member = nullptr;
    QCheckBox *m_idleOn = nullptr, *m_idleTxOn = nullptr;
    QSpinBox *m_idleMinutes = nullptr, *m_idleTxMinutes = nullptr;
    QLineEdit *m_application = nullptr, *m_user = nullptr, *m_database = nullptr;
    std::optional<services::IdleCriteria> m_exactCriteria; // set programmatically, in seconds
    // preview
    QTreeWidget *m_previewList = nullptr;
    QLabel *m_previewSummary = nullptr, *m_excludedLabel = nullptr;
    services::IdlePlan m_plan;
    bool m_previewLoaded = false;
    quint64 m_previewRequest = 0;
    // confirm
    TypedConfirmationPage *m_confirm = nullptr;
    // result
    QTreeWidget *m_resultList = nullptr;
    QLabel *m_resultSummary = nullptr;
    QList<services::SignalOutcome> m_outcomes;
    bool m_executed = false;
    bool m_executing = false;
};

} // namespace vigil::ui
