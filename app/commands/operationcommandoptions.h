#pragma once

#include "app/commands/targetoptions.h"
#include "services/operations/operationcontext.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>
#include <utility>

namespace vigil::app {

// The options every operation command shares (`vigil switchover`, `failover`, `restart`,
// `reload`, `reinit`, `pause`, `resume`): where the cluster is (TargetOptions, Use::Operation;
// the credentials' sources are never the command line: VIGIL_REST_PASSWORD, ~/.pgpass, service
// files), read-only mode, the audit log, and the typed confirmation (--confirm CLUSTER_NAME or
// typed at the prompt).
class OperationCommandOptions
{
public:
    OperationCommandOptions();

    void addTo(QCommandLineParser &parser) const;
    // After parser.parse(): builds the profile and context. Returns an error sentence, or empty.
    QString read(const QCommandLineParser &parser, const QString &restPassword);

    // The start every operation command shares: adds these options to `parser`, parses `arguments`,
    // answers --help (`help`, with `usage` as the first line) and reads the options (the REST
    // password from VIGIL_REST_PASSWORD). Returns the exit code when the command should stop here
    // (0 after the help, 3 after an error printed as "vigil COMMAND: …"), or nullopt to go on.
    std::optional<int> parse(QCommandLineParser &parser, const QStringList &arguments,
                             const QString &command, const QCommandLineOption &help,
                             const QString &usage);

    // Tests: where --profile and its passwords come from (default: the application's settings
    // and the system keychain).
    void setTargetSources(TargetOptions::Sources sources)
    {
        m_target.setSources(std::move(sources));
    }

    const services::OperationContext &context() const { return m_ctx; }
    // The target options as read (for a command that also opens SQL on one member, such as
    // `vigil terminate`: connectTarget takes them with everything given, TLS files included).
    const TargetOptions::Values &target() const { return m_target.values(); }
    // The further --patroni URLs (the first is the profile's): asked when the first is down.
    QList<QUrl> fallbackUrls() const { return m_fallbacks; }
    services::OperationContext &context() { return m_ctx; }
    QString confirm() const { return m_confirm; }
    bool confirmGiven() const { return m_confirmGiven; }

    // The typed confirmation: --confirm's value, or asks on the terminal ("Type the cluster name
    // hokm-ha to confirm: "). Empty when stdin is closed.
    QString confirmation(const QString &cluster) const;

private:
    TargetOptions m_target{TargetOptions::Use::Operation};
    QCommandLineOption m_readOnly;
    QCommandLineOption m_auditLog;
    QCommandLineOption m_confirmOption;
    services::OperationContext m_ctx;
    QList<QUrl> m_fallbacks;
    QString m_confirm;
    bool m_confirmGiven = false;
};

} // namespace vigil::app
