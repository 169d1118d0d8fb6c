#include "services/backup/throwawayinstance.h"

#include <QFile>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTimer>
#include <csignal>
#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

namespace vigil::services {

namespace {

const QString kWhat = QStringLiteral("throwaway PostgreSQL instance");
const QString kSuperuser = QStringLiteral("postgres");

QString randomPassword()
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    QString out;
    for (int i = 0; i < 32; ++i)
        out += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(int(sizeof alphabet) - 1)]);
    return out;
}

// A port nobody listens on right now: the kernel's choice for a socket bound to port 0.
int freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const int port = probe.serverPort();
    probe.close();
    return port;
}

} // namespace

ThrowawayInstance::ThrowawayInstance(QObject *parent)
    : QObject(parent)
{
}

ThrowawayInstance::~ThrowawayInstance()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000); // teardown only, after SIGKILL: returns at once
    }
    // Teardown (a wizard closed mid-run): never wait here, on the UI thread. SIGQUIT is
    // PostgreSQL's immediate shutdown; the postmaster and its children end within milliseconds,
    // and their files may go from under them meanwhile (nothing of this instance is kept).
    if (const pid_t pid = postmasterPid(); pid > 0)
        ::kill(pid, SIGQUIT);
    removeFolder();
}

QString ThrowawayInstance::folder() const
{
    return m_dir ? m_dir->path() : QString();
}

PgConnectionSettings ThrowawayInstance::settings(const QString &database) const
{
    PgConnectionSettings s = PgConnectionSettings::forApplication(
        QStringLiteral("dbname=postgres"), QStringLiteral("vigil-restore-test"), m_password);
    s.overrides.append({QStringLiteral("host"), folder()});
    s.overrides.append({QStringLiteral("port"), QString::number(m_port)});
    s.overrides.append({QStringLiteral("user"), kSuperuser});
    s.overrides.append({QStringLiteral("sslmode"), QStringLiteral("disable")});
    return s.withDatabase(database);
}

QString ThrowawayInstance::description() const
{
    return tr("throwaway instance in %1 (port %2)").arg(folder()).arg(m_port);
}

void ThrowawayInstance::run(const QString &tool, const QStringList &arguments, int deadlineMs,
                            Next next)
{
    QString program = m_binDir + QLatin1Char('/') + tool;
    QStringList args = arguments;
    if (m_asPostgresUser) {
        args.prepend(program);
        args = QStringList{QStringLiteral("--reuid=postgres"), QStringLiteral("--regid=postgres"),
                           QStringLiteral("--init-groups"), QStringLiteral("--")} +
               args;
        program = QStringLiteral("setpriv");
    }
    auto *p = new QProcess(this);
    m_process = p;
    p->setProcessChannelMode(QProcess::MergedChannels);
    p->setWorkingDirectory(folder());
    connect(p, &QProcess::finished, this, [p, next](int code, QProcess::ExitStatus status) {
        p->deleteLater();
        next(status == QProcess::NormalExit ? code : -1,
             QString::fromLocal8Bit(p->readAll()).trimmed());
    });
    connect(p, &QProcess::errorOccurred, this, [p, next, program](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        p->deleteLater();
        next(-1, tr("%1 could not be started: %2").arg(program, p->errorString()));
    });
    QTimer::singleShot(deadlineMs, p, [p] { p->kill(); });
    p->start(program, args);
}

bool ThrowawayInstance::prepareFolder(QString *error)
{
    m_dir =
        std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/vigil-restore-XXXXXX"));
    if (!m_dir->isValid()) {
        *error = tr("Cannot create a temporary folder: %1").arg(m_dir->errorString());
        return false;
    }
    m_asPostgresUser = ::geteuid() == 0;
    if (m_asPostgresUser) {
        const passwd *pw = ::getpwnam("postgres");
        if (!pw) {
            *error = tr("Vigil runs as root, which initdb refuses, and there is no 'postgres' "
                        "user to run the throwaway instance as. Run Vigil as a normal user or "
                        "use --target cluster.");
            return false;
        }
        if (::chown(QFile::encodeName(folder()).constData(), pw->pw_uid, pw->pw_gid) != 0) {
            *error = tr("Cannot hand %1 to the postgres user.").arg(folder());
            return false;
        }
    }
    return true;
}

void ThrowawayInstance::start(const QString &binDir)
{
    m_binDir = binDir;
    m_password = randomPassword();
    QString error;
    if (!prepareFolder(&error))
        return fail(error);
    // The password reaches initdb through a 0600 file in the instance's own 0700 folder,
    // removed as soon as initdb ended.
    const QString pwfile = folder() + QStringLiteral("/pwfile");
    {
        QFile f(pwfile);
        if (!f.open(QIODevice::WriteOnly) ||
            !f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
            f.write(m_password.toUtf8() + '\n') < 0)
            return fail(tr("Cannot write %1: %2").arg(pwfile, f.errorString()));
        f.close();
        if (m_asPostgresUser) {
            const passwd *pw = ::getpwnam("postgres");
            if (!pw || ::chown(QFile::encodeName(pwfile).constData(), pw->pw_uid, pw->pw_gid) != 0)
                return fail(tr("Cannot hand %1 to the postgres user.").arg(pwfile));
        }
    }
    run(QStringLiteral("initdb"),
        {QStringLiteral("-D"), folder() + QStringLiteral("/data"), QStringLiteral("-U"), kSuperuser,
         QStringLiteral("--auth=scram-sha-256"), QStringLiteral("--pwfile=") + pwfile,
         QStringLiteral("--encoding=UTF8"), QStringLiteral("--locale=C"),
         QStringLiteral("--no-sync")},
        120000, [this, pwfile](int code, const QString &output) {
            QFile::remove(pwfile);
            if (code != 0)
                return fail(tr("initdb failed (exit %1): %2").arg(code).arg(output.right(2000)));
            QString error;
            if (!writeConfig(&error))
                return fail(error);
            startServer();
        });
}

bool ThrowawayInstance::writeConfig(QString *error)
{
    m_port = freeLoopbackPort();
    if (m_port <= 0) {
        *error = tr("No free port on 127.0.0.1 for the throwaway instance.");
        return false;
    }
    QFile conf(folder() + QStringLiteral("/data/postgresql.conf"));
    if (!conf.open(QIODevice::Append | QIODevice::Text)) {
        *error = tr("Cannot write %1: %2").arg(conf.fileName(), conf.errorString());
        return false;
    }
    // Loopback only, socket in the instance's folder; durability off: nothing here is kept.
    const QString settings = QStringLiteral("\n# vigil restore test\n"
                                            "listen_addresses = '127.0.0.1'\n"
                                            "port = %1\n"
                                            "unix_socket_directories = '%2'\n"
                                            "fsync = off\n"
                                            "synchronous_commit = off\n"
                                            "full_page_writes = off\n"
                                            "max_connections = 20\n"
                                            "max_wal_size = '2GB'\n")
                                 .arg(m_port)
                                 .arg(folder());
    conf.write(settings.toUtf8());
    return true;
}

void ThrowawayInstance::startServer()
{
    run(QStringLiteral("pg_ctl"),
        {QStringLiteral("-D"), folder() + QStringLiteral("/data"), QStringLiteral("-l"),
         folder() + QStringLiteral("/server.log"), QStringLiteral("-w"), QStringLiteral("-t"),
         QStringLiteral("60"), QStringLiteral("start")},
        90000, [this](int code, const QString &output) {
            if (code != 0) {
                QFile log(folder() + QStringLiteral("/server.log"));
                const QString tail = log.open(QIODevice::ReadOnly)
                                         ? QString::fromUtf8(log.readAll().right(1500))
                                         : QString();
                return fail(
                    tr("pg_ctl start failed (exit %1): %2\n%3").arg(code).arg(output, tail));
            }
            m_started = true;
            Q_EMIT ready();
        });
}

void ThrowawayInstance::stop()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        // A cancel while initdb or pg_ctl start runs: end that step first (SIGKILL returns at
        // once); a postmaster it already started is stopped below.
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
    }
    if (!m_started && m_dir && QFile::exists(folder() + QStringLiteral("/data/postmaster.pid")))
        m_started = true;
    if (!m_started) {
        removeFolder();
        Q_EMIT stopped({});
        return;
    }
    run(QStringLiteral("pg_ctl"),
        {QStringLiteral("-D"), folder() + QStringLiteral("/data"), QStringLiteral("-m"),
         QStringLiteral("immediate"), QStringLiteral("-w"), QStringLiteral("stop")},
        60000, [this](int code, const QString &output) {
            if (code != 0) {
                Q_EMIT stopped(tr("pg_ctl stop failed (exit %1): %2; the instance in %3 may "
                                  "still run.")
                                   .arg(code)
                                   .arg(output, folder()));
                return;
            }
            m_started = false;
            const QString where = folder();
            removeFolder();
            Q_EMIT stopped(QDir(where).exists() ? tr("%1 could not be removed.").arg(where)
                                                : QString());
        });
}

pid_t ThrowawayInstance::postmasterPid() const
{
    if (!m_dir)
        return 0;
    // postmaster.pid: the PID, then the data directory; the PID must still be a postgres of
    // this folder (not a process that took a reused PID).
    QFile file(folder() + QStringLiteral("/data/postmaster.pid"));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    bool ok = false;
    const pid_t pid = pid_t(file.readLine().trimmed().toLongLong(&ok));
    if (!ok || pid <= 0)
        return 0;
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
    if (!cmdline.open(QIODevice::ReadOnly) || !cmdline.readAll().contains(folder().toUtf8()))
        return 0;
    return pid;
}

void ThrowawayInstance::removeFolder()
{
    if (m_dir) {
        m_dir->remove();
        m_dir.reset();
    }
}

void ThrowawayInstance::fail(const QString &message)
{
    Q_EMIT failed(ServiceError::make(ServiceError::Kind::Refused, kWhat, {}, {}, message));
}

} // namespace vigil::services
