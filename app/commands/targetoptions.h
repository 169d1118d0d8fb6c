#pragma once

#include "services/monitor/clustermonitor.h"
#include "services/settings/clusterprofile.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <optional>
#include <utility>

namespace vigil::services {
class ProfileStore;
class SecretStore;
} // namespace vigil::services

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
// --profile NAME (every family) starts from a profile saved by the window or `vigil profile
// import` (ProfileStore, the same settings file): its URLs, SQL, proxies, REST user, TLS files
// and deadline; an option given on the command line overrides that field. Its passwords come
// from the keychain slots the window uses (ProfileSecrets), VIGIL_REST_PASSWORD first for REST.
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
        // --profile: the saved profile as loaded, before the command line's overrides (its
        // intervals, read-only flag and name are kept by applyTo).
        std::optional<services::ClusterProfile> saved;
        // In memory only: VIGIL_REST_PASSWORD, and with --profile the keychain's passwords.
        services::ClusterMonitor::Secrets secrets;
        // What did not stop the command but the user should know (printed on stderr by read()):
        // a keychain that refused or did not answer.
        QStringList notes;

        // Fills the profile's target fields: with --profile the saved profile first; the name
        // (the saved one, else the first URL's authority), URLs, SQL, HAProxy, PgBouncer, REST
        // user and, when set, the member deadline.
        void applyTo(services::ClusterProfile &profile) const;
    };

    // Where --profile and the passwords come from. Null stores: the application's settings
    // (ProfileStore()) and the system keychain, opened only when --profile is given.
    struct Sources
    {
        const services::ProfileStore *profiles = nullptr;
        services::SecretStore *secrets = nullptr;
        QString restPassword = qEnvironmentVariable("VIGIL_REST_PASSWORD");
        int keychainDeadlineMs = 10000;
    };

    explicit TargetOptions(Use use);
    void setSources(Sources sources) { m_sources = std::move(sources); }
    // The REST password the caller read (VIGIL_REST_PASSWORD), passed in so tests do not
    // depend on the environment.
    void setRestPassword(const QString &password) { m_sources.restPassword = password; }

    void addTo(QCommandLineParser &parser) const;
    // After parser.parse() or process(): validates and reads the options. Returns the reason
    // (a sentence without the "vigil COMMAND: " prefix) when they are unusable, else empty.
    QString read(const QCommandLineParser &parser);
    // parser.process(arguments), then read(); an unusable target is printed as
    // "vigil COMMAND: reason" and false returned (the command then exits 2).
    bool process(QCommandLineParser &parser, const QStringList &arguments, const QString &command);
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
    QString readProfile(const QCommandLineParser &p);
    void readSecrets();
    QString readPatroni(const QCommandLineParser &p);
    QString readSql(const QCommandLineParser &p);
    QString foldSqlOptions(const QCommandLineParser &p, QString &conninfo) const;
    QString readTls(const QCommandLineParser &p);
    QString readProxies(const QCommandLineParser &p);
    QString readTimeout(const QCommandLineParser &p);

    Use m_use;
    QList<std::pair<Option, QCommandLineOption>> m_options; // in --help order
    Values m_values;
    Sources m_sources;
};

} // namespace vigil::app
