#include "services/metrics/custommetricanswer.h"

#include "services/postgres/pgrowreader.h"

#include <QSet>
#include <cmath>

namespace vigil::services {

QString customMetricBeginStatement()
{
    return QStringLiteral("BEGIN READ ONLY");
}

QString customMetricTimeoutStatement()
{
    return QStringLiteral("SET LOCAL statement_timeout = %1").arg(kCustomMetricStatementTimeoutMs);
}

QString customMetricEndStatement()
{
    return QStringLiteral("ROLLBACK");
}

QString customMetricConnectionOptions(const QString &existing)
{
    const QString readOnly = QStringLiteral("-c default_transaction_read_only=on -c "
                                            "statement_timeout=%1")
                                 .arg(kCustomMetricStatementTimeoutMs);
    return existing.trimmed().isEmpty() ? readOnly
                                        : existing.trimmed() + QLatin1Char(' ') + readOnly;
}

namespace {

ServiceError answerError(const QString &message)
{
    return ServiceError::make(ServiceError::Kind::Parse, Tr::tr("custom metric"), {}, {}, message);
}

// The cell as a finite number, or the sentence saying why it is not one.
std::optional<double> finiteNumber(const QVariant *cell, const QString &where, QString *why)
{
    const std::optional<double> v = PgRowReader::toNumber(cell);
    if (v && std::isfinite(*v))
        return v;
    *why = Tr::tr("%1 is '%2', not a number.").arg(where, PgRowReader::toText(cell));
    return std::nullopt;
}

} // namespace

Result<QList<CustomMetricValue>> parseCustomMetricAnswer(const PgResult &r)
{
    const int columns = int(r.columns.size());
    if (columns == 1) {
        if (r.rowCount() != 1)
            return answerError(
                Tr::tr("The query returned %n row(s); a metric of one column needs exactly one row "
                       "holding its number.",
                       nullptr, r.rowCount()));
        const QVariant *cell = &r.rows.at(0).at(0);
        if (!cell->isValid())
            return QList<CustomMetricValue>{}; // NULL: no value this time
        QString why;
        const std::optional<double> v = finiteNumber(cell, Tr::tr("Its value"), &why);
        if (!v)
            return answerError(why);
        return QList<CustomMetricValue>{{QString(), *v}};
    }
    if (columns != 2)
        return answerError(Tr::tr("The query returned %n column(s); a metric returns one number, "
                                  "or rows of a label and a number.",
                                  nullptr, columns));
    if (r.rowCount() > kCustomMetricMaxLabels)
        return answerError(Tr::tr("The query returned %1 rows; at most %2 labels are charted. "
                                  "Group or limit them (LIMIT %2).")
                               .arg(r.rowCount())
                               .arg(kCustomMetricMaxLabels));
    QList<CustomMetricValue> out;
    QSet<QString> seen;
    for (int i = 0; i < r.rowCount(); ++i) {
        const QVector<QVariant> &row = r.rows.at(i);
        const QString label =
            row.at(0).isValid() ? PgRowReader::toText(&row.at(0)).trimmed() : Tr::tr("(null)");
        if (!row.at(1).isValid())
            continue;
        QString why;
        const std::optional<double> v = finiteNumber(
            &row.at(1), Tr::tr("The value of row %1 (%2)").arg(i + 1).arg(label), &why);
        if (!v)
            return answerError(why);
        if (seen.contains(label))
            return answerError(
                Tr::tr("The label '%1' appears in more than one row; each label is one line of the "
                       "chart.")
                    .arg(label));
        seen.insert(label);
        out.append({label, *v});
    }
    return out;
}

QString explainCustomMetricError(const ServiceError &e, const QString &database)
{
    const bool aboutStatements = e.message.contains(QLatin1String("pg_stat_statements"));
    if (e.code == QLatin1String("25006"))
        return Tr::tr("The query tried to change data, which custom metrics never do: they run in "
                      "a read-only transaction (%1).")
            .arg(e.message);
    if (e.code == QLatin1String("57014"))
        return Tr::tr("The query ran longer than the custom metrics' statement_timeout of %1 s "
                      "and was cancelled.")
            .arg(kCustomMetricStatementTimeoutMs / 1000);
    if (e.code == QLatin1String("42501"))
        return Tr::tr("The profile's SQL role may not read what the query reads (%1): grant it "
                      "SELECT on those tables in database %2.")
            .arg(e.message, database);
    if (aboutStatements && e.code == QLatin1String("42P01"))
        return Tr::tr("pg_stat_statements is not installed in database %1: run CREATE EXTENSION "
                      "pg_stat_statements there (the library must also be in "
                      "shared_preload_libraries).")
            .arg(database);
    if (aboutStatements && e.code == QLatin1String("55000"))
        return Tr::tr("pg_stat_statements is installed in database %1 but not loaded: add it to "
                      "shared_preload_libraries in Patroni's configuration and restart.")
            .arg(database);
    return e.toText();
}

} // namespace vigil::services
