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

// Patroni's leader history and the cluster's scope (from /patroni of the member that answered;
// empty when that second request failed).
struct PatroniHistoryAnswer
{
    QList<PatroniHistoryEntry> entries;
    QString scope;
};

using HistoryCallback = std::function<void(const Result<PatroniHistoryAnswer> &)>;

// GET /history from the first of `endpoints` that answers (every member keeps the same
// history), then GET /patroni there for the scope, each try within `timeout`. `done` is called
// exactly once, on `context`'s thread, never inside this call; with the last error when none
// answered (or a Connect error when no endpoint was given). Nothing is called after `context` is
// destroyed.
void fetchPatroniHistory(QNetworkAccessManager *nam, const QList<PatroniEndpoint> &endpoints,
                         std::chrono::milliseconds timeout, QObject *context, HistoryCallback done);

} // namespace vigil::services
