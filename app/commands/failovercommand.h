#pragma once

#include <QStringList>

namespace vigil::app {

// `vigil failover --candidate NAME [--confirm CLUSTER]`: the emergency failover wizard's code.
// Prints why there is no healthy leader, the candidates ranked by their last known WAL position
// with the data that may be lost, the pre-flight, asks for the cluster name, POSTs /failover and
// verifies. Exit codes as `vigil switchover`.
class FailoverCommand
{
public:
    static int run(const QStringList &arguments);
};

} // namespace vigil::app
