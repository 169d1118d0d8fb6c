#pragma once

#include "services/core/error.h"
#include "services/patroni/patroniclient.h"
#include "services/patroni/patronitypes.h"

#include <QList>
#include <chrono>
#include <functional>

class QNetworkAccessManager;
class QObject;

namespace vigil::services {

using HistoryCallback = std::function<void(const Result<QList<PatroniHistoryEntry>> &)>;

// GET /history from the first of `endpoints` that answers (every member keeps the same
// history), each try within `timeout`. `done` is called exactly once, on `context`'s thread,
// never inside this call; with the last error when none answered (or a Connect error when no
// endpoint was given). Nothing is called after `context` is destroyed.
void fetchPatroniHistory(QNetworkAccessManager *nam, const QList<PatroniEndpoint> &endpoints,
                         std::chrono::milliseconds timeout, QObject *context, HistoryCallback done);

} // namespace vigil::services
