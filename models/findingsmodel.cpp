#include "models/findingsmodel.h"

#include "models/health.h"

#include <QLocale>

namespace vigil::models {

FindingsModel::FindingsModel(QObject *parent)
    : CellTableModel({tr("Severity"), tr("Member"), tr("Finding"), tr("Since")}, parent)
{
}

int FindingsModel::alertCount(const services::ClusterSnapshot &snapshot)
{
    int n = 0;
    for (const auto &f : snapshot.findings)
        if (f.severity == services::Finding::Severity::Warning ||
            f.severity == services::Finding::Severity::Critical)
            ++n;
    return n;
}

void FindingsModel::setSnapshot(const services::ClusterSnapshotPtr &snapshot)
{
    QList<Row> rows;
    QHash<QString, QDateTime> firstSeen;
    if (snapshot) {
        for (const services::Finding &f : snapshot->findings) {
            Row row;
            row.key = services::findingCodeName(f.code) + QLatin1Char('/') + f.member;
            const QDateTime since = m_firstSeen.value(row.key, snapshot->takenAt);
            firstSeen.insert(row.key, since);
            row.cells.resize(ColumnCount);
            const Health h = fromSeverity(f.severity);
            Cell sev = text(healthName(h), healthRank(h));
            sev.insert(Qt::DecorationRole, healthColor(h));
            sev.insert(SeverityRole, healthRank(h));
            row.cells[Severity] = sev;
            row.cells[Member] = text(f.member.isEmpty() ? tr("cluster") : f.member);
            row.cells[Message] = text(f.message, {}, f.message);
            row.cells[Since] =
                text(since.toLocalTime().toString(QStringLiteral("HH:mm:ss")), since);
            rows.append(std::move(row));
        }
    }
    m_firstSeen = firstSeen;
    setRows(std::move(rows));
}

} // namespace vigil::models
