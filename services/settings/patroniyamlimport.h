#pragma once

#include "services/settings/clusterprofile.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace vigil::services {

// Reads what a DBA already has — each member's patroni.yml, or a patronictl.yaml — into a draft
// ClusterProfile, the secrets found, and notes that say what was taken, what was left out and
// what the user must still fill. Parsed with yaml-cpp; nothing is saved here (the add-cluster
// dialog and `vigil profile import` do that: the profile to the ProfileStore, the REST password
// to the SecretStore).
//
// What is taken from where:
//  * scope -> the profile's name (unless one is given); files of different scopes are refused.
//  * restapi.connect_address (else restapi.listen unless it is a wildcard) -> one REST URL per
//    file: https when restapi.certfile is set. A patroni.yml describes ONE member; give one file
//    per member and the first URL becomes the profile's, the others its fallbacks.
//  * ctl.authentication, else restapi.authentication (what patronictl uses) -> REST user, and
//    the password as a secret (restPassword), never in the profile.
//  * ctl.cacert (else restapi.cafile), ctl.certfile/keyfile -> the REST TLS files; ctl.insecure
//    -> no peer verification (with a warning note).
//  * postgresql.connect_address -> listed per member in `members` and the notes; Vigil takes
//    each member's address from Patroni at run time, so it is a check, not a setting.
//  * postgresql.authentication.superuser: its sslmode/sslrootcert go into the SQL conninfo, but
//    neither its user nor its password: Vigil watches as a monitoring role (pg_monitor), and a
//    console that holds the superuser password is one more place it can leak from. The SQL user
//    is suggested (kSuggestedSqlUser) and said so in a note. The replication user is ignored.
//  * patronictl.yaml's etcd/etcd3/consul/... hosts and namespace: noted; Vigil reads the members
//    from Patroni's REST API, not from the DCS, so a REST URL must then be entered.
//
// Bad input (malformed YAML, a list where a map belongs, a number where a host belongs) gives
// `error` naming the file, the key and, for syntax errors, yaml-cpp's line and column.
class PatroniYamlImport
{
public:
    static constexpr const char *kSuggestedSqlUser = "vigil";
    static constexpr qint64 kMaxFileBytes = 1024 * 1024; // a patroni.yml is a few KiB

    struct Member
    {
        QString source;    // the file it came from
        QString name;      // patroni.yml `name:`; empty in a patronictl.yaml
        QUrl restUrl;      // empty when the file names none
        QString pgAddress; // postgresql.connect_address, host:port
    };

    struct Result
    {
        ClusterProfile profile;
        QString restPassword;  // for SecretStore::Slot::Rest; empty when the file has none
        QList<Member> members; // one per file, in the order given
        QStringList notes;     // sentences for a person, in the order found
        QString error;         // non-empty: the import failed, nothing else is meaningful
        bool ok() const { return error.isEmpty(); }
    };

    struct Input
    {
        QString source; // a file name, for messages
        QByteArray text;
    };

    // Parses one or more files of the same cluster. `name` overrides the scope as the profile's
    // name. Never throws.
    static Result parse(const QList<Input> &inputs, const QString &name = {});
    // Reads the files (at most kMaxFileBytes each), then parse().
    static Result parseFiles(const QStringList &paths, const QString &name = {});
};

} // namespace vigil::services
