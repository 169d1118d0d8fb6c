#include "services/diagnostics/statementsservice.h"

#include "services/core/calllater.h"
#include "services/diagnostics/sessionsservice.h"
#include "services/postgres/pgrowreader.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace vigil::services {

StatementCounters StatementCounters::minus(const StatementCounters &o) const
{
    StatementCounters d;
    d.calls = calls - o.calls;
    d.totalMs = totalMs - o.totalMs;
    d.rows = rows - o.rows;
    d.sharedBlksHit = sharedBlksHit - o.sharedBlksHit;
    d.sharedBlksRead = sharedBlksRead - o.sharedBlksRead;
    d.sharedBlksDirtied = sharedBlksDirtied - o.sharedBlksDirtied;
    d.sharedBlksWritten = sharedBlksWritten - o.sharedBlksWritten;
    d.tempBlksWritten = tempBlksWritten - o.tempBlksWritten;
    return d;
}

bool StatementCounters::anyNegative() const
{
    // totalMs is compared with a small tolerance: it is a float sum printed in text.
    return calls < 0 || rows < 0 || totalMs < -1e-6 || sharedBlksHit < 0 || sharedBlksRead < 0 ||
           sharedBlksDirtied < 0 || sharedBlksWritten < 0 || tempBlksWritten < 0;
}

QList<StatementRow> diffStatementSamples(const StatementsSample &older,
                                         const StatementsSample &newer)
{
    const bool wholeReset = older.statsReset != newer.statsReset;
    QHash<StatementKey, const StatementRow *> previous;
    if (!wholeReset) {
        previous.reserve(older.rows.size());
        for (const auto &row : older.rows)
            previous.insert(row.key, &row);
    }
    QList<StatementRow> out;
    for (const auto &row : newer.rows) {
        StatementRow d = row;
        const StatementRow *before = previous.value(row.key, nullptr);
        if (before) {
            const StatementCounters diff = row.counters.minus(before->counters);
            if (diff.anyNegative()) {
                d.isNew = true; // reset or evicted and re-created since: count it whole
            } else {
                d.counters = diff;
                d.isNew = false;
            }
        } else {
            d.isNew = true;
        }
        if (d.counters.calls > 0)
            out.append(std::move(d));
    }
    return out;
}

QString StatementsStatus::advice(const QString &clusterName) const
{
    if (usable())
        return {};
    const QString cluster = clusterName.isEmpty() ? Tr::tr("CLUSTER") : clusterName;
    if (!available)
        return Tr::tr("The pg_stat_statements extension is not installed on this server. Install "
                      "the PostgreSQL contrib package (on Debian: postgresql-contrib, or "
                      "postgresql-NN's own contrib files) on every member, then follow the steps "
                      "Vigil shows here.");
    QString text;
    if (!preloaded) {
        QString libs = sharedPreloadLibraries.trimmed();
        libs = libs.isEmpty() ? QStringLiteral("pg_stat_statements")
                              : libs + QStringLiteral(",pg_stat_statements");
        text +=
            Tr::tr("pg_stat_statements is not in shared_preload_libraries (now: '%1'). Patroni "
                   "manages postgresql.conf, so do not use ALTER SYSTEM: change Patroni's "
                   "dynamic configuration instead, with PATCH /config on any member's REST API "
                   "and the body %2 (or 'patronictl edit-config %3' and set "
                   "postgresql.parameters.shared_preload_libraries to '%4'). The change needs "
                   "a restart: Patroni marks the members \"pending restart\"; restart them "
                   "replicas first ('patronictl restart %3 MEMBER'), then the leader (or "
                   "switch over first).")
                .arg(sharedPreloadLibraries, QString::fromUtf8(patroniPatchBody()), cluster, libs);
    }
    if (!installed) {
        if (!text.isEmpty())
            text += QLatin1Char(' ');
        text += Tr::tr("Then, as a superuser, run CREATE EXTENSION pg_stat_statements; in the "
                       "database '%1' (Vigil reads the statements of all databases through it).")
                    .arg(database);
    }
    return text;
}

QByteArray StatementsStatus::patroniPatchBody() const
{
    QString libs = sharedPreloadLibraries.trimmed();
    if (!libs.split(QLatin1Char(',')).contains(QStringLiteral("pg_stat_statements")))
        libs = libs.isEmpty() ? QStringLiteral("pg_stat_statements")
                              : libs + QStringLiteral(",pg_stat_statements");
    const QJsonObject body{
        {QStringLiteral("postgresql"),
         QJsonObject{{QStringLiteral("parameters"),
                      QJsonObject{{QStringLiteral("shared_preload_libraries"), libs}}}}}};
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

StatementsService::StatementsService(PgSession *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
}

Result<StatementsStatus> StatementsService::parseStatus(const PgResult &result)
{
    if (result.rowCount() != 1)
        return ServiceError::make(ServiceError::Kind::Parse, QStringLiteral("pg_stat_statements"),
                                  {}, {},
                                  Tr::tr("Expected one row, got %1.").arg(result.rowCount()));
    const PgRowReader reader(result);
    const PgRowReader::Row r = reader.row(0);
    StatementsStatus s;
    s.preloaded = r.flag("preloaded");
    s.sharedPreloadLibraries = r.text("shared_preload_libraries");
    s.version = r.text("installed_version");
    s.installed = !s.version.isEmpty();
    s.schema = r.text("schema");
    s.available = r.flag("available");
    s.database = r.text("database");
    return s;
}

QString redactPasswordLiterals(QString sql)
{
    // '...' and E'...' literals (doubled quotes inside); a dollar-quoted one up to its tag.
    static const QRegularExpression literal(
        QStringLiteral(R"((\bPASSWORD\s+)(?:[Ee]?'(?:[^']|'')*'|(\$[A-Za-z_0-9]*\$).*?\2))"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    sql.replace(literal, QStringLiteral("\\1'********'"));
    return sql;
}

Result<StatementsSample> StatementsService::parseSample(const PgResult &result)
{
    StatementsSample sample;
    sample.takenAt = QDateTime::currentDateTimeUtc();
    sample.rows.reserve(result.rowCount());
    const PgRowReader reader(result);
    for (int i = 0; i < reader.rowCount(); ++i) {
        const PgRowReader::Row r = reader.row(i);
        if (i == 0)
            sample.statsReset = r.text("stats_reset");
        StatementRow row;
        row.key = {r.integer("userid").value_or(0), r.integer("dbid").value_or(0),
                   r.integer("queryid").value_or(0), r.flag("toplevel")};
        row.user = r.text("rolname");
        row.database = r.text("datname");
        row.query = redactPasswordLiterals(r.text("query"));
        auto &c = row.counters;
        c.calls = r.integer("calls").value_or(0);
        c.totalMs = r.number("total_exec_time").value_or(0);
        c.rows = r.integer("rows").value_or(0);
        c.sharedBlksHit = r.integer("shared_blks_hit").value_or(0);
        c.sharedBlksRead = r.integer("shared_blks_read").value_or(0);
        c.sharedBlksDirtied = r.integer("shared_blks_dirtied").value_or(0);
        c.sharedBlksWritten = r.integer("shared_blks_written").value_or(0);
        c.tempBlksWritten = r.integer("temp_blks_written").value_or(0);
        row.maxMs = r.number("max_exec_time").value_or(0);
        sample.rows.append(std::move(row));
    }
    return sample;
}

void StatementsService::fetchStatus(Callback<StatementsStatus> callback)
{
    if (!m_session) {
        callLater(this, callback,
                  ServiceError::make(ServiceError::Kind::Cancelled,
                                     QStringLiteral("pg_stat_statements"), {}, {},
                                     Tr::tr("No connection.")));
        return;
    }
    m_session->exec(sqlResource(QStringLiteral("statements_status")), {},
                    [callback](const PgResult &result, const ServiceError &error) {
                        if (error)
                            callback(error);
                        else
                            callback(parseStatus(result));
                    });
}

void StatementsService::fetchSample(const StatementsStatus &status,
                                    Callback<StatementsSample> callback)
{
    if (!m_session || !status.usable()) {
        callLater(this, callback,
                  ServiceError::make(ServiceError::Kind::Refused,
                                     QStringLiteral("pg_stat_statements"), {}, {},
                                     status.advice({})));
        return;
    }
    const QString schema = m_session->escapeIdentifier(status.schema);
    if (schema.isEmpty()) {
        callLater(this, callback,
                  ServiceError::make(ServiceError::Kind::Connect,
                                     QStringLiteral("pg_stat_statements"), m_session->host(), {},
                                     Tr::tr("Not connected.")));
        return;
    }
    // The schema is an identifier escaped by libpq (PQescapeIdentifier), not a value.
    const QString sql =
        QString(sqlResource(QStringLiteral("statements"))).replace(QStringLiteral("%1"), schema);
    m_session->exec(
        sql, {},
        [callback](const PgResult &result, const ServiceError &error) {
            if (error)
                callback(error);
            else
                callback(parseSample(result));
        },
        std::chrono::milliseconds(10000));
}

} // namespace vigil::services
