#include "services/timeline/patronihistoryfetch.h"

#include "services/core/calllater.h"

#include <QPointer>
#include <memory>

namespace vigil::services {

namespace {
void tryFrom(QNetworkAccessManager *nam, std::shared_ptr<const QList<PatroniEndpoint>> endpoints,
             int index, std::chrono::milliseconds timeout, QPointer<QObject> context,
             HistoryCallback done, ServiceError last)
{
    if (!context)
        return;
    if (index >= endpoints->size()) {
        done(last);
        return;
    }
    auto *client = new PatroniClient(nam, endpoints->at(index), context);
    client->setTimeout(timeout);
    client->getHistory([=](const Result<QList<PatroniHistoryEntry>> &result) {
        if (!result.ok()) {
            client->deleteLater();
            tryFrom(nam, endpoints, index + 1, timeout, context, done, result.error());
            return;
        }
        PatroniHistoryAnswer answer{result.value(), {}};
        client->getPatroni([=](const Result<PatroniNodeStatus> &status) mutable {
            client->deleteLater();
            if (status.ok())
                answer.scope = status.value().scope;
            done(answer);
        });
    });
}
} // namespace

void fetchPatroniHistory(QNetworkAccessManager *nam, const QList<PatroniEndpoint> &endpoints,
                         std::chrono::milliseconds timeout, QObject *context, HistoryCallback done)
{
    if (endpoints.isEmpty()) {
        QPointer<QObject> guard(context);
        callLater(context, [guard, done] {
            if (guard)
                done(ServiceError::make(ServiceError::Kind::Connect, QStringLiteral("GET /history"),
                                        {}, {},
                                        Tr::tr("No Patroni REST API is known for the cluster.")));
        });
        return;
    }
    tryFrom(nam, std::make_shared<const QList<PatroniEndpoint>>(endpoints), 0, timeout, context,
            std::move(done), {});
}

} // namespace vigil::services
