#include "ui/operations/switchoverwizard.h"

#include "ui/operations/preflightlistwidget.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QTimeZone>
#include <QVBoxLayout>

namespace vigil::ui {

using namespace vigil::services;

// ---- the pre-flight page, with its own completeness rule ------------------------------------

class SwitchoverPreflightPage : public QWizardPage
{
public:
    explicit SwitchoverPreflightPage(SwitchoverWizard *w)
        : QWizardPage(w)
        , m_w(w)
    {
    }
    void initializePage() override { m_w->runPreflight(); }
    bool isComplete() const override
    {
        return !m_w->m_checks.isEmpty() &&
               worstVerdict(m_w->m_checks) != PreflightCheck::Verdict::Red;
    }
    void changed() { Q_EMIT completeChanged(); }

private:
    SwitchoverWizard *m_w;
};

SwitchoverWizard::SwitchoverWizard(OperationContext ctx, ClusterSnapshotPtr snapshot,
                                   QWidget *parent)
    : OperationWizard(std::move(ctx), std::move(snapshot), tr("Planned switchover"), parent)
{
    setOption(QWizard::NoBackButtonOnStartPage);
    addChoosePage();    // 1
    addPreflightPage(); // 2
    addConfirmPage();   // 3
    // -- 4 Execute, 5 Report
    addRunPages(ExecutePage, ReportPage);

    connect(m_gatherer, &PreflightGatherer::gathered, this, [this](const PreflightInput &in) {
        m_input = in;
        m_snapshot = in.snapshot;
        fillCandidates();
        judge();
    });
    fillCandidates();
}

// The candidate, when (now or at a time), and whether PgBouncer holds the clients meanwhile.
void SwitchoverWizard::addChoosePage()
{
    auto *choose = new QWizardPage(this);
    choose->setTitle(tr("Choose the new leader"));
    choose->setSubTitle(tr("A planned switchover hands the leader role to a healthy replica; the "
                           "old leader shuts down cleanly and follows it."));
    m_leaderLabel = new QLabel(choose);
    m_leaderLabel->setWordWrap(true);
    m_candidate = new QComboBox(choose);
    m_now = new QRadioButton(tr("Now"), choose);
    m_later = new QRadioButton(tr("At"), choose);
    m_now->setChecked(true);
    m_at = new QDateTimeEdit(QDateTime::currentDateTime().addSecs(3600), choose);
    m_at->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm t"));
    m_at->setCalendarPopup(true);
    m_at->setEnabled(false);
    connect(m_later, &QRadioButton::toggled, m_at, &QWidget::setEnabled);
    m_pause = new QCheckBox(tr("Pause clients during the switchover (PgBouncer PAUSE/RESUME: no "
                               "client errors, clients wait instead)"),
                            choose);
    m_pause->setEnabled(!m_ctx.profile.pgbouncerConninfo.isEmpty());
    m_pause->setChecked(m_pause->isEnabled());
    if (!m_pause->isEnabled())
        m_pause->setToolTip(tr("This profile has no PgBouncer admin console."));
    connect(m_later, &QRadioButton::toggled, m_pause, [this](bool later) {
        m_pause->setEnabled(!later && !m_ctx.profile.pgbouncerConninfo.isEmpty());
    });
    auto *when = new QHBoxLayout;
    when->addWidget(m_now);
    when->addWidget(m_later);
    when->addWidget(m_at, 1);
    auto *form = new QFormLayout(choose);
    form->addRow(m_leaderLabel);
    form->addRow(tr("Candidate:"), m_candidate);
    form->addRow(tr("When:"), when);
    form->addRow(m_pause);
    setPage(ChoosePage, choose);
}

void SwitchoverWizard::addPreflightPage()
{
    auto *pre = new SwitchoverPreflightPage(this);
    pre->setTitle(tr("Pre-flight checks"));
    pre->setSubTitle(
        tr("Red stops the switchover; amber needs your judgement; each verdict says why."));
    m_preflight = new PreflightListWidget(pre);
    auto *scroll = new QScrollArea(pre);
    scroll->setWidget(m_preflight);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // A fixed viewport width: word-wrapped rows are laid out once, never under the scroll bar.
    scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_recheck = new QPushButton(tr("Check again"), pre);
    connect(m_recheck, &QPushButton::clicked, this, [this] {
        m_injected = false;
        runPreflight();
    });
    auto *pv = new QVBoxLayout(pre);
    pv->addWidget(scroll, 1);
    pv->addWidget(m_recheck, 0, Qt::AlignLeft);
    setPage(PreflightPage, pre);
}

void SwitchoverWizard::addConfirmPage()
{
    m_confirm = new OperationConfirmPage(this, false, 12);
    m_confirm->setTitle(tr("Confirm"));
    m_confirm->setSubTitle(tr("Read what will happen, then type the cluster name."));
    m_confirm->setCommitPage(true);
    m_confirm->setButtonText(QWizard::CommitButton, tr("Switch over"));
    m_confirm->typedEdit()->setObjectName(QStringLiteral("typedConfirmation"));
    setPage(ConfirmPage, m_confirm);
}

void SwitchoverWizard::fillCandidates()
{
    const QString previous = m_candidate->currentData().toString();
    m_candidate->clear();
    m_candidate->addItem(tr("Let Patroni choose"), QString());
    if (!m_snapshot) {
        m_leaderLabel->setText(tr("The cluster has not been read yet."));
        return;
    }
    const MemberSnapshot *leader = m_snapshot->leader();
    m_leaderLabel->setText(
        leader ? tr("Current leader: <b>%1</b> (%2, timeline %3) of cluster <b>%4</b>.")
                     .arg(leader->name, leader->state,
                          leader->timeline ? QString::number(*leader->timeline) : tr("unknown"),
                          m_snapshot->scope)
               : tr("The cluster has no leader: use the emergency failover instead."));
    for (const auto &m : m_snapshot->members) {
        if (m.isLeader())
            continue;
        const QString lag = m.lagBytes ? formatBytes(*m.lagBytes) : tr("lag unknown");
        m_candidate->addItem(tr("%1 — %2, %3").arg(m.name, m.state, lag), m.name);
    }
    const int i = m_candidate->findData(previous);
    if (i >= 0)
        m_candidate->setCurrentIndex(i);
}

SwitchoverChoice SwitchoverWizard::choice() const
{
    SwitchoverChoice c;
    c.candidate = m_candidate->currentData().toString();
    if (m_later->isChecked())
        c.scheduledAt = m_at->dateTime().toUTC();
    c.pauseClients = m_pause->isEnabled() && m_pause->isChecked();
    return c;
}

SwitchoverPlan SwitchoverWizard::plan() const
{
    SwitchoverPlan p;
    const SwitchoverChoice c = choice();
    p.cluster = m_snapshot ? m_snapshot->scope : QString();
    p.leader = m_snapshot && m_snapshot->leader() ? m_snapshot->leader()->name : QString();
    p.candidate = c.candidate;
    p.scheduledAt = c.scheduledAt;
    p.pauseClients = c.pauseClients;
    p.preflight = m_checks;
    p.typedConfirmation = confirmationEdit()->text();
    return p;
}

void SwitchoverWizard::setPreflightInput(const PreflightInput &input)
{
    m_input = input;
    m_snapshot = input.snapshot;
    m_injected = true;
    fillCandidates();
}

void SwitchoverWizard::runPreflight()
{
    if (m_injected && m_input) {
        judge();
        return;
    }
    m_checks.clear();
    m_preflight->setMessage(tr("Checking the cluster, PgBouncer and HAProxy…"));
    static_cast<SwitchoverPreflightPage *>(page(PreflightPage))->changed();
    m_gatherer->gather();
}

void SwitchoverWizard::judge()
{
    if (!m_input)
        return;
    m_checks = switchoverPreflight(*m_input, choice());
    m_preflight->setChecks(m_checks);
    static_cast<SwitchoverPreflightPage *>(page(PreflightPage))->changed();
}

} // namespace vigil::ui
