#include "ui/troubleshooting/locktreeview.h"

#include "models/locktreemodel.h"
#include "services/diagnostics/membersessionpool.h"
#include "services/diagnostics/sessionsservice.h"
#include "ui/widgets/confirmdialog.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QStyledItemDelegate>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>
#include <ctime>
#include <functional>

namespace vigil::ui {

using models::LockTreeModel;

namespace {
// Every refresh repaints the visible rows (their waits tick), and an item view lays a cell's
// text out twice per paint (size, then draw) — shaping cost grows with the text's length, and a
// query can be hundreds of characters of which one column width is visible. Hand the style no
// more text than can fit (3x the cell width in average characters); what does not fit is elided
// anyway. The full text stays in the model (tooltip, copy, terminal).
class FittingTextDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (option->rect.width() <= 0)
            return; // a size hint: the whole text
        const int average = std::max(1, option->fontMetrics.averageCharWidth());
        const qsizetype fit = qsizetype(option->rect.width() / average) * 3 + 8;
        if (option->text.size() > fit)
            option->text.truncate(fit);
    }
};
} // namespace

LockTreeView::LockTreeView(services::MemberSessionPool *context, QWidget *parent)
    : MemberViewBase(context, 2000, parent)
    , m_model(new LockTreeModel(this))
{
    setObjectName(QStringLiteral("lockTreeView"));
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    top->addWidget(memberPicker());
    top->addWidget(m_summary, 1);
    layout->addLayout(top);

    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("lockTree"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true); // constant-time row geometry with thousands of rows
    m_tree->setItemDelegate(new FittingTextDelegate(m_tree));
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->header()->setStretchLastSection(true);
    const int em = m_tree->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    const int widths[] = {16, 11, 10, 24, 10, 7, 7};
    for (int c = 0; c < 7; ++c)
        m_tree->setColumnWidth(c, widths[c] * em);
    layout->addWidget(m_tree, 1);

    layout->addLayout(createSignalButtons(this));

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &LockTreeView::updateSignalButtons);
    rebuildMembers();
    m_summary->setText(tr("No blocking locks."));
}

void LockTreeView::memberChanged()
{
    m_model->setSnapshot({});
}

void LockTreeView::refresh()
{
    services::LockService *service = m_context->locks(member());
    if (!service || m_inFlight)
        return;
    const quint64 ticket = beginFetch();
    QPointer<LockTreeView> self(this);
    const QString forMember = member();
    const bool details = service->detailsDue();
    service->fetch(
        [self, forMember, ticket](const services::Result<services::LockTreeSnapshot> &r) {
            if (!self || !self->isCurrent(ticket))
                return;
            self->m_inFlight = false;
            if (forMember != self->member())
                return;
            if (!r.ok())
                self->m_summary->setText(r.error().toText());
            else
                self->showSnapshot(r.value());
            Q_EMIT self->refreshed();
        },
        std::chrono::milliseconds(5000), details);
}

void LockTreeView::showSnapshot(const services::LockTreeSnapshot &snapshot)
{
    QElapsedTimer timer;
    timer.start();
    timespec cpu0{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu0);
    resolveRelationNames(snapshot);
    m_model->setSnapshot(snapshot); // shares the nodes (no copy); names of other databases'
                                    // relations: the model's map
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
    timespec cpu1{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu1);
    m_lastUpdateCpuMs =
        double(cpu1.tv_sec - cpu0.tv_sec) * 1e3 + double(cpu1.tv_nsec - cpu0.tv_nsec) / 1e6;
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
    m_summary->setText(
        roots == 0 && waiting == 0
            ? tr("No session is waiting on a lock (read in %1 ms).").arg(snapshot.roundTripMs)
            : tr("%n root blocker(s) holding up %1 waiting session(s) (read in %2 ms).", nullptr,
                 roots)
                  .arg(waiting)
                  .arg(snapshot.roundTripMs));
    updateSignalButtons();
}

// The lock query runs on the maintenance database, where relations of other databases have no
// name ("oid 16452 in database hokm_game"). Names are looked up once per (database, oid) on a
// session to that database and shown by the model from then on; until then the oid is shown.
// Reads the snapshot only (a copy of thousands of nodes per refresh would cost the UI thread).
void LockTreeView::resolveRelationNames(const services::LockTreeSnapshot &snapshot)
{
    static const QLatin1String inDatabase(" in database ");
    QHash<QString, QStringList> missing; // database → oids
    QSet<QString> seen;
    for (const auto &n : snapshot.nodes) {
        if (!n.relation.startsWith(QLatin1String("oid ")) || m_relationNames.contains(n.relation) ||
            m_resolving.contains(n.relation) || seen.contains(n.relation))
            continue;
        seen.insert(n.relation);
        const int at = n.relation.indexOf(inDatabase);
        const QString oid = n.relation.mid(4, at < 0 ? -1 : at - 4);
        const QString database = at < 0 ? n.database : n.relation.mid(at + inDatabase.size());
        if (!database.isEmpty() && database != QLatin1String("?"))
            missing[database].append(oid);
    }
    for (auto it = missing.begin(); it != missing.end(); ++it) {
        services::PgSession *session = m_context->session(member(), it.key());
        if (!session)
            continue;
        const QString database = it.key();
        const QStringList oids = *it;
        QStringList keys;
        for (const QString &oid : oids) {
            // The key is the text the query gave (with or without " in database D").
            const QString withDb = QStringLiteral("oid %1 in database %2").arg(oid, database);
            keys.append(seen.contains(withDb) ? withDb : QStringLiteral("oid ") + oid);
        }
        for (const QString &k : keys)
            m_resolving.insert(k);
        QPointer<LockTreeView> self(this);
        session->exec(
            QStringLiteral("SELECT c.oid::bigint, c.oid::regclass::text FROM pg_class c WHERE "
                           "c.oid = ANY ($1::oid[])"),
            {QStringLiteral("{%1}").arg(oids.join(QLatin1Char(',')))},
            [self, oids, keys](const services::PgResult &r, const services::ServiceError &e) {
                if (!self)
                    return;
                for (const QString &k : keys)
                    self->m_resolving.remove(k);
                if (e)
                    return;
                for (const auto &row : r.rows) {
                    const int i = row.size() == 2 ? int(oids.indexOf(row.at(0).toString())) : -1;
                    if (i >= 0)
                        self->m_relationNames.insert(keys.at(i), row.at(1).toString());
                }
                self->m_model->setRelationNames(self->m_relationNames);
            });
    }
}

std::optional<MemberViewBase::SignalTarget> LockTreeView::signalTarget() const
{
    const auto *node = m_model->nodeFor(m_tree->currentIndex());
    if (!node || node->backendType != QLatin1String("client backend"))
        return std::nullopt;
    SignalTarget t;
    t.entry = {{node->pid, node->backendStart}, {}, node->application, node->user, node->database};
    if (node->total > 0)
        t.note = tr("It holds up %1 session(s) in total.").arg(node->total);
    return t;
}

} // namespace vigil::ui
