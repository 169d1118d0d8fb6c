#pragma once

// A recorded-like sequence of sandbox snapshots under the sandbox workload (pgbench through
// PgBouncer, idle and idle-in-transaction sessions, a slow query now and then): replica lag that
// breathes with the write rate, connections that come and go, counters that grow at a varying
// rate. Deterministic, so screenshots and tests do not depend on a live cluster.

#include "support/snapshotbuilder.h"

#include <cmath>

namespace vigil::test {

inline services::ClusterSnapshot workloadSnapshot(int second, const QDateTime &start,
                                                  const QString &leader = QStringLiteral("node1"))
{
    SandboxShape shape;
    shape.leader = leader;
    shape.sequence = quint64(second + 1);
    shape.takenAt = start.addSecs(second);
    services::ClusterSnapshot s = healthySnapshot(shape);
    const double t = second;
    // Write rate in transactions/s: a base load with slow waves and a burst every ~90 s.
    const double tps = 18 + 6 * std::sin(t / 23.0) + ((second % 90) < 8 ? 25 : 0);
    const qint64 xacts = qint64(100000 + 20 * t + 6 * 23 * (1 - std::cos(t / 23.0)) +
                                25 * 8 * (second / 90) + 25 * std::min(second % 90, 8));
    for (auto &m : s.members) {
        for (auto &c : m.databaseCounters) {
            if (m.name == leader) {
                c.xactCommit = xacts;
                c.xactRollback = qint64(t / 7);
                c.tupInserted = qint64(xacts * 0.4);
                c.tupUpdated = qint64(xacts * 1.1);
            } else {
                c.xactCommit = qint64(500 + t * 2);
            }
        }
        if (m.connections) {
            auto &cs = *m.connections;
            if (m.name == leader) {
                cs.byState[QStringLiteral("active")] =
                    3 + int(3 + 3 * std::sin(t / 5.0)) + ((second % 20) < 2 ? 2 : 0);
                cs.byState[QStringLiteral("idle")] = 20 + int(4 * std::sin(t / 31.0));
                cs.byState[QStringLiteral("idle in transaction")] = 3 + ((second % 60) < 6 ? 1 : 0);
            }
            cs.total = 0;
            for (int n : cs.byState)
                cs.total += n;
        }
    }
    const double lag2 =
        std::max(0.0, tps * 900 + 12000 * std::sin(t / 11.0) + ((second % 90) < 8 ? 400000 : 0));
    const double lag3 =
        std::max(0.0, tps * 1400 + 9000 * std::cos(t / 13.0) + ((second % 90) < 10 ? 650000 : 0));
    int i = 0;
    for (auto &m : s.members) {
        if (m.name == leader)
            continue;
        const double bytes = i++ == 0 ? lag2 : lag3;
        setLag(s, m.name, qint64(bytes), bytes / 2.5e6 + 0.001);
    }
    return s;
}

} // namespace vigil::test
