#pragma once

#include "services/operations/operationcontext.h"
#include "services/security/rotationtypes.h"

#include <QObject>
#include <QPointer>

namespace vigil::services {

class PgBouncerClient;
class PgSession;
class SecretStore;

// Rotates one role's password, the same code for the wizard and `vigil rotate-password`:
//  1. refuses when read-only, unaudited, unconfirmed (the typed cluster name), or when the role is
//     one Patroni logs in with (RotationRole::refusal);
//  2. on the leader: the SCRAM-SHA-256 verifier computed here by libpq, then ALTER ROLE with it
//     (scramverifier.h): the plaintext never leaves the process;
//  3. PgBouncer: auth_query needs nothing; with auth_file, the role's line is replaced by the
//     same verifier (atomically, a backup kept) and PgBouncer reloaded, when the file is on this
//     machine and writable; otherwise the exact line is handed back to copy;
//  4. the profile's keychain entry, when the role is the profile's own;
//  5. verification with fresh logins: the new password works on the leader and through
//     PgBouncer, the old one (when known) is refused on both;
//  6. an audit entry (role, who, when, outcome, no secret, no verifier).
//
// Lives on the UI thread, never blocks it. start() may be called again with the same request
// after a failure (the request, and so the new password, stays with the caller, in memory).
// Emits finished() exactly once per start(), unless destroyed first.
class PasswordRotator : public QObject
{
    Q_OBJECT
public:
    // `secrets` may be null (the command line has no keychain).
    PasswordRotator(OperationContext ctx, SecretStore *secrets, QObject *parent = nullptr);
    void start(const RotationTarget &target, const RotationRequest &request);
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void progress(const QString &line);
    void finished(const vigil::services::RotationReport &report);

private:
    ServiceError precheck() const;
    void alterRole();
    void updatePgBouncer();
    void writeUserlist();
    void reloadPgBouncer();
    void updateKeychain();
    void verify();
    void verifyLogin(const QString &name, const PgConnectionSettings &settings, bool expectOk,
                     std::function<void()> next);
    PgConnectionSettings loginSettings(bool viaPgBouncer, const QString &password) const;
    QString verificationDatabase() const;
    void addStep(const QString &name, RotationStep::Outcome outcome, const QString &detail = {});
    void finish();

    OperationContext m_ctx;
    QPointer<SecretStore> m_secrets;
    RotationTarget m_target;
    RotationRequest m_request;
    RotationRole m_role;
    RotationReport m_report;
    QByteArray m_verifier;
    PgSession *m_leader = nullptr;
    PgBouncerClient *m_bouncer = nullptr;
    bool m_bouncerHasNewVerifier = false;
    bool m_running = false;
    quint64 m_run = 0;
};

} // namespace vigil::services
