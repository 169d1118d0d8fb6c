#pragma once

#include <QString>

namespace vigil::services {

// The one rule for the typed confirmation of a destructive action (the wizards' typed cluster
// name, the commands' --confirm CLUSTER, and the runners' last check before they act): the
// expected text exactly, apart from blanks around what was typed. Never matches an empty
// expected text, so a cluster whose name is unknown cannot be confirmed by typing nothing.
inline bool confirmationMatches(const QString &typed, const QString &expected)
{
    return !expected.isEmpty() && typed.trimmed() == expected;
}

} // namespace vigil::services
