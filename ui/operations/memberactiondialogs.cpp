#include "ui/operations/memberactiondialogs.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace vigil::ui {

using namespace vigil::services;
using Kind = MemberAction::Kind;

namespace {
QString titleFor(const MemberAction &a)
{
    switch (a.kind) {
    case Kind::Restart:
        return QObject::tr("Restart %1").arg(a.member);
    case Kind::Reload:
        return QObject::tr("Reload %1").arg(a.member);
    case Kind::Reinitialize:
        return QObject::tr("Reinitialize %1").arg(a.member);
    case Kind::Pause:
        return QObject::tr("Pause %1 (maintenance mode)").arg(a.cluster);
    case Kind::Resume:
        return QObject::tr("Resume %1").arg(a.cluster);
    case Kind::PatchConfig:
        return QObject::tr("Change the configuration of %1").arg(a.cluster);
    case Kind::CancelSwitchover:
        return QObject::tr("Cancel the scheduled switchover");
    case Kind::CancelRestart:
        return QObject::tr("Cancel the scheduled restart of %1").arg(a.member);
    }
    return {};
}
} // namespace

MemberActionDialog::MemberActionDialog(OperationContext ctx, MemberAction action, QWidget *parent)
    : QDialog(parent)
    , m_ctx(std::move(ctx))
    , m_action(std::move(action))
    , m_runner(new MemberActionRunner(m_ctx, this))
    , m_summary(new QLabel(this))
    , m_log(new QPlainTextEdit(this))
    , m_run(new QPushButton(this))
{
    setWindowTitle(titleFor(m_action));
    setMinimumWidth(560);
    m_summary->setWordWrap(true);
    auto *v = new QVBoxLayout(this);
    v->addWidget(m_summary);
    auto *form = new QFormLayout;
    if (m_action.kind == Kind::Restart) {
        m_now = new QRadioButton(tr("Now"), this);
        auto *later = new QRadioButton(tr("At"), this);
        m_now->setChecked(true);
        m_at = new QDateTimeEdit(QDateTime::currentDateTime().addSecs(3600), this);
        m_at->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm t"));
        m_at->setEnabled(false);
        connect(later, &QRadioButton::toggled, m_at, &QWidget::setEnabled);
        connect(later, &QRadioButton::toggled, this, &MemberActionDialog::updateState);
        auto *when = new QHBoxLayout;
        when->addWidget(m_now);
        when->addWidget(later);
        when->addWidget(m_at, 1);
        form->addRow(tr("When:"), when);
        m_pending = new QCheckBox(tr("Only if a restart is pending"), this);
        m_pending->setChecked(m_action.onlyIfPendingRestart);
        connect(m_pending, &QCheckBox::toggled, this, &MemberActionDialog::updateState);
        form->addRow(m_pending);
    }
    if (m_action.kind == Kind::Reinitialize) {
        m_force = new QCheckBox(tr("Also if it is running (force)"), this);
        m_force->setChecked(m_action.force);
        form->addRow(m_force);
    }
    if (m_action.needsTypedConfirmation()) {
        m_typed = new QLineEdit(this);
        m_typed->setPlaceholderText(m_action.cluster);
        connect(m_typed, &QLineEdit::textChanged, this, &MemberActionDialog::updateState);
        form->addRow(tr("Type the cluster name to confirm:"), m_typed);
    }
    v->addLayout(form);
    m_log->setReadOnly(true);
    m_log->setPlaceholderText(tr("Progress appears here."));
    v->addWidget(m_log, 1);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_run, QDialogButtonBox::AcceptRole);
    auto *close = buttons->addButton(QDialogButtonBox::Close);
    close->setDefault(true);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_run, &QPushButton::clicked, this, &MemberActionDialog::run);
    v->addWidget(buttons);
    m_run->setText(m_action.kind == Kind::Reinitialize
                       ? tr("Reinitialize")
                       : titleFor(m_action).section(QLatin1Char(' '), 0, 0));
    m_run->setAutoDefault(false);

    connect(m_runner, &MemberActionRunner::progress, m_log, &QPlainTextEdit::appendPlainText);
    connect(m_runner, &MemberActionRunner::finished, this, [this](const MemberActionResult &r) {
        m_done = true;
        m_log->appendPlainText(r.ok() ? tr("Done. %1").arg(r.verified)
                                      : tr("Not done. %1").arg(r.explanation));
        updateState();
        Q_EMIT actionFinished(r);
    });
    updateState();
}

MemberAction MemberActionDialog::action() const
{
    MemberAction a = m_action;
    if (m_at && m_at->isEnabled())
        a.scheduledAt = m_at->dateTime().toUTC();
    if (m_pending)
        a.onlyIfPendingRestart = m_pending->isChecked();
    if (m_force)
        a.force = m_force->isChecked();
    if (m_typed)
        a.typedConfirmation = m_typed->text();
    return a;
}

bool MemberActionDialog::canRun() const
{
    if (m_done || m_runner->isRunning())
        return false;
    const MemberAction a = action();
    return !a.needsTypedConfirmation() || a.typedConfirmation.trimmed() == a.cluster;
}

void MemberActionDialog::run()
{
    if (!canRun())
        return;
    m_run->setEnabled(false); // before anything else: a second click finds it disabled
    m_runner->start(action());
    updateState();
}

void MemberActionDialog::updateState()
{
    m_summary->setText(
        action().summary() +
        (m_ctx.guard && m_ctx.guard->isReadOnly()
             ? QLatin1Char(' ') + tr("Vigil is in read-only mode: this will be refused.")
             : QString()));
    m_run->setEnabled(canRun());
}

} // namespace vigil::ui
