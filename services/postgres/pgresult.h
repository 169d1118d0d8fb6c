#pragma once

#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVector>
#include <optional>

namespace vigil::services {

// The rows of one libpq result, copied out of the PGresult (which is freed at once), in text
// format. A SQL NULL is an invalid QVariant; every other value is a QString as PostgreSQL
// printed it. Immutable after construction, cheap to pass around (Qt implicit sharing).
class PgResult
{
public:
    QStringList columns;
    QVector<QVector<QVariant>> rows;
    QString commandTag; // e.g. "SELECT 3", "PAUSE"

    int rowCount() const { return int(rows.size()); }
    int column(const QString &name) const { return int(columns.indexOf(name)); }
    bool isNull(int row, int col) const { return !rows.at(row).at(col).isValid(); }

    // Convenience accessors by column name; a missing column or NULL gives the fallback.
    QString text(int row, const QString &name, const QString &fallback = {}) const;
    std::optional<qint64> integer(int row, const QString &name) const;
    std::optional<double> number(int row, const QString &name) const;
    std::optional<bool> boolean(int row, const QString &name) const; // 't'/'f'
};

} // namespace vigil::services
