#pragma once

#include "services/operations/operationcontext.h"
#include "services/operations/parameterverification.h"

#include <QElapsedTimer>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <chrono>

namespace vigil::services {

class PgSession;

// After a PATCH /config of postgresql.parameters: reads pg_settings (what SHOW shows, with the
// unit and pending_restart apart) on every member named by GET /cluster, one asynchronous
// PgSession per member, and reads again every two seconds until each member shows the new
// values (or a pending restart) or the deadline passes. Patroni applies a change on its next
// cycle (loop_wait), so "not yet" right after the PATCH is normal.
//
// Lives on the thread that created it (normally the UI thread); never blocks it. Every query has
// a deadline. finished() is emitted exactly once per start() unless the object is destroyed.
class ParameterReloadCheck : public QObject
{
    Q_OBJECT
public:
    using Millis = std::chrono::milliseconds;

    explicit ParameterReloadCheck(OperationContext ctx, QObject *parent = nullptr);
    ~ParameterReloadCheck() override;

    // `expected`: parameter name -> configured value as text (expectedParameters(patch)).
    void start(const QMap<QString, QString> &expected, Millis deadline = Millis(60000));
    bool isRunning() const { return m_running; }
    QList<MemberParameterStatus> statuses() const { return m_statuses.values(); }
    // For tests: the interval between two readings (default 2 s).
    void setInterval(Millis interval) { m_interval = interval; }

Q_SIGNALS:
    // After every round: one status per member, by member name.
    void progress(const QList<vigil::services::MemberParameterStatus> &statuses);
    // Every member final, or the deadline passed. `error` is set when the members could not be
    // listed at all (GET /cluster failed); then `statuses` is empty.
    void finished(const QList<vigil::services::MemberParameterStatus> &statuses,
                  const QString &error);

private:
    struct Target
    {
        QString host;
        int port = 0;
        QPointer<PgSession> session;
    };
    void readRound();
    void readMember(const QString &name);
    void roundDone();
    void finish(const QString &error = {});

    OperationContext m_ctx;
    QMap<QString, QString> m_expected;
    QMap<QString, Target> m_targets;
    QMap<QString, MemberParameterStatus> m_statuses;
    QElapsedTimer m_clock;
    Millis m_deadline{60000};
    Millis m_interval{2000};
    int m_outstanding = 0;
    quint64 m_generation = 0;
    bool m_running = false;
};

} // namespace vigil::services
