#include "models/pgbouncerstatsrates.h"

namespace vigil::models {

namespace {
bool wentBackwards(const services::PgBouncerStats &before, const services::PgBouncerStats &now)
{
    return now.transactions < before.transactions || now.queries < before.queries ||
           now.received < before.received || now.sent < before.sent ||
           now.xactTimeUs < before.xactTimeUs || now.queryTimeUs < before.queryTimeUs ||
           now.waitTimeUs < before.waitTimeUs;
}
} // namespace

QList<PgBouncerStatsRate>
PgBouncerStatsRates::update(const QList<services::PgBouncerStats> &current, double elapsedSeconds)
{
    QList<PgBouncerStatsRate> rates;
    if (elapsedSeconds <= 0)
        return rates;
    QHash<QString, services::PgBouncerStats> next;
    for (const services::PgBouncerStats &now : current) {
        next.insert(now.database, now);
        const auto it = m_previous.constFind(now.database);
        if (it == m_previous.constEnd() || wentBackwards(*it, now))
            continue; // first read, or a restart: a new baseline
        const services::PgBouncerStats &before = *it;
        PgBouncerStatsRate r;
        r.database = now.database;
        r.transactionsPerSecond = double(now.transactions - before.transactions) / elapsedSeconds;
        const qint64 queries = now.queries - before.queries;
        r.queriesPerSecond = double(queries) / elapsedSeconds;
        r.receivedPerSecond = double(now.received - before.received) / elapsedSeconds;
        r.sentPerSecond = double(now.sent - before.sent) / elapsedSeconds;
        if (queries > 0)
            r.avgQuerySeconds = double(now.queryTimeUs - before.queryTimeUs) / 1e6 / queries;
        r.waitSecondsPerSecond = double(now.waitTimeUs - before.waitTimeUs) / 1e6 / elapsedSeconds;
        rates.append(r);
    }
    m_previous = std::move(next); // databases that disappeared are forgotten
    return rates;
}

} // namespace vigil::models
