#include "models/locktreemodel.h"

#include "models/formatting.h"
#include "models/health.h"
#include "services/core/backgroundpool.h"

#include <QBrush>
#include <QColor>
#include <QSet>
#include <functional>

namespace vigil::models {

using services::LockNode;

namespace {
// The columns whose display (text, tooltip or colour) differs between two readings of a row:
// a refresh repaints only those cells. Waits tick every second, so most refreshes change only
// the "Waiting / holding" cell of each row; the other cells (the query's text is the costliest
// to lay out) are not repainted. Bit c = column c; all bits = the whole row.
int changedColumns(const LockNode &a, const LockNode &b)
{
    constexpr int all = (1 << LockTreeModel::ColumnCount) - 1;
    if (a.inCycle != b.inCycle || a.blockedBy != b.blockedBy || a.parent != b.parent ||
        (a.total > 0) != (b.total > 0))
        return all; // background colour or the per-row tooltip
    int mask = 0;
    auto mark = [&mask](int column, bool differs) {
        mask |= differs ? 1 << column : 0;
    };
    auto seconds = [](const std::optional<double> &s) {
        return s ? qint64(*s) : qint64(-1);
    };
    mark(LockTreeModel::Session, a.pid != b.pid || a.application != b.application);
    mark(LockTreeModel::Blocking, a.direct != b.direct || a.total != b.total);
    mark(LockTreeModel::Waited, seconds(a.waitSeconds) != seconds(b.waitSeconds) ||
                                    seconds(a.xactAge) != seconds(b.xactAge));
    mark(LockTreeModel::Lock, a.lockMode != b.lockMode || a.relation != b.relation ||
                                  a.lockTarget != b.lockTarget || a.lockType != b.lockType);
    mark(LockTreeModel::State, a.state != b.state);
    mark(LockTreeModel::User, a.user != b.user);
    mark(LockTreeModel::Database, a.database != b.database);
    mark(LockTreeModel::Query, a.query != b.query);
    return mask;
}

bool sameData(const LockNode &a, const LockNode &b)
{
    return a.direct == b.direct && a.total == b.total && a.waitSeconds == b.waitSeconds &&
           a.xactAge == b.xactAge && a.state == b.state && a.waitEvent == b.waitEvent &&
           a.query == b.query && a.lockMode == b.lockMode && a.relation == b.relation &&
           a.lockTarget == b.lockTarget && a.application == b.application &&
           a.blockedBy == b.blockedBy && a.inCycle == b.inCycle && a.lockType == b.lockType &&
           a.user == b.user && a.database == b.database && a.waitEventType == b.waitEventType &&
           a.backendType == b.backendType && a.clientAddr == b.clientAddr && a.depth == b.depth &&
           a.root == b.root;
}
} // namespace

LockTreeModel::LockTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{
}

LockTreeModel::~LockTreeModel()
{
    for (Node *child : m_root->children)
        destroySubtree(child);
}

int LockTreeModel::rootCount() const
{
    const auto it = m_snapshot.childrenOf.constFind(0);
    return it == m_snapshot.childrenOf.constEnd() ? 0 : int(it->size());
}

int LockTreeModel::waitingCount() const
{
    return m_waiting;
}

const LockNode *LockTreeModel::nodeFor(const QModelIndex &index) const
{
    Node *n = nodeOf(index);
    return n == m_root.get() ? nullptr : &n->data;
}

const LockNode *LockTreeModel::nodeByPid(int pid) const
{
    return m_snapshot.node(pid);
}

QModelIndex LockTreeModel::indexOfPid(int pid) const
{
    Node *n = m_byPid.value(pid, nullptr);
    return n ? indexOf(n) : QModelIndex();
}

LockTreeModel::Node *LockTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex LockTreeModel::indexOf(Node *node, int column) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->row, column, node);
}

QModelIndex LockTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    Node *p = nodeOf(parent);
    if (row < 0 || column < 0 || column >= ColumnCount || row >= int(p->children.size()))
        return {};
    return createIndex(row, column, p->children[size_t(row)]);
}

QModelIndex LockTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    Node *n = nodeOf(child);
    return indexOf(n->parent);
}

int LockTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int LockTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool LockTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return false;
    const Node *n = nodeOf(parent);
    return !n->children.empty() || !n->pending.empty();
}

bool LockTreeModel::canFetchMore(const QModelIndex &parent) const
{
    if (m_changing || (parent.isValid() && parent.column() != 0))
        return false;
    return !nodeOf(parent)->pending.empty();
}

void LockTreeModel::fetchMore(const QModelIndex &parent)
{
    if (m_changing || (parent.isValid() && parent.column() != 0))
        return;
    m_changing = true;
    materialise(nodeOf(parent), fetchBatchSize());
    m_changing = false;
}

void LockTreeModel::assign(Node *node, const LockNode &data)
{
    // data() is asked for the display text at every paint: simplify the query (up to 4,000
    // characters) once here, not per paint.
    if (node->queryText.isNull() || data.query != node->data.query)
        node->queryText = data.query.left(600).simplified().left(300);
    node->data = data;
}

void LockTreeModel::renumber(Node *parent, int from)
{
    for (size_t i = size_t(from); i < parent->children.size(); ++i)
        parent->children[i]->row = int(i);
}

void LockTreeModel::destroySubtree(Node *node)
{
    for (Node *child : node->children)
        destroySubtree(child);
    if (m_byPid.value(node->data.pid) == node)
        m_byPid.remove(node->data.pid);
    delete node;
}

void LockTreeModel::removeChildren(Node *parent, int first, int last)
{
    beginRemoveRows(indexOf(parent), first, last);
    for (int i = first; i <= last; ++i)
        destroySubtree(parent->children[size_t(i)]);
    parent->children.erase(parent->children.begin() + first, parent->children.begin() + last + 1);
    renumber(parent, first);
    endRemoveRows();
}

void LockTreeModel::materialise(Node *parent, int count)
{
    const int n = std::min<int>(count, int(parent->pending.size()));
    if (n <= 0)
        return;
    const QList<int> batch = parent->pending.mid(0, n);
    parent->pending.remove(0, n);
    const int first = int(parent->children.size());
    beginInsertRows(indexOf(parent), first, first + n - 1);
    for (int i = 0; i < n; ++i) {
        const int pid = batch.at(i);
        auto *node = new Node;
        if (const LockNode *known = m_snapshot.node(pid))
            assign(node, *known);
        node->pending =
            m_snapshot.childrenOf.value(pid); // its own children stay lazy (shared list)
        node->parent = parent;
        node->row = first + i;
        parent->children.push_back(node);
        m_byPid.insert(pid, node);
    }
    endInsertRows();
}

// Pass 1: remove every row whose session vanished, changed identity or moved to another parent
// (with its subtree), so that pass 2 only updates and adds.
void LockTreeModel::syncStructure(Node *parent)
{
    const int parentPid = parent == m_root.get() ? 0 : parent->data.pid;
    auto stays = [&](const Node *c) {
        const LockNode *n = m_snapshot.node(c->data.pid);
        return n && n->parent == parentPid && n->backendStart == c->data.backendStart;
    };
    for (int i = int(parent->children.size()) - 1; i >= 0;) {
        if (stays(parent->children[size_t(i)])) {
            --i;
            continue;
        }
        int first = i;
        while (first > 0 && !stays(parent->children[size_t(first - 1)]))
            --first;
        removeChildren(parent, first, i);
        i = first - 1;
    }
    // Still-pending children: what the snapshot lists under this node, minus what is shown.
    // (Equal to filtering the old list and appending the new ones, without a pass per pid when
    // nothing is materialised.)
    parent->fullyLoaded = parent->pending.empty();
    const auto wanted = m_snapshot.childrenOf.constFind(parentPid);
    if (wanted == m_snapshot.childrenOf.constEnd()) {
        parent->pending.clear();
    } else if (parent->children.empty()) {
        parent->pending = *wanted; // shared, not copied
    } else {
        QSet<int> shown;
        shown.reserve(int(parent->children.size()));
        for (const Node *c : parent->children)
            shown.insert(c->data.pid);
        QList<int> pending;
        pending.reserve(wanted->size());
        for (int pid : *wanted)
            if (!shown.contains(pid))
                pending.append(pid);
        parent->pending = std::move(pending);
    }
    for (Node *child : parent->children)
        syncStructure(child);
}

// Pass 2: update rows in place, queue new children, materialise them where the view already
// shows this node's children (the top level always).
void LockTreeModel::syncData(Node *parent)
{
    // Consecutive rows with the same changed columns make one dataChanged (first..last column
    // changed); rows whose display did not change (e.g. a wait that grew by less than a second)
    // are updated silently.
    int runStart = -1, runMask = 0;
    const int count = int(parent->children.size());
    auto flush = [&](int end) {
        if (runStart < 0)
            return;
        int first = 0, last = ColumnCount - 1;
        while (!(runMask & (1 << first)))
            ++first;
        while (!(runMask & (1 << last)))
            --last;
        Q_EMIT dataChanged(createIndex(runStart, first, parent->children[size_t(runStart)]),
                           createIndex(end, last, parent->children[size_t(end)]));
        runStart = -1;
        runMask = 0;
    };
    for (int i = 0; i < count; ++i) {
        Node *c = parent->children[size_t(i)];
        const LockNode &fresh = *m_snapshot.node(c->data.pid); // pass 1 removed the vanished
        int mask = 0;
        if (!sameData(c->data, fresh)) {
            mask = changedColumns(c->data, fresh);
            assign(c, fresh);
        }
        if (mask != runMask)
            flush(i - 1);
        if (mask && runStart < 0) {
            runStart = i;
            runMask = mask;
        }
    }
    flush(count - 1);
    // Where the view already shows this node's children: a fully loaded node shows its new
    // children at once (a batch at most); a partly loaded one fills up to one batch. (Pass 1 left
    // in pending exactly the children not shown yet.)
    const bool hadRows = !parent->children.empty();
    const bool shown = parent == m_root.get() || hadRows;
    if (shown && !parent->pending.empty()) {
        const int room = fetchBatchSize() - int(parent->children.size());
        materialise(parent, hadRows && parent->fullyLoaded
                                ? std::min<int>(int(parent->pending.size()), fetchBatchSize())
                                : room);
    }
    for (Node *child : parent->children)
        syncData(child);
}

void LockTreeModel::setSnapshot(const services::LockTreeSnapshot &snapshot)
{
    // The previous snapshot is usually last referenced here: freeing thousands of nodes (some
    // 100,000 strings) would be the biggest cost of a refresh on this thread. A thread of
    // services::backgroundPool() drops it instead.
    auto old = std::make_shared<services::LockTreeSnapshot>(std::move(m_snapshot));
    m_snapshot = snapshot; // implicitly shared
    if (old->nodes.size() > 256)
        services::backgroundPool()->start([old]() mutable { *old = {}; });
    if (!m_snapshot.indexed)
        m_snapshot.buildIndex();
    m_waiting = m_snapshot.waitingCount();
    m_changing = true;
    syncStructure(m_root.get());
    syncData(m_root.get());
    m_changing = false;
}

void LockTreeModel::setRelationNames(const QHash<QString, QString> &names)
{
    m_relationNames = names;
    std::function<void(Node *)> touch = [&](Node *parent) {
        for (Node *c : parent->children) {
            if (m_relationNames.contains(c->data.relation))
                Q_EMIT dataChanged(indexOf(c, Lock), indexOf(c, Lock));
            touch(c);
        }
    };
    touch(m_root.get());
}

QString LockTreeModel::relationText(const LockNode &node) const
{
    if (node.relation.startsWith(QLatin1String("oid "))) {
        const auto it = m_relationNames.constFind(node.relation);
        if (it != m_relationNames.constEnd())
            return *it;
    }
    return node.relation;
}

QVariant LockTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node &node = *nodeOf(index);
    const LockNode &n = node.data;
    const int col = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(node, col);
    case Qt::ToolTipRole:
        return toolTipData(n, col);
    case Qt::BackgroundRole:
        if (n.inCycle)
            return QBrush(QColor(225, 190, 231)); // purple: a deadlock cycle
        return highlightBackground(n.isRoot() && n.total > 0 ? 2 : 0);
    case SortRole:
        return sortData(node, col);
    case PidRole:
        return n.pid;
    case BackendStartRole:
        return n.backendStart;
    case IsRootRole:
        return n.isRoot();
    case TotalRole:
        return n.total;
    case DirectRole:
        return n.direct;
    default:
        return {};
    }
}

QVariant LockTreeModel::displayData(const Node &node, int col) const
{
    const LockNode &n = node.data;
    switch (col) {
    case Session:
        return n.application.isEmpty() ? QString::number(n.pid)
                                       : tr("%1 · %2").arg(n.pid).arg(n.application);
    case Blocking:
        if (n.total == 0)
            return QString();
        return n.total == n.direct ? tr("%n session(s)", nullptr, n.total)
                                   : tr("%1 direct, %2 in total").arg(n.direct).arg(n.total);
    case Waited:
        if (n.isWaiting())
            return n.waitSeconds ? tr("waiting %1").arg(formatDuration(qint64(*n.waitSeconds)))
                                 : QString();
        return n.xactAge ? tr("in transaction %1").arg(formatDuration(qint64(*n.xactAge)))
                         : QString();
    case Lock:
        return lockText(n);
    case State:
        return n.inCycle ? tr("%1 (deadlock cycle)").arg(n.state) : n.state;
    case User:
        return n.user;
    case Database:
        return n.database;
    case Query:
        return node.queryText;
    }
    return {};
}

QString LockTreeModel::lockText(const LockNode &n) const
{
    if (!n.isWaiting())
        return QString();
    const QString relation = relationText(n);
    const QString on = relation.isEmpty() ? n.lockTarget
                       : n.lockTarget.isEmpty() || n.lockTarget == n.lockType
                           ? relation
                           : tr("%1, %2").arg(relation, n.lockTarget);
    return on.isEmpty() ? n.lockMode : tr("%1 on %2").arg(n.lockMode, on);
}

QVariant LockTreeModel::toolTipData(const LockNode &n, int col)
{
    if (col == Query)
        return n.query.left(4000);
    if (col == Blocking && n.total > 0)
        return tr("Holds up %1 session(s) directly and %2 in total.").arg(n.direct).arg(n.total);
    if (n.blockedBy.isEmpty())
        return {};
    QStringList pids;
    for (int p : n.blockedBy)
        pids.append(QString::number(p));
    return tr("Blocked by %1 (pg_blocking_pids).").arg(pids.join(QStringLiteral(", ")));
}

QVariant LockTreeModel::sortData(const Node &node, int col) const
{
    const LockNode &n = node.data;
    switch (col) {
    case Session:
        return n.pid;
    case Blocking:
        return n.total;
    case Waited:
        return n.isWaiting() ? n.waitSeconds.value_or(0) : n.xactAge.value_or(0);
    default:
        return displayData(node, col);
    }
}

QVariant LockTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractItemModel::headerData(section, orientation, role);
    switch (section) {
    case Session:
        return tr("Session");
    case Blocking:
        return tr("Holding up");
    case Waited:
        return tr("Waiting / holding");
    case Lock:
        return tr("Lock wanted");
    case State:
        return tr("State");
    case User:
        return tr("User");
    case Database:
        return tr("Database");
    case Query:
        return tr("Query");
    }
    return {};
}

} // namespace vigil::models
