#pragma once

#include "services/operations/operationcontext.h"
#include "services/operations/preflightgatherer.h"
#include "services/operations/switchoverplan.h"
#include "services/operations/switchoverrunner.h"
#include "ui/widgets/typedconfirmationpage.h"

#include <QWizard>
#include <QWizardPage>

class QLabel;
class QLineEdit;

namespace vigil::ui {

class OperationConfirmPage;
class OperationProgressPage;
class OperationReportPage;
class PreflightListWidget;

// What the switchover and failover wizards share; each keeps its own pages and rules. Holds the
// context, the snapshot the wizard shows (the subclass replaces it with each gathered pre-flight
// input), and one PreflightGatherer and one SwitchoverRunner, both told the snapshot's members as
// fallbacks (the profile's member may be the one that is down). The subclass creates its
// confirm page (m_confirm, an OperationConfirmPage) and calls addRunPages() for the Execute and
// Report pages, which run plan().
class OperationWizard : public QWizard
{
    Q_OBJECT
public:
    // The plan as the pages stand now: what the confirm page sums up and the Execute page runs.
    virtual services::SwitchoverPlan plan() const = 0;
    QLineEdit *confirmationEdit() const;
    services::SwitchoverRunner *runner() const { return m_runner; }
    OperationProgressPage *progressPage() const { return m_progress; }

protected:
    // Sets the window title, the classic style and the minimum size.
    OperationWizard(services::OperationContext ctx, services::ClusterSnapshotPtr snapshot,
                    const QString &title, QWidget *parent);

    // Adds the Execute page (OperationProgressPage running plan() with the runner) and the
    // Report page under these ids.
    void addRunPages(int executeId, int reportId);

    services::OperationContext m_ctx;
    services::ClusterSnapshotPtr m_snapshot;
    services::PreflightGatherer *m_gatherer;
    services::SwitchoverRunner *m_runner;
    OperationConfirmPage *m_confirm = nullptr;
    OperationProgressPage *m_progress = nullptr;
    OperationReportPage *m_report = nullptr;
};

// The confirm page of an OperationWizard (its commit page): the plan's summary and the typed
// cluster name (TypedConfirmationPage). With `showPreflight` it lists the plan's pre-flight above
// the summary and a red check keeps it incomplete (the failover wizard, whose pre-flight has no
// page of its own). `gap`: pixels of space below the summary (none for 0).
class OperationConfirmPage : public TypedConfirmationPage
{
public:
    OperationConfirmPage(OperationWizard *wizard, bool showPreflight, int gap);
    void initializePage() override;

private:
    OperationWizard *m_wizard;
    PreflightListWidget *m_checks = nullptr;
};

} // namespace vigil::ui
