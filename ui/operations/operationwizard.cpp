#include "ui/operations/operationwizard.h"

#include "ui/operations/operationprogresspage.h"
#include "ui/operations/preflightlistwidget.h"

#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

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
    : QWizardPage(wizard)
    , m_wizard(wizard)
{
    if (showPreflight)
        m_checks = new PreflightListWidget(this);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_typed = new QLineEdit(this);
    connect(m_typed, &QLineEdit::textChanged, this, &QWizardPage::completeChanged);
    auto *v = new QVBoxLayout(this);
    if (m_checks)
        v->addWidget(m_checks);
    v->addWidget(m_summary);
    if (gap > 0)
        v->addSpacing(gap);
    v->addWidget(new QLabel(OperationWizard::tr("Type the cluster name to confirm:"), this));
    v->addWidget(m_typed);
    v->addStretch(1);
}

void OperationConfirmPage::initializePage()
{
    const SwitchoverPlan p = m_wizard->plan();
    if (m_checks)
        m_checks->setChecks(p.preflight);
    m_summary->setText(p.summary());
    m_typed->clear();
    m_typed->setPlaceholderText(p.cluster);
}

bool OperationConfirmPage::isComplete() const
{
    const SwitchoverPlan p = m_wizard->plan();
    return (!m_checks || !p.blocked()) && p.confirmationMatches(m_typed->text());
}

} // namespace vigil::ui
