#include "services/backup/pgdumpinvocation.h"

#include "services/postgres/conninfo.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace vigil::services {

namespace {

const QString kPassword = QStringLiteral("password");

// The settings as one keyword conninfo without a password: the conninfo's keywords, then the
// overrides (later ones win, as libpq's PQconnectdbParams with expand_dbname reads them), then
// the database.
QString conninfoFor(const PgConnectionSettings &connection, const QString &database)
{
    QList<QPair<QString, QString>> pairs;
    auto set = [&pairs](const QString &key, const QString &value) {
        for (auto &p : pairs) {
            if (p.first == key) {
                p.second = value;
                return;
            }
        }
        pairs.append({key, value});
    };
    const QHash<QString, QString> values = conninfoValues(connection.conninfo);
    QStringList keys = values.keys();
    keys.sort(); // a stable order, so the argument list is the same every time
    for (const QString &key : keys)
        set(key, values.value(key));
    for (const auto &kv : connection.overrides)
        set(kv.first, kv.second);
    if (!database.isEmpty())
        set(QStringLiteral("dbname"), database);
    QStringList out;
    for (const auto &p : pairs) {
        if (p.first.compare(kPassword, Qt::CaseInsensitive) == 0 || p.second.isEmpty())
            continue;
        out << p.first + QLatin1Char('=') + quotedConninfoValue(p.second);
    }
    return out.join(QLatin1Char(' '));
}

// The password the child needs: the settings' own (an override, the keychain's), else one in the
// conninfo (a profile should not carry one, but then it must still not reach the command line),
// else a PGPASSWORD of Vigil's environment (removed from the child's).
QString passwordFor(const PgConnectionSettings &connection, const QProcessEnvironment &base)
{
    QString password;
    const QHash<QString, QString> values = conninfoValues(connection.conninfo);
    if (values.contains(kPassword))
        password = values.value(kPassword);
    for (const auto &kv : connection.overrides)
        if (kv.first == kPassword && !kv.second.isEmpty())
            password = kv.second;
    if (password.isEmpty())
        password = base.value(QStringLiteral("PGPASSWORD"));
    return password;
}

} // namespace

QString pgpassEscaped(const QString &field)
{
    QString out = field;
    out.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    out.replace(QLatin1Char(':'), QStringLiteral("\\:"));
    return out;
}

PgClientConnection buildPgClientConnection(const PgConnectionSettings &connection,
                                           const QString &database, const QString &pgpassPath,
                                           const QProcessEnvironment &base)
{
    PgClientConnection c;
    c.conninfo = conninfoFor(connection, database);
    c.environment = base;
    c.environment.remove(QStringLiteral("PGPASSWORD"));
    const QString password = passwordFor(connection, base);
    if (!password.isEmpty()) {
        // Every host, port, database and user: the file is this child's alone.
        c.pgpassLine = QStringLiteral("*:*:*:*:%1\n").arg(pgpassEscaped(password));
        c.environment.insert(QStringLiteral("PGPASSFILE"), pgpassPath);
    }
    return c;
}

PgDumpInvocation buildPgDumpInvocation(const PgDumpRequest &request, const QString &pgpassPath,
                                       const QProcessEnvironment &base)
{
    const PgClientConnection c =
        buildPgClientConnection(request.connection, request.database, pgpassPath, base);
    PgDumpInvocation inv;
    inv.conninfo = c.conninfo;
    // -Fc: the custom format (compressed, pg_restore can list and pick from it); -v: one stderr
    // line per table dumped, which drives the progress.
    inv.arguments = {QStringLiteral("-Fc"), QStringLiteral("-v"),
                     QStringLiteral("--file=%1").arg(request.outputFile)};
    if (!request.snapshot.isEmpty())
        inv.arguments << QStringLiteral("--snapshot=%1").arg(request.snapshot);
    inv.arguments << QStringLiteral("--dbname=%1").arg(inv.conninfo);
    inv.environment = c.environment;
    inv.pgpassLine = c.pgpassLine;
    return inv;
}

PgDumpInvocation buildPgRestoreInvocation(const PgRestoreRequest &request,
                                          const QString &pgpassPath,
                                          const QProcessEnvironment &base)
{
    const PgClientConnection c =
        buildPgClientConnection(request.connection, request.database, pgpassPath, base);
    PgDumpInvocation inv;
    inv.conninfo = c.conninfo;
    // -v: one stderr line per table's data ("processing data for table"), the progress.
    inv.arguments = {QStringLiteral("-v"), QStringLiteral("--no-owner"),
                     QStringLiteral("--no-privileges"),
                     QStringLiteral("--dbname=%1").arg(inv.conninfo), request.dumpFile};
    inv.environment = c.environment;
    inv.pgpassLine = c.pgpassLine;
    return inv;
}

PgClientProgram resolvePgClientProgram(const QString &name, const QProcessEnvironment &base,
                                       const QString &binRoot, const QString &pathProgram)
{
    PgClientProgram out;
    out.environment = base;
    out.path = pathProgram.isEmpty() ? QStandardPaths::findExecutable(name) : pathProgram;
    if (out.path.isEmpty() || base.contains(QStringLiteral("PGCLUSTER")) ||
        !QFileInfo(out.path).canonicalFilePath().endsWith(QLatin1String("/pg_wrapper")))
        return out;
    int newest = 0;
    QString newestPath;
    const QDir root(binRoot);
    for (const QString &version : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool numeric = false;
        const int major = version.toInt(&numeric);
        const QFileInfo program(root.filePath(version + QStringLiteral("/bin/") + name));
        if (numeric && major > newest && program.isExecutable()) {
            newest = major;
            newestPath = program.filePath();
        }
    }
    if (newestPath.isEmpty())
        return out; // pg_wrapper without a versioned binary: let it say what is missing
    out.viaWrapper = out.path;
    out.path = newestPath;
    if (!base.contains(QStringLiteral("PGSYSCONFDIR")))
        out.environment.insert(QStringLiteral("PGSYSCONFDIR"),
                               QStringLiteral("/etc/postgresql-common"));
    return out;
}

int serverMajorVersion(int serverVersionNumber)
{
    if (serverVersionNumber <= 0)
        return 0;
    // From PostgreSQL 10 on the major is the number / 10000; before, 9.6 was 90600 (major 9).
    return serverVersionNumber / 10000;
}

} // namespace vigil::services
