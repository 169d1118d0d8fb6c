#pragma once

#include "services/core/auditlog.h"
#include "services/core/error.h"
#include "services/core/readonlyguard.h"
#include "services/postgres/pgresult.h"
#include "services/security/applicationroleplan.h"

#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>

namespace vigil::services {

class PgSession;

// What the role wizard reads from the leader's catalog: the existing role names, the databases
// that accept connections, and the tables of the session's database.
struct RoleCatalog
{
    QStringList roles, databases;
    QList<TableGrant> tables; // no privilege chosen yet
};

// What creating the role did: the statements that ran (the password statement shown masked).
struct RoleOutcome
{
    QStringList statements;
};

// Creates the manual's application roles on the leader. Lives on the UI thread with its
// PgSession, which must be connected to the plan's database on the leader (grants on tables
// are per database); calls back exactly once, from the event loop.
//
// create(): refused in read-only mode (the guard) or without an audit log; then checks whether
// the role exists (refuses creating an existing one, and granting to a missing one, with what to
// do instead), computes the SCRAM verifier here (rolePasswordSql: the password never leaves the
// process), and runs every statement in one transaction. An audit entry records the plan and
// the outcome, never the password or the verifier.
class ApplicationRoleService : public QObject
{
    Q_OBJECT
public:
    struct Target
    {
        QString cluster, member;
        std::shared_ptr<ReadOnlyGuard> guard;
        std::shared_ptr<AuditLog> audit;
    };

    ApplicationRoleService(PgSession *session, Target target, QObject *parent = nullptr);

    void fetchCatalog(std::function<void(const Result<RoleCatalog> &)> callback);
    void create(const ApplicationRolePlan &plan, const QByteArray &password,
                std::function<void(const Result<RoleOutcome> &)> callback);

    static RoleCatalog parseCatalog(const PgResult &names, const PgResult &tables);
    // The statement as shown: the verifier after PASSWORD replaced by a mask.
    static QString maskVerifier(const QString &statement);

private:
    void runPlan(const ApplicationRolePlan &plan, const QByteArray &password,
                 const std::function<void(const Result<RoleOutcome> &)> &callback);
    void audit(const ApplicationRolePlan &plan, const QString &result, const QString &answer);

    QPointer<PgSession> m_session;
    Target m_target;
};

} // namespace vigil::services
