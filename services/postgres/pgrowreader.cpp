#include "services/postgres/pgrowreader.h"

#include <cmath>
#include <limits>

namespace vigil::services {

PgRowReader::PgRowReader(const PgResult &result)
    : m_result(result)
{
    m_columns.reserve(result.columns.size());
    for (int i = 0; i < result.columns.size(); ++i)
        m_columns.emplace_back(result.columns.at(i).toUtf8(), i);
}

int PgRowReader::column(const char *name) const
{
    for (const auto &[columnName, position] : m_columns)
        if (columnName == name)
            return position;
    return -1;
}

const QVariant *PgRowReader::cell(int row, int col) const
{
    if (col < 0 || row < 0 || row >= m_result.rowCount())
        return nullptr;
    const QVector<QVariant> &values = m_result.rows.at(row);
    if (col >= values.size() || !values.at(col).isValid())
        return nullptr;
    return &values.at(col);
}

QString PgRowReader::text(int row, int col) const
{
    return toText(cell(row, col));
}

std::optional<qint64> PgRowReader::integer(int row, int col) const
{
    return toInteger(cell(row, col));
}

std::optional<double> PgRowReader::number(int row, int col) const
{
    return toNumber(cell(row, col));
}

std::optional<bool> PgRowReader::boolean(int row, int col) const
{
    return toBoolean(cell(row, col));
}

QString PgRowReader::toText(const QVariant *value)
{
    return value ? value->toString() : QString();
}

std::optional<qint64> PgRowReader::toInteger(const QVariant *value)
{
    if (!value)
        return std::nullopt;
    bool ok = false;
    const qint64 n = value->toString().trimmed().toLongLong(&ok);
    return ok ? std::optional<qint64>(n) : std::nullopt;
}

std::optional<double> PgRowReader::toNumber(const QVariant *value)
{
    if (!value)
        return std::nullopt;
    const QString v = value->toString().trimmed();
    // PostgreSQL spells the special float values this way; QString::toDouble does not know them.
    if (v == QLatin1String("NaN"))
        return std::numeric_limits<double>::quiet_NaN();
    if (v == QLatin1String("Infinity"))
        return std::numeric_limits<double>::infinity();
    if (v == QLatin1String("-Infinity"))
        return -std::numeric_limits<double>::infinity();
    bool ok = false;
    const double d = v.toDouble(&ok);
    return ok && std::isfinite(d) ? std::optional<double>(d) : std::nullopt;
}

std::optional<bool> PgRowReader::toBoolean(const QVariant *value)
{
    if (!value)
        return std::nullopt;
    // PostgreSQL prints booleans as t/f; PgBouncer's SHOW CONFIG and some settings use the words.
    const QString v = value->toString().trimmed().toLower();
    if (v == QLatin1String("t") || v == QLatin1String("true") || v == QLatin1String("on"))
        return true;
    if (v == QLatin1String("f") || v == QLatin1String("false") || v == QLatin1String("off"))
        return false;
    return std::nullopt;
}

} // namespace vigil::services
