#include "app/commands/lockscommand.h"

#include "app/commands/commandoutput.h"
#include "app/commands/targetoptions.h"
#include "app/commands/targetsession.h"
#include "app/tr.h"
#include "models/locktreemodel.h"
#include "services/diagnostics/lockservice.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace vigil::app {

namespace {

QJsonObject nodeJson(const services::LockNode &n)
{
    QJsonObject o{{QStringLiteral("pid"), n.pid},
                  {QStringLiteral("backend_start"), n.backendStart},
                  {QStringLiteral("application"), n.application},
                  {QStringLiteral("user"), n.user},
                  {QStringLiteral("database"), n.database},
                  {QStringLiteral("client"), n.clientAddr},
                  {QStringLiteral("state"), n.state},
                  {QStringLiteral("direct"), n.direct},
                  {QStringLiteral("total"), n.total},
                  {QStringLiteral("in_cycle"), n.inCycle},
                  {QStringLiteral("query"), n.query}};
    if (n.isWaiting()) {
        o.insert(QStringLiteral("lock_mode"), n.lockMode);
        o.insert(QStringLiteral("lock_type"), n.lockType);
        o.insert(QStringLiteral("relation"), n.relation);
        o.insert(QStringLiteral("lock_target"), n.lockTarget);
        if (n.waitSeconds)
            o.insert(QStringLiteral("waiting_seconds"), *n.waitSeconds);
        QJsonArray by;
        for (int p : n.blockedBy)
            by.append(p);
        o.insert(QStringLiteral("blocked_by"), by);
    }
    if (n.xactAge)
        o.insert(QStringLiteral("transaction_seconds"), *n.xactAge);
    return o;
}

// Walks the model (fetching lazily loaded children), so the text and JSON are the GUI's tree.
void walk(models::LockTreeModel &model, const QModelIndex &parent, int depth, QStringList &lines,
          QJsonArray &out)
{
    while (model.canFetchMore(parent))
        model.fetchMore(parent);
    const int rows = model.rowCount(parent);
    for (int r = 0; r < rows; ++r) {
        const QModelIndex idx = model.index(r, 0, parent);
        const services::LockNode *n = model.nodeFor(idx);
        QStringList cells;
        for (int c = 0; c < models::LockTreeModel::ColumnCount; ++c) {
            if (c == models::LockTreeModel::Query)
                continue;
            const QString t = model.index(r, c, parent).data().toString();
            if (!t.isEmpty())
                cells.append(t);
        }
        lines.append(QString(depth * 4, QLatin1Char(' ')) +
                     (depth ? QStringLiteral("└─ ") : QString()) +
                     cells.join(QStringLiteral("  |  ")));
        lines.append(QString(depth * 4 + (depth ? 3 : 0), QLatin1Char(' ')) +
                     QStringLiteral("   ") + n->query.simplified().left(160));
        QJsonObject o = nodeJson(*n);
        QJsonArray children;
        walk(model, idx, depth + 1, lines, children);
        if (!children.isEmpty())
            o.insert(QStringLiteral("blocked"), children);
        out.append(o);
    }
}

// The text report: a headline, then the tree's lines.
QString locksText(const models::LockTreeModel &model, const QStringList &lines,
                  const QString &label, qint64 readMs)
{
    QString out = (model.rootCount() == 0
                       ? Tr::tr("No session is waiting on a lock on %1 (read in %2 ms).")
                             .arg(label)
                             .arg(readMs)
                       : Tr::tr("Blocker tree on %1: %2 root blocker(s) holding up %3 waiting "
                                "session(s) (read in %4 ms).")
                             .arg(label)
                             .arg(model.rootCount())
                             .arg(model.waitingCount())
                             .arg(readMs)) +
                  QLatin1Char('\n');
    for (const QString &l : lines)
        out += l + QLatin1Char('\n');
    return out;
}

// Renders the snapshot through the GUI's model, as text or JSON, on stdout.
void printLocks(const services::LockTreeSnapshot &snapshot, const QString &label, bool json)
{
    models::LockTreeModel model;
    model.setSnapshot(snapshot);
    QStringList lines;
    QJsonArray roots;
    walk(model, {}, 0, lines, roots);
    if (!json) {
        printOut(locksText(model, lines, label, snapshot.roundTripMs));
        return;
    }
    const QJsonObject doc{{QStringLiteral("server"), label},
                          {QStringLiteral("read_ms"), snapshot.roundTripMs},
                          {QStringLiteral("root_blockers"), model.rootCount()},
                          {QStringLiteral("waiting_sessions"), model.waitingCount()},
                          {QStringLiteral("roots"), roots}};
    printOut(QString::fromUtf8(QJsonDocument(doc).toJson(QJsonDocument::Indented)) +
             QLatin1Char('\n'));
}

} // namespace

int runLocksCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Tr::tr("Print the lock blocker tree of a PostgreSQL server: root "
               "blockers first, the sessions they hold up below them."));
    parser.addHelpOption();
    TargetOptions target(TargetOptions::Use::Diagnostics);
    target.addTo(parser);
    if (!target.process(parser, arguments, QStringLiteral("locks")))
        return 2;
    const TargetOptions::Values &t = target.values();

    QObject scope;
    auto fail = [](const services::ServiceError &error) {
        printErr(Tr::tr("vigil locks: %1").arg(error.toText()) + QLatin1Char('\n'));
        QCoreApplication::exit(1);
    };
    connectTarget(t, &scope,
                  [&](services::PgSession *session, const QString &label,
                      const services::ServiceError &error) {
                      if (error)
                          return fail(error);
                      auto *service = new services::LockService(session, &scope);
                      service->fetch(
                          [&, label](const services::Result<services::LockTreeSnapshot> &r) {
                              if (!r.ok())
                                  return fail(r.error());
                              printLocks(r.value(), label, t.json);
                              QCoreApplication::exit(0);
                          },
                          std::chrono::milliseconds(t.timeoutMs));
                  });
    return QCoreApplication::exec();
}

} // namespace vigil::app
