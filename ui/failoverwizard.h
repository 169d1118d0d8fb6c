#pragma once

#include "services/operationcontext.h"
#include "services/operationrunner.h"
#include "services/preflight.h"
#include "services/preflightgatherer.h"

#include <QWizard>

class QLabel;
class QLineEdit;
class QTreeWidget;

namespace vigil::ui {

class OperationProgressPage;
class OperationReportPage;
class PreflightListWidget;

// The emergency failover wizard: Situation (why there is no healthy leader, candidates ranked
// by their last known WAL position with the data that may be lost) → Confirm (pre-flight, full
// sentences, typed cluster name; commit page) → Execute → Report. Same services as
// `vigil failover` (assessFailover, failoverPreflight, OperationRunner).
class FailoverWizard : public QWizard
{
    Q_OBJECT
public:
    enum PageId { SituationPage, ConfirmPage, ExecutePage, ReportPage };

    FailoverWizard(services::OperationContext ctx, services::ClusterSnapshotPtr snapshot,
                   QWidget *parent = nullptr);

    // Re-reads the cluster (PreflightGatherer) and refreshes the situation page.
    void refresh();
    QString candidate() const;
    void setCandidate(const QString &name);
    services::SwitchoverPlan plan() const;
    QLineEdit *confirmationEdit() const { return m_typed; }
    services::OperationRunner *runner() const { return m_runner; }

private:
    friend class FailoverConfirmPage;
    friend class FailoverSituationPage;
    void showSituation();

    services::OperationContext m_ctx;
    services::ClusterSnapshotPtr m_snapshot;
    services::PreflightGatherer *m_gatherer;
    services::OperationRunner *m_runner;
    QLabel *m_why = nullptr;
    QTreeWidget *m_candidates = nullptr;
    PreflightListWidget *m_checks = nullptr;
    QLabel *m_summary = nullptr;
    QLineEdit *m_typed = nullptr;
    OperationProgressPage *m_progress = nullptr;
    OperationReportPage *m_report = nullptr;
};

} // namespace vigil::ui
