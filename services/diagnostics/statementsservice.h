#pragma once

#include "services/core/error.h"
#include "services/postgres/pgresult.h"
#include "services/postgres/pgsession.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <functional>

namespace vigil::services {

// The key of one pg_stat_statements entry.
struct StatementKey
{
    qint64 userId = 0;
    qint64 dbId = 0;
    qint64 queryId = 0;
    bool topLevel = true;
    bool operator==(const StatementKey &o) const
    {
        return userId == o.userId && dbId == o.dbId && queryId == o.queryId &&
               topLevel == o.topLevel;
    }
};
inline size_t qHash(const StatementKey &k, size_t seed = 0)
{
    return qHashMulti(seed, k.userId, k.dbId, k.queryId, k.topLevel);
}

// Counters of one entry: cumulative in a sample, or the difference between two samples.
struct StatementCounters
{
    qint64 calls = 0;
    double totalMs = 0;
    qint64 rows = 0;
    qint64 sharedBlksHit = 0, sharedBlksRead = 0, sharedBlksDirtied = 0, sharedBlksWritten = 0;
    qint64 tempBlksWritten = 0;

    double meanMs() const { return calls > 0 ? totalMs / double(calls) : 0.0; }
    StatementCounters minus(const StatementCounters &o) const;
    bool anyNegative() const;
};

struct StatementRow
{
    StatementKey key;
    QString user, database, query;
    StatementCounters counters;
    double maxMs = 0;   // cumulative max (not meaningful as a delta)
    bool isNew = false; // in a delta: no earlier entry (new, evicted and re-created, or reset)
};

// One reading of pg_stat_statements (all entries).
struct StatementsSample
{
    QDateTime takenAt;  // client clock, UTC
    QString statsReset; // pg_stat_statements_info.stats_reset
    QList<StatementRow> rows;
};

// What happened between two samples: for each entry of `newer`, its counters minus those of the
// same key in `older`. An entry missing from `older`, or whose counters went down (it was reset
// or evicted and re-created in between), counts as new: its counters are taken whole. When the
// whole view was reset (stats_reset changed) every entry is new. Entries with no calls in
// between are left out.
QList<StatementRow> diffStatementSamples(const StatementsSample &older,
                                         const StatementsSample &newer);

// Masks the string literal after every PASSWORD keyword ("ALTER ROLE x PASSWORD '…'", which
// pg_stat_statements keeps verbatim for utility statements when track_utility is on), so no
// view, table or report built from a sample shows a password someone typed. parseSample applies
// it to every row.
QString redactPasswordLiterals(QString sql);

// Whether pg_stat_statements can be read, and if not, exactly what to change.
struct StatementsStatus
{
    bool preloaded = false;
    bool installed = false;
    bool available = false;
    QString sharedPreloadLibraries;
    QString schema, version, database;

    bool usable() const { return preloaded && installed; }
    // Full sentences: what to change through Patroni's dynamic configuration (never ALTER
    // SYSTEM: Patroni owns postgresql.conf), the restart it needs, then CREATE EXTENSION.
    QString advice(const QString &clusterName) const;
    // The PATCH /config body that adds pg_stat_statements to shared_preload_libraries.
    QByteArray patroniPatchBody() const;
};

// pg_stat_statements on one member. Lives on its PgSession's thread; calls back exactly once,
// from the event loop (never before the call returns).
class StatementsService : public QObject
{
    Q_OBJECT
public:
    template <typename T> using Callback = std::function<void(const Result<T> &)>;

    explicit StatementsService(PgSession *session, QObject *parent = nullptr);

    void fetchStatus(Callback<StatementsStatus> callback);
    // Needs a usable status (the schema to read from).
    void fetchSample(const StatementsStatus &status, Callback<StatementsSample> callback);

    static Result<StatementsStatus> parseStatus(const PgResult &result);
    static Result<StatementsSample> parseSample(const PgResult &result);

private:
    QPointer<PgSession> m_session;
};

} // namespace vigil::services
