#include "ui/operations/operationprogresspage.h"

#include "ui/operations/preflightlistwidget.h"

#include <QAbstractButton>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QWizard>

namespace vigil::ui {

using services::SwitchoverStep;

OperationProgressPage::OperationProgressPage(services::SwitchoverRunner *runner,
                                             std::function<services::SwitchoverPlan()> plan,
                                             QWidget *parent)
    : QWizardPage(parent)
    , m_runner(runner)
    , m_plan(std::move(plan))
    , m_steps(new QTreeWidget(this))
    , m_status(new QLabel(this))
{
    setTitle(tr("Executing"));
    setSubTitle(tr("Each step is shown as it happens, with its elapsed time."));
    // Nothing to go back to once it ran: the report page offers no Back.
    setCommitPage(true);
    setButtonText(QWizard::CommitButton, tr("Report >"));
    m_steps->setColumnCount(4);
    m_steps->setHeaderLabels({tr("Step"), tr("Result"), tr("Took"), tr("Detail")});
    m_steps->setRootIsDecorated(false);
    m_steps->header()->setSectionResizeMode(3, QHeaderView::Stretch);
    m_steps->setWordWrap(true);
    m_status->setWordWrap(true);
    auto *v = new QVBoxLayout(this);
    v->addWidget(m_steps, 1);
    v->addWidget(m_status);
    m_tick.setInterval(250);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        for (int i = 0; i < m_steps->topLevelItemCount(); ++i) {
            QTreeWidgetItem *it = m_steps->topLevelItem(i);
            if (it->text(1) == services::stepStateName(SwitchoverStep::State::Running))
                it->setText(2, tr("%1 s…").arg((m_clock.elapsed() -
                                                it->data(0, Qt::UserRole + 1).toLongLong()) /
                                                   1000.0,
                                               0, 'f', 1));
        }
    });
    connect(m_runner, &services::SwitchoverRunner::stepChanged, this,
            &OperationProgressPage::onStep);
    connect(m_runner, &services::SwitchoverRunner::finished, this,
            &OperationProgressPage::onFinished);
}

void OperationProgressPage::initializePage()
{
    if (m_started)
        return; // never twice
    m_started = true;
    m_status->setText(tr("Running…"));
    // Closing the wizard mid-run would hide the progress of something Patroni keeps doing.
    if (QAbstractButton *cancel = wizard()->button(QWizard::CancelButton))
        cancel->setEnabled(false);
    m_clock.start();
    m_tick.start();
    if (!m_runner->start(m_plan()))
        m_status->setText(tr("An operation is already running; nothing was submitted again."));
}

bool OperationProgressPage::isComplete() const
{
    return m_finished;
}

void OperationProgressPage::onStep(const SwitchoverStep &step)
{
    QTreeWidgetItem *item = nullptr;
    for (int i = 0; i < m_steps->topLevelItemCount(); ++i) {
        QTreeWidgetItem *it = m_steps->topLevelItem(i);
        if (it->data(0, Qt::UserRole).toString() == step.id &&
            it->text(1) == services::stepStateName(SwitchoverStep::State::Running))
            item = it;
    }
    if (!item) {
        item = new QTreeWidgetItem(m_steps);
        item->setData(0, Qt::UserRole, step.id);
        item->setData(0, Qt::UserRole + 1, step.startedMs);
    }
    item->setText(0, step.title);
    item->setText(1, services::stepStateName(step.state));
    item->setText(2, step.state == SwitchoverStep::State::Running
                         ? tr("at %1 s").arg(step.startedMs / 1000.0, 0, 'f', 1)
                         : tr("%1 s").arg(step.elapsedMs / 1000.0, 0, 'f', 1));
    item->setText(3, step.detail);
    item->setToolTip(3, step.detail);
    const QColor c = step.state == SwitchoverStep::State::Failed    ? QColor(0xc6, 0x28, 0x28)
                     : step.state == SwitchoverStep::State::Warning ? QColor(0xb0, 0x60, 0x00)
                     : step.state == SwitchoverStep::State::Done    ? QColor(0x2e, 0x7d, 0x32)
                                                                 : palette().color(QPalette::Text);
    item->setForeground(1, c);
    for (int i = 0; i < 3; ++i)
        m_steps->resizeColumnToContents(i);
}

void OperationProgressPage::onFinished(const services::SwitchoverReport &report)
{
    m_report = report;
    m_finished = true;
    m_tick.stop();
    if (QAbstractButton *cancel = wizard() ? wizard()->button(QWizard::CancelButton) : nullptr)
        cancel->setEnabled(true);
    m_status->setText(report.outcomeText() + (report.explanation.isEmpty()
                                                  ? QString()
                                                  : QLatin1Char(' ') + report.explanation));
    Q_EMIT completeChanged();
}

OperationReportPage::OperationReportPage(OperationProgressPage *progress, QWidget *parent)
    : QWizardPage(parent)
    , m_progress(progress)
    , m_outcome(new QLabel(this))
    , m_verification(new PreflightListWidget(this))
    , m_text(new QTextBrowser(this))
    , m_reinit(new QPushButton(tr("Reinitialize the old leader…"), this))
{
    setTitle(tr("Verification and report"));
    setFinalPage(true);
    m_outcome->setWordWrap(true);
    auto *copy = new QPushButton(tr("Copy report as markdown"), this);
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_markdown); });
    connect(m_reinit, &QPushButton::clicked, this,
            [this] { Q_EMIT reinitializeRequested(m_progress->report().oldLeader); });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(copy);
    buttons->addWidget(m_reinit);
    buttons->addStretch(1);
    auto *v = new QVBoxLayout(this);
    v->addWidget(m_outcome);
    v->addWidget(m_verification);
    v->addWidget(m_text, 1);
    v->addLayout(buttons);
}

void OperationReportPage::initializePage()
{
    const services::SwitchoverReport &r = m_progress->report();
    m_markdown = r.markdown();
    m_outcome->setText(QStringLiteral("<b>%1</b> %2")
                           .arg(r.outcomeText().toHtmlEscaped(), r.explanation.toHtmlEscaped()));
    m_verification->setChecks(r.verification);
    m_text->setMarkdown(m_markdown);
    m_reinit->setVisible(r.reinitializeSuggested);
}

} // namespace vigil::ui
