#include "ui/operations/failoverwizard.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace vigil::ui {

using namespace vigil::services;

class FailoverSituationPage : public QWizardPage
{
public:
    explicit FailoverSituationPage(FailoverWizard *w)
        : QWizardPage(w)
        , m_w(w)
    {
    }
    bool isComplete() const override { return !m_w->candidate().isEmpty(); }
    void changed() { Q_EMIT completeChanged(); }

private:
    FailoverWizard *m_w;
};

FailoverWizard::FailoverWizard(OperationContext ctx, ClusterSnapshotPtr snapshot, QWidget *parent)
    : OperationWizard(std::move(ctx), std::move(snapshot), tr("Emergency failover"), parent)
{
    auto *situation = new FailoverSituationPage(this);
    situation->setTitle(tr("Situation"));
    situation->setSubTitle(tr("A failover promotes a replica without the old leader: what it had "
                              "not sent is lost. Choose the candidate that has the most WAL."));
    m_why = new QLabel(situation);
    m_why->setWordWrap(true);
    m_candidates = new QTreeWidget(situation);
    m_candidates->setHeaderLabels(
        {tr("Member"), tr("State"), tr("Last known LSN"), tr("May lose"), tr("Eligible")});
    m_candidates->setRootIsDecorated(false);
    m_candidates->header()->setSectionResizeMode(4, QHeaderView::Stretch);
    connect(m_candidates, &QTreeWidget::itemSelectionChanged, situation,
            [situation] { situation->changed(); });
    auto *again = new QPushButton(tr("Read the cluster again"), situation);
    connect(again, &QPushButton::clicked, this, &FailoverWizard::refresh);
    auto *sv = new QVBoxLayout(situation);
    sv->addWidget(m_why);
    sv->addWidget(m_candidates, 1);
    sv->addWidget(again, 0, Qt::AlignLeft);
    setPage(SituationPage, situation);

    // The pre-flight is shown, and a red check blocks, on the confirm page.
    m_confirm = new OperationConfirmPage(this, true, 0);
    m_confirm->setTitle(tr("Confirm the failover"));
    // A subtitle gives the page the same header as every other page of both wizards.
    m_confirm->setSubTitle(tr("Read the checks and what will happen, then type the cluster name."));
    m_confirm->setCommitPage(true);
    m_confirm->setButtonText(QWizard::CommitButton, tr("Fail over"));
    setPage(ConfirmPage, m_confirm);

    addRunPages(ExecutePage, ReportPage);

    connect(m_gatherer, &PreflightGatherer::gathered, this, [this](const PreflightInput &in) {
        m_snapshot = in.snapshot;
        showSituation();
    });
    showSituation();
}

void FailoverWizard::refresh()
{
    m_why->setText(tr("Reading the cluster…"));
    m_gatherer->gather();
}

void FailoverWizard::showSituation()
{
    const QString previous = candidate();
    m_candidates->clear();
    if (!m_snapshot) {
        m_why->setText(tr("The cluster has not been read yet."));
        return;
    }
    const FailoverAssessment a = assessFailover(*m_snapshot);
    m_why->setText(QStringLiteral("<b>%1</b>").arg(a.why.toHtmlEscaped()) +
                   (a.lastKnownLeaderLsn
                        ? tr("<br>Last known leader WAL position: %1.").arg(*a.lastKnownLeaderLsn)
                        : QString()));
    for (const auto &c : a.candidates) {
        auto *item = new QTreeWidgetItem(m_candidates);
        item->setText(0, c.name);
        item->setText(1, c.state);
        item->setText(2, c.lsn ? QString::number(*c.lsn) : tr("unknown"));
        item->setText(3, c.lossBytes ? formatBytes(*c.lossBytes) : tr("unknown"));
        item->setText(4, c.eligible ? tr("yes") : c.reason);
        item->setData(0, Qt::UserRole, c.name);
        if (!c.eligible)
            item->setFlags(item->flags() & ~Qt::ItemIsSelectable);
    }
    for (int i = 0; i < 4; ++i)
        m_candidates->resizeColumnToContents(i);
    setCandidate(previous.isEmpty() && !a.candidates.isEmpty() && a.candidates.first().eligible
                     ? a.candidates.first().name
                     : previous);
}

QString FailoverWizard::candidate() const
{
    const auto sel = m_candidates->selectedItems();
    return sel.isEmpty() ? QString() : sel.first()->data(0, Qt::UserRole).toString();
}

void FailoverWizard::setCandidate(const QString &name)
{
    for (int i = 0; i < m_candidates->topLevelItemCount(); ++i) {
        QTreeWidgetItem *it = m_candidates->topLevelItem(i);
        it->setSelected(it->data(0, Qt::UserRole).toString() == name &&
                        (it->flags() & Qt::ItemIsSelectable));
    }
}

SwitchoverPlan FailoverWizard::plan() const
{
    SwitchoverPlan p;
    p.kind = SwitchoverPlan::Kind::Failover;
    p.cluster = m_snapshot ? m_snapshot->scope : QString();
    p.leader = m_snapshot && m_snapshot->leader() ? m_snapshot->leader()->name : QString();
    p.candidate = candidate();
    if (m_snapshot)
        p.preflight = failoverPreflight(*m_snapshot, p.candidate);
    p.typedConfirmation = confirmationEdit()->text();
    return p;
}

} // namespace vigil::ui
