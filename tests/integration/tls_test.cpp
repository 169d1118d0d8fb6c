// TLS end to end against a TLS sandbox (`sandbox.sh up --tls`; tests/run.sh starts one as its
// third sandbox and runs CTest label "tls" there): the Patroni REST API over https with the
// sandbox CA and a client certificate (actions need it: verify_client optional), SQL with
// verify-full and a client certificate on every member, PgBouncer with TLS on both hops, the
// Add-cluster dialog's connection test and `vigil status` over all of it. A wrong CA (made here
// with openssl) and a name mismatch fail with messages that name the host and the reason.
#include "models/connectiontestmodel.h"
#include "services/patroni/patroniclient.h"
#include "services/postgres/conninfo.h"
#include "services/postgres/pgsession.h"
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "support/eventloop.h"
#include "support/foreignca.h"
#include "support/qtprinters.h"
#include "support/sandbox.h"
#include "ui/shell/addclusterdialog.h"

#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPixmap>
#include <QProcess>
#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <optional>

using namespace vigil;
using namespace std::chrono_literals;
using services::ServiceError;
using test::Sandbox;

namespace {

int nodePort(int n)
{
    return Sandbox::portBase() + 10 + n - 1;
}

QString restHost()
{
    return QUrl(Sandbox::patroniUrl()).authority();
}

// A CA of our own that signed nothing the sandbox uses.
QString makeWrongCa(const QTemporaryDir &dir)
{
    const test::ForeignCa ca = test::ForeignCa::make(dir.path());
    EXPECT_TRUE(ca.ok()) << ca.error.toStdString();
    return ca.caFile;
}

services::PatroniEndpoint endpoint(bool clientCertificate)
{
    services::PatroniEndpoint ep;
    ep.baseUrl = QUrl(Sandbox::patroniUrl());
    ep.user = Sandbox::restUser();
    ep.password = Sandbox::restPassword();
    ep.caFile = Sandbox::caFile();
    if (clientCertificate) {
        ep.certFile = Sandbox::clientCert();
        ep.keyFile = Sandbox::clientKey();
    }
    return ep;
}

template <typename T, typename Call> services::Result<T> wait(Call call)
{
    std::optional<services::Result<T>> got;
    call([&](const services::Result<T> &r) { got = r; });
    EXPECT_TRUE(test::waitUntil([&] { return got.has_value(); }, 15000));
    return got.value_or(ServiceError::make(ServiceError::Kind::Cancelled, {}, {}, {}, {}));
}

struct Sql
{
    ServiceError error;
    services::PgResult result;
};

// Opens a session with `conninfo` and runs `sql` (an empty result and the error on failure).
Sql query(const QString &conninfo, const QString &sql)
{
    services::PgSession session;
    std::optional<ServiceError> opened;
    QObject::connect(&session, &services::PgSession::opened, &session,
                     [&] { opened = ServiceError(); });
    QObject::connect(&session, &services::PgSession::failed, &session,
                     [&](const ServiceError &e) { opened = e; });
    session.open({conninfo, {}}, 8000ms);
    EXPECT_TRUE(test::waitUntil([&] { return opened.has_value(); }, 20000));
    if (!opened || opened->isError())
        return Sql{opened.value_or(ServiceError()), {}};
    std::optional<Sql> got;
    session.exec(
        sql, {},
        [&](const services::PgResult &r, const ServiceError &e) {
            got = Sql{e, r};
        },
        8000ms);
    EXPECT_TRUE(test::waitUntil([&] { return got.has_value(); }, 20000));
    return got.value_or(Sql{});
}

QString verified(int port, const QString &extra = {})
{
    // No sslmode: a CA means verify-full (conninfoWithTlsDefault), as in a profile.
    return services::conninfoWithTlsDefault(
        QStringLiteral("host=127.0.0.1 port=%1 dbname=postgres user=vigil sslrootcert=%2 %3")
            .arg(port)
            .arg(services::quotedConninfoValue(Sandbox::caFile()), extra)
            .trimmed());
}

} // namespace

TEST(TlsSandbox, RestIsVerifiedAndActionsNeedTheClientCertificate)
{
    VIGIL_REQUIRE_TLS_SANDBOX();
    Sandbox::ensureHealthy();
    QNetworkAccessManager nam;
    services::PatroniClient withCert(&nam, endpoint(true));
    const auto cluster =
        wait<services::PatroniCluster>([&](auto cb) { withCert.getCluster(std::move(cb)); });
    ASSERT_TRUE(cluster.ok()) << cluster.error().toText().toStdString();
    EXPECT_EQ(cluster.value().members.size(), 3);
    const auto reload =
        wait<services::PatroniActionResult>([&](auto cb) { withCert.reload(std::move(cb)); });
    ASSERT_TRUE(reload.ok()) << reload.error().toText().toStdString();
    EXPECT_TRUE(reload.value().accepted()) << reload.value().body.toStdString();

    // Without the client certificate, reads work (verify_client: optional) and actions do not,
    // with Patroni's own reason.
    services::PatroniClient noCert(&nam, endpoint(false));
    EXPECT_TRUE(
        wait<services::PatroniCluster>([&](auto cb) { noCert.getCluster(std::move(cb)); }).ok());
    const auto refused =
        wait<services::PatroniActionResult>([&](auto cb) { noCert.reload(std::move(cb)); });
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, QStringLiteral("403"));
    EXPECT_TRUE(refused.error().message.contains(QLatin1String("client certificate required")))
        << refused.error().toText().toStdString();
}

TEST(TlsSandbox, AWrongCaIsRefusedNamingTheHostAndTheReason)
{
    VIGIL_REQUIRE_TLS_SANDBOX();
    QTemporaryDir dir;
    const QString wrongCa = makeWrongCa(dir);
    ASSERT_FALSE(wrongCa.isEmpty());

    QNetworkAccessManager nam;
    services::PatroniEndpoint ep = endpoint(true);
    ep.caFile = wrongCa;
    services::PatroniClient client(&nam, ep);
    const auto r =
        wait<services::PatroniCluster>([&](auto cb) { client.getCluster(std::move(cb)); });
    ASSERT_FALSE(r.ok());
    const ServiceError &e = r.error();
    EXPECT_EQ(e.kind, ServiceError::Kind::Connect);
    EXPECT_EQ(e.host, restHost());
    EXPECT_TRUE(e.message.contains(
        QStringLiteral("The TLS handshake with %1/cluster failed").arg(Sandbox::patroniUrl())))
        << e.message.toStdString();
    EXPECT_TRUE(e.message.contains(QLatin1String("Vigil sandbox CA"))) << e.message.toStdString();
    EXPECT_TRUE(e.message.contains(QLatin1String("not a trusted CA"))) << e.message.toStdString();

    // libpq, verify-full against the wrong CA: libpq's message names the server, ours the step.
    const Sql sql = query(services::conninfoWithTlsDefault(
                              QStringLiteral("host=127.0.0.1 port=%1 dbname=postgres user=vigil "
                                             "sslrootcert=%2")
                                  .arg(nodePort(1))
                                  .arg(services::quotedConninfoValue(wrongCa))),
                          QStringLiteral("SELECT 1"));
    ASSERT_TRUE(sql.error.isError());
    EXPECT_EQ(sql.error.kind, ServiceError::Kind::Connect);
    EXPECT_EQ(sql.error.host, QStringLiteral("127.0.0.1:%1").arg(nodePort(1)));
    EXPECT_TRUE(sql.error.message.contains(QLatin1String("certificate verify failed")))
        << sql.error.message.toStdString();
    EXPECT_TRUE(sql.error.message.contains(QLatin1String("not signed by the CA in sslrootcert")))
        << sql.error.message.toStdString();
}

TEST(TlsSandbox, SqlNameMismatchAndPlainConnectionsAreRefused)
{
    VIGIL_REQUIRE_TLS_SANDBOX();
    // The right CA, but a host name the server's certificate does not hold (hostaddr reaches the
    // sandbox all the same).
    const Sql mismatch = query(verified(nodePort(1), QStringLiteral("hostaddr=127.0.0.1")) +
                                   QStringLiteral(" host=not-the-sandbox.example"),
                               QStringLiteral("SELECT 1"));
    ASSERT_TRUE(mismatch.error.isError());
    EXPECT_TRUE(mismatch.error.message.contains(QLatin1String("not-the-sandbox.example")))
        << mismatch.error.message.toStdString();
    EXPECT_TRUE(mismatch.error.message.contains(QLatin1String("does not match host name")))
        << mismatch.error.message.toStdString();
    EXPECT_TRUE(mismatch.error.message.contains(QLatin1String("does not name the host")))
        << mismatch.error.message.toStdString();

    const Sql plain = query(QStringLiteral("host=127.0.0.1 port=%1 dbname=postgres user=vigil "
                                           "sslmode=disable")
                                .arg(nodePort(1)),
                            QStringLiteral("SELECT 1"));
    ASSERT_TRUE(plain.error.isError());
    EXPECT_TRUE(plain.error.message.contains(QLatin1String("no encryption")))
        << plain.error.message.toStdString();
    EXPECT_TRUE(plain.error.message.contains(QLatin1String("only accepts TLS")))
        << plain.error.message.toStdString();
}

TEST(TlsSandbox, SqlVerifyFullWithAClientCertificateOnEveryHop)
{
    VIGIL_REQUIRE_TLS_SANDBOX();
    Sandbox::ensureHealthy();
    const QString ownSsl =
        QStringLiteral("SELECT ssl, coalesce(client_dn, '') AS client_dn FROM pg_stat_ssl "
                       "WHERE pid = pg_backend_pid()");
    const QString cert = QStringLiteral("sslcert=%1 sslkey=%2")
                             .arg(services::quotedConninfoValue(Sandbox::clientCert()),
                                  services::quotedConninfoValue(Sandbox::clientKey()));
    for (int n = 1; n <= 3; ++n) {
        const Sql r = query(verified(nodePort(n), cert), ownSsl);
        ASSERT_FALSE(r.error.isError()) << r.error.toText().toStdString();
        ASSERT_EQ(r.result.rowCount(), 1);
        EXPECT_EQ(r.result.boolean(0, QStringLiteral("ssl")), true) << "node" << n;
        EXPECT_EQ(r.result.text(0, QStringLiteral("client_dn")), QStringLiteral("/CN=vigil"))
            << "node" << n;
    }
    // Through PgBouncer: verify-full towards PgBouncer (it requires TLS from clients), and the
    // backend PgBouncer uses reached PostgreSQL over TLS too (server_tls_sslmode verify-full).
    const Sql pooled = query(verified(Sandbox::pgbouncerPort()), ownSsl);
    ASSERT_FALSE(pooled.error.isError()) << pooled.error.toText().toStdString();
    EXPECT_EQ(pooled.result.boolean(0, QStringLiteral("ssl")), true);
    const Sql plain = query(QStringLiteral("host=127.0.0.1 port=%1 dbname=postgres user=vigil "
                                           "sslmode=disable")
                                .arg(Sandbox::pgbouncerPort()),
                            QStringLiteral("SELECT 1"));
    ASSERT_TRUE(plain.error.isError());
    EXPECT_TRUE(plain.error.message.contains(QLatin1String("SSL required")))
        << plain.error.message.toStdString();
    // A service file entry carries the TLS settings too (the sandbox's say verify-full).
    const Sql service = query(QStringLiteral("service=vigil-node2"), ownSsl);
    ASSERT_FALSE(service.error.isError()) << service.error.toText().toStdString();
    EXPECT_EQ(service.result.boolean(0, QStringLiteral("ssl")), true);
}

namespace {

void fill(ui::AddClusterDialog &d, const QString &name, const QString &value)
{
    auto *e = d.findChild<QLineEdit *>(name);
    ASSERT_TRUE(e) << name.toStdString();
    e->setText(value);
    Q_EMIT e->textEdited(value); // as typed: the dialog reacts to a CA file
}

struct TlsDialog
{
    TlsDialog()
        : profiles(dir.filePath(QStringLiteral("vigil.ini")), nullptr)
        , dialog(&nam, &profiles, &secrets)
    {
        fill(dialog, QStringLiteral("name"), QStringLiteral("hokm-ha-tls"));
        fill(dialog, QStringLiteral("patroniUrl"), Sandbox::patroniUrl());
        fill(dialog, QStringLiteral("user"), QStringLiteral("vigil"));
        fill(dialog, QStringLiteral("sslrootcert"), Sandbox::caFile());
        fill(dialog, QStringLiteral("sslcert"), Sandbox::clientCert());
        fill(dialog, QStringLiteral("sslkey"), Sandbox::clientKey());
        fill(dialog, QStringLiteral("restCa"), Sandbox::caFile());
        fill(dialog, QStringLiteral("restCert"), Sandbox::clientCert());
        fill(dialog, QStringLiteral("restKey"), Sandbox::clientKey());
        fill(dialog, QStringLiteral("haproxyUrl"), Sandbox::haproxyStatsUrl());
        fill(dialog, QStringLiteral("haproxyBackend"), QStringLiteral("rw"));
        fill(dialog, QStringLiteral("pgbouncerConninfo"),
             QStringLiteral("host=127.0.0.1 port=%1 dbname=pgbouncer user=pgbouncer_admin "
                            "sslrootcert=%2")
                 .arg(Sandbox::pgbouncerPort())
                 .arg(services::quotedConninfoValue(Sandbox::caFile())));
    }

    bool test()
    {
        dialog.testConnection();
        return test::waitUntil([this] { return !dialog.testModel()->summary().isEmpty(); }, 20000);
    }

    QPair<QString, QString> row(const QString &check) const
    {
        const models::ConnectionTestModel *m = dialog.testModel();
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->index(r, models::ConnectionTestModel::Check).data().toString().startsWith(check))
                return {m->index(r, models::ConnectionTestModel::Result).data().toString(),
                        m->index(r, models::ConnectionTestModel::Detail).data().toString()};
        return {};
    }

    void screenshot(const char *name)
    {
        dialog.resize(dialog.sizeHint().expandedTo(QSize(1100, 860)));
        dialog.show();
        QCoreApplication::processEvents();
        const QString dirName = QStringLiteral(VIGIL_ARTIFACTS_DIR);
        QDir().mkpath(dirName);
        EXPECT_TRUE(dialog.grab().save(dirName + QLatin1Char('/') + QLatin1String(name)));
    }

    QTemporaryDir dir;
    QNetworkAccessManager nam;
    services::MemorySecretStore secrets;
    services::ProfileStore profiles;
    ui::AddClusterDialog dialog;
};

} // namespace

TEST(TlsSandbox, AddClusterDialogTestsEveryChannelOverTls)
{
    VIGIL_REQUIRE_TLS_SANDBOX();
    Sandbox::ensureHealthy();
    TlsDialog d;
    EXPECT_EQ(d.dialog.findChild<QComboBox *>(QStringLiteral("sslmode"))->currentText(),
              QStringLiteral("verify-full"))
        << "a CA file makes the mode verify-full";
    const services::ClusterProfile p = d.dialog.profile();
    EXPECT_EQ(services::conninfoValues(p.sqlConninfo).value(QStringLiteral("sslmode")),
              QStringLiteral("verify-full"));
    ASSERT_TRUE(d.test());
    d.screenshot("addcluster-tls.png");
    EXPECT_TRUE(d.dialog.testModel()->allOk()) << d.dialog.testModel()->summary().toStdString();
    EXPECT_EQ(d.dialog.testModel()->rowCount(), 1 + 3 * 2 + 2);
    for (const char *member : {"node1", "node2", "node3"}) {
        EXPECT_EQ(d.row(QStringLiteral("%1 — REST").arg(QLatin1String(member))).first,
                  QStringLiteral("works"))
            << member;
        EXPECT_EQ(d.row(QStringLiteral("%1 — SQL").arg(QLatin1String(member))).first,
                  QStringLiteral("works"))
            << member
            << d.row(QStringLiteral("%1 — SQL").arg(QLatin1String(member))).second.toStdString();
    }
    EXPECT_EQ(d.row(QStringLiteral("PgBouncer")).first, QStringLiteral("works"))
        << d.row(QStringLiteral("PgBouncer")).second.toStdString();

    // The wrong CA for REST: the cluster view fails and says why.
    QTemporaryDir tmp;
    fill(d.dialog, QStringLiteral("restCa"), makeWrongCa(tmp));
    ASSERT_TRUE(d.test());
    d.screenshot("addcluster-tls-wrong-ca.png");
    const auto view = d.row(QStringLiteral("Cluster view"));
    EXPECT_EQ(view.first, QStringLiteral("fails"));
    EXPECT_TRUE(view.second.contains(QLatin1String("not a trusted CA")))
        << view.second.toStdString();
}

namespace {

struct CliRun
{
    int exitCode = -1;
    QString out;
};

CliRun vigilStatus(const QString &restCa)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(VIGIL_BINARY),
            {QStringLiteral("status"), QStringLiteral("--patroni"), Sandbox::patroniUrl(),
             QStringLiteral("--rest-cacert"), restCa, QStringLiteral("--rest-cert"),
             Sandbox::clientCert(), QStringLiteral("--rest-key"), Sandbox::clientKey(),
             QStringLiteral("--user"), QStringLiteral("vigil"), QStringLiteral("--sslrootcert"),
             Sandbox::caFile(), QStringLiteral("--haproxy-stats"), Sandbox::haproxyStatsUrl(),
             QStringLiteral("--pgbouncer"),
             QStringLiteral("host=127.0.0.1 port=%1 dbname=pgbouncer user=vigil sslrootcert=%2")
                 .arg(Sandbox::pgbouncerPort())
                 .arg(services::quotedConninfoValue(Sandbox::caFile()))});
    CliRun r;
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished(2000);
        return r;
    }
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAll());
    return r;
}

} // namespace

TEST(TlsSandbox, VigilStatusOverTls)
{
    VIGIL_REQUIRE_TLS_SANDBOX();
    Sandbox::ensureHealthy();
    const CliRun ok = vigilStatus(Sandbox::caFile());
    EXPECT_EQ(ok.exitCode, 0) << ok.out.toStdString();
    EXPECT_TRUE(ok.out.contains(QStringLiteral("leader %1").arg(Sandbox::leaderName())))
        << ok.out.toStdString();

    QTemporaryDir dir;
    const CliRun wrong = vigilStatus(makeWrongCa(dir));
    EXPECT_NE(wrong.exitCode, 0) << wrong.out.toStdString();
    EXPECT_TRUE(wrong.out.contains(QLatin1String("not a trusted CA"))) << wrong.out.toStdString();
}
