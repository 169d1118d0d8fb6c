// `vigil status`'s member table byte for byte on the unit fixtures: the table renderer
// (TextTable) must not change a character of it.
#include "app/commands/statuscommand.h"
#include "services/monitor/findings.h"
#include "support/snapshotbuilder.h"

#include <gtest/gtest.h>

using vigil::app::StatusCommand;
using namespace vigil::services;
using vigil::test::failedChannel;
using vigil::test::healthyOnDefaultPorts;
using vigil::test::memberNamed;

namespace {

ClusterSnapshot withFindings(ClusterSnapshot s)
{
    s.findings = deriveFindings(s);
    return s;
}

// Replica node3 frozen, lagging, waiting for a restart, tagged; HAProxy gone, PgBouncer refused.
ClusterSnapshot troubledSnapshot()
{
    auto s = healthyOnDefaultPorts();
    auto &n3 = memberNamed(s, QStringLiteral("node3"));
    n3.rest = failedChannel(ChannelStatus::State::Unresponsive, ServiceError::Kind::Timeout,
                            QStringLiteral("no answer"));
    n3.sql = n3.rest;
    n3.lagBytes = 3 * 1024 * 1024;
    n3.replayLagBytes = 4096;
    n3.replayLagSeconds = 0.25;
    n3.pendingRestart = true;
    n3.tags = {{QStringLiteral("nofailover"), true},
               {QStringLiteral("clonefrom"), false},
               {QStringLiteral("replicatefrom"), QStringLiteral("node2")}};
    s.haproxy = {};
    s.pgbouncer.channel =
        failedChannel(ChannelStatus::State::Unreachable, ServiceError::Kind::Connect,
                      QStringLiteral("Connection refused"));
    return withFindings(s);
}

} // namespace

// The tables as the renderer wrote them before it became TextTable (patronictl's layout).
TEST(StatusReportGolden, HealthyTableByteForByte)
{
    EXPECT_EQ(StatusCommand::formatTable(withFindings(healthyOnDefaultPorts())).toStdString(),
              "+--------+----------------+---------+---------+----+-----------+-----------------+--"
              "----+---------+---------+------------+--------------+\n"
              "| Member | Host           | Role    | State   | TL | Lag in MB | Pending restart | "
              "Tags | REST    | SQL     | Replay lag | Replay lag s |\n"
              "+--------+----------------+---------+---------+----+-----------+-----------------+--"
              "----+---------+---------+------------+--------------+\n"
              "| node1  | 127.0.0.1:5432 | Leader  | running |  1 |           |                 |  "
              "    | ok 2 ms | ok 4 ms |            |              |\n"
              "| node2  | 127.0.0.1:5433 | Replica | running |  1 |         0 |                 |  "
              "    | ok 2 ms | ok 4 ms |        0 B |        0.000 |\n"
              "| node3  | 127.0.0.1:5434 | Replica | running |  1 |         0 |                 |  "
              "    | ok 2 ms | ok 4 ms |        0 B |        0.000 |\n"
              "+--------+----------------+---------+---------+----+-----------+-----------------+--"
              "----+---------+---------+------------+--------------+\n");
}

TEST(StatusReportGolden, TroubledTableByteForByte)
{
    EXPECT_EQ(
        StatusCommand::formatTable(troubledSnapshot()).toStdString(),
        "+--------+----------------+---------+---------+----+-----------+-----------------+--------"
        "--------------------------+-----------+-----------+------------+--------------+\n"
        "| Member | Host           | Role    | State   | TL | Lag in MB | Pending restart | Tags   "
        "                          | REST      | SQL       | Replay lag | Replay lag s |\n"
        "+--------+----------------+---------+---------+----+-----------+-----------------+--------"
        "--------------------------+-----------+-----------+------------+--------------+\n"
        "| node1  | 127.0.0.1:5432 | Leader  | running |  1 |           |                 |        "
        "                          | ok 2 ms   | ok 4 ms   |            |              |\n"
        "| node2  | 127.0.0.1:5433 | Replica | running |  1 |         0 |                 |        "
        "                          | ok 2 ms   | ok 4 ms   |        0 B |        0.000 |\n"
        "| node3  | 127.0.0.1:5434 | Replica | running |  1 |         3 | *               | "
        "nofailover, replicatefrom: node2 | no answer | no answer |     4096 B |        0.250 |\n"
        "+--------+----------------+---------+---------+----+-----------+-----------------+--------"
        "--------------------------+-----------+-----------+------------+--------------+\n");
}
