#pragma once

#include "services/diagnostics/lockservice.h"

#include <QAbstractItemModel>
#include <QHash>
#include <memory>
#include <vector>

namespace vigil::models {

// The blocker tree: root blockers at the top level, the sessions they hold up below them.
//
// Contracts:
// - No reset per refresh: setSnapshot() removes the rows that vanished or moved (whole
//   subtrees), updates rows in place (dataChanged per contiguous run) and inserts new rows.
//   Existing rows keep their position, so expansion, selection and scrolling survive.
// - Lazy children: a node's children are known but only materialised as rows when the view asks
//   (canFetchMore/fetchMore, in batches of fetchBatchSize()), so a root holding up 5,000
//   sessions costs the view 256 rows until the user scrolls.
// - A session is identified by (pid, backend_start); a PID reused by a new backend is a new row.
// Lives on the UI thread.
class LockTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column
    {
        Session,
        Blocking,
        Waited,
        Lock,
        State,
        User,
        Database,
        Query,
        ColumnCount
    };
    enum Role
    {
        SortRole = Qt::UserRole + 1,
        PidRole,
        BackendStartRole,
        IsRootRole,
        TotalRole,
        DirectRole
    };

    explicit LockTreeModel(QObject *parent = nullptr);
    ~LockTreeModel() override;

    // Cost on the calling thread: O(materialised rows + pending children of shown nodes), plus
    // O(sessions) when the snapshot comes without its index (LockService builds it off-thread).
    void setSnapshot(const services::LockTreeSnapshot &snapshot);
    // Display names for relations the query could only give as "oid N in database D" (looked up
    // by the view on that database): relation text → name. Shown rows using them are updated.
    void setRelationNames(const QHash<QString, QString> &names);
    QString relationText(const services::LockNode &node) const;
    static int fetchBatchSize() { return 256; }

    // Everything known (loaded or not).
    int rootCount() const;
    int waitingCount() const;
    const services::LockNode *nodeFor(const QModelIndex &index) const;
    const services::LockNode *nodeByPid(int pid) const;
    QModelIndex indexOfPid(int pid) const; // invalid when not loaded as a row

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Node
    {
        services::LockNode data;
        QString queryText; // data.query as shown (simplified, cut), made once per change
        Node *parent = nullptr;
        std::vector<Node *> children; // rows the view sees
        QList<int> pending;           // known children (pids) not yet materialised
        int row = 0;                  // index in parent->children
        bool fullyLoaded = true;      // no child was pending before this refresh
    };

    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOf(Node *node, int column = 0) const;
    void removeChildren(Node *parent, int first, int last);
    void destroySubtree(Node *node);
    void materialise(Node *parent, int count);
    void renumber(Node *parent, int from);
    void syncStructure(Node *parent);
    void syncData(Node *parent);
    static void assign(Node *node, const services::LockNode &data);
    // data() per role.
    QVariant displayData(const Node &node, int column) const;
    QString lockText(const services::LockNode &node) const; // "RowExclusiveLock on orders"
    static QVariant toolTipData(const services::LockNode &node, int column);
    QVariant sortData(const Node &node, int column) const;

    // True while the model changes its rows: canFetchMore() answers false, so a view or tester
    // reacting to a begin/end signal cannot re-enter and insert rows in the middle of ours.
    bool m_changing = false;
    std::unique_ptr<Node> m_root; // invisible root
    QHash<int, Node *> m_byPid;   // materialised nodes
    // The current snapshot (implicitly shared with the caller's: not copied), indexed by pid and
    // by parent pid; only the materialised rows hold their own copy of a node.
    services::LockTreeSnapshot m_snapshot;
    int m_waiting = 0;
    QHash<QString, QString> m_relationNames;
};

} // namespace vigil::models
