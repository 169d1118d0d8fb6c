#pragma once

#include "services/operations/preflight.h"
#include "ui/operations/operationwizard.h"

class QLabel;
class QTreeWidget;

namespace vigil::ui {

// The emergency failover wizard: Situation (why there is no healthy leader, candidates ranked
// by their last known WAL position with the data that may be lost) → Confirm (pre-flight, full
// sentences, typed cluster name; commit page) → Execute → Report. Same services as
// `vigil failover` (assessFailover, failoverPreflight, SwitchoverRunner).
class FailoverWizard : public OperationWizard
{
    Q_OBJECT
public:
    enum PageId
    {
        SituationPage,
        ConfirmPage,
        ExecutePage,
        ReportPage
    };

    FailoverWizard(services::OperationContext ctx, services::ClusterSnapshotPtr snapshot,
                   QWidget *parent = nullptr);

    // Re-reads the cluster (PreflightGatherer) and refreshes the situation page.
    void refresh();
    QString candidate() const;
    void setCandidate(const QString &name);
    services::SwitchoverPlan plan() const override;

private:
    friend class FailoverSituationPage;
    void showSituation();

    QLabel *m_why = nullptr;
    QTreeWidget *m_candidates = nullptr;
};

} // namespace vigil::ui
