#include "services/security/accessrules.h"

#include "services/core/error.h"

#include <QHostAddress>
#include <QStringList>

namespace vigil::services::access {

namespace {

// Collects findings; the worst severity wins, the sentences are joined.
struct Findings
{
    AccessSeverity worst = AccessSeverity::Ok;
    QStringList why;
    void add(AccessSeverity s, const QString &text)
    {
        if (int(s) > int(worst))
            worst = s;
        why.append(text);
    }
    AccessFlag flag() const { return {worst, why.join(QLatin1Char(' '))}; }
};

bool isZeroAddress(const QString &a)
{
    return a == QLatin1String("0.0.0.0") || a == QLatin1String("::") ||
           a == QLatin1String("0.0.0.0/0") || a == QLatin1String("::/0");
}

bool passwordless(const QString &method)
{
    return method == QLatin1String("trust");
}

} // namespace

bool isLocalAddress(const QString &address)
{
    if (address.isEmpty() || address == QLatin1String("localhost"))
        return true;
    const QHostAddress a(address);
    return !a.isNull() && a.isLoopback();
}

bool isOpenToAll(const HbaRule &rule)
{
    if (rule.type == QLatin1String("local"))
        return false;
    if (rule.address == QLatin1String("all"))
        return true;
    if (rule.address.contains(QLatin1Char('/')))
        return isZeroAddress(rule.address);
    return isZeroAddress(rule.address) && (rule.netmask.isEmpty() || isZeroAddress(rule.netmask));
}

AccessFlag assessRule(const HbaRule &rule, int serverVersionNum)
{
    Findings f;
    const bool local = rule.type == QLatin1String("local");
    const bool scramPossible = serverVersionNum == 0 || serverVersionNum >= 100000;
    if (!rule.error.isEmpty())
        f.add(AccessSeverity::Warning,
              Tr::tr("The server could not use this line and ignores it: %1").arg(rule.error));
    if (rule.method == QLatin1String("trust"))
        f.add(local ? AccessSeverity::Warning : AccessSeverity::Critical,
              local ? Tr::tr("trust: every operating-system user of this host logs in as any "
                             "matching role without a password.")
                    : Tr::tr("trust: whoever reaches this address logs in as any matching role "
                             "without a password."));
    else if (rule.method == QLatin1String("password") && scramPossible)
        f.add(AccessSeverity::Warning,
              Tr::tr("password: the password travels in clear text; use scram-sha-256."));
    else if (rule.method == QLatin1String("md5") && scramPossible)
        f.add(AccessSeverity::Warning,
              Tr::tr("md5: still accepts MD5 verifiers, which a stolen hash is enough to replay; "
                     "the server can do scram-sha-256."));
    if (isOpenToAll(rule) && rule.type != QLatin1String("hostssl"))
        f.add(passwordless(rule.method) ? AccessSeverity::Critical : AccessSeverity::Warning,
              Tr::tr("Open to every address without requiring TLS: use hostssl, or narrow the "
                     "address to the application's network."));
    return f.flag();
}

AccessFlag assessSession(const SslSession &session)
{
    if (session.ssl || isLocalAddress(session.clientAddr))
        return {};
    return {AccessSeverity::Warning,
            Tr::tr("No TLS from %1: the password exchange and every row travel unencrypted "
                   "over the network.")
                .arg(session.clientAddr)};
}

AccessFlag assessSetting(const AccessSetting &setting, const QList<AccessSetting> &all)
{
    auto valueOf = [&all](const char *name) {
        for (const auto &s : all)
            if (s.name == QLatin1String(name))
                return s.value;
        return QString();
    };
    if (setting.name == QLatin1String("ssl") && setting.value == QLatin1String("off")) {
        const QStringList listen =
            valueOf("listen_addresses").split(QLatin1Char(','), Qt::SkipEmptyParts);
        bool beyondLoopback = false;
        for (const QString &a : listen)
            beyondLoopback = beyondLoopback || !isLocalAddress(a.trimmed());
        if (beyondLoopback)
            return {AccessSeverity::Warning,
                    Tr::tr("TLS is off while the server listens beyond loopback (%1): clients "
                           "cannot encrypt. Set ssl through Patroni's configuration.")
                        .arg(valueOf("listen_addresses"))};
    }
    if (setting.name == QLatin1String("password_encryption") &&
        setting.value == QLatin1String("md5"))
        return {AccessSeverity::Warning,
                Tr::tr("New passwords set in SQL are stored as MD5 verifiers; use scram-sha-256.")};
    if (setting.name == QLatin1String("ssl_min_protocol_version") &&
        (setting.value == QLatin1String("TLSv1") || setting.value == QLatin1String("TLSv1.1")))
        return {AccessSeverity::Warning,
                Tr::tr("TLS versions before 1.2 are allowed; set TLSv1.2 or later.")};
    return {};
}

void assess(AccessSnapshot &snapshot)
{
    int version = 0;
    for (const auto &s : snapshot.settings)
        if (s.name == QLatin1String("server_version_num"))
            version = s.value.toInt();
    for (auto &r : snapshot.rules)
        r.flag = assessRule(r, version);
    for (auto &s : snapshot.sessions)
        s.flag = assessSession(s);
    for (auto &s : snapshot.settings)
        s.flag = assessSetting(s, snapshot.settings);
}

QString severityName(AccessSeverity severity)
{
    switch (severity) {
    case AccessSeverity::Critical:
        return Tr::tr("Critical");
    case AccessSeverity::Warning:
        return Tr::tr("Warning");
    case AccessSeverity::Ok:
        break;
    }
    return {};
}

} // namespace vigil::services::access
