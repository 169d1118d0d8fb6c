#include "models/restoreresultmodel.h"

#include "models/health.h"

#include <QLocale>

namespace vigil::models {

namespace {

CellTableModel::Cell count(const services::TableFigures &f)
{
    CellTableModel::Cell c;
    if (!f.error.isEmpty()) {
        c.insert(Qt::DisplayRole, RestoreResultModel::tr("error"));
        c.insert(Qt::ToolTipRole, f.error);
    } else if (f.rows) {
        c.insert(Qt::DisplayRole, QLocale().toString(*f.rows));
        c.insert(CellTableModel::SortRole, *f.rows);
    } else {
        c.insert(Qt::DisplayRole, QStringLiteral("–"));
    }
    c.insert(Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
    return c;
}

} // namespace

RestoreResultModel::RestoreResultModel(QObject *parent)
    : CellTableModel({tr("Table"), tr("Rows at snapshot"), tr("Rows restored"), tr("Checksum"),
                      tr("Checksum columns"), tr("Result")},
                     parent)
{
    setHeaderToolTips(
        {tr("schema.table"), tr("Exact count in the source, in the snapshot pg_dump used"),
         tr("Exact count in the restored copy"), services::restoreTestChecksumDescription(),
         tr("The columns the checksum covers"),
         tr("pass: same rows and checksum; FAIL: they differ")});
}

QString RestoreResultModel::failureReason(const services::RestoreTableCheck &t)
{
    if (!t.restored.error.isEmpty())
        return tr("The restored copy could not be counted: %1").arg(t.restored.error);
    if (!t.source.error.isEmpty())
        return tr("The source could not be counted: %1").arg(t.source.error);
    if (!t.hasSource())
        return tr("No source count was recorded with this dump: nothing to compare.");
    if (t.source.rows != t.restored.rows)
        return tr("%1 rows at the snapshot, %2 restored.")
            .arg(QLocale().toString(t.source.rows.value_or(0)),
                 QLocale().toString(t.restored.rows.value_or(0)));
    if (t.source.checksum != t.restored.checksum)
        return tr("Same number of rows, but the checksum differs: rows changed.");
    return {};
}

void RestoreResultModel::setResult(const services::RestoreTestResult &result)
{
    QList<Row> rows;
    for (const services::RestoreTableCheck &t : result.tables) {
        Row row;
        row.key = t.qualifiedName();
        row.cells.resize(ColumnCount);
        row.cells[Table] = text(t.qualifiedName());
        row.cells[SourceRows] = count(t.source);
        row.cells[RestoredRows] = count(t.restored);
        const bool compared = t.hasSource() && t.restored.rows.has_value();
        row.cells[Checksum] =
            text(!compared                                  ? QStringLiteral("–")
                 : t.source.checksum == t.restored.checksum ? tr("equal")
                                                            : tr("differs"),
                 {}, tr("source %1\nrestored %2").arg(t.source.checksum, t.restored.checksum));
        row.cells[Columns] = text(t.columns.join(QStringLiteral(", ")));
        Health h = Health::Unknown;
        QString verdict = tr("counted");
        if (result.proven) {
            h = t.matches() ? Health::Ok : Health::Critical;
            verdict = t.matches() ? tr("pass") : tr("FAIL");
        }
        Cell v = text(verdict, {}, t.matches() ? QString() : failureReason(t));
        v.insert(Qt::DecorationRole, healthColor(h));
        v.insert(SeverityRole, h == Health::Critical ? 2 : h == Health::Ok ? 0 : -1);
        row.cells[Verdict] = v;
        if (h == Health::Critical)
            for (Cell &c : row.cells)
                c.insert(Qt::BackgroundRole, highlightBackground(2));
        rows.append(row);
    }
    setRows(rows);
}

} // namespace vigil::models
