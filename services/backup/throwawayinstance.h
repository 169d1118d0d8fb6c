#pragma once

#include "services/core/error.h"
#include "services/postgres/pgsession.h"

#include <QObject>
#include <QPointer>
#include <QProcess>
#include <functional>
#include <memory>
#include <sys/types.h>

class QTemporaryDir;

namespace vigil::services {

// A PostgreSQL instance that exists for one restore test: initdb into a temporary folder
// (scram-sha-256, a random superuser password that only this object holds), a free loopback
// port, the unix socket in that folder, fsync off (the data is thrown away); started with
// `pg_ctl -w start`, and stopped (`pg_ctl -m immediate stop`) and removed by stop().
//
// Every step is a child process (QProcess) with a deadline: the thread it lives on never waits.
// When Vigil runs as root (initdb refuses root), the programs run as the `postgres` user
// through setpriv and the folder is handed to that user. The destructor (a wizard closed
// mid-run) never waits: it sends the running postmaster SIGQUIT, PostgreSQL's immediate
// shutdown, and removes the folder, so an instance never outlives its owner.
class ThrowawayInstance : public QObject
{
    Q_OBJECT
public:
    explicit ThrowawayInstance(QObject *parent = nullptr);
    ~ThrowawayInstance() override;

    // `binDir` holds initdb and pg_ctl (restoreTestBinDir()). Emits ready() or failed().
    void start(const QString &binDir);
    // Stops and removes the instance; emits stopped() with an empty text, or why not.
    void stop();

    bool isStarted() const { return m_started; }
    QString folder() const;
    int port() const { return m_port; }
    // The superuser's connection to one database of the instance, password included (held in
    // memory only; child processes get it through a temporary pgpass file).
    PgConnectionSettings settings(const QString &database) const;
    QString description() const;

Q_SIGNALS:
    void ready();
    void failed(const vigil::services::ServiceError &error);
    void stopped(const QString &error);

private:
    using Next = std::function<void(int exitCode, const QString &output)>;
    void run(const QString &tool, const QStringList &arguments, int deadlineMs, Next next);
    bool prepareFolder(QString *error);
    bool writeConfig(QString *error);
    void startServer();
    void removeFolder();
    // The instance's running postmaster (from its postmaster.pid, checked in /proc), else 0.
    pid_t postmasterPid() const;
    void fail(const QString &message);

    QString m_binDir;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_password;
    int m_port = 0;
    bool m_started = false;
    bool m_asPostgresUser = false;
    QPointer<QProcess> m_process;
};

} // namespace vigil::services
