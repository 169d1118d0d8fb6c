// PatroniClient over HTTPS against an in-process TLS server, with a throw-away CA, server and
// client certificates made by the openssl command for this run: the CA file is trusted, an
// unknown CA is not, verifyPeer=false accepts anything, and a client certificate (key in its
// own file or in the certificate's PEM) reaches the server.
#include "services/patroni/patroniclient.h"
#include "support/eventloop.h"
#include "support/patronifakeserver.h"
#include "support/qtprinters.h"

#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::test::FakeHttpServer;
using Kind = ServiceError::Kind;

namespace {

class PatroniClientTls : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_dir = new QTemporaryDir;
        s_ready = QSslSocket::supportsSsl() &&
                  !QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty() &&
                  makeCertificates();
    }
    static void TearDownTestSuite()
    {
        delete s_dir;
        s_dir = nullptr;
    }

    void SetUp() override
    {
        if (!s_ready)
            GTEST_SKIP() << "no TLS backend or no openssl command to make test certificates";
    }

    static QString file(const char *name) { return s_dir->filePath(QString::fromLatin1(name)); }

    static bool openssl(const QStringList &args)
    {
        QProcess p;
        p.setWorkingDirectory(s_dir->path());
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral("openssl"), args);
        const bool ok =
            p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
        if (!ok)
            ADD_FAILURE() << "openssl " << args.join(QLatin1Char(' ')).toStdString() << ":\n"
                          << p.readAll().toStdString();
        return ok;
    }

    static bool makeCa(const QString &stem, const QString &name)
    {
        return openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                        QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                        QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                        QStringLiteral("-keyout"), stem + QStringLiteral(".key"),
                        QStringLiteral("-out"), stem + QStringLiteral(".pem"),
                        QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                        QStringLiteral("/CN=") + name});
    }

    // A certificate for `cn` signed by ca.pem; `keyType` "ec" or "rsa:2048"; `ext` its extensions.
    static bool makeSigned(const QString &stem, const QString &cn, const QString &keyType,
                           const QByteArray &ext)
    {
        QFile e(file("ext.cnf"));
        if (!e.open(QIODevice::WriteOnly) || e.write(ext) != ext.size())
            return false;
        e.close();
        QStringList req{QStringLiteral("req"), QStringLiteral("-newkey"), keyType};
        if (keyType == QLatin1String("ec"))
            req << QStringLiteral("-pkeyopt") << QStringLiteral("ec_paramgen_curve:prime256v1");
        req << QStringLiteral("-nodes") << QStringLiteral("-keyout")
            << stem + QStringLiteral(".key") << QStringLiteral("-out")
            << stem + QStringLiteral(".csr") << QStringLiteral("-subj")
            << QStringLiteral("/CN=") + cn;
        return openssl(req) &&
               openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                        stem + QStringLiteral(".csr"), QStringLiteral("-CA"),
                        QStringLiteral("ca.pem"), QStringLiteral("-CAkey"),
                        QStringLiteral("ca.key"), QStringLiteral("-CAcreateserial"),
                        QStringLiteral("-out"), stem + QStringLiteral(".pem"),
                        QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"),
                        QStringLiteral("ext.cnf")});
    }

    // A certificate for 127.0.0.1 signed by ca.pem that expired on 2020-01-02 (openssl ca sets
    // past dates; openssl x509 cannot).
    static bool makeExpired()
    {
        const QByteArray conf = "[ca]\ndefault_ca=c\n[c]\ndatabase=index.txt\nnew_certs_dir=.\n"
                                "serial=serial\ndefault_md=sha256\npolicy=p\n[p]\n"
                                "commonName=supplied\n";
        for (const auto &[name, content] : {std::pair<const char *, QByteArray>{"ca.cnf", conf},
                                            {"index.txt", {}},
                                            {"serial", "01\n"},
                                            {"expired.cnf", "subjectAltName=IP:127.0.0.1\n"}}) {
            QFile f(file(name));
            if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
                return false;
        }
        return openssl({QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                        QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"),
                        QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                        QStringLiteral("expired.key"), QStringLiteral("-out"),
                        QStringLiteral("expired.csr"), QStringLiteral("-subj"),
                        QStringLiteral("/CN=127.0.0.1")}) &&
               openssl({QStringLiteral("ca"), QStringLiteral("-batch"), QStringLiteral("-config"),
                        QStringLiteral("ca.cnf"), QStringLiteral("-cert"), QStringLiteral("ca.pem"),
                        QStringLiteral("-keyfile"), QStringLiteral("ca.key"), QStringLiteral("-in"),
                        QStringLiteral("expired.csr"), QStringLiteral("-out"),
                        QStringLiteral("expired.pem"), QStringLiteral("-extfile"),
                        QStringLiteral("expired.cnf"), QStringLiteral("-startdate"),
                        QStringLiteral("20200101000000Z"), QStringLiteral("-enddate"),
                        QStringLiteral("20200102000000Z"), QStringLiteral("-notext")});
    }

    static bool makeCertificates()
    {
        if (!s_dir->isValid())
            return false;
        if (!makeCa(QStringLiteral("ca"), QStringLiteral("Vigil Test CA")) ||
            !makeCa(QStringLiteral("other-ca"), QStringLiteral("Some Other CA")) ||
            !makeSigned(QStringLiteral("server"), QStringLiteral("127.0.0.1"), QStringLiteral("ec"),
                        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n") ||
            !makeSigned(QStringLiteral("client"), QStringLiteral("vigil-client"),
                        QStringLiteral("rsa:2048"), "extendedKeyUsage=clientAuth\n") ||
            !makeSigned(QStringLiteral("wrongname"), QStringLiteral("wrong.example"),
                        QStringLiteral("ec"),
                        "subjectAltName=DNS:wrong.example\nextendedKeyUsage=serverAuth\n") ||
            !makeExpired())
            return false;
        // The client certificate and its key in one PEM file, as some deployments ship them.
        QFile combined(file("client-combined.pem"));
        QFile cert(file("client.pem")), key(file("client.key"));
        return combined.open(QIODevice::WriteOnly) && cert.open(QIODevice::ReadOnly) &&
               key.open(QIODevice::ReadOnly) && combined.write(cert.readAll() + key.readAll()) > 0;
    }

    static QSslConfiguration serverTls(const char *stem = "server")
    {
        const QByteArray s(stem);
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        conf.setLocalCertificateChain(QSslCertificate::fromPath(file(s + ".pem")));
        QFile k(file(s + ".key"));
        EXPECT_TRUE(k.open(QIODevice::ReadOnly));
        conf.setPrivateKey(QSslKey(k.readAll(), QSsl::Ec));
        conf.setCaCertificates(QSslCertificate::fromPath(file("ca.pem")));
        conf.setPeerVerifyMode(QSslSocket::QueryPeer); // ask for a client certificate, not require
        return conf;
    }

    Result<PatroniCluster> getCluster(const PatroniEndpoint &ep)
    {
        PatroniClient client(&m_nam, ep);
        std::optional<Result<PatroniCluster>> got;
        client.getCluster([&](const Result<PatroniCluster> &r) { got = r; });
        EXPECT_TRUE(vigil::test::waitUntil([&] { return got.has_value(); }, 10000));
        if (!got)
            return ServiceError::make(Kind::Cancelled, {}, {}, {}, {});
        return *got;
    }

    QNetworkAccessManager m_nam;
    static inline QTemporaryDir *s_dir = nullptr;
    static inline bool s_ready = false;
};

QByteArray clusterJson()
{
    QFile f(QStringLiteral(VIGIL_FIXTURES_DIR "/patroni/cluster.json"));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

TEST_F(PatroniClientTls, TrustsTheCaFileAndVerifiesThePeer)
{
    FakeHttpServer server(serverTls());
    ASSERT_TRUE(server.listening());
    server.answerWith(200, clusterJson(), "OK");
    PatroniEndpoint ep;
    ep.baseUrl = server.url();
    ep.caFile = file("ca.pem");
    const auto ok = getCluster(ep);
    ASSERT_TRUE(ok.ok()) << ok.error().toText().toStdString();
    EXPECT_EQ(ok.value().members.size(), 3);
    ASSERT_EQ(server.distinctRequests().size(), 1) << server.describe();
    EXPECT_TRUE(server.requests()[0].clientCertificate.isEmpty());

    // The system roots do not know our CA, nor does another CA file.
    ep.caFile.clear();
    const auto untrusted = getCluster(ep);
    ASSERT_FALSE(untrusted.ok());
    EXPECT_EQ(untrusted.error().kind, Kind::Connect);
    EXPECT_TRUE(untrusted.error().message.contains(QStringLiteral("TLS handshake")))
        << untrusted.error().message.toStdString();
    ep.caFile = file("other-ca.pem");
    const auto wrongCa = getCluster(ep);
    ASSERT_FALSE(wrongCa.ok());
    EXPECT_EQ(wrongCa.error().kind, Kind::Connect);
    // The reason, from QSslError: who signed the certificate, and what to change.
    EXPECT_TRUE(wrongCa.error().message.contains(QLatin1String("signed by \"Vigil Test CA\"")))
        << wrongCa.error().message.toStdString();
    EXPECT_TRUE(wrongCa.error().message.contains(QLatin1String("not a trusted CA")))
        << wrongCa.error().message.toStdString();
    EXPECT_TRUE(wrongCa.error().message.contains(server.url().toString()))
        << wrongCa.error().message.toStdString();

    // verifyPeer off: any certificate is accepted (the user chose so in the profile).
    ep.verifyPeer = false;
    const auto unverified = getCluster(ep);
    EXPECT_TRUE(unverified.ok()) << unverified.error().toText().toStdString();
}

TEST_F(PatroniClientTls, PresentsTheClientCertificate)
{
    FakeHttpServer server(serverTls());
    server.answerWith(200, clusterJson(), "OK");
    PatroniEndpoint ep;
    ep.baseUrl = server.url();
    ep.caFile = file("ca.pem");
    ep.certFile = file("client.pem");
    ep.keyFile = file("client.key");
    QSignalSpy replies(&m_nam, &QNetworkAccessManager::finished); // what was sent, exactly
    const auto separate = getCluster(ep);
    ASSERT_TRUE(separate.ok()) << separate.error().toText().toStdString();

    ep.certFile = file("client-combined.pem");
    ep.keyFile.clear();
    const auto combined = getCluster(ep);
    ASSERT_TRUE(combined.ok()) << combined.error().toText().toStdString();

    // Two requests, identical on the wire (so distinctRequests cannot tell them from Qt's
    // resend): counted at the replies; every one the server saw carried the certificate.
    EXPECT_EQ(replies.count(), 2);
    ASSERT_GE(server.requests().size(), 2) << server.describe();
    for (const auto &r : server.requests())
        EXPECT_EQ(r.clientCertificate, QStringLiteral("vigil-client"));
}

TEST_F(PatroniClientTls, UnusableCertificateOrKeyFilesAreNamed)
{
    PatroniEndpoint ep;
    ep.baseUrl = QUrl(QStringLiteral("https://127.0.0.1:1"));
    ep.caFile = file("ca.pem");
    ep.certFile = file("client.pem"); // no key in it, and no key file
    auto r = getCluster(ep);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().message.contains(file("client.pem"))) << r.error().message.toStdString();
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("private key")));

    ep.keyFile = file("missing.key");
    r = getCluster(ep);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().message.contains(file("missing.key")));

    ep.certFile = file("ext.cnf"); // readable, but not a certificate
    ep.keyFile = file("client.key");
    r = getCluster(ep);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("holds no PEM certificate")));
}

TEST_F(PatroniClientTls, NameMismatchAndExpiryAreNamedNeverIgnored)
{
    struct Case
    {
        const char *stem;
        QStringList says;
    };
    const QList<Case> cases = {
        {"wrongname",
         {QStringLiteral("issued for wrong.example"), QStringLiteral("name mismatch")}},
        {"expired", {QStringLiteral("expired on 2020-01-02T00:00:00Z")}},
    };
    for (const Case &c : cases) {
        FakeHttpServer server(serverTls(c.stem));
        ASSERT_TRUE(server.listening());
        server.answerWith(200, clusterJson(), "OK");
        PatroniEndpoint ep;
        ep.baseUrl = server.url();
        ep.caFile = file("ca.pem");
        const auto r = getCluster(ep);
        ASSERT_FALSE(r.ok()) << c.stem;
        EXPECT_EQ(r.error().kind, Kind::Connect);
        EXPECT_EQ(r.error().host, QStringLiteral("127.0.0.1:%1").arg(server.url().port()));
        for (const QString &text : c.says)
            EXPECT_TRUE(r.error().message.contains(text))
                << c.stem << ": " << r.error().message.toStdString();
        EXPECT_TRUE(server.requests().isEmpty()) << c.stem << ": nothing was sent";
    }
}

// Patroni over TLS answers without a Content-Length and then holds the connection until the
// client's close_notify, which Qt never sends: the answer must still arrive, complete, long
// before the deadline, for JSON reads and text actions alike.
TEST_F(PatroniClientTls, AnUnframedAnswerOnAHeldConnectionArrives)
{
    FakeHttpServer server(serverTls());
    FakeHttpServer::Answer held;
    held.body = clusterJson();
    held.holdOpen = true;
    server.setAnswer(held);
    PatroniEndpoint ep;
    ep.baseUrl = server.url();
    ep.caFile = file("ca.pem");
    QElapsedTimer clock;
    clock.start();
    const auto r = getCluster(ep);
    ASSERT_TRUE(r.ok()) << r.error().toText().toStdString();
    EXPECT_EQ(r.value().members.size(), 3);
    EXPECT_LT(clock.elapsed(), 1500) << "not by the 2 s deadline";

    held.contentType = "text/html";
    held.body = "reload scheduled";
    server.setAnswer(held);
    PatroniClient client(&m_nam, ep);
    std::optional<Result<PatroniActionResult>> got;
    client.reload([&](const Result<PatroniActionResult> &a) { got = a; });
    ASSERT_TRUE(vigil::test::waitUntil([&] { return got.has_value(); }, 10000));
    ASSERT_TRUE(got->ok()) << got->error().toText().toStdString();
    EXPECT_EQ(got->value().body, QStringLiteral("reload scheduled"));
}

// Every exchange on a held https connection ends with an abort (the answer complete, or the
// deadline): it must close that connection. Qt opens at most six per host, so with held ones left
// open the seventh request to the server would wait in Qt's queue until its own deadline, and so
// would every later one (the TLS drill's stall: six idle ESTABLISHED sockets to node1's REST).
TEST_F(PatroniClientTls, HeldConnectionsAreClosedOnceTheExchangeEnds)
{
    FakeHttpServer server(serverTls());
    PatroniEndpoint ep;
    ep.baseUrl = server.url();
    ep.caFile = file("ca.pem");

    FakeHttpServer::Answer hang;
    hang.hang = true;
    server.setAnswer(hang);
    for (int i = 0; i < 7; ++i) {
        PatroniClient client(&m_nam, ep);
        client.setTimeout(std::chrono::milliseconds(300));
        std::optional<Result<PatroniCluster>> got;
        client.getCluster([&](const Result<PatroniCluster> &r) { got = r; });
        ASSERT_TRUE(vigil::test::waitUntil([&] { return got.has_value(); }, 10000));
        ASSERT_FALSE(got->ok());
        EXPECT_EQ(got->error().kind, Kind::Timeout) << got->error().toText().toStdString();
    }

    FakeHttpServer::Answer held;
    held.body = clusterJson();
    held.holdOpen = true;
    server.setAnswer(held);
    // A generous deadline (a loaded machine is slow, not wrong): a request queued behind
    // connections left open would wait for any deadline, since nothing ever frees them.
    for (int i = 0; i < 8; ++i) {
        PatroniClient client(&m_nam, ep);
        client.setTimeout(std::chrono::milliseconds(8000));
        std::optional<Result<PatroniCluster>> got;
        client.getCluster([&](const Result<PatroniCluster> &r) { got = r; });
        ASSERT_TRUE(vigil::test::waitUntil([&] { return got.has_value(); }, 20000));
        ASSERT_TRUE(got->ok()) << "request " << i + 1 << " waited for a connection: "
                               << got->error().toText().toStdString();
    }
    EXPECT_EQ(server.requests().size(), 15) << "every request reached the server";
}
