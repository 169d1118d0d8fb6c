#include "app/commands/rotatepasswordcommand.h"

#include "app/commands/commandoutput.h"
#include "app/commands/operationcommandoptions.h"
#include "app/tr.h"
#include "services/security/passwordgenerator.h"
#include "services/security/passwordrotator.h"
#include "services/security/rotationdiscovery.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <iostream>
#include <string>

namespace vigil::app {

using namespace vigil::services;

namespace {

struct Options
{
    RotationRequest request;
    bool generate = false;
    bool print = false;
    bool checkOld = false;
    int length = PasswordGenerator::kDefaultLength;
    PasswordGenerator::Alphabet alphabet = PasswordGenerator::Alphabet::Alphanumeric;
};

std::optional<int> usageError(const QString &message)
{
    printCommandError(QStringLiteral("rotate-password"), message);
    return 3;
}

// One line of stdin, without the line end; nullopt at end of input.
std::optional<QString> readLine()
{
    std::string line;
    if (!std::getline(std::cin, line))
        return std::nullopt;
    QString text = QString::fromStdString(line);
    if (text.endsWith(QLatin1Char('\r')))
        text.chop(1);
    return text;
}

std::optional<int> parse(Options &o, OperationCommandOptions &common, const QStringList &arguments)
{
    QCommandLineParser p;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  Tr::tr("Show this help."));
    const QCommandLineOption validUntil(QStringLiteral("valid-until"),
                                        Tr::tr("Password expiry (timestamp or 'infinity')."),
                                        Tr::tr("time"));
    const QCommandLineOption generate(QStringLiteral("generate"),
                                      Tr::tr("Generate the password (needs --print)."));
    const QCommandLineOption print(QStringLiteral("print"),
                                   Tr::tr("Print the generated password once, on stdout."));
    const QCommandLineOption length(QStringLiteral("length"),
                                    Tr::tr("Generated password length (default 32)."), Tr::tr("n"));
    const QCommandLineOption symbols(QStringLiteral("symbols"),
                                     Tr::tr("Generate with symbols, not just letters and digits."));
    const QCommandLineOption checkOld(
        QStringLiteral("check-old"),
        Tr::tr("Read the old password from the next stdin line and check it is refused."));
    const QCommandLineOption noUserlist(
        QStringLiteral("no-userlist-write"),
        Tr::tr("Print PgBouncer's userlist line, do not write it."));
    p.addOptions({help, validUntil, generate, print, length, symbols, checkOld, noUserlist});
    if (const auto rc = common.parse(
            p, arguments, QStringLiteral("rotate-password"), help,
            Tr::tr("Usage: vigil rotate-password ROLE --confirm CLUSTER [options] < password")))
        return rc;
    if (p.positionalArguments().size() != 1)
        return usageError(Tr::tr("name one role, e.g. vigil rotate-password app_user."));
    if (!common.confirmGiven())
        return usageError(Tr::tr("--confirm CLUSTER is required (stdin carries the password)."));
    o.request.role = p.positionalArguments().constFirst();
    o.request.validUntil = p.value(validUntil);
    o.request.writeUserlist = !p.isSet(noUserlist);
    o.request.typedConfirmation = common.confirm();
    o.generate = p.isSet(generate);
    o.print = p.isSet(print);
    o.checkOld = p.isSet(checkOld);
    if (p.isSet(length))
        o.length = p.value(length).toInt();
    if (p.isSet(symbols))
        o.alphabet = PasswordGenerator::Alphabet::AlphanumericSymbols;
    if (o.generate && !o.print)
        return usageError(Tr::tr("a generated password nobody sees would lock the role out: add "
                                 "--print, or give the password on stdin."));
    if (o.print && !o.generate)
        return usageError(Tr::tr("--print only prints a generated password (--generate)."));
    return std::nullopt;
}

std::optional<int> readPasswords(Options &o)
{
    if (o.generate) {
        o.request.newPassword = PasswordGenerator::generate(o.length, o.alphabet);
    } else {
        const auto pw = readLine();
        if (!pw || pw->isEmpty())
            return usageError(Tr::tr("give the new password on the first line of stdin, or use "
                                     "--generate --print."));
        o.request.newPassword = *pw;
    }
    if (o.checkOld) {
        const auto old = readLine();
        if (!old || old->isEmpty())
            return usageError(Tr::tr("--check-old: the old password must follow on stdin."));
        o.request.oldPassword = *old;
    }
    return std::nullopt;
}

void printTarget(const RotationTarget &t, const RotationRole &role, const RotationRequest &r)
{
    printOut(Tr::tr("Cluster %1, leader %2: rotate the password of %3 (valid until: %4).")
                 .arg(t.cluster, t.leader, role.name,
                      r.validUntil.isEmpty() ? Tr::tr("unchanged") : r.validUntil) +
             QLatin1Char('\n'));
    if (!t.encryptionWarning().isEmpty())
        printErr(Tr::tr("Warning: %1").arg(t.encryptionWarning()) + QLatin1Char('\n'));
    if (role.superuser)
        printErr(Tr::tr("Warning: %1 is a superuser.").arg(role.name) + QLatin1Char('\n'));
}

int exitCode(const RotationReport &report)
{
    if (!report.passwordChanged || report.failed())
        return 2;
    return report.manualWorkLeft() ? 1 : 0;
}

} // namespace

int RotatePasswordCommand::run(const QStringList &arguments)
{
    Options o;
    OperationCommandOptions common;
    if (const auto rc = parse(o, common, arguments))
        return *rc;
    if (const auto rc = readPasswords(o))
        return *rc;
    QNetworkAccessManager nam;
    OperationContext ctx = common.context();
    ctx.nam = &nam;
    RotationDiscovery discovery(ctx);
    PasswordRotator rotator(ctx, nullptr);
    QObject::connect(&rotator, &PasswordRotator::progress,
                     [](const QString &l) { printOut(l + QLatin1Char('\n')); });
    QObject::connect(&rotator, &PasswordRotator::finished, [&o](const RotationReport &report) {
        if (!report.userlistLine.isEmpty() && report.userlistBackup.isEmpty())
            printOut(Tr::tr("PgBouncer userlist line for %1:").arg(o.request.role) +
                     QLatin1Char('\n') + QString::fromUtf8(report.userlistLine) +
                     QLatin1Char('\n'));
        if (report.passwordChanged && o.print)
            printOut(Tr::tr("New password: %1").arg(o.request.newPassword) + QLatin1Char('\n'));
        printOut((report.failed() ? Tr::tr("Not done.") : Tr::tr("Done.")) + QLatin1Char('\n'));
        QCoreApplication::exit(exitCode(report));
    });
    QObject::connect(&discovery, &RotationDiscovery::finished, [&](const RotationTarget &t) {
        const RotationRole *role = t.role(o.request.role);
        if (t.error || !role) {
            printErr(
                Tr::tr("vigil rotate-password: %1")
                    .arg(t.error ? t.error.toText()
                                 : Tr::tr("the leader has no login role %1.").arg(o.request.role)) +
                QLatin1Char('\n'));
            QCoreApplication::exit(2);
            return;
        }
        printTarget(t, *role, o.request);
        rotator.start(t, o.request);
    });
    discovery.start();
    return QCoreApplication::exec();
}

} // namespace vigil::app
