#pragma once

#include <QHash>
#include <QString>

namespace vigil::services {

// What libpq reads in a connection string, keyword=value pairs or a postgresql:// URI, through
// PQconninfoParse: no connection, no service file, no environment. This is the one place that
// decides whether a conninfo carries a password: the command line refuses such a conninfo (other
// users can read it in `ps` and the shell history), the profile store strips it before saving.
//
// Keywords are libpq's, so they are case-sensitive: `PASSWORD=x` is not a password for libpq but
// an invalid option, and the conninfo is not readable (libpq says why in `error`).
struct ConninfoReading
{
    QString error;         // libpq's reason when it cannot parse the conninfo; empty when it can
    bool password = false; // libpq reads a non-empty password (an empty one means "none")

    bool ok() const { return error.isEmpty(); }
};

ConninfoReading readConninfo(const QString &conninfo);

// True when libpq reads a password in `conninfo`; false for one it cannot parse (readConninfo()
// tells why).
bool conninfoCarriesPassword(const QString &conninfo);

// True for libpq's URI form (postgresql:// or postgres://, as libpq compares: case-sensitive).
bool conninfoIsUri(const QString &conninfo);

// `value` as a value of the keyword form: in single quotes, with \ and ' escaped.
QString quotedConninfoValue(const QString &value);

// `conninfo` without its password, for a settings file: in the keyword form every pair whose
// keyword is "password" (in any case: a removed invalid pair harms nothing, a kept secret would)
// is dropped and the remaining pairs are joined by single spaces, verbatim; in the URI form the
// password of the user info and every `password` query parameter are dropped, the rest is kept
// as written. A conninfo libpq cannot parse is cleaned the same way, as far as it can be read.
QString conninfoWithoutPassword(const QString &conninfo);

// The keywords libpq reads in `conninfo` with a non-empty value (keyword -> value), through
// PQconninfoParse: a service file is not expanded, the environment is not read. Empty when libpq
// cannot parse it.
QHash<QString, QString> conninfoValues(const QString &conninfo);

// TLS default: a conninfo that names a root CA (sslrootcert) but no sslmode gets
// sslmode=verify-full, since libpq's own default (prefer) would neither require TLS nor check the
// certificate against that CA. An explicit sslmode is kept, whatever it is; a conninfo without
// sslrootcert, or one libpq cannot parse, is returned as given.
QString conninfoWithTlsDefault(const QString &conninfo);

} // namespace vigil::services
