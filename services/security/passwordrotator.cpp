#include "services/security/passwordrotator.h"

#include "services/core/confirmation.h"
#include "services/postgres/pgsession.h"
#include "services/proxies/pgbouncerclient.h"
#include "services/security/pgbounceruserlist.h"
#include "services/security/scramverifier.h"
#include "services/settings/secretstore.h"

#include <QFile>
#include <QJsonObject>
#include <algorithm>

namespace vigil::services {

namespace {
using Outcome = RotationStep::Outcome;
using Millis = std::chrono::milliseconds;
} // namespace

PasswordRotator::PasswordRotator(OperationContext ctx, SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_ctx(std::move(ctx))
    , m_secrets(secrets)
{
    // A one-off action, not a monitoring cycle: at least 10 s per connection and query.
    m_ctx.profile.memberDeadlineMs = std::max(m_ctx.profile.memberDeadlineMs, 10000);
}

void PasswordRotator::start(const RotationTarget &target, const RotationRequest &request)
{
    ++m_run;
    m_target = target;
    m_request = request;
    m_report = {};
    m_verifier.clear();
    m_bouncerHasNewVerifier = false;
    m_running = true;
    if (const RotationRole *r = target.role(request.role))
        m_role = *r;
    else
        m_role = RotationRole{request.role};
    if (const ServiceError e = precheck()) {
        addStep(Tr::tr("Checks"), Outcome::Failed, e.message);
        return finish();
    }
    Q_EMIT progress(Tr::tr("Connecting to the leader %1 ...").arg(target.leader));
    delete m_leader;
    m_leader = new PgSession(this);
    m_leader->open(target.leaderSettings, Millis(m_ctx.profile.memberDeadlineMs));
    const quint64 run = m_run;
    m_leader->exec(
        QStringLiteral("SELECT 1"), {}, [this, run](const PgResult &, const ServiceError &e) {
            if (run != m_run)
                return;
            if (e) {
                addStep(
                    Tr::tr("Connect to the leader"), Outcome::Failed,
                    Tr::tr("%1 Nothing was changed; check the leader and run the rotation again.")
                        .arg(e.toText()));
                return finish();
            }
            alterRole();
        });
}

ServiceError PasswordRotator::precheck() const
{
    const QString action = Tr::tr("rotate the password of %1").arg(m_request.role);
    if (ServiceError e = m_ctx.mayRun(action))
        return e;
    auto refused = [&](const QString &message) {
        return ServiceError::make(ServiceError::Kind::Refused, action, {}, {}, message);
    };
    if (m_target.error)
        return refused(m_target.error.toText());
    if (!confirmationMatches(m_request.typedConfirmation, m_target.cluster))
        return refused(Tr::tr("The typed name does not match the cluster name %1; nothing was "
                              "changed.")
                           .arg(m_target.cluster));
    if (!m_target.role(m_request.role))
        return refused(Tr::tr("The leader has no login role %1.").arg(m_request.role));
    if (const QString why = m_role.refusal(); !why.isEmpty())
        return refused(why);
    if (m_request.newPassword.isEmpty())
        return refused(Tr::tr("The new password is empty."));
    if (m_request.newPassword == m_request.oldPassword)
        return refused(Tr::tr("The new password is the old one."));
    return {};
}

void PasswordRotator::alterRole()
{
    const Result<QString> sql =
        rolePasswordSql(*m_leader, m_request.role, m_request.newPassword.toUtf8(),
                        m_request.validUntil, &m_verifier);
    const QString step = Tr::tr("Set the password on the leader %1").arg(m_target.leader);
    if (!sql.ok()) {
        addStep(step, Outcome::Failed, sql.error().toText());
        return finish();
    }
    Q_EMIT progress(
        Tr::tr("Setting the SCRAM-SHA-256 verifier of %1 on the leader ...").arg(m_request.role));
    const quint64 run = m_run;
    m_leader->exec(sql.value(), {}, [this, run, step](const PgResult &, const ServiceError &e) {
        if (run != m_run)
            return;
        if (e) {
            const QString hint =
                e.code == QLatin1String("42501")
                    ? Tr::tr(" The role Vigil logs in with may not change this role's password: "
                             "it needs CREATEROLE (and, for a superuser, to be one). Connect as "
                             "such a role (the profile's SQL settings, or --sql).")
                    : QString();
            addStep(step, Outcome::Failed,
                    Tr::tr("%1 The password was not changed.%2").arg(e.toText(), hint));
            return finish();
        }
        m_report.passwordChanged = true;
        addStep(step, Outcome::Done,
                Tr::tr("The server stores the SCRAM-SHA-256 verifier computed by Vigil; the "
                       "password itself was not sent."));
        updatePgBouncer();
    });
}

void PasswordRotator::updatePgBouncer()
{
    const PgBouncerAuth &a = m_target.pgbouncer;
    const QString step = Tr::tr("PgBouncer");
    if (!a.configured)
        return addStep(step, Outcome::Skipped), updateKeychain();
    if (a.error) {
        addStep(step, Outcome::Failed,
                Tr::tr("Its console could not be read (%1); check how it authenticates %2.")
                    .arg(a.error.toText(), m_request.role));
        return updateKeychain();
    }
    if (a.usesAuthQuery() || a.authFile.isEmpty()) {
        m_bouncerHasNewVerifier = true;
        addStep(step, Outcome::Done,
                Tr::tr("PgBouncer looks passwords up on the server (auth_query); nothing to "
                       "change."));
        return updateKeychain();
    }
    m_report.userlistLine = PgBouncerUserlist::line(m_request.role, m_verifier);
    QFile file(a.authFile);
    const bool listed = a.fileIsLocal && file.open(QIODevice::ReadOnly) &&
                        PgBouncerUserlist::contains(file.readAll(), m_request.role);
    if (m_request.writeUserlist && a.fileIsWritable && listed)
        return writeUserlist();
    const QString why = !a.fileIsLocal ? Tr::tr("The auth_file %1 is not on this machine.")
                        : !listed      ? Tr::tr("%1 has no line for %2 (PgBouncer does not let "
                                                     "it in yet).")
                                        .arg(a.authFile, m_request.role)
                        : !a.fileIsWritable ? Tr::tr("Vigil may not write %1.").arg(a.authFile)
                                            : Tr::tr("Writing the file was not chosen.");
    addStep(step, Outcome::Skipped,
            Tr::tr("%1 Put the userlist line shown for %2 into %3 on the PgBouncer host, then run "
                   "RELOAD on its console.")
                .arg(why, m_request.role, a.authFile));
    updateKeychain();
}

void PasswordRotator::writeUserlist()
{
    const QString path = m_target.pgbouncer.authFile;
    QFile file(path);
    QByteArray content;
    if (file.open(QIODevice::ReadOnly))
        content = file.readAll();
    file.close();
    const QByteArray updated =
        PgBouncerUserlist::withLine(content, m_request.role, m_report.userlistLine);
    Q_EMIT progress(Tr::tr("Writing %1 ...").arg(path));
    if (const ServiceError e =
            PgBouncerUserlist::writeAtomically(path, updated, &m_report.userlistBackup)) {
        addStep(Tr::tr("PgBouncer"), Outcome::Failed,
                Tr::tr("%1 Put the userlist line shown into %2 by hand, then run RELOAD.")
                    .arg(e.toText(), path));
        return updateKeychain();
    }
    reloadPgBouncer();
}

void PasswordRotator::reloadPgBouncer()
{
    delete m_bouncer;
    m_bouncer = new PgBouncerClient(this);
    const PgConnectionSettings cs = PgConnectionSettings::forApplication(
        m_ctx.profile.pgbouncerConninfo, QStringLiteral("vigil-rotate"),
        m_ctx.secrets.pgbouncerPassword);
    m_bouncer->open(cs, Millis(m_ctx.profile.memberDeadlineMs));
    const quint64 run = m_run;
    m_bouncer->session()->execSimple(
        QStringLiteral("RELOAD"), [this, run](const PgResult &, const ServiceError &e) {
            if (run != m_run)
                return;
            const QString path = m_target.pgbouncer.authFile;
            if (e) {
                addStep(Tr::tr("PgBouncer"), Outcome::Failed,
                        Tr::tr("%1 was written (old copy: %2) but RELOAD failed: %3. Run RELOAD "
                               "on PgBouncer's console.")
                            .arg(path, m_report.userlistBackup, e.toText()));
            } else {
                m_bouncerHasNewVerifier = true;
                addStep(Tr::tr("PgBouncer"), Outcome::Done,
                        Tr::tr("The line for %1 in %2 now holds the same verifier (old copy: "
                               "%3); PgBouncer reloaded.")
                            .arg(m_request.role, path, m_report.userlistBackup));
            }
            m_bouncer->close();
            updateKeychain();
        });
}

void PasswordRotator::updateKeychain()
{
    const QString step = Tr::tr("Keychain");
    if (!m_role.profileRole)
        return addStep(step, Outcome::Skipped), verify();
    if (!m_secrets) {
        addStep(step, Outcome::Skipped,
                Tr::tr("%1 is the role Vigil logs in with: update ~/.pgpass or the service file "
                       "with the new password.")
                    .arg(m_request.role));
        return verify();
    }
    const quint64 run = m_run;
    m_secrets->write(SecretStore::keyFor(m_ctx.profile.name, SecretStore::Slot::Sql),
                     m_request.newPassword, [this, run, step](const SecretStore::Outcome &o) {
                         if (run != m_run)
                             return;
                         if (o.ok()) {
                             m_ctx.secrets.sqlPassword = m_request.newPassword;
                             addStep(step, Outcome::Done,
                                     Tr::tr("The profile's password was updated."));
                         } else {
                             addStep(step, Outcome::Failed,
                                     Tr::tr("%1 Enter the new password in the profile's settings.")
                                         .arg(SecretStore::describe(o)));
                         }
                         verify();
                     });
}

// ---- verification --------------------------------------------------------------------------

PgConnectionSettings PasswordRotator::loginSettings(bool viaPgBouncer,
                                                    const QString &password) const
{
    // PgBouncer: the admin console's conninfo names its host and port; the rest is this role's.
    PgConnectionSettings cs =
        viaPgBouncer ? PgConnectionSettings::forApplication(m_ctx.profile.pgbouncerConninfo,
                                                            QStringLiteral("vigil-rotate-check"))
                           .withDatabase(verificationDatabase())
                     : m_target.leaderSettings;
    cs.overrides.removeIf([](const auto &kv) { return kv.first == QLatin1String("password"); });
    // A fresh login with exactly this password: no password file, no service's password.
    cs.overrides.append({QStringLiteral("user"), m_request.role});
    cs.overrides.append({QStringLiteral("password"), password});
    cs.overrides.append({QStringLiteral("passfile"), QStringLiteral("/dev/null")});
    return cs;
}

QString PasswordRotator::verificationDatabase() const
{
    if (!m_role.pgbouncerDatabases.isEmpty())
        return m_role.pgbouncerDatabases.first();
    const QStringList &dbs = m_target.pgbouncer.databases;
    if (dbs.contains(QLatin1String("postgres")) || dbs.contains(QLatin1String("*")) ||
        dbs.isEmpty())
        return QStringLiteral("postgres");
    return dbs.first();
}

void PasswordRotator::verify()
{
    struct Check
    {
        QString name;
        bool viaPgBouncer;
        bool newPassword;
    };
    QList<Check> checks{{Tr::tr("New password logs in on the leader"), false, true}};
    const bool oldKnown = !m_request.oldPassword.isEmpty();
    if (oldKnown)
        checks.append({Tr::tr("Old password refused on the leader"), false, false});
    if (m_bouncerHasNewVerifier) {
        checks.append({Tr::tr("New password logs in through PgBouncer"), true, true});
        if (oldKnown)
            checks.append({Tr::tr("Old password refused through PgBouncer"), true, false});
    }
    if (!oldKnown)
        addStep(Tr::tr("Old password refused"), Outcome::Skipped,
                Tr::tr("Not checked: Vigil does not know the old password."));
    // Run the checks one after the other; the last one writes the audit entry.
    auto runFrom = std::make_shared<std::function<void(int)>>();
    *runFrom = [this, checks, runFrom](int i) {
        if (i >= checks.size()) {
            // Not from inside this function object: break the cycle from the event loop.
            QMetaObject::invokeMethod(
                this,
                [this, runFrom] {
                    *runFrom = nullptr;
                    finish();
                },
                Qt::QueuedConnection);
            return;
        }
        const Check &c = checks.at(i);
        verifyLogin(c.name,
                    loginSettings(c.viaPgBouncer,
                                  c.newPassword ? m_request.newPassword : m_request.oldPassword),
                    c.newPassword, [runFrom, i] {
                        if (*runFrom)
                            (*runFrom)(i + 1);
                    });
    };
    (*runFrom)(0);
}

void PasswordRotator::verifyLogin(const QString &name, const PgConnectionSettings &settings,
                                  bool expectOk, std::function<void()> next)
{
    Q_EMIT progress(Tr::tr("Checking: %1 ...").arg(name));
    auto *session = new PgSession(this);
    session->open(settings, Millis(std::max(m_ctx.profile.memberDeadlineMs, 5000)));
    const quint64 run = m_run;
    session->exec(
        QStringLiteral("SELECT 1"), {},
        [this, run, session, name, expectOk, next](const PgResult &, const ServiceError &e) {
            session->deleteLater();
            if (run != m_run)
                return;
            const bool refused = e.kind == ServiceError::Kind::Auth;
            if (expectOk && !e)
                addStep(name, Outcome::Done);
            else if (expectOk)
                addStep(name, Outcome::Failed,
                        Tr::tr("%1 The new password is set on the leader; fix the cause and run "
                               "the rotation again with the same password (it stays until the "
                               "wizard closes).")
                            .arg(e.toText()));
            else if (refused)
                addStep(name, Outcome::Done);
            else
                addStep(name, Outcome::Failed,
                        e ? Tr::tr("Expected an authentication failure, got: %1").arg(e.toText())
                          : Tr::tr("The old password still logs in. Check pg_hba.conf for "
                                   "trust rules and, for PgBouncer, its auth_file."));
            next();
        });
}

void PasswordRotator::addStep(const QString &name, RotationStep::Outcome outcome,
                              const QString &detail)
{
    m_report.steps.append({name, outcome, detail});
    if (outcome != Outcome::Skipped || !detail.isEmpty())
        Q_EMIT progress(RotationReport{{m_report.steps.last()}}.toText());
}

void PasswordRotator::finish()
{
    m_running = false;
    if (m_leader)
        m_leader->close();
    // Never the password, never the verifier: the role, the outcome and the steps' words.
    AuditEntry entry;
    entry.cluster = m_target.cluster;
    entry.member = m_target.leader;
    entry.action = QStringLiteral("rotate_password");
    entry.parameters = {{QStringLiteral("role"), m_request.role},
                        {QStringLiteral("valid_until"), m_request.validUntil},
                        {QStringLiteral("pgbouncer_updated"), m_bouncerHasNewVerifier}};
    entry.result = m_report.outcomeName();
    entry.serverAnswer = m_report.toText();
    const bool refusedBeforeAudit = !m_ctx.audit;
    if (!refusedBeforeAudit) {
        QString error;
        if (!m_ctx.audit->append(entry, &error))
            m_report.steps.append({Tr::tr("Audit log"), Outcome::Failed, error});
    }
    Q_EMIT finished(m_report);
}

} // namespace vigil::services
