#include "ui/failoverwizard.h"

#include "ui/operationprogresspage.h"
#include "ui/preflightlistwidget.h"

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
    explicit FailoverSituationPage(FailoverWizard *w) : QWizardPage(w), m_w(w) {}
    bool isComplete() const override { return !m_w->candidate().isEmpty(); }
    void changed() { Q_EMIT completeChanged(); }

private:
    FailoverWizard *m_w;
};

class FailoverConfirmPage : public QWizardPage
{
public:
    explicit FailoverConfirmPage(FailoverWizard *w) : QWizardPage(w), m_w(w) {}
    void initializePage() override
    {
        const SwitchoverPlan p = m_w->plan();
        m_w->m_checks->setChecks(p.preflight);
        m_w->m_summary->setText(p.summary());
        m_w->m_typed->clear();
        m_w->m_typed->setPlaceholderText(p.cluster);
    }
    bool isComplete() const override
    {
        const SwitchoverPlan p = m_w->plan();
        return !p.blocked() && p.confirmationMatches(m_w->m_typed->text());
    }
    void changed() { Q_EMIT completeChanged(); }

private:
    FailoverWizard *m_w;
};

FailoverWizard::FailoverWizard(OperationContext ctx, ClusterSnapshotPtr snapshot, QWidget *parent)
    : QWizard(parent), m_ctx(std::move(ctx)), m_snapshot(std::move(snapshot)),
      m_gatherer(new PreflightGatherer(m_ctx, this)), m_runner(new OperationRunner(m_ctx, this))
{
    setWindowTitle(tr("Emergency failover"));
    setWizardStyle(QWizard::ClassicStyle);
    setMinimumSize(760, 560);

    auto *situation = new FailoverSituationPage(this);
    situation->setTitle(tr("Situation"));
    situation->setSubTitle(tr("A failover promotes a replica without the old leader: what it had "
                              "not sent is lost. Choose the candidate that has the most WAL."));
    m_why = new QLabel(situation);
    m_why->setWordWrap(true);
    m_candidates = new QTreeWidget(situation);
    m_candidates->setHeaderLabels({tr("Member"), tr("State"), tr("Last known LSN"), tr("May lose"), tr("Eligible")});
    m_candidates->setRootIsDecorated(false);
    m_candidates->header()->setSectionResizeMode(4, QHeaderView::Stretch);
    connect(m_candidates, &QTreeWidget::itemSelectionChanged, situation, [situation] { situation->changed(); });
    auto *again = new QPushButton(tr("Read the cluster again"), situation);
    connect(again, &QPushButton::clicked, this, &FailoverWizard::refresh);
    auto *sv = new QVBoxLayout(situation);
    sv->addWidget(m_why);
    sv->addWidget(m_candidates, 1);
    sv->addWidget(again, 0, Qt::AlignLeft);
    setPage(SituationPage, situation);

    auto *confirm = new FailoverConfirmPage(this);
    confirm->setTitle(tr("Confirm the failover"));
    confirm->setCommitPage(true);
    confirm->setButtonText(QWizard::CommitButton, tr("Fail over"));
    m_checks = new PreflightListWidget(confirm);
    m_summary = new QLabel(confirm);
    m_summary->setWordWrap(true);
    m_typed = new QLineEdit(confirm);
    connect(m_typed, &QLineEdit::textChanged, confirm, [confirm] { confirm->changed(); });
    auto *cv = new QVBoxLayout(confirm);
    cv->addWidget(m_checks);
    cv->addWidget(m_summary);
    cv->addWidget(new QLabel(tr("Type the cluster name to confirm:"), confirm));
    cv->addWidget(m_typed);
    cv->addStretch(1);
    setPage(ConfirmPage, confirm);

    m_progress = new OperationProgressPage(m_runner, [this] { return plan(); }, this);
    setPage(ExecutePage, m_progress);
    m_report = new OperationReportPage(m_progress, this);
    setPage(ReportPage, m_report);

    if (m_snapshot) {
        QList<QUrl> urls;
        for (const auto &m : m_snapshot->members)
            urls << m.apiUrl;
        m_gatherer->setFallbackUrls(urls); // the profile's member may be the one that is down
        m_runner->setFallbackUrls(urls);
    }
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
                   (a.lastKnownLeaderLsn ? tr("<br>Last known leader WAL position: %1.").arg(*a.lastKnownLeaderLsn)
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
        it->setSelected(it->data(0, Qt::UserRole).toString() == name && (it->flags() & Qt::ItemIsSelectable));
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
    p.typedConfirmation = m_typed->text();
    return p;
}

} // namespace vigil::ui
