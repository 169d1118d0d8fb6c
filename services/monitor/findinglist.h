#pragma once

#include "services/monitor/clustersnapshot.h"

#include <QList>

namespace vigil::services {

// Appends one finding: the rule files' (failoverfindings.cpp, workloadfindings.cpp) one way of
// adding what they found.
inline void appendFinding(QList<Finding> &out, Finding::Severity severity, Finding::Code code,
                          const QString &member, const QString &message)
{
    Finding f;
    f.severity = severity;
    f.code = code;
    f.member = member;
    f.message = message;
    out.append(f);
}

} // namespace vigil::services
