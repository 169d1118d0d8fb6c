#pragma once

#include "services/proxies/pgbouncertypes.h"

#include <QHash>
#include <QList>
#include <QString>

namespace vigil::models {

// Per-second rates of one database from two SHOW STATS reads.
struct PgBouncerStatsRate
{
    QString database;
    double transactionsPerSecond = 0;
    double queriesPerSecond = 0;
    double receivedPerSecond = 0;    // bytes
    double sentPerSecond = 0;        // bytes
    double avgQuerySeconds = 0;      // query time / queries in the interval (0 without queries)
    double waitSecondsPerSecond = 0; // client wait time accumulated per second of wall time
};

// Turns SHOW STATS's ever-growing totals into per-second deltas between two reads. The first read
// of a database gives no rate (nothing to compare with); a counter that went backwards means
// PgBouncer restarted (or its stats were reset): that read becomes the new baseline and gives no
// rate either. Pure logic, no timers: the caller says how much time passed between reads.
class PgBouncerStatsRates
{
public:
    // The rates of the databases that have a usable previous read; `elapsedSeconds` <= 0 gives
    // none and keeps the previous baseline.
    QList<PgBouncerStatsRate> update(const QList<services::PgBouncerStats> &current,
                                     double elapsedSeconds);
    void reset() { m_previous.clear(); }

private:
    QHash<QString, services::PgBouncerStats> m_previous;
};

} // namespace vigil::models
