#include "models/archivermodel.h"

#include "models/formatting.h"
#include "models/health.h"

namespace vigil::models {

namespace {

CellTableModel::Cell rightAligned(CellTableModel::Cell c)
{
    c.insert(Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
    return c;
}

QString localTime(const QDateTime &t)
{
    return t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

ArchiverModel::ArchiverModel(QObject *parent)
    : CellTableModel({tr("Member"), tr("State"), tr("Archived"), tr("Last archived"),
                      tr("Last success"), tr("Failures"), tr("Last failure"), tr("Command")},
                     parent)
{
    setHeaderToolTips({tr("Cluster member"),
                       tr("archive_mode and whether the last attempt succeeded (pg_stat_archiver)"),
                       tr("WAL segments archived since the statistics were reset"),
                       tr("The last WAL segment archived"),
                       tr("When the last segment was archived, and how long ago"),
                       tr("Failed attempts since the statistics were reset"),
                       tr("The last segment that failed, and when"),
                       tr("archive_command as the server runs it")});
}

QString ArchiverModel::stateText(const services::MemberSnapshot &m)
{
    if (!m.archiver)
        return m.sql.ok() ? tr("not reported") : tr("no SQL answer");
    const services::ArchiverStat &a = *m.archiver;
    if (a.archiveMode == QLatin1String("off"))
        return tr("off (archive_mode)");
    if (a.lastAttemptFailed())
        return tr("failing");
    // archive_mode "on" archives on the primary only; "always" on replicas too.
    if (!m.isLeader() && a.archiveMode == QLatin1String("on"))
        return tr("replica: the primary archives");
    if (a.archivedCount == 0)
        return tr("nothing archived yet");
    return tr("archiving");
}

void ArchiverModel::setSnapshot(const services::ClusterSnapshotPtr &snapshot)
{
    QList<Row> rows;
    if (snapshot) {
        const QDateTime now =
            snapshot->takenAt.isValid() ? snapshot->takenAt : QDateTime::currentDateTimeUtc();
        for (const services::MemberSnapshot &m : snapshot->members) {
            Row row;
            row.key = m.name;
            row.cells.resize(ColumnCount);
            row.cells[Member] = text(m.name);
            Cell state = text(stateText(m));
            const bool bad = m.archiver && m.archiver->lastAttemptFailed();
            const bool off = m.archiver && m.archiver->archiveMode == QLatin1String("off");
            state.insert(Qt::DecorationRole,
                         healthColor(bad ? Health::Critical
                                         : (off || !m.archiver ? Health::Unknown : Health::Ok)));
            row.cells[State] = state;
            if (m.archiver) {
                const services::ArchiverStat &a = *m.archiver;
                row.cells[Archived] =
                    rightAligned(text(QString::number(a.archivedCount), a.archivedCount));
                row.cells[LastArchived] = text(a.lastArchivedWal);
                if (a.lastArchivedTime) {
                    const qint64 age = qMax<qint64>(0, a.lastArchivedTime->secsTo(now));
                    row.cells[LastSuccess] = text(
                        tr("%1 (%2 ago)").arg(localTime(*a.lastArchivedTime), formatDuration(age)),
                        *a.lastArchivedTime);
                }
                Cell failures = rightAligned(text(QString::number(a.failedCount), a.failedCount));
                if (bad)
                    failures.insert(Qt::ForegroundRole, healthColor(Health::Critical));
                row.cells[Failures] = failures;
                if (a.lastFailedTime)
                    row.cells[LastFailure] =
                        text(tr("%1 at %2").arg(a.lastFailedWal, localTime(*a.lastFailedTime)),
                             *a.lastFailedTime);
                row.cells[Command] = text(a.archiveCommand, {}, a.archiveCommand);
            }
            rows.append(std::move(row));
        }
    }
    setRows(std::move(rows));
}

} // namespace vigil::models
