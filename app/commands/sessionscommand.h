#pragma once

#include "models/formatting.h"

#include <QStringList>
#include <optional>

namespace vigil::app {

// `vigil sessions [--json] [--state STATE]... [--min-duration 5m] [--application hokm%]
//  [--user U] [--database D] [--all] (--patroni URL [--member NAME] | --sql CONNINFO)`:
// the filtered session list, with the same query, model and filter as the GUI's sessions view.
int runSessionsCommand(const QStringList &arguments);

// "90", "90s", "5m", "5min", "2h", "1d" → seconds (models/formatting.h, shared with `vigil
// terminate`).
using models::parseDurationSeconds;

} // namespace vigil::app
