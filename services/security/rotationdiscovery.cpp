#include "services/security/rotationdiscovery.h"

#include "services/patroni/patroniclient.h"
#include "services/postgres/pgrowreader.h"
#include "services/postgres/sqlresource.h"
#include "services/proxies/pgbouncerclient.h"

#include <QFileInfo>
#include <algorithm>

namespace vigil::services {

RotationDiscovery::RotationDiscovery(OperationContext ctx, QObject *parent)
    : QObject(parent)
    , m_ctx(std::move(ctx))
{
    // A one-off action, not a monitoring cycle: at least 10 s per connection and query.
    m_ctx.profile.memberDeadlineMs = std::max(m_ctx.profile.memberDeadlineMs, 10000);
}

void RotationDiscovery::start()
{
    m_target = {};
    m_bouncerUse.clear();
    m_done = false;
    m_pending = 0;
    delete m_patroni;
    m_patroni = new PatroniClient(m_ctx.nam, m_ctx.endpoint(m_ctx.profile.patroniUrl), this);
    m_patroni->getPatroni([this](const Result<PatroniNodeStatus> &st) {
        if (!st.ok())
            return fail(st.error());
        m_target.cluster = st->scope;
        m_patroni->getCluster([this](const Result<PatroniCluster> &c) {
            if (!c.ok())
                return fail(c.error());
            onCluster(c.value());
        });
    });
}

void RotationDiscovery::onCluster(const PatroniCluster &cluster)
{
    const PatroniMember *leader = nullptr;
    for (const PatroniMember &m : cluster.members)
        if (m.role == PatroniRole::Leader)
            leader = &m;
    if (!leader)
        return fail(ServiceError::make(
            ServiceError::Kind::Refused, Tr::tr("find the leader"), m_ctx.profile.patroniUrl.host(),
            {},
            Tr::tr("The cluster has no leader right now; rotate the password once it has one.")));
    m_target.leader = leader->name;
    PgConnectionSettings &cs = m_target.leaderSettings;
    cs.conninfo = m_ctx.profile.sqlConninfo;
    cs.overrides = {{QStringLiteral("host"), leader->host},
                    {QStringLiteral("port"), QString::number(leader->port)},
                    {QStringLiteral("application_name"), QStringLiteral("vigil-rotate")}};
    if (!m_ctx.secrets.sqlPassword.isEmpty())
        cs.overrides.append({QStringLiteral("password"), m_ctx.secrets.sqlPassword});
    m_pending = 1;
    queryRoles();
    if (!m_ctx.profile.pgbouncerConninfo.isEmpty()) {
        ++m_pending;
        queryPgBouncer();
    }
}

void RotationDiscovery::queryRoles()
{
    delete m_leader;
    m_leader = new PgSession(this);
    m_leader->open(m_target.leaderSettings,
                   std::chrono::milliseconds(m_ctx.profile.memberDeadlineMs));
    m_leader->exec(sqlResource(QStringLiteral("rotation_roles")), {},
                   [this](const PgResult &r, const ServiceError &e) {
                       if (e)
                           return fail(e);
                       PgRowReader reader(r);
                       for (int i = 0; i < reader.rowCount(); ++i) {
                           const PgRowReader::Row row(reader, i);
                           RotationRole role;
                           role.name = row.text("rolname");
                           role.validUntil = row.text("rolvaliduntil");
                           role.superuser = row.flag("rolsuper");
                           role.replication = row.flag("rolreplication");
                           role.usedByPatroni = row.flag("streams") || row.flag("patroni");
                           role.profileRole = row.flag("is_current");
                           m_target.passwordEncryption = row.text("password_encryption");
                           m_target.roles.append(role);
                       }
                       stepDone();
                   });
}

void RotationDiscovery::queryPgBouncer()
{
    m_target.pgbouncer.configured = true;
    delete m_bouncer;
    m_bouncer = new PgBouncerClient(this);
    PgConnectionSettings cs;
    cs.conninfo = m_ctx.profile.pgbouncerConninfo;
    cs.overrides = {{QStringLiteral("application_name"), QStringLiteral("vigil-rotate")}};
    if (!m_ctx.secrets.pgbouncerPassword.isEmpty())
        cs.overrides.append({QStringLiteral("password"), m_ctx.secrets.pgbouncerPassword});
    m_bouncer->open(cs, std::chrono::milliseconds(m_ctx.profile.memberDeadlineMs));
    // The answers come in order on the one console connection; the last one ends the step.
    m_bouncer->show(QStringLiteral("CONFIG"), [this](const PgResult &r, const ServiceError &e) {
        if (e)
            m_target.pgbouncer.error = e;
        else
            readPgBouncerConfig(r);
    });
    m_bouncer->show(QStringLiteral("DATABASES"), [this](const PgResult &r, const ServiceError &e) {
        if (!e)
            readPgBouncerUsage(r, "force_user");
    });
    m_bouncer->show(QStringLiteral("POOLS"), [this](const PgResult &r, const ServiceError &e) {
        if (!e)
            readPgBouncerUsage(r, "user");
        stepDone();
    });
}

void RotationDiscovery::readPgBouncerConfig(const PgResult &result)
{
    PgBouncerAuth &a = m_target.pgbouncer;
    PgRowReader reader(result);
    for (int i = 0; i < reader.rowCount(); ++i) {
        const PgRowReader::Row row(reader, i);
        const QString key = row.text("key"), value = row.text("value");
        if (key == QLatin1String("auth_type"))
            a.authType = value;
        else if (key == QLatin1String("auth_file"))
            a.authFile = value;
        else if (key == QLatin1String("auth_query"))
            a.authQuery = value;
        else if (key == QLatin1String("auth_user"))
            a.authUser = value;
    }
    const QString host = m_bouncer->session()->host();
    a.host = host.section(QLatin1Char(':'), 0, -2);
    a.port = host.section(QLatin1Char(':'), -1);
    const bool localHost = a.host.isEmpty() || a.host.startsWith(QLatin1Char('/')) ||
                           a.host == QLatin1String("localhost") ||
                           a.host.startsWith(QLatin1String("127.")) ||
                           a.host == QLatin1String("::1");
    const QFileInfo file(a.authFile);
    a.fileIsLocal = localHost && !a.authFile.isEmpty() && file.isFile() && file.isReadable();
    a.fileIsWritable = a.fileIsLocal && file.isWritable() && QFileInfo(file.path()).isWritable();
}

void RotationDiscovery::readPgBouncerUsage(const PgResult &result, const char *userColumn)
{
    PgRowReader reader(result);
    for (int i = 0; i < reader.rowCount(); ++i) {
        const PgRowReader::Row row(reader, i);
        const QString database = row.text(reader.hasColumn("name") ? "name" : "database");
        if (database == QLatin1String("pgbouncer"))
            continue;
        if (qstrcmp(userColumn, "force_user") == 0 &&
            !m_target.pgbouncer.databases.contains(database))
            m_target.pgbouncer.databases.append(database);
        const QString user = row.text(userColumn);
        if (!user.isEmpty() && !m_bouncerUse[user].contains(database))
            m_bouncerUse[user].append(database);
    }
}

void RotationDiscovery::fail(const ServiceError &error)
{
    if (m_done)
        return;
    m_target.error = error;
    m_done = true;
    Q_EMIT finished(m_target);
}

void RotationDiscovery::stepDone()
{
    if (m_done || --m_pending > 0)
        return;
    for (RotationRole &role : m_target.roles)
        role.pgbouncerDatabases = m_bouncerUse.value(role.name);
    m_done = true;
    if (m_leader)
        m_leader->close();
    if (m_bouncer)
        m_bouncer->close();
    Q_EMIT finished(m_target);
}

} // namespace vigil::services
