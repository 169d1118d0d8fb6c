#include "models/sessionstablemodel.h"

#include "models/formatting.h"
#include "models/health.h"

namespace vigil::models {

using services::SessionRow;

SessionsTableModel::SessionsTableModel(QObject *parent)
    : KeyedTableModel(parent)
{
}

void SessionsTableModel::setSessions(const QList<SessionRow> &rows)
{
    replaceRows(rows);
}

void SessionsTableModel::setThresholds(double longQuerySeconds, double idleInTransactionSeconds)
{
    m_longQuerySeconds = longQuerySeconds;
    m_idleInTransactionSeconds = idleInTransactionSeconds;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

QString SessionsTableModel::keyOf(const SessionRow &row) const
{
    return QString::number(row.pid) + QLatin1Char('@') + row.backendStart;
}

bool SessionsTableModel::sameData(const SessionRow &a, const SessionRow &b) const
{
    return a.state == b.state && a.waitEvent == b.waitEvent && a.waitEventType == b.waitEventType &&
           a.query == b.query && a.queryAge == b.queryAge && a.stateAge == b.stateAge &&
           a.xactAge == b.xactAge && a.blockedBy == b.blockedBy && a.application == b.application &&
           a.database == b.database;
}

int SessionsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int SessionsTableModel::rowOf(const services::SessionRef &ref) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).pid == ref.pid && m_rows.at(i).backendStart == ref.backendStart)
            return i;
    return -1;
}

int SessionsTableModel::highlight(const SessionRow &r) const
{
    double age = 0, threshold = 0;
    if (r.state == QLatin1String("active") && r.isClientBackend()) {
        age = r.queryAge.value_or(0);
        threshold = m_longQuerySeconds;
    } else if (r.isIdleInTransaction()) {
        age = r.stateAge.value_or(0);
        threshold = m_idleInTransactionSeconds;
    } else {
        return 0;
    }
    if (threshold <= 0 || age < threshold)
        return 0;
    return age >= 2 * threshold ? 2 : 1;
}

namespace {
QString oneLine(const QString &query)
{
    QString s = query.simplified();
    return s.size() > 300 ? s.left(300) + QStringLiteral("…") : s;
}
QVariant age(const std::optional<double> &seconds)
{
    if (!seconds)
        return {};
    return formatDuration(qint64(*seconds));
}
} // namespace

QVariant SessionsTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const SessionRow &r = m_rows.at(index.row());
    const int col = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(r, col);
    case Qt::ToolTipRole:
        return toolTipData(r, col);
    case Qt::BackgroundRole:
        return highlightBackground(highlight(r));
    case Qt::TextAlignmentRole:
        if (col == Pid || col == XactAge || col == QueryAge || col == StateAge)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SortRole:
        return sortData(r, col);
    case HighlightRole:
        return highlight(r);
    case PidRole:
        return r.pid;
    case BackendStartRole:
        return r.backendStart;
    default:
        return {};
    }
}

QVariant SessionsTableModel::displayData(const SessionRow &r, int col) const
{
    switch (col) {
    case Pid:
        return r.pid;
    case User:
        return r.user;
    case Database:
        return r.database;
    case Application:
        return r.application.isEmpty() && !r.isClientBackend() ? r.backendType : r.application;
    case Client:
        return r.clientAddr.isEmpty() ? (r.isClientBackend() ? tr("local socket") : QString())
                                      : QStringLiteral("%1:%2").arg(r.clientAddr).arg(r.clientPort);
    case State:
        return r.state.isEmpty() ? r.backendType : r.state;
    case Wait:
        return waitText(r);
    case BackendStart:
        return r.backendStartDisplay;
    case XactAge:
        return age(r.xactAge);
    case QueryAge:
        return r.state == QLatin1String("active") ? age(r.queryAge) : QVariant();
    case StateAge:
        return age(r.stateAge);
    case Query:
        return oneLine(r.query);
    }
    return {};
}

QString SessionsTableModel::waitText(const SessionRow &r)
{
    if (r.waitEventType.isEmpty())
        return QString();
    if (r.blockedBy.isEmpty())
        return tr("%1: %2").arg(r.waitEventType, r.waitEvent);
    QStringList pids;
    for (int p : r.blockedBy)
        pids.append(QString::number(p));
    return tr("%1: %2 (blocked by %3)")
        .arg(r.waitEventType, r.waitEvent, pids.join(QStringLiteral(", ")));
}

QVariant SessionsTableModel::toolTipData(const SessionRow &r, int col) const
{
    if (col == Query && !r.query.isEmpty())
        return r.query.left(4000);
    if (highlight(r) == 0)
        return {};
    return r.isIdleInTransaction()
               ? tr("Idle in transaction for %1: it holds its locks and snapshot all that time.")
                     .arg(formatDuration(qint64(r.stateAge.value_or(0))))
               : tr("The running query has been active for %1.")
                     .arg(formatDuration(qint64(r.queryAge.value_or(0))));
}

QVariant SessionsTableModel::sortData(const SessionRow &r, int col) const
{
    switch (col) {
    case Pid:
        return r.pid;
    case XactAge:
        return r.xactAge.value_or(-1);
    case QueryAge:
        return r.state == QLatin1String("active") ? r.queryAge.value_or(-1) : -1.0;
    case StateAge:
        return r.stateAge.value_or(-1);
    case BackendStart:
        return r.backendStart;
    default:
        return displayData(r, col);
    }
}

QVariant SessionsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Pid:
        return tr("PID");
    case User:
        return tr("User");
    case Database:
        return tr("Database");
    case Application:
        return tr("Application");
    case Client:
        return tr("Client");
    case State:
        return tr("State");
    case Wait:
        return tr("Waiting for");
    case BackendStart:
        return tr("Connected at");
    case XactAge:
        return tr("Transaction");
    case QueryAge:
        return tr("Query running");
    case StateAge:
        return tr("In state");
    case Query:
        return tr("Query");
    }
    return {};
}

} // namespace vigil::models
