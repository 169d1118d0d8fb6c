#include "services/security/applicationroleservice.h"

#include "services/core/calllater.h"
#include "services/postgres/pgrowreader.h"
#include "services/postgres/pgsession.h"
#include "services/postgres/sqlresource.h"
#include "services/security/scramverifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace vigil::services {

namespace {
constexpr std::chrono::milliseconds kDeadline(15000);
const QString kAction = QStringLiteral("create_application_role");
} // namespace

ApplicationRoleService::ApplicationRoleService(PgSession *session, Target target, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_target(std::move(target))
{
}

RoleCatalog ApplicationRoleService::parseCatalog(const PgResult &names, const PgResult &tables)
{
    RoleCatalog c;
    const PgRowReader n(names);
    for (int i = 0; i < n.rowCount(); ++i) {
        const PgRowReader::Row r = n.row(i);
        (r.text("kind") == QLatin1String("role") ? c.roles : c.databases) << r.text("name");
    }
    const PgRowReader t(tables);
    for (int i = 0; i < t.rowCount(); ++i) {
        const PgRowReader::Row r = t.row(i);
        TableGrant g;
        g.schema = r.text("schema_name");
        g.table = r.text("table_name");
        const QJsonArray seqs = QJsonDocument::fromJson(r.text("sequences").toUtf8()).array();
        for (const auto &s : seqs)
            g.sequences.append({s.toArray().at(0).toString(), s.toArray().at(1).toString()});
        c.tables.append(g);
    }
    return c;
}

QString ApplicationRoleService::maskVerifier(const QString &statement)
{
    static const QRegularExpression verifier(
        QStringLiteral("PASSWORD '(SCRAM-SHA-256\\$\\d+:)[^']*'"));
    QString s = statement;
    return s.replace(verifier, QStringLiteral("PASSWORD '\\1<salt>$<StoredKey>:<ServerKey>'"));
}

void ApplicationRoleService::fetchCatalog(std::function<void(const Result<RoleCatalog> &)> callback)
{
    if (!m_session) {
        callLater(this, callback,
                  ServiceError::make(ServiceError::Kind::Cancelled, QStringLiteral("role catalog"),
                                     {}, {}, Tr::tr("No connection to the leader.")));
        return;
    }
    QPointer<PgSession> session = m_session;
    m_session->exec(
        sqlResource(QStringLiteral("role_catalog_roles")), {},
        [session, callback](const PgResult &names, const ServiceError &e) {
            if (e || !session) {
                callback(e);
                return;
            }
            session->exec(
                sqlResource(QStringLiteral("role_catalog_tables")), {},
                [names, callback](const PgResult &tables, const ServiceError &e2) {
                    if (e2)
                        callback(e2);
                    else
                        callback(parseCatalog(names, tables));
                },
                kDeadline);
        },
        kDeadline);
}

void ApplicationRoleService::create(const ApplicationRolePlan &plan, const QByteArray &password,
                                    std::function<void(const Result<RoleOutcome> &)> callback)
{
    const QString what = Tr::tr("create role %1").arg(plan.role);
    ServiceError refused;
    if (!m_target.guard)
        refused = ServiceError::make(ServiceError::Kind::Refused, what, {}, {},
                                     Tr::tr("No read-only guard is configured, so Vigil refuses "
                                            "every action; nothing was changed."));
    else if (ServiceError e = m_target.guard->check(what))
        refused = e;
    else if (!m_target.audit)
        refused = ServiceError::make(ServiceError::Kind::Refused, what, {}, {},
                                     Tr::tr("No audit log is configured, so Vigil refuses the "
                                            "action; nothing was changed."));
    else if (!plan.problem().isEmpty())
        refused = ServiceError::make(ServiceError::Kind::Refused, what, {}, {}, plan.problem());
    else if (plan.createRole && password.isEmpty())
        refused = ServiceError::make(ServiceError::Kind::Refused, what, {}, {},
                                     Tr::tr("A new role needs a password."));
    else if (!m_session)
        refused = ServiceError::make(ServiceError::Kind::Cancelled, what, {}, {},
                                     Tr::tr("No connection to the leader."));
    if (refused) {
        if (m_target.audit && refused.kind == ServiceError::Kind::Refused)
            audit(plan, QStringLiteral("refused"), refused.message);
        callLater(this, callback, refused);
        return;
    }
    // The role's existence first (this also opens the session, which the escaping needs).
    QPointer<ApplicationRoleService> self(this);
    m_session->exec(
        QStringLiteral("SELECT 1 FROM pg_roles WHERE rolname = $1"), {plan.role},
        [self, plan, password, callback, what](const PgResult &r, const ServiceError &e) {
            if (!self)
                return;
            if (e) {
                self->audit(plan, QStringLiteral("failed"), e.toText());
                callback(e);
                return;
            }
            const bool exists = r.rowCount() > 0;
            QString why;
            if (exists && plan.createRole)
                why = Tr::tr("The role %1 exists already. Choose another name, or choose "
                             "\"only grant\" to give the existing role these privileges (its "
                             "password stays as it is).")
                          .arg(plan.role);
            else if (!exists && !plan.createRole)
                why = Tr::tr("The role %1 does not exist, so there is nothing to grant to. "
                             "Create it instead.")
                          .arg(plan.role);
            if (!why.isEmpty()) {
                self->audit(plan, QStringLiteral("refused"), why);
                callback(ServiceError::make(ServiceError::Kind::Refused, what, {}, {}, why));
                return;
            }
            self->runPlan(plan, password, callback);
        },
        kDeadline);
}

void ApplicationRoleService::runPlan(
    const ApplicationRolePlan &plan, const QByteArray &password,
    const std::function<void(const Result<RoleOutcome> &)> &callback)
{
    const QString what = Tr::tr("create role %1").arg(plan.role);
    PgSession *session = m_session.data();
    QString passwordStatement;
    if (plan.createRole) {
        const Result<QString> sql = rolePasswordSql(*session, plan.role, password);
        if (!sql.ok()) {
            audit(plan, QStringLiteral("failed"), sql.error().toText());
            callback(sql.error());
            return;
        }
        passwordStatement = sql.value();
    }
    const QStringList statements = applicationRoleStatements(
        plan, [session](const QString &id) { return session->escapeIdentifier(id); },
        passwordStatement);
    RoleOutcome outcome;
    for (const QString &s : statements)
        outcome.statements << maskVerifier(s);
    QPointer<ApplicationRoleService> self(this);
    session->execSimple(
        applicationRoleScript(statements),
        [self, plan, outcome, callback](const PgResult &, const ServiceError &e) {
            if (!self)
                return;
            if (e) {
                self->audit(plan, QStringLiteral("failed"), e.toText());
                callback(e);
                return;
            }
            self->audit(plan, QStringLiteral("ok"), QStringLiteral("COMMIT"));
            callback(outcome);
        },
        kDeadline);
}

void ApplicationRoleService::audit(const ApplicationRolePlan &plan, const QString &result,
                                   const QString &answer)
{
    if (!m_target.audit)
        return;
    AuditEntry entry;
    entry.cluster = m_target.cluster;
    entry.member = m_target.member;
    entry.action = kAction;
    entry.parameters = plan.toAuditJson();
    entry.result = result;
    entry.serverAnswer = answer;
    m_target.audit->append(entry);
}

} // namespace vigil::services
