#include "services/security/accessservice.h"

#include "services/core/calllater.h"
#include "services/postgres/pgrowreader.h"
#include "services/postgres/pgsession.h"
#include "services/postgres/sqlresource.h"

#include <memory>

namespace vigil::services {

namespace {
constexpr std::chrono::milliseconds kDeadline(15000);

// The snapshot being assembled and the first error (kept when every part fails).
struct Gathering
{
    AccessSnapshot snapshot;
    ServiceError firstError;
    int failed = 0;
    void fail(const ServiceError &e, QString *text, const QString &part)
    {
        if (!firstError)
            firstError = e;
        ++failed;
        *text = AccessService::partError(e, part);
    }
};
} // namespace

AccessService::AccessService(PgSession *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
}

QList<HbaRule> AccessService::parseRules(const PgResult &result)
{
    QList<HbaRule> out;
    const PgRowReader reader(result);
    for (int i = 0; i < reader.rowCount(); ++i) {
        const PgRowReader::Row r = reader.row(i);
        HbaRule h;
        h.line = int(r.integer("line_number").value_or(0));
        h.type = r.text("type");
        h.database = r.text("database");
        h.user = r.text("user_name");
        h.address = r.text("address");
        h.netmask = r.text("netmask");
        h.method = r.text("auth_method");
        h.options = r.text("options");
        h.error = r.text("error");
        out.append(h);
    }
    return out;
}

QList<SslSession> AccessService::parseSessions(const PgResult &result)
{
    QList<SslSession> out;
    const PgRowReader reader(result);
    for (int i = 0; i < reader.rowCount(); ++i) {
        const PgRowReader::Row r = reader.row(i);
        SslSession s;
        s.pid = int(r.integer("pid").value_or(0));
        s.user = r.text("usename");
        s.database = r.text("datname");
        s.application = r.text("application_name");
        s.clientAddr = r.text("client_addr");
        s.backendType = r.text("backend_type");
        s.ssl = r.flag("ssl");
        s.version = r.text("version");
        s.cipher = r.text("cipher");
        s.bits = int(r.integer("bits").value_or(0));
        out.append(s);
    }
    return out;
}

QList<AccessSetting> AccessService::parseSettings(const PgResult &result)
{
    QList<AccessSetting> out;
    const PgRowReader reader(result);
    for (int i = 0; i < reader.rowCount(); ++i) {
        const PgRowReader::Row r = reader.row(i);
        out.append({r.text("name"), r.text("setting"), r.text("source"), r.text("short_desc"), {}});
    }
    return out;
}

QString AccessService::partError(const ServiceError &error, const QString &part)
{
    if (error.code == QLatin1String("42501") && part == QLatin1String("pg_hba_file_rules"))
        return Tr::tr("Reading %1 was refused (%2). The profile's SQL role needs superuser, or "
                      "a superuser must GRANT EXECUTE ON FUNCTION pg_hba_file_rules() to it.")
            .arg(part, error.message);
    if (error.code == QLatin1String("42501"))
        return Tr::tr("Reading %1 was refused (%2). Give the profile's SQL role pg_monitor.")
            .arg(part, error.message);
    return Tr::tr("Reading %1 failed: %2").arg(part, error.toText());
}

void AccessService::fetch(Callback callback)
{
    if (!m_session) {
        callLater(this, callback,
                  ServiceError::make(ServiceError::Kind::Cancelled, QStringLiteral("access rules"),
                                     {}, {}, Tr::tr("No connection.")));
        return;
    }
    // Settings first: the rules' flags depend on the server version.
    auto g = std::make_shared<Gathering>();
    QPointer<PgSession> session = m_session;
    auto finish = [g, callback] {
        if (g->failed == 3) {
            callback(g->firstError);
            return;
        }
        access::assess(g->snapshot);
        callback(g->snapshot);
    };
    auto sessions = [g, session, finish] {
        if (!session)
            return finish();
        session->exec(
            sqlResource(QStringLiteral("access_ssl_sessions")), {},
            [g, finish](const PgResult &r, const ServiceError &e) {
                if (e)
                    g->fail(e, &g->snapshot.sessionsError, QStringLiteral("pg_stat_ssl"));
                else
                    g->snapshot.sessions = parseSessions(r);
                finish();
            },
            kDeadline);
    };
    auto rules = [g, session, sessions] {
        if (!session)
            return sessions();
        session->exec(
            sqlResource(QStringLiteral("access_hba_rules")), {},
            [g, sessions](const PgResult &r, const ServiceError &e) {
                if (e)
                    g->fail(e, &g->snapshot.rulesError, QStringLiteral("pg_hba_file_rules"));
                else
                    g->snapshot.rules = parseRules(r);
                sessions();
            },
            kDeadline);
    };
    m_session->exec(
        sqlResource(QStringLiteral("access_ssl_settings")), {},
        [g, rules](const PgResult &r, const ServiceError &e) {
            if (e)
                g->fail(e, &g->snapshot.settingsError, QStringLiteral("pg_settings"));
            else
                g->snapshot.settings = parseSettings(r);
            rules();
        },
        kDeadline);
}

} // namespace vigil::services
