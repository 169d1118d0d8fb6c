#include "ui/memberview.h"

#include "ui/troubleshootingcontext.h"

#include <QComboBox>
#include <QSignalBlocker>
#include <QTimer>

namespace vigil::ui {

MemberView::MemberView(TroubleshootingContext *context, int refreshIntervalMs, QWidget *parent)
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
    connect(m_context, &TroubleshootingContext::membersChanged, this, &MemberView::rebuildMembers);
}

QString MemberView::member() const
{
    return m_member->currentData().toString();
}

void MemberView::setMember(const QString &member)
{
    const int i = m_member->findData(member);
    if (i >= 0)
        m_member->setCurrentIndex(i);
}

void MemberView::setRefreshIntervalMs(int ms)
{
    m_timer->setInterval(ms);
}

void MemberView::rebuildMembers()
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

quint64 MemberView::beginFetch()
{
    m_inFlight = true;
    return m_generation;
}

void MemberView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_timer->start();
    refresh();
}

void MemberView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer->stop();
}

} // namespace vigil::ui
