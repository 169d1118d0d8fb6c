#include "app/commands/backupsource.h"

#include "app/tr.h"
#include "services/backup/backupmember.h"
#include "services/monitor/clustermonitor.h"
#include "services/patroni/patroniclient.h"

#include <QNetworkAccessManager>

namespace vigil::app {

namespace {

QList<services::BackupCandidate> candidatesOf(const services::PatroniCluster &cluster)
{
    QList<services::BackupCandidate> candidates;
    for (const services::PatroniMember &m : cluster.members)
        candidates.append(
            {m.name, m.host, m.port,
             m.role == services::PatroniRole::Leader ||
                 m.role == services::PatroniRole::StandbyLeader,
             m.state == QLatin1String("running") || m.state == QLatin1String("streaming"),
             m.lagBytes});
    return candidates;
}

} // namespace

void findBackupSource(const TargetOptions::Values &t, const QString &applicationName,
                      QObject *scope, BackupSourceDone done)
{
    const QString password = t.secrets.sqlPassword;
    const QString base =
        t.sqlConninfo.isEmpty() ? QStringLiteral("dbname=postgres") : t.sqlConninfo;
    const auto settings = [base, password, applicationName] {
        return services::PgConnectionSettings::forApplication(base, applicationName, password);
    };
    if (t.patroniUrls.isEmpty()) {
        BackupSource s{settings(), settings(), {}, {}};
        s.label = s.settings.displayHost();
        done(s, {});
        return;
    }
    auto *nam = new QNetworkAccessManager(scope);
    services::ClusterProfile profile;
    t.applyTo(profile);
    auto *client = new services::PatroniClient(
        nam, services::restEndpoint(profile, t.secrets, t.patroniUrls.first()), scope);
    client->setTimeout(std::chrono::milliseconds(t.timeoutMs > 0 ? t.timeoutMs : 5000));
    const QString wanted = t.member;
    client->getCluster(
        [done, wanted, settings](const services::Result<services::PatroniCluster> &r) {
            if (!r.ok())
                return done({}, r.error());
            const QList<services::BackupCandidate> candidates = candidatesOf(r.value());
            const auto chosen = services::chooseBackupMember(candidates, wanted);
            if (!chosen)
                return done({}, services::ServiceError::make(
                                    services::ServiceError::Kind::Refused,
                                    QStringLiteral("GET /cluster"), {}, {},
                                    wanted.isEmpty()
                                        ? Tr::tr("No member of the cluster can be read right now.")
                                        : Tr::tr("No member is called '%1'.").arg(wanted)));
            BackupSource s{
                settings().atMember(chosen->host, chosen->port),
                {},
                chosen->name,
                QStringLiteral("%1 (%2:%3)").arg(chosen->name, chosen->host).arg(chosen->port)};
            for (const services::BackupCandidate &c : candidates)
                if (c.leader)
                    s.leader = settings().atMember(c.host, c.port);
            done(s, {});
        });
}

} // namespace vigil::app
