#pragma once

#include "services/operations/operationcontext.h"
#include "services/security/rotationtypes.h"

#include <QObject>

namespace vigil::services {

class PatroniClient;
class PgBouncerClient;
class PgSession;

// Finds what a password rotation needs, changing nothing: Patroni's scope and leader
// (GET /patroni, GET /cluster), the leader's login roles and password_encryption
// (rotation_roles.sql, as the profile's role), and, when the profile names a PgBouncer admin
// console, how PgBouncer authenticates (SHOW CONFIG) and which of its databases and pools use
// each role (SHOW DATABASES, SHOW POOLS).
//
// Lives on the UI thread; every step is asynchronous with the profile's deadlines. Emits
// finished() exactly once per start(), unless destroyed first.
class RotationDiscovery : public QObject
{
    Q_OBJECT
public:
    explicit RotationDiscovery(OperationContext ctx, QObject *parent = nullptr);
    void start();

Q_SIGNALS:
    void finished(const vigil::services::RotationTarget &target);

private:
    void onCluster(const PatroniCluster &cluster);
    void queryRoles();
    void queryPgBouncer();
    void readPgBouncerConfig(const PgResult &result);
    void readPgBouncerUsage(const PgResult &result, const char *userColumn);
    void fail(const ServiceError &error);
    void stepDone();

    OperationContext m_ctx;
    RotationTarget m_target;
    PatroniClient *m_patroni = nullptr;
    PgSession *m_leader = nullptr;
    PgBouncerClient *m_bouncer = nullptr;
    QMap<QString, QStringList> m_bouncerUse; // role -> PgBouncer databases
    int m_pending = 0;
    bool m_done = false;
};

} // namespace vigil::services
