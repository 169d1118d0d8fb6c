#include "app/commands/operationcommandoptions.h"

#include "app/commands/commandoutput.h"
#include "app/tr.h"

#include <QCoreApplication>
#include <QTextStream>
#include <cstdio>
#include <iostream>
#include <string>

namespace vigil::app {

OperationCommandOptions::OperationCommandOptions()
    : m_readOnly(QStringLiteral("read-only"),
                 Tr::tr("Read-only mode: refuse every action (pre-flight only)."))
    , m_auditLog(QStringLiteral("audit-log"),
                 Tr::tr("Append to this audit log instead of the default one."), Tr::tr("file"))
    , m_confirmOption(
          QStringLiteral("confirm"),
          Tr::tr("The cluster name, for scripted maintenance windows (instead of typing it)."),
          Tr::tr("cluster"))
{
}

void OperationCommandOptions::addTo(QCommandLineParser &parser) const
{
    m_target.addTo(parser);
    parser.addOptions({m_readOnly, m_auditLog, m_confirmOption});
}

std::optional<int> OperationCommandOptions::parse(QCommandLineParser &parser,
                                                  const QStringList &arguments,
                                                  const QString &command,
                                                  const QCommandLineOption &help,
                                                  const QString &usage)
{
    addTo(parser);
    if (!parser.parse(arguments)) {
        printErr(QStringLiteral("vigil %1: %2\n").arg(command, parser.errorText()));
        return 3;
    }
    if (parser.isSet(help)) {
        const QString h = parser.helpText();
        printOut(usage + h.mid(h.indexOf(QLatin1Char('\n'))));
        return 0;
    }
    if (const QString e = read(parser, qEnvironmentVariable("VIGIL_REST_PASSWORD")); !e.isEmpty()) {
        printErr(QStringLiteral("vigil %1: %2\n").arg(command, e));
        return 3;
    }
    return std::nullopt;
}

QString OperationCommandOptions::read(const QCommandLineParser &p, const QString &restPassword)
{
    m_target.setRestPassword(restPassword);
    if (const QString e = m_target.read(p); !e.isEmpty())
        return e;
    services::ClusterProfile &profile = m_ctx.profile;
    m_target.values().applyTo(profile);
    // The pre-flight gatherer and the runner ask the further URLs in turn themselves; each of
    // their monitors watches the one URL it was given.
    m_fallbacks = profile.patroniFallbackUrls;
    profile.patroniFallbackUrls.clear();
    // A profile saved read-only stays read-only; --read-only makes any profile so.
    profile.readOnly = profile.readOnly || p.isSet(m_readOnly);
    m_ctx.secrets = m_target.values().secrets;
    m_ctx.guard = std::make_shared<services::ReadOnlyGuard>(profile.readOnly);
    m_ctx.audit = std::make_shared<services::AuditLog>(
        p.isSet(m_auditLog) ? p.value(m_auditLog) : services::AuditLog::defaultPath());
    m_confirmGiven = p.isSet(m_confirmOption);
    m_confirm = p.value(m_confirmOption);
    return {};
}

QString OperationCommandOptions::confirmation(const QString &cluster) const
{
    if (m_confirmGiven)
        return m_confirm;
    printOut(Tr::tr("Type the cluster name %1 to confirm: ").arg(cluster));
    std::string line;
    if (!std::getline(std::cin, line))
        return {};
    return QString::fromStdString(line).trimmed();
}

} // namespace vigil::app
