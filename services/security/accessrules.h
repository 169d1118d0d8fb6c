#pragma once

#include <QList>
#include <QString>

namespace vigil::services {

// What the access view says about one row: nothing, worth a look, or a hole.
enum class AccessSeverity
{
    Ok,
    Warning,
    Critical
};

// A flag and the sentence(s) that explain it to a DBA (empty when Ok).
struct AccessFlag
{
    AccessSeverity severity = AccessSeverity::Ok;
    QString why;
    bool operator==(const AccessFlag &o) const { return severity == o.severity && why == o.why; }
};

// One line of pg_hba_file_rules. database/user are the server's lists joined with ",".
struct HbaRule
{
    int line = 0;
    QString type; // local, host, hostssl, hostnossl, hostgssenc, hostnogssenc
    QString database, user, address, netmask, method, options, error;
    AccessFlag flag;
};

// One client or replication connection with its TLS state (pg_stat_ssl joined with
// pg_stat_activity). clientAddr is empty for a Unix-domain socket.
struct SslSession
{
    int pid = 0;
    QString user, database, application, clientAddr, backendType;
    bool ssl = false;
    QString version, cipher;
    int bits = 0;
    AccessFlag flag;
};

// One of the ssl* settings (plus listen_addresses, password_encryption, server_version_num).
struct AccessSetting
{
    QString name, value, source, description;
    AccessFlag flag;
};

// What the access view shows for one member. Each part may fail on its own (reading
// pg_hba_file_rules needs superuser): its error text says why and what to do.
struct AccessSnapshot
{
    QList<HbaRule> rules;
    QList<SslSession> sessions;
    QList<AccessSetting> settings;
    QString rulesError, sessionsError, settingsError;
};

// The flag rules of the access view, pure functions (tested without a server).
//
// pg_hba rules: `trust` is a hole (critical on TCP, a warning for local sockets: any OS user of
// the host is any role); `password` sends the password in clear text and `md5` keeps a weaker
// verifier, both warnings when the server can do SCRAM (PostgreSQL 10 and later); a rule open to
// every address (0.0.0.0/0, ::/0, "all") that does not require TLS (type host or hostnossl) is
// critical when it also lets in without a password, else a warning; a line the server could not
// parse is a warning (it is ignored). Several findings are joined, the worst severity wins.
// Sessions: a connection without TLS from an address that is not loopback is a warning.
// Settings: ssl=off while listening beyond loopback; password_encryption=md5; a minimum TLS
// version below 1.2.
namespace access {

AccessFlag assessRule(const HbaRule &rule, int serverVersionNum);
AccessFlag assessSession(const SslSession &session);
AccessFlag assessSetting(const AccessSetting &setting, const QList<AccessSetting> &all);

// Loopback or Unix socket (empty): 127.0.0.0/8, ::1, localhost.
bool isLocalAddress(const QString &address);
// The rule matches every address: "all", 0.0.0.0/0, ::/0 (address and netmask, or CIDR form).
bool isOpenToAll(const HbaRule &rule);
// Fills every row's flag in place.
void assess(AccessSnapshot &snapshot);
QString severityName(AccessSeverity severity);

} // namespace access

} // namespace vigil::services
