#include "support/foreignca.h"

#include <QDir>
#include <QProcess>

namespace vigil::test {

namespace {

// Runs openssl with `args` in `dir`; its output when it failed, empty when it worked.
QString openssl(const QString &dir, const QStringList &args)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("openssl"), args);
    if (p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
        return {};
    return QStringLiteral("openssl %1 failed: %2")
        .arg(args.join(QLatin1Char(' ')), QString::fromUtf8(p.readAll()));
}

QStringList ecKey()
{
    return {QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
}

} // namespace

ForeignCa ForeignCa::make(const QString &dir)
{
    ForeignCa ca;
    const QDir d(dir);
    ca.error = openssl(dir, QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ecKey() +
                                QStringList{QStringLiteral("-keyout"),
                                            QStringLiteral("wrong-ca.key"), QStringLiteral("-out"),
                                            QStringLiteral("wrong-ca.crt"), QStringLiteral("-days"),
                                            QStringLiteral("2"), QStringLiteral("-subj"),
                                            QStringLiteral("/CN=Not The Sandbox CA")});
    if (ca.error.isEmpty())
        ca.error = openssl(
            dir, QStringList{QStringLiteral("req")} + ecKey() +
                     QStringList{QStringLiteral("-keyout"), QStringLiteral("wrong-client.key"),
                                 QStringLiteral("-out"), QStringLiteral("wrong-client.csr"),
                                 QStringLiteral("-subj"), QStringLiteral("/CN=vigil")});
    if (ca.error.isEmpty())
        ca.error =
            openssl(dir, {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                          QStringLiteral("wrong-client.csr"), QStringLiteral("-CA"),
                          QStringLiteral("wrong-ca.crt"), QStringLiteral("-CAkey"),
                          QStringLiteral("wrong-ca.key"), QStringLiteral("-CAcreateserial"),
                          QStringLiteral("-out"), QStringLiteral("wrong-client.crt"),
                          QStringLiteral("-days"), QStringLiteral("2")});
    if (ca.error.isEmpty()) {
        ca.caFile = d.filePath(QStringLiteral("wrong-ca.crt"));
        ca.clientCert = d.filePath(QStringLiteral("wrong-client.crt"));
        ca.clientKey = d.filePath(QStringLiteral("wrong-client.key"));
    }
    return ca;
}

} // namespace vigil::test
