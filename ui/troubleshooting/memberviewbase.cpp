#include "ui/troubleshooting/memberviewbase.h"

#include "services/core/readonlyguard.h"
#include "services/diagnostics/membersessionpool.h"
#include "ui/widgets/confirmdialog.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTimer>

namespace vigil::ui {

MemberViewBase::MemberViewBase(services::MemberSessionPool *context, int refreshIntervalMs,
                               QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_timer(new QTimer(this))
    , m_member(new QComboBox(this))
{
    m_member->setObjectName(QStringLiteral("memberPicker"));
    m_member->setToolTip(tr("The member whose figures are shown."));
    m_timer->setInterval(refreshIntervalMs);
    connect(m_timer, &QTimer::timeout, this, [this] { refresh(); });
    connect(m_member, &QComboBox::currentIndexChanged, this, [this] {
        memberChanged();
        refresh();
    });
    connect(m_context, &services::MemberSessionPool::membersChanged, this,
            &MemberViewBase::rebuildMembers);
}

QString MemberViewBase::member() const
{
    return m_member->currentData().toString();
}

void MemberViewBase::setMember(const QString &member)
{
    const int i = m_member->findData(member);
    if (i >= 0)
        m_member->setCurrentIndex(i);
}

void MemberViewBase::setRefreshIntervalMs(int ms)
{
    m_timer->setInterval(ms);
}

void MemberViewBase::rebuildMembers()
{
    const QString current = member();
    {
        QSignalBlocker block(m_member);
        m_member->clear();
        for (const auto &m : m_context->members())
            m_member->addItem(m.leader ? tr("%1 (leader)").arg(m.name) : m.name, m.name);
        const int i = m_member->findData(current.isEmpty() ? m_context->leaderName() : current);
        m_member->setCurrentIndex(i >= 0 ? i : 0);
    }
    // The context may have dropped the session an answer was coming on: forget that fetch.
    const bool wasFetching = m_inFlight;
    ++m_generation;
    m_inFlight = false;
    if (current != member()) {
        memberChanged();
        refresh();
    } else if (wasFetching) {
        refresh();
    }
}

quint64 MemberViewBase::beginFetch()
{
    m_inFlight = true;
    return m_generation;
}

void MemberViewBase::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_timer->start();
    refresh();
}

void MemberViewBase::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer->stop();
}

QHBoxLayout *MemberViewBase::createSignalButtons(QWidget *parent)
{
    auto *row = new QHBoxLayout;
    m_cancel = new QPushButton(tr("Cancel query…"), parent);
    m_cancel->setObjectName(QStringLiteral("cancelQuery"));
    m_terminate = new QPushButton(tr("Terminate session…"), parent);
    m_terminate->setObjectName(QStringLiteral("terminateSession"));
    m_signalOutcome = new QLabel(parent);
    m_signalOutcome->setObjectName(QStringLiteral("signalOutcome"));
    m_signalOutcome->setWordWrap(true);
    row->addWidget(m_cancel);
    row->addWidget(m_terminate);
    row->addWidget(m_signalOutcome, 1);
    connect(m_cancel, &QPushButton::clicked, this,
            [this] { signalSelected(services::SignalAction::Cancel); });
    connect(m_terminate, &QPushButton::clicked, this,
            [this] { signalSelected(services::SignalAction::Terminate); });
    updateSignalButtons();
    return row;
}

void MemberViewBase::updateSignalButtons()
{
    if (!m_cancel)
        return;
    const bool readOnly = m_context->guard()->isReadOnly();
    const bool can = !readOnly && signalTarget().has_value();
    const QString why = readOnly ? tr("Read-only mode.") : QString();
    for (QPushButton *b : {m_cancel, m_terminate}) {
        b->setEnabled(can);
        b->setToolTip(why);
    }
}

void MemberViewBase::signalSelected(services::SignalAction action)
{
    const std::optional<SignalTarget> target = signalTarget();
    services::SessionsService *service = m_context->sessions(member());
    if (!target || !service)
        return;
    const services::SignalPlanEntry entry = target->entry;
    const bool terminate = action == services::SignalAction::Terminate;
    const QString who = tr("session %1 (application '%2', user %3, database %4, on %5)")
                            .arg(entry.ref.pid)
                            .arg(entry.application, entry.user, entry.database, member());
    QString text =
        terminate
            ? tr("Terminate %1? Its connection is closed and any open transaction is rolled back.")
                  .arg(who)
            : tr("Cancel the running query of %1? The session stays connected; its transaction, if "
                 "any, is aborted.")
                  .arg(who);
    if (!target->note.isEmpty())
        text += QLatin1Char(' ') + target->note;
    QPointer<MemberViewBase> self(this);
    QPointer<services::SessionsService> svc(service);
    ConfirmDialog::ask(
        this, terminate ? tr("Terminate session") : tr("Cancel query"), text,
        terminate ? tr("Terminate session %1").arg(entry.ref.pid)
                  : tr("Cancel query of %1").arg(entry.ref.pid),
        [self, svc, entry, action] {
            if (!self || !svc)
                return;
            svc->signal(action, {entry},
                        [self, action](const services::Result<QList<services::SignalOutcome>> &r) {
                            if (!self)
                                return;
                            if (!r.ok())
                                self->m_signalOutcome->setText(r.error().toText());
                            else if (!r.value().isEmpty())
                                self->m_signalOutcome->setText(r.value().first().describe(action));
                            self->refresh();
                        });
        });
}

} // namespace vigil::ui
