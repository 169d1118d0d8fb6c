#include "app/commands/targetsession.h"

#include "app/tr.h"
#include "services/monitor/clustermonitor.h"
#include "services/patroni/patroniclient.h"

#include <QNetworkAccessManager>

namespace vigil::app {

namespace {

// The leader (or standby leader), or the member named `wanted`.
const services::PatroniMember *findMember(const services::PatroniCluster &cluster,
                                          const QString &wanted)
{
    const services::PatroniMember *target = nullptr;
    for (const auto &m : cluster.members)
        if (wanted.isEmpty() ? (m.role == services::PatroniRole::Leader ||
                                m.role == services::PatroniRole::StandbyLeader)
                             : m.name == wanted)
            target = target ? target : &m;
    return target;
}

} // namespace

void connectTarget(const TargetOptions::Values &target, QObject *parent, TargetSessionDone done)
{
    const auto deadline = std::chrono::milliseconds(target.timeoutMs);
    auto open = [parent, done, deadline](services::PgConnectionSettings settings,
                                         const QString &label) {
        auto *session = new services::PgSession(parent);
        QObject::connect(session, &services::PgSession::opened, parent,
                         [session, label, done] { done(session, label, {}); });
        QObject::connect(
            session, &services::PgSession::failed, parent,
            [session, label, done](const services::ServiceError &e) { done(session, label, e); });
        session->open(settings, deadline);
    };
    // The password from --profile's keychain entry, if any (none: libpq's own sources).
    const QString password = target.secrets.sqlPassword;
    if (target.patroniUrls.isEmpty()) {
        const auto settings = services::PgConnectionSettings::forApplication(
            target.sqlConninfo, QStringLiteral("vigil"), password);
        open(settings, settings.displayHost());
        return;
    }
    auto *nam = new QNetworkAccessManager(parent);
    services::ClusterProfile profile;
    target.applyTo(profile); // the one place credentials and TLS files meet: restEndpoint
    const services::PatroniEndpoint endpoint =
        services::restEndpoint(profile, target.secrets, target.patroniUrls.first());
    auto *client = new services::PatroniClient(nam, endpoint, parent);
    client->setTimeout(deadline);
    const QString wanted = target.member;
    const QString base =
        target.sqlConninfo.isEmpty() ? QStringLiteral("dbname=postgres") : target.sqlConninfo;
    client->getCluster([open, done, wanted, base,
                        password](const services::Result<services::PatroniCluster> &r) {
        if (!r.ok()) {
            done(nullptr, {}, r.error());
            return;
        }
        const services::PatroniMember *member = findMember(r.value(), wanted);
        if (!member) {
            done(nullptr, {},
                 services::ServiceError::make(
                     services::ServiceError::Kind::Refused, QStringLiteral("GET /cluster"), {}, {},
                     wanted.isEmpty() ? Tr::tr("The cluster has no leader right now.")
                                      : Tr::tr("No member is called '%1'.").arg(wanted)));
            return;
        }
        const auto settings =
            services::PgConnectionSettings::forApplication(base, QStringLiteral("vigil"), password)
                .atMember(member->host, member->port);
        open(settings,
             QStringLiteral("%1 (%2:%3)").arg(member->name, member->host).arg(member->port));
    });
}

} // namespace vigil::app
