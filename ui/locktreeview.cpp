#include "ui/locktreeview.h"

#include "models/locktreemodel.h"
#include "services/activityservice.h"
#include "ui/confirmdialog.h"
#include "ui/troubleshootingcontext.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include <functional>

namespace vigil::ui {

using models::LockTreeModel;

LockTreeView::LockTreeView(TroubleshootingContext *context, QWidget *parent)
    : QWidget(parent), m_context(context), m_model(new LockTreeModel(this)), m_timer(new QTimer(this))
{
    setObjectName(QStringLiteral("lockTreeView"));
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_member = new QComboBox(this);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    top->addWidget(m_member);
    top->addWidget(m_summary, 1);
    layout->addLayout(top);

    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("lockTree"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true); // constant-time row geometry with thousands of rows
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->header()->setStretchLastSection(true);
    const int em = m_tree->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    const int widths[] = {16, 11, 10, 24, 10, 7, 7};
    for (int c = 0; c < 7; ++c)
        m_tree->setColumnWidth(c, widths[c] * em);
    layout->addWidget(m_tree, 1);

    auto *actions = new QHBoxLayout;
    m_cancel = new QPushButton(tr("Cancel query…"), this);
    m_cancel->setObjectName(QStringLiteral("cancelQuery"));
    m_terminate = new QPushButton(tr("Terminate session…"), this);
    m_terminate->setObjectName(QStringLiteral("terminateSession"));
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    actions->addWidget(m_cancel);
    actions->addWidget(m_terminate);
    actions->addWidget(m_status, 1);
    layout->addLayout(actions);

    connect(m_member, &QComboBox::currentIndexChanged, this, [this] {
        m_model->setSnapshot({});
        refresh();
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &LockTreeView::updateButtons);
    connect(m_cancel, &QPushButton::clicked, this, [this] { signalSelected(services::SignalAction::Cancel); });
    connect(m_terminate, &QPushButton::clicked, this, [this] { signalSelected(services::SignalAction::Terminate); });
    connect(m_timer, &QTimer::timeout, this, &LockTreeView::refresh);
    connect(m_context, &TroubleshootingContext::membersChanged, this, &LockTreeView::rebuildMembers);
    m_timer->setInterval(2000);
    rebuildMembers();
    updateButtons();
    m_summary->setText(tr("No blocking locks."));
}

QString LockTreeView::member() const { return m_member->currentData().toString(); }

void LockTreeView::setMember(const QString &member)
{
    const int i = m_member->findData(member);
    if (i >= 0)
        m_member->setCurrentIndex(i);
}

void LockTreeView::setRefreshIntervalMs(int ms) { m_timer->setInterval(ms); }

void LockTreeView::rebuildMembers()
{
    const QString current = member();
    QSignalBlocker block(m_member);
    m_member->clear();
    for (const auto &m : m_context->members())
        m_member->addItem(m.leader ? tr("%1 (leader)").arg(m.name) : m.name, m.name);
    const int i = m_member->findData(current.isEmpty() ? m_context->leaderName() : current);
    m_member->setCurrentIndex(i >= 0 ? i : 0);
    if (current != member())
        refresh();
}

void LockTreeView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_timer->start();
    refresh();
}

void LockTreeView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer->stop();
}

void LockTreeView::refresh()
{
    services::LockService *service = m_context->locks(member());
    if (!service || m_inFlight)
        return;
    m_inFlight = true;
    QPointer<LockTreeView> self(this);
    const QString forMember = member();
    const bool details = service->detailsDue();
    service->fetch([self, forMember](const services::Result<services::LockTreeSnapshot> &r) {
        if (!self)
            return;
        self->m_inFlight = false;
        if (forMember != self->member())
            return;
        if (!r.ok())
            self->m_summary->setText(r.error().toText());
        else
            self->showSnapshot(r.value());
        Q_EMIT self->refreshed();
    }, std::chrono::milliseconds(5000), details);
}

void LockTreeView::showSnapshot(const services::LockTreeSnapshot &snapshot)
{
    QElapsedTimer timer;
    timer.start();
    services::LockTreeSnapshot named = snapshot;
    resolveRelationNames(named);
    m_model->setSnapshot(named);
    // A root blocker seen for the first time opens (with its subtree) when the tree is small;
    // big trees stay collapsed, their children load when expanded. Later refreshes keep what
    // the user opened or closed.
    if (snapshot.nodes.size() <= 200) {
        for (int r = 0; r < m_model->rowCount(); ++r) {
            const QModelIndex root = m_model->index(r, 0);
            const int pid = root.data(LockTreeModel::PidRole).toInt();
            if (!m_expanded.contains(pid)) {
                m_expanded.insert(pid);
                std::function<void(const QModelIndex &)> open = [&](const QModelIndex &index) {
                    while (m_model->canFetchMore(index))
                        m_model->fetchMore(index);
                    m_tree->expand(index);
                    for (int c = 0; c < m_model->rowCount(index); ++c)
                        open(m_model->index(c, 0, index));
                };
                open(root);
            }
        }
    }
    m_lastUpdateMs = double(timer.nsecsElapsed()) / 1e6;
    if (!m_fitted && m_model->rowCount() > 0 && snapshot.nodes.size() <= 200) {
        m_fitted = true;
        const int em = m_tree->fontMetrics().horizontalAdvance(QLatin1Char('M'));
        for (int c = 0; c < LockTreeModel::Query; ++c) {
            m_tree->resizeColumnToContents(c);
            m_tree->setColumnWidth(c, std::min(m_tree->columnWidth(c) + em / 2, 34 * em));
        }
    }
    const int roots = m_model->rootCount();
    const int waiting = m_model->waitingCount();
    m_summary->setText(roots == 0 && waiting == 0
        ? tr("No session is waiting on a lock (read in %1 ms).").arg(snapshot.roundTripMs)
        : tr("%n root blocker(s) holding up %1 waiting session(s) (read in %2 ms).", nullptr, roots)
              .arg(waiting).arg(snapshot.roundTripMs));
    updateButtons();
}

// The lock query runs on the maintenance database, where relations of other databases have no
// name ("oid 16452"). Names are looked up once per (database, oid) on a session to that database
// and shown from the next refresh on; until then the oid is shown.
void LockTreeView::resolveRelationNames(services::LockTreeSnapshot &snapshot)
{
    QHash<QString, QStringList> missing; // database → oids
    for (auto &n : snapshot.nodes) {
        if (!n.relation.startsWith(QLatin1String("oid ")) || n.database.isEmpty())
            continue;
        const QString oid = n.relation.mid(4);
        const QString key = n.database + QLatin1Char('/') + oid;
        const auto it = m_relationNames.constFind(key);
        if (it != m_relationNames.constEnd())
            n.relation = *it;
        else if (!m_resolving.contains(key) && !missing[n.database].contains(oid))
            missing[n.database].append(oid);
    }
    for (auto it = missing.begin(); it != missing.end(); ++it) {
        services::PgSession *session = m_context->session(member(), it.key());
        if (!session)
            continue;
        for (const QString &oid : *it)
            m_resolving.insert(it.key() + QLatin1Char('/') + oid);
        QPointer<LockTreeView> self(this);
        const QString database = it.key();
        const QStringList oids = *it;
        session->exec(QStringLiteral("SELECT c.oid::bigint, c.oid::regclass::text FROM pg_class c WHERE c.oid = ANY ($1::oid[])"),
                      {QStringLiteral("{%1}").arg(oids.join(QLatin1Char(',')))},
                      [self, database, oids](const services::PgResult &r, const services::ServiceError &e) {
                          if (!self)
                              return;
                          for (const QString &oid : oids)
                              self->m_resolving.remove(database + QLatin1Char('/') + oid);
                          if (e)
                              return;
                          for (const auto &row : r.rows)
                              if (row.size() == 2)
                                  self->m_relationNames.insert(database + QLatin1Char('/') + row.at(0).toString(),
                                                               row.at(1).toString());
                      });
    }
}

void LockTreeView::updateButtons()
{
    const auto *node = m_model->nodeFor(m_tree->currentIndex());
    const bool can = node && !m_context->guard()->isReadOnly() &&
                     node->backendType == QLatin1String("client backend");
    m_cancel->setEnabled(can);
    m_terminate->setEnabled(can);
}

void LockTreeView::signalSelected(services::SignalAction action)
{
    const auto *node = m_model->nodeFor(m_tree->currentIndex());
    services::ActivityService *service = m_context->activity(member());
    if (!node || !service)
        return;
    const services::LockNode target = *node;
    const bool terminate = action == services::SignalAction::Terminate;
    const QString who = tr("session %1 (application '%2', user %3, database %4, on %5)")
                            .arg(target.pid)
                            .arg(target.application, target.user, target.database, member());
    QString text = terminate
        ? tr("Terminate %1? Its connection is closed and its transaction rolled back.").arg(who)
        : tr("Cancel the running query of %1?").arg(who);
    if (target.total > 0)
        text += QLatin1Char(' ') + tr("It holds up %1 session(s) in total.").arg(target.total);
    QPointer<LockTreeView> self(this);
    QPointer<services::ActivityService> svc(service);
    ConfirmDialog::ask(
        this, terminate ? tr("Terminate session") : tr("Cancel query"), text,
        terminate ? tr("Terminate session %1").arg(target.pid) : tr("Cancel query of %1").arg(target.pid),
        [self, svc, target, action] {
            if (!self || !svc)
                return;
            services::SignalPlanEntry entry{{target.pid, target.backendStart}, {}, target.application,
                                            target.user, target.database};
            svc->signal(action, {entry}, [self, action](const services::Result<QList<services::SignalOutcome>> &r) {
                if (!self)
                    return;
                self->m_status->setText(!r.ok() ? r.error().toText()
                                        : r.value().isEmpty() ? QString()
                                                              : r.value().first().describe(action));
                self->refresh();
            });
        });
}

} // namespace vigil::ui
