#include "support/sandbox.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <csignal>

namespace vigil::test {

namespace {
QString env(const char *name)
{
    return qEnvironmentVariable(name);
}
} // namespace

bool Sandbox::available()
{
    return !env("VIGIL_SANDBOX_PATRONI_URL").isEmpty();
}
QString Sandbox::patroniUrl()
{
    return env("VIGIL_SANDBOX_PATRONI_URL");
}
QStringList Sandbox::patroniUrls()
{
    return env("VIGIL_SANDBOX_PATRONI_URLS").split(QLatin1Char(' '), Qt::SkipEmptyParts);
}
QStringList Sandbox::guiArguments(const QString &cluster)
{
    return {QStringLiteral("vigil"),
            QStringLiteral("--patroni"),
            patroniUrl(),
            QStringLiteral("--sql"),
            QStringLiteral("dbname=postgres user=vigil"),
            QStringLiteral("--haproxy-stats"),
            haproxyStatsUrl(),
            QStringLiteral("--haproxy-backend"),
            QStringLiteral("rw"),
            QStringLiteral("--pgbouncer"),
            QStringLiteral("host=127.0.0.1 port=%1 dbname=pgbouncer user=pgbouncer_admin")
                .arg(pgbouncerPort()),
            QStringLiteral("--name"),
            cluster};
}
QStringList Sandbox::statusArguments(bool everyMember)
{
    QStringList args = {
        QStringLiteral("status"),
        QStringLiteral("--user"),
        QStringLiteral("vigil"),
        QStringLiteral("--haproxy-stats"),
        haproxyStatsUrl(),
        QStringLiteral("--pgbouncer"),
        QStringLiteral("host=127.0.0.1 port=%1 dbname=pgbouncer user=vigil").arg(pgbouncerPort())};
    for (const QString &url : everyMember ? patroniUrls() : QStringList{patroniUrl()})
        args << QStringLiteral("--patroni") << url;
    return args;
}
QString Sandbox::haproxyStatsUrl()
{
    return env("VIGIL_SANDBOX_HAPROXY_STATS_URL");
}
int Sandbox::rwPort()
{
    return env("VIGIL_SANDBOX_RW_PORT").toInt();
}
int Sandbox::roPort()
{
    return env("VIGIL_SANDBOX_RO_PORT").toInt();
}
int Sandbox::pgbouncerPort()
{
    return env("VIGIL_SANDBOX_PGBOUNCER_PORT").toInt();
}
QString Sandbox::restUser()
{
    return env("VIGIL_SANDBOX_REST_USER");
}
QString Sandbox::restPassword()
{
    return env("VIGIL_SANDBOX_REST_PASSWORD");
}
QString Sandbox::dir()
{
    return env("VIGIL_SANDBOX_DIR");
}
int Sandbox::portBase()
{
    return env("VIGIL_SANDBOX_PORT_BASE").toInt();
}

bool Sandbox::tls()
{
    return env("VIGIL_SANDBOX_TLS") == QLatin1String("1");
}
QString Sandbox::caFile()
{
    return env("VIGIL_SANDBOX_CA_FILE");
}
QString Sandbox::clientCert()
{
    return env("VIGIL_SANDBOX_CLIENT_CERT");
}
QString Sandbox::clientKey()
{
    return env("VIGIL_SANDBOX_CLIENT_KEY");
}

namespace {
// GET `url` with curl (tests only; a TLS sandbox's REST API is verified against its CA).
QByteArray curlGet(const QString &url)
{
    QStringList args{QStringLiteral("-s"), QStringLiteral("-m"), QStringLiteral("2")};
    if (Sandbox::tls())
        args << QStringLiteral("--cacert") << Sandbox::caFile();
    QProcess p;
    p.start(QStringLiteral("curl"), args << url);
    return p.waitForFinished(4000) ? p.readAllStandardOutput() : QByteArray();
}
} // namespace

int Sandbox::run(const QStringList &args, QString *out, int timeoutMs)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(VIGIL_SANDBOX_SCRIPT), args);
    if (!p.waitForStarted(10000))
        return -1;
    p.closeWriteChannel();
    const bool finished = p.waitForFinished(timeoutMs);
    const QString output = QString::fromLocal8Bit(p.readAll());
    if (out)
        *out = output;
    if (!finished) {
        p.kill();
        p.waitForFinished(5000);
        return -2;
    }
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3;
}

QString Sandbox::leaderName()
{
    // Tests only: a short synchronous curl keeps this helper free of event-loop plumbing.
    for (const QString &url : patroniUrls()) {
        const auto doc = QJsonDocument::fromJson(curlGet(url + QStringLiteral("/cluster")));
        for (const auto &m : doc.object().value(QStringLiteral("members")).toArray()) {
            const auto o = m.toObject();
            if (o.value(QStringLiteral("role")).toString() == QStringLiteral("leader"))
                return o.value(QStringLiteral("name")).toString();
        }
    }
    return {};
}

QStringList Sandbox::membersPendingRestart()
{
    QStringList pending;
    for (const QString &url : patroniUrls()) {
        const auto doc = QJsonDocument::fromJson(curlGet(url + QStringLiteral("/cluster")));
        const auto members = doc.object().value(QStringLiteral("members")).toArray();
        if (members.isEmpty())
            continue;
        for (const auto &m : members)
            if (m.toObject().value(QStringLiteral("pending_restart")).toBool())
                pending << m.toObject().value(QStringLiteral("name")).toString();
        break;
    }
    return pending;
}

int Sandbox::killService(const QString &name)
{
    QFile pidFile(dir() + QStringLiteral("/run/") + name + QStringLiteral(".pid"));
    if (!pidFile.open(QIODevice::ReadOnly))
        return 0;
    const int pid = pidFile.readAll().trimmed().toInt();
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
    if (pid <= 0 || !cmdline.open(QIODevice::ReadOnly) ||
        !cmdline.readAll().contains((dir() + QLatin1Char('/')).toLocal8Bit()))
        return 0; // not running, or the PID was reused by another process
    ::kill(pid_t(pid), SIGKILL);
    return pid;
}

void Sandbox::ensureHealthy()
{
    QString out;
    int rc = run({QStringLiteral("up")}, &out, 240000);
    ASSERT_EQ(rc, 0) << "sandbox.sh up failed:\n" << out.toStdString();
    // A healthy starting point also means no member waiting for a restart: an earlier test's
    // reverted restart-only parameter can leave Patroni's pending_restart flag set.
    if (!membersPendingRestart().isEmpty()) {
        rc =
            run({QStringLiteral("patronictl"), QStringLiteral("restart"), QStringLiteral("hokm-ha"),
                 QStringLiteral("--pending"), QStringLiteral("--force")},
                &out, 120000);
        ASSERT_EQ(rc, 0) << "patronictl restart --pending failed:\n" << out.toStdString();
        rc = run({QStringLiteral("up")}, &out, 240000);
        ASSERT_EQ(rc, 0) << "sandbox.sh up failed:\n" << out.toStdString();
    }
}

} // namespace vigil::test
