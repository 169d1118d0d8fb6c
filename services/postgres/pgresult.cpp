#include "services/postgres/pgresult.h"

#include "services/postgres/pgrowreader.h"

namespace vigil::services {

namespace {

// The cell, or null for a missing row/column or SQL NULL. One name search per call: a parser
// that reads many cells uses PgRowReader, which resolves the names once.
const QVariant *cell(const PgResult &result, int row, const QString &name)
{
    const int col = result.column(name);
    if (col < 0 || row < 0 || row >= result.rowCount())
        return nullptr;
    const QVector<QVariant> &values = result.rows.at(row);
    if (col >= values.size() || !values.at(col).isValid())
        return nullptr;
    return &values.at(col);
}

} // namespace

QString PgResult::text(int row, const QString &name, const QString &fallback) const
{
    const QVariant *value = cell(*this, row, name);
    return value ? PgRowReader::toText(value) : fallback;
}

std::optional<qint64> PgResult::integer(int row, const QString &name) const
{
    return PgRowReader::toInteger(cell(*this, row, name));
}

std::optional<double> PgResult::number(int row, const QString &name) const
{
    return PgRowReader::toNumber(cell(*this, row, name));
}

std::optional<bool> PgResult::boolean(int row, const QString &name) const
{
    return PgRowReader::toBoolean(cell(*this, row, name));
}

} // namespace vigil::services
