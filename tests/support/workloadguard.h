#pragma once

#include "support/sandbox.h"

#include <QString>
#include <gtest/gtest.h>

namespace vigil::test {

// The sandbox's game workload for the life of a test (sandbox.sh workload --seconds 90; stopped
// when the guard goes). `started` says whether it began; a failure to start fails the test.
struct WorkloadGuard
{
    WorkloadGuard()
    {
        QString out;
        started = Sandbox::run({QStringLiteral("workload"), QStringLiteral("--seconds"),
                                QStringLiteral("90")},
                               &out, 60000) == 0;
        if (!started)
            ADD_FAILURE() << "sandbox.sh workload failed: " << out.toStdString();
    }
    ~WorkloadGuard()
    {
        Sandbox::run({QStringLiteral("workload"), QStringLiteral("stop")}, nullptr, 60000);
    }
    WorkloadGuard(const WorkloadGuard &) = delete;
    WorkloadGuard &operator=(const WorkloadGuard &) = delete;
    bool started = false;
};

} // namespace vigil::test
