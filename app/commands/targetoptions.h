#pragma once

#include "services/settings/clusterprofile.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QString>
#include <QUrl>
#include <utility>

namespace vigil::app {

// The one option set that says which cluster or server a command reads: --patroni, --sql,
// --member, --timeout, --pgbouncer, the TLS files (--rest-cacert/--rest-cert/--rest-key for
// Patroni's REST API, --sslmode/--sslrootcert/--sslcert/--sslkey folded into the SQL conninfo,
// verify-full by default when a CA is given), ... Every command adds it to its QCommandLineParser
// and reads it back into one Values struct, with the same validation and messages everywhere.
// Passwords never come from the command line: a Patroni URL or a conninfo that carries one is
// refused (libpq's reading, services/postgres/conninfo.h); VIGIL_REST_PASSWORD, ~/.pgpass,
// PGPASSFILE and service files are the sources.
//
// `Use` names the command family. It decides which options are offered, in which order, the
// help wording (what --sql means differs: a base conninfo for every member's probe, or the one
// server a diagnostic command reads) and the defaults.
class TargetOptions
{
public:
    enum class Use
    {
        Status,     // vigil status: the whole cluster, every channel
        Operation,  // vigil switchover, failover, restart, reload, reinit, pause, resume
        Diagnostics // vigil locks, sessions: one server, by --patroni (+ --member) or --sql
    };

    struct Values
    {
        QList<QUrl> patroniUrls; // the first is the profile's, the others fallbacks
        QString member;          // Diagnostics: the member to read (empty: the leader)
        // The libpq conninfo: Status and Operation get their default (dbname=postgres) and, for
        // Status, --dbname/--user folded in; Diagnostics keeps what was given (maybe nothing).
        QString sqlConninfo;
        QUrl haproxyStatsUrl;
        QString haproxyBackend; // empty: not given
        QString pgbouncerConninfo;
        QString restUser;
        // Patroni REST over https: the CA (PEM) that signed the members' certificates, and a
        // client certificate and key (PEM) for REST APIs that check them (verify_client).
        QString restCaFile, restCertFile, restKeyFile;
        int timeoutMs = 0; // 0: the command has no --timeout (the profile's default applies)
        bool json = false;

        // Fills the profile's target fields: name (the first URL's authority), URLs, SQL,
        // HAProxy, PgBouncer, REST user and, when set, the member deadline.
        void applyTo(services::ClusterProfile &profile) const;
    };

    explicit TargetOptions(Use use);

    void addTo(QCommandLineParser &parser) const;
    // After parser.parse() or process(): validates and reads the options. Returns the reason
    // (a sentence without the "vigil COMMAND: " prefix) when they are unusable, else empty.
    QString read(const QCommandLineParser &parser);
    const Values &values() const { return m_values; }

private:
    enum Option
    {
        Patroni,
        Profile,
        Member,
        DbName,
        User,
        Sql,
        HaproxyStats,
        HaproxyBackend,
        PgBouncer,
        RestUser,
        RestCaFile,
        RestCert,
        RestKey,
        SslMode,
        SslRootCert,
        SslCert,
        SslKey,
        Timeout,
        Json
    };
    void add(Option id, const QString &name, const QString &help, const QString &value = {});
    void addStatusOptions();
    void addOperationOptions();
    void addDiagnosticsOptions();
    void addTlsOptions();
    bool offers(Option id) const;
    const QCommandLineOption &option(Option id) const;
    QString readPatroni(const QCommandLineParser &p);
    QString readSql(const QCommandLineParser &p);
    QString foldSqlOptions(const QCommandLineParser &p, QString &conninfo) const;
    QString readTls(const QCommandLineParser &p);
    QString readProxies(const QCommandLineParser &p);
    QString readTimeout(const QCommandLineParser &p);

    Use m_use;
    QList<std::pair<Option, QCommandLineOption>> m_options; // in --help order
    Values m_values;
};

} // namespace vigil::app
