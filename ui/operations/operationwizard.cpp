#include "ui/operations/operationwizard.h"

#include "ui/operations/operationprogresspage.h"
#include "ui/operations/preflightlistwidget.h"

#include <QLineEdit>

namespace vigil::ui {

using namespace vigil::services;

OperationWizard::OperationWizard(OperationContext ctx, ClusterSnapshotPtr snapshot,
                                 const QString &title, QWidget *parent)
    : QWizard(parent)
    , m_ctx(std::move(ctx))
    , m_snapshot(std::move(snapshot))
    , m_gatherer(new PreflightGatherer(m_ctx, this))
    , m_runner(new SwitchoverRunner(m_ctx, this))
{
    setWindowTitle(title);
    setWizardStyle(QWizard::ClassicStyle);
    setMinimumSize(760, 560);

    if (m_snapshot) {
        QList<QUrl> urls;
        for (const auto &m : m_snapshot->members)
            urls << m.apiUrl;
        m_gatherer->setFallbackUrls(urls); // the profile's member may be the one that is down
        m_runner->setFallbackUrls(urls);
    }
}

QLineEdit *OperationWizard::confirmationEdit() const
{
    return m_confirm ? m_confirm->typedEdit() : nullptr;
}

void OperationWizard::addRunPages(int executeId, int reportId)
{
    m_progress = new OperationProgressPage(
        m_runner, [this] { return plan(); }, this);
    setPage(executeId, m_progress);
    m_report = new OperationReportPage(m_progress, this);
    setPage(reportId, m_report);
}

OperationConfirmPage::OperationConfirmPage(OperationWizard *wizard, bool showPreflight, int gap)
    : TypedConfirmationPage(QString(), wizard)
    , m_wizard(wizard)
{
    summary = [wizard] {
        return wizard->plan().summary();
    };
    clusterName = [wizard] {
        return wizard->plan().cluster;
    };
    if (showPreflight) {
        m_checks = new PreflightListWidget(this);
        addAbove(m_checks);
        ready = [wizard] {
            return !wizard->plan().blocked();
        };
    }
    if (gap > 0)
        setGapBelowSummary(gap);
}

void OperationConfirmPage::initializePage()
{
    if (m_checks)
        m_checks->setChecks(m_wizard->plan().preflight);
    TypedConfirmationPage::initializePage();
}

} // namespace vigil::ui
