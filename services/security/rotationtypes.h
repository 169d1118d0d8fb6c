#pragma once

#include "services/core/error.h"
#include "services/postgres/pgsession.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace vigil::services {

// One login role the rotation offers (resources/sql/rotation_roles.sql), with what Vigil knows
// about who uses it.
struct RotationRole
{
    QString name;
    QString validUntil; // rolvaliduntil as the server prints it; empty: no expiry
    bool superuser = false;
    bool replication = false;
    bool usedByPatroni = false;     // streams replication, or Patroni's own sessions log in with it
    bool profileRole = false;       // the role this profile's SQL connection logs in with
    QStringList pgbouncerDatabases; // PgBouncer databases forcing it, or pools open for it

    // Why Vigil refuses to rotate this role, with what must change instead; empty: allowed.
    QString refusal() const;
};

// How PgBouncer checks passwords, from SHOW CONFIG on its admin console.
struct PgBouncerAuth
{
    bool configured = false; // the profile names a PgBouncer admin console
    ServiceError error;      // the console could not be read
    QString authType;        // scram-sha-256, md5, hba, trust, ...
    QString authFile;        // path as PgBouncer sees it; empty: none
    QString authQuery;       // empty: none
    QString authUser;
    bool fileIsLocal = false;    // PgBouncer runs on this machine and the file is readable here
    bool fileIsWritable = false; // ... and writable by this process
    QString host;                // PgBouncer's listen host (for the verification login)
    QString port;
    QStringList databases; // the database names clients can connect to

    // auth_query with an auth_user: PgBouncer asks the server, nothing to update.
    bool usesAuthQuery() const { return !authQuery.isEmpty() && !authUser.isEmpty(); }
};

// What the wizard and `vigil rotate-password` found before anything is changed.
struct RotationTarget
{
    QString cluster;                     // Patroni's scope: what must be typed to confirm
    QString leader;                      // member name
    PgConnectionSettings leaderSettings; // how Vigil reaches the leader (profile's role)
    QString passwordEncryption;          // the server's password_encryption
    QList<RotationRole> roles;
    PgBouncerAuth pgbouncer;
    ServiceError error; // no leader, leader unreachable, ...

    const RotationRole *role(const QString &name) const;
    // "password_encryption is md5 on the leader: ..." or empty.
    QString encryptionWarning() const;
};

// What to do. The passwords live in memory only, for as long as this value does.
struct RotationRequest
{
    QString role;
    QString newPassword;
    QString oldPassword;       // for the "old password refused" check; empty: not checked
    QString validUntil;        // empty: unchanged... (ALTER ROLE without VALID UNTIL)
    bool writeUserlist = true; // when PgBouncer's auth_file is local and writable
    QString typedConfirmation;
};

// One step of a rotation and how it went.
struct RotationStep
{
    enum class Outcome
    {
        Done,
        Skipped, // not needed or not possible here; `detail` says what to do by hand
        Failed
    };
    QString name;
    Outcome outcome = Outcome::Done;
    QString detail;
};

struct RotationReport
{
    QList<RotationStep> steps;
    bool passwordChanged = false; // ALTER ROLE succeeded
    QByteArray userlistLine;      // the exact auth_file line (holds the verifier, not the secret)
    QString userlistBackup;       // where the old auth_file was kept, when written

    bool failed() const;
    bool manualWorkLeft() const; // some step skipped with something to do by hand
    QString outcomeName() const; // "ok", "partial", "failed"
    QString toText() const;
};

} // namespace vigil::services
