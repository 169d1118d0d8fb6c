#include "services/postgres/pgresult.h"

#include <cmath>
#include <limits>

namespace vigil::services {

namespace {

// The cell's text, or nothing for a missing row/column or SQL NULL.
std::optional<QString> cell(const PgResult &result, int row, const QString &name)
{
    const int col = result.column(name);
    if (col < 0 || row < 0 || row >= result.rowCount())
        return std::nullopt;
    const QVector<QVariant> &values = result.rows.at(row);
    if (col >= values.size() || !values.at(col).isValid())
        return std::nullopt;
    return values.at(col).toString();
}

} // namespace

QString PgResult::text(int row, const QString &name, const QString &fallback) const
{
    return cell(*this, row, name).value_or(fallback);
}

std::optional<qint64> PgResult::integer(int row, const QString &name) const
{
    const auto value = cell(*this, row, name);
    if (!value)
        return std::nullopt;
    bool ok = false;
    const qint64 n = value->trimmed().toLongLong(&ok);
    return ok ? std::optional<qint64>(n) : std::nullopt;
}

std::optional<double> PgResult::number(int row, const QString &name) const
{
    const auto value = cell(*this, row, name);
    if (!value)
        return std::nullopt;
    const QString v = value->trimmed();
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

std::optional<bool> PgResult::boolean(int row, const QString &name) const
{
    const auto value = cell(*this, row, name);
    if (!value)
        return std::nullopt;
    // PostgreSQL prints booleans as t/f; PgBouncer's SHOW CONFIG and some settings use the words.
    const QString v = value->trimmed().toLower();
    if (v == QLatin1String("t") || v == QLatin1String("true") || v == QLatin1String("on"))
        return true;
    if (v == QLatin1String("f") || v == QLatin1String("false") || v == QLatin1String("off"))
        return false;
    return std::nullopt;
}

} // namespace vigil::services
