#include "services/settings/patroniyamlimport.h"

#include "services/core/error.h"
#include "services/postgres/conninfo.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <yaml-cpp/yaml.h>

namespace vigil::services {

namespace {

// A problem in one file: thrown inside this file only, caught in parse() and turned into
// Result::error. No exception leaves this file.
struct Problem
{
    QString message;
};

// What one file says, before the files are merged.
struct FileFacts
{
    QString source;
    QString scope, memberName, ns;
    QUrl restUrl;
    QString restUrlNote; // why there is no URL, or where it came from when not connect_address
    QString restUser, restPassword, authFrom;
    QString caFile, caFrom, certFile, keyFile;
    bool insecure = false, keyPassword = false;
    QString pgAddress;
    QString superuser;
    bool superuserPassword = false, replicationPassword = false;
    QString sslmode, sslrootcert;
    QString dcs; // "etcd3 at 127.0.0.1:2379", empty when none
};

QString kindName(const YAML::Node &n)
{
    switch (n.Type()) {
    case YAML::NodeType::Map:
        return Tr::tr("a map");
    case YAML::NodeType::Sequence:
        return Tr::tr("a list");
    case YAML::NodeType::Scalar:
        return Tr::tr("a single value");
    default:
        return Tr::tr("nothing");
    }
}

// Walks one parsed document; every accessor checks the node's kind before using it (yaml-cpp
// throws on a subscript of a scalar), and names the key path in its message.
class Walker
{
public:
    explicit Walker(QString source)
        : m_source(std::move(source))
    {
    }

    // The child `key` of the map at `path` (undefined when `map` is absent or null).
    YAML::Node child(const YAML::Node &map, const char *key, const QString &path) const
    {
        if (!map.IsDefined() || map.IsNull())
            return YAML::Node(YAML::NodeType::Undefined);
        if (!map.IsMap())
            fail(
                Tr::tr("'%1' should be a map of settings, but it is %2.").arg(path, kindName(map)));
        return map[key];
    }

    QString text(const YAML::Node &n, const QString &path) const
    {
        if (!n.IsDefined() || n.IsNull())
            return {};
        if (!n.IsScalar())
            fail(Tr::tr("'%1' should be a single value, but it is %2.").arg(path, kindName(n)));
        return QString::fromStdString(n.Scalar()).trimmed();
    }

    bool flag(const YAML::Node &n, const QString &path) const
    {
        const QString v = text(n, path).toLower();
        return v == QLatin1String("true") || v == QLatin1String("yes") ||
               v == QLatin1String("on") || v == QLatin1String("1");
    }

    // A host list: "h:p,h:p", or a YAML list of "h:p".
    QString hosts(const YAML::Node &n, const QString &path) const
    {
        if (!n.IsDefined() || n.IsNull())
            return {};
        if (!n.IsSequence())
            return text(n, path);
        QStringList all;
        for (std::size_t i = 0; i < n.size(); ++i)
            all << text(n[i], QStringLiteral("%1[%2]").arg(path).arg(i));
        return all.join(QLatin1Char(','));
    }

    [[noreturn]] void fail(const QString &what) const
    {
        throw Problem{Tr::tr("%1: %2").arg(m_source, what)};
    }

    const QString &source() const { return m_source; }

private:
    QString m_source;
};

bool isWildcardHost(const QString &host)
{
    return host.isEmpty() || host == QLatin1String("0.0.0.0") || host == QLatin1String("::") ||
           host == QLatin1String("*");
}

// "host:port" or "[v6]:port" -> URL; empty when it is not one (reason in *why).
QUrl restUrlFrom(const QString &address, bool https, QString *why)
{
    const int colon = address.lastIndexOf(QLatin1Char(':'));
    QString host = colon > 0 ? address.left(colon) : QString();
    bool portOk = false;
    const int port = colon > 0 ? address.mid(colon + 1).toInt(&portOk) : 0;
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if (!portOk || port < 1 || port > 65535 || host.contains(QLatin1Char(','))) {
        *why = Tr::tr("'%1' is not a host:port address").arg(address);
        return {};
    }
    if (isWildcardHost(host)) {
        *why =
            Tr::tr("'%1' listens on every interface and names no host to connect to").arg(address);
        return {};
    }
    QUrl url;
    url.setScheme(https ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(host);
    url.setPort(port);
    if (!url.isValid()) {
        *why = Tr::tr("'%1' is not a valid host").arg(host);
        return {};
    }
    return url;
}

void readRestApi(const Walker &w, const YAML::Node &root, FileFacts &f)
{
    const YAML::Node rest = w.child(root, "restapi", QStringLiteral("restapi"));
    const bool https = !w.text(w.child(rest, "certfile", QStringLiteral("restapi")),
                               QStringLiteral("restapi.certfile"))
                            .isEmpty();
    const QString connect = w.text(w.child(rest, "connect_address", QStringLiteral("restapi")),
                                   QStringLiteral("restapi.connect_address"));
    const QString listen = w.text(w.child(rest, "listen", QStringLiteral("restapi")),
                                  QStringLiteral("restapi.listen"));
    QString why;
    if (!connect.isEmpty()) {
        f.restUrl = restUrlFrom(connect, https, &why);
        if (f.restUrl.isEmpty())
            f.restUrlNote = Tr::tr("restapi.connect_address: %1.").arg(why);
    } else if (!listen.isEmpty()) {
        f.restUrl = restUrlFrom(listen, https, &why);
        f.restUrlNote = f.restUrl.isEmpty()
                            ? Tr::tr("restapi.listen: %1, and there is no "
                                     "restapi.connect_address.")
                                  .arg(why)
                            : Tr::tr("no restapi.connect_address; the REST URL comes from "
                                     "restapi.listen.");
    }
    const YAML::Node cafile = w.child(rest, "cafile", QStringLiteral("restapi"));
    if (!w.text(cafile, QStringLiteral("restapi.cafile")).isEmpty()) {
        f.caFile = w.text(cafile, QStringLiteral("restapi.cafile"));
        f.caFrom = QStringLiteral("restapi.cafile");
    }
}

// ctl.authentication wins over restapi.authentication, as in patronictl.
void readAuthentication(const Walker &w, const YAML::Node &root, FileFacts &f)
{
    for (const char *section : {"ctl", "restapi"}) {
        const QString s = QString::fromLatin1(section);
        const YAML::Node auth = w.child(w.child(root, section, s), "authentication",
                                        s + QStringLiteral(".authentication"));
        const QString path = s + QStringLiteral(".authentication");
        const QString user =
            w.text(w.child(auth, "username", path), path + QStringLiteral(".username"));
        if (user.isEmpty())
            continue;
        f.restUser = user;
        f.restPassword =
            w.text(w.child(auth, "password", path), path + QStringLiteral(".password"));
        f.authFrom = path;
        return;
    }
}

void readCtl(const Walker &w, const YAML::Node &root, FileFacts &f)
{
    const YAML::Node ctl = w.child(root, "ctl", QStringLiteral("ctl"));
    const QString ca =
        w.text(w.child(ctl, "cacert", QStringLiteral("ctl")), QStringLiteral("ctl.cacert"));
    if (!ca.isEmpty()) {
        f.caFile = ca;
        f.caFrom = QStringLiteral("ctl.cacert");
    }
    f.certFile =
        w.text(w.child(ctl, "certfile", QStringLiteral("ctl")), QStringLiteral("ctl.certfile"));
    f.keyFile =
        w.text(w.child(ctl, "keyfile", QStringLiteral("ctl")), QStringLiteral("ctl.keyfile"));
    f.insecure =
        w.flag(w.child(ctl, "insecure", QStringLiteral("ctl")), QStringLiteral("ctl.insecure"));
    f.keyPassword = !w.text(w.child(ctl, "keyfile_password", QStringLiteral("ctl")),
                            QStringLiteral("ctl.keyfile_password"))
                         .isEmpty();
}

void readPostgresql(const Walker &w, const YAML::Node &root, FileFacts &f)
{
    const QString pg = QStringLiteral("postgresql");
    const YAML::Node node = w.child(root, "postgresql", pg);
    f.pgAddress =
        w.text(w.child(node, "connect_address", pg), pg + QStringLiteral(".connect_address"));
    const QString authPath = pg + QStringLiteral(".authentication");
    const YAML::Node auth = w.child(node, "authentication", authPath);
    const QString suPath = authPath + QStringLiteral(".superuser");
    const YAML::Node su = w.child(auth, "superuser", suPath);
    f.superuser = w.text(w.child(su, "username", suPath), suPath + QStringLiteral(".username"));
    f.superuserPassword =
        !w.text(w.child(su, "password", suPath), suPath + QStringLiteral(".password")).isEmpty();
    f.sslmode = w.text(w.child(su, "sslmode", suPath), suPath + QStringLiteral(".sslmode"));
    f.sslrootcert =
        w.text(w.child(su, "sslrootcert", suPath), suPath + QStringLiteral(".sslrootcert"));
    const QString rpPath = authPath + QStringLiteral(".replication");
    const YAML::Node rp = w.child(auth, "replication", rpPath);
    f.replicationPassword =
        !w.text(w.child(rp, "password", rpPath), rpPath + QStringLiteral(".password")).isEmpty();
}

// Which DCS the file names, for a note: Vigil itself reads the members from the REST API.
void readDcs(const Walker &w, const YAML::Node &root, FileFacts &f)
{
    for (const char *kind :
         {"etcd3", "etcd", "consul", "zookeeper", "exhibitor", "kubernetes", "raft"}) {
        const QString k = QString::fromLatin1(kind);
        const YAML::Node dcs = w.child(root, kind, k);
        if (!dcs.IsDefined())
            continue;
        QString where;
        for (const char *key : {"hosts", "host", "urls", "url", "proxy", "srv", "partner_addrs"}) {
            where = w.hosts(w.child(dcs, key, k), k + QLatin1Char('.') + QLatin1String(key));
            if (!where.isEmpty())
                break;
        }
        f.dcs = where.isEmpty() ? k : Tr::tr("%1 at %2").arg(k, where);
        return;
    }
}

FileFacts readDocument(const Walker &w, const YAML::Node &root)
{
    FileFacts f;
    f.source = w.source();
    if (!root.IsMap())
        w.fail(Tr::tr("expected a Patroni configuration (a map with scope:, restapi:, ...), but "
                      "the file holds %1.")
                   .arg(kindName(root)));
    f.scope = w.text(w.child(root, "scope", {}), QStringLiteral("scope"));
    f.memberName = w.text(w.child(root, "name", {}), QStringLiteral("name"));
    f.ns = w.text(w.child(root, "namespace", {}), QStringLiteral("namespace"));
    readRestApi(w, root, f);
    readAuthentication(w, root, f);
    readCtl(w, root, f);
    readPostgresql(w, root, f);
    readDcs(w, root, f);
    if (f.restUrl.isEmpty() && f.restUrlNote.isEmpty() && f.pgAddress.isEmpty() &&
        f.dcs.isEmpty() && f.scope.isEmpty())
        w.fail(Tr::tr("no Patroni setting found (scope, restapi, postgresql, etcd...): is this a "
                      "patroni.yml or patronictl.yaml?"));
    return f;
}

// One file: yaml-cpp's exceptions (syntax, and any a walk could still raise) become a Problem
// that names the file.
FileFacts readFile(const PatroniYamlImport::Input &input)
{
    const Walker w(input.source);
    try {
        return readDocument(w, YAML::Load(input.text.toStdString()));
    } catch (const YAML::ParserException &e) {
        w.fail(Tr::tr("not valid YAML at line %1, column %2: %3.")
                   .arg(e.mark.line + 1)
                   .arg(e.mark.column + 1)
                   .arg(QString::fromStdString(e.msg)));
    } catch (const YAML::Exception &e) {
        w.fail(Tr::tr("could not be read as YAML: %1.").arg(QString::fromStdString(e.what())));
    }
}

QString sqlConninfo(const FileFacts &f)
{
    QStringList parts{
        QStringLiteral("dbname=postgres"),
        QStringLiteral("user=%1").arg(QLatin1String(PatroniYamlImport::kSuggestedSqlUser))};
    if (!f.sslmode.isEmpty())
        parts << QStringLiteral("sslmode=%1").arg(quotedConninfoValue(f.sslmode));
    if (!f.sslrootcert.isEmpty())
        parts << QStringLiteral("sslrootcert=%1").arg(quotedConninfoValue(f.sslrootcert));
    return conninfoWithTlsDefault(parts.join(QLatin1Char(' ')));
}

} // namespace

namespace {

using Result = PatroniYamlImport::Result;

// The scope names the cluster: files of two clusters are not one profile.
bool mergeScope(const QList<FileFacts> &files, const QString &name, Result &r)
{
    const FileFacts *first = nullptr;
    for (const FileFacts &f : files) {
        if (f.scope.isEmpty())
            continue;
        if (!first) {
            first = &f;
        } else if (f.scope != first->scope) {
            r.error = Tr::tr("%1 belongs to cluster '%2' but %3 to cluster '%4': import the files "
                             "of one cluster together.")
                          .arg(first->source, first->scope, f.source, f.scope);
            return false;
        }
    }
    r.profile.name = name.trimmed().isEmpty() && first ? first->scope : name.trimmed();
    if (first)
        r.notes << Tr::tr("Cluster (scope) '%1'.").arg(first->scope);
    else
        r.notes << Tr::tr("No scope in the files: give the cluster a name.");
    return true;
}

// One member per file; the first REST URL is the profile's, the others its fallbacks.
void mergeMembers(const QList<FileFacts> &files, Result &r)
{
    QList<QUrl> urls;
    for (const FileFacts &f : files) {
        r.members << PatroniYamlImport::Member{f.source, f.memberName, f.restUrl, f.pgAddress};
        const QString none = Tr::tr("none");
        if (!f.memberName.isEmpty() || !f.restUrl.isEmpty() || !f.pgAddress.isEmpty())
            r.notes << Tr::tr("%1: member %2, REST API %3, PostgreSQL at %4.")
                           .arg(f.source, f.memberName.isEmpty() ? none : f.memberName,
                                f.restUrl.isEmpty() ? none : f.restUrl.toString(),
                                f.pgAddress.isEmpty() ? none : f.pgAddress);
        if (!f.restUrlNote.isEmpty())
            r.notes << Tr::tr("%1: %2").arg(f.source, f.restUrlNote);
        if (f.restUrl.isEmpty())
            continue;
        if (urls.contains(f.restUrl))
            r.notes
                << Tr::tr("%1: the same REST URL as an earlier file; listed once.").arg(f.source);
        else
            urls << f.restUrl;
    }
    if (urls.isEmpty()) {
        r.notes << Tr::tr("No REST URL in the files (a patronictl.yaml has none: patronictl "
                          "finds the members through the DCS). Enter the REST URL of any member, "
                          "e.g. http://10.0.0.5:8008.");
        return;
    }
    r.profile.patroniUrl = urls.first();
    r.profile.patroniFallbackUrls = urls.mid(1);
    if (urls.size() > 1)
        r.notes << Tr::tr("The first REST URL is the profile's; the other %1 are tried when it "
                          "does not answer before the members are discovered.")
                       .arg(urls.size() - 1);
    if (files.size() == 1 && !files.first().memberName.isEmpty())
        r.notes << Tr::tr("A patroni.yml describes one member; Vigil discovers the others from "
                          "it. Import every member's file to have fallbacks when it is down.");
}

void mergeRestAuth(const QList<FileFacts> &files, Result &r)
{
    for (const FileFacts &f : files) {
        if (f.restUser.isEmpty())
            continue;
        if (r.profile.restUser.isEmpty()) {
            r.profile.restUser = f.restUser;
            r.restPassword = f.restPassword;
            r.notes << (f.restPassword.isEmpty()
                            ? Tr::tr("REST user '%1' (from %2 in %3), without a password: enter "
                                     "it for actions.")
                                  .arg(f.restUser, f.authFrom, f.source)
                            : Tr::tr("REST user '%1' and its password (from %2 in %3); the "
                                     "password goes to the keychain, never to the settings "
                                     "file.")
                                  .arg(f.restUser, f.authFrom, f.source));
        } else if (f.restUser != r.profile.restUser || f.restPassword != r.restPassword) {
            r.notes << Tr::tr("%1 has other REST credentials than the first file; the first "
                              "file's are kept.")
                           .arg(f.source);
        }
    }
    if (r.profile.restUser.isEmpty())
        r.notes << Tr::tr("No REST authentication in the files: Vigil can watch the cluster; "
                          "actions need Patroni's REST user and password if it requires them.");
}

void mergeTls(const QList<FileFacts> &files, Result &r)
{
    for (const FileFacts &f : files) {
        if (f.caFile.isEmpty() && f.certFile.isEmpty() && f.keyFile.isEmpty() && !f.insecure)
            continue;
        r.profile.restCaFile = f.caFile;
        r.profile.restCertFile = f.certFile;
        r.profile.restKeyFile = f.keyFile;
        r.profile.restVerifyPeer = !f.insecure;
        if (!f.caFile.isEmpty())
            r.notes << Tr::tr("REST CA file %1 (from %2).").arg(f.caFile, f.caFrom);
        if (f.caFrom == QLatin1String("restapi.cafile"))
            r.notes << Tr::tr("restapi.cafile is the CA Patroni checks client certificates "
                              "against; if another CA signed the members' certificates, change "
                              "the CA file.");
        if (!f.certFile.isEmpty())
            r.notes << Tr::tr("REST client certificate %1 and key %2 (from ctl).")
                           .arg(f.certFile, f.keyFile.isEmpty() ? Tr::tr("none") : f.keyFile);
        if (f.insecure)
            r.notes << Tr::tr("ctl.insecure is true: the members' certificates will NOT be "
                              "verified. Give a CA file and verify them when you can.");
        if (f.keyPassword)
            r.notes << Tr::tr("ctl.keyfile_password was not imported: Vigil needs a client key "
                              "without a passphrase.");
        r.notes << Tr::tr("Certificate paths are those on %1's machine: copy the files where "
                          "Vigil runs if they are not there.")
                       .arg(f.memberName.isEmpty() ? f.source : f.memberName);
        return;
    }
}

// SQL: never the superuser. Its TLS settings apply to any role, so they are kept.
void mergeSql(const QList<FileFacts> &files, Result &r)
{
    const FileFacts *withSu = nullptr;
    bool replication = false;
    for (const FileFacts &f : files) {
        if (!withSu && (!f.superuser.isEmpty() || !f.sslmode.isEmpty()))
            withSu = &f;
        replication = replication || f.replicationPassword;
    }
    r.profile.sqlConninfo = sqlConninfo(withSu ? *withSu : FileFacts());
    const QString user = QLatin1String(PatroniYamlImport::kSuggestedSqlUser);
    if (withSu && !withSu->superuser.isEmpty())
        r.notes << (withSu->superuserPassword
                        ? Tr::tr("The superuser '%1' was NOT imported, nor its password: Vigil "
                                 "watches as a monitoring role, and a console holding the "
                                 "superuser password is one more place for it to leak from.")
                        : Tr::tr("The superuser '%1' was NOT imported: Vigil watches as a "
                                 "monitoring role."))
                       .arg(withSu->superuser);
    r.notes << Tr::tr("SQL user '%1' is a suggestion: create it on the leader (CREATE ROLE %1 "
                      "LOGIN PASSWORD '...'; GRANT pg_monitor TO %1;) and enter its password, "
                      "or leave the password empty to use ~/.pgpass.")
                   .arg(user);
    if (replication)
        r.notes << Tr::tr("The replication user's password was ignored.");
}

void mergeDcs(const QList<FileFacts> &files, Result &r)
{
    for (const FileFacts &f : files) {
        if (f.dcs.isEmpty())
            continue;
        r.notes << Tr::tr("DCS: %1%2. Vigil reads the members from Patroni's REST API, not from "
                          "the DCS.")
                       .arg(f.dcs, f.ns.isEmpty() ? QString() : Tr::tr(", namespace %1").arg(f.ns));
        return;
    }
}

} // namespace

PatroniYamlImport::Result PatroniYamlImport::parse(const QList<Input> &inputs, const QString &name)
{
    Result r;
    if (inputs.isEmpty()) {
        r.error = Tr::tr("No file to import: give a patroni.yml or patronictl.yaml.");
        return r;
    }
    QList<FileFacts> files;
    try {
        for (const Input &in : inputs)
            files << readFile(in);
    } catch (const Problem &p) {
        r.error = p.message;
        return r;
    } catch (const std::exception &e) { // yaml-cpp's allocation or recursion limits
        r.error = Tr::tr("The file could not be read: %1.").arg(QString::fromStdString(e.what()));
        return r;
    }
    if (!mergeScope(files, name, r))
        return r;
    mergeMembers(files, r);
    mergeRestAuth(files, r);
    mergeTls(files, r);
    mergeSql(files, r);
    mergeDcs(files, r);
    return r;
}

PatroniYamlImport::Result PatroniYamlImport::parseFiles(const QStringList &paths,
                                                        const QString &name)
{
    QList<Input> inputs;
    for (const QString &path : paths) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            Result r;
            r.error = Tr::tr("%1: cannot be read (%2).").arg(path, file.errorString());
            return r;
        }
        if (file.size() > kMaxFileBytes) {
            Result r;
            r.error = Tr::tr("%1: %2 bytes is too large for a Patroni configuration (at most %3).")
                          .arg(path)
                          .arg(file.size())
                          .arg(kMaxFileBytes);
            return r;
        }
        inputs << Input{QFileInfo(path).fileName() == QLatin1String("patroni.yml")
                            ? QFileInfo(path).dir().dirName() + QLatin1Char('/') +
                                  QFileInfo(path).fileName()
                            : QFileInfo(path).fileName(),
                        file.readAll()};
    }
    return parse(inputs, name);
}

} // namespace vigil::services
