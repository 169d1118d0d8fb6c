// http::transportError: the words for transport failures that no in-process server produces
// easily. The error texts are Qt's, recorded against the TLS sandbox (sandbox.sh up --tls) with a
// client certificate from a CA the Patroni REST API does not trust (faultdrills_tls_test's drill).
#include "services/http/httpcall.h"
#include "support/qtprinters.h"

#include <gtest/gtest.h>

using namespace vigil::services;
using namespace std::chrono_literals;

namespace {

ServiceError failure(QNetworkReply::NetworkError error, const QString &text,
                     bool clientCertificate = false)
{
    http::Outcome out;
    out.error = error;
    out.errorText = text;
    out.presentedClientCertificate = clientCertificate;
    return http::transportError(out, QStringLiteral("GET /cluster"),
                                QUrl(QStringLiteral("https://127.0.0.1:59320/cluster")), 3000ms);
}

} // namespace

TEST(TransportError, AClientCertificateTheServerRefusesIsNamed)
{
    // TLS 1.3: the alert arrives on the first read, after the client's handshake was done.
    const ServiceError e = failure(
        QNetworkReply::UnknownNetworkError,
        QStringLiteral("Error while reading: error:0A000418:SSL routines::tlsv1 alert unknown ca"));
    EXPECT_EQ(e.kind, ServiceError::Kind::Connect);
    EXPECT_EQ(e.host, QStringLiteral("127.0.0.1:59320"));
    EXPECT_TRUE(e.message.startsWith(
        QLatin1String("https://127.0.0.1:59320/cluster refused Vigil's TLS client certificate")))
        << e.message.toStdString();
    EXPECT_TRUE(e.message.contains(QLatin1String("TLS alert \"unknown ca\"")))
        << e.message.toStdString();
    EXPECT_TRUE(e.message.contains(QLatin1String("profile's client certificate")))
        << e.message.toStdString();
    EXPECT_TRUE(e.message.contains(QLatin1String("error:0A000418"))) << "Qt's own words stay";

    // TLS 1.2: the same alert as a handshake failure.
    const ServiceError h = failure(QNetworkReply::SslHandshakeFailedError,
                                   QStringLiteral("Error during SSL handshake: error:0A000412:SSL "
                                                  "routines::sslv3 alert bad certificate"));
    EXPECT_TRUE(h.message.contains(QLatin1String("refused Vigil's TLS client certificate")))
        << h.message.toStdString();
    EXPECT_TRUE(h.message.contains(QLatin1String("\"bad certificate\"")))
        << h.message.toStdString();
}

TEST(TransportError, OtherReadErrorsAreNotBlamedOnTheCertificate)
{
    const ServiceError e = failure(QNetworkReply::UnknownNetworkError,
                                   QStringLiteral("Error while reading: unexpected eof"));
    EXPECT_EQ(e.kind, ServiceError::Kind::Connect);
    EXPECT_FALSE(e.message.contains(QLatin1String("certificate"))) << e.message.toStdString();
    EXPECT_TRUE(e.message.contains(QLatin1String("unexpected eof"))) << e.message.toStdString();
}

// TLS 1.3 again, but the server's reset reached Qt before its alert (one member of three in a
// sanitized run of the drill): with a client certificate presented, the closed connection names
// the certificate as the likely reason; without one, it is only a closed connection.
TEST(TransportError, AConnectionClosedAfterAClientCertificateNamesIt)
{
    const QString closed = QStringLiteral("Connection closed");
    const ServiceError withCert =
        failure(QNetworkReply::RemoteHostClosedError, closed, /*clientCertificate=*/true);
    EXPECT_EQ(withCert.kind, ServiceError::Kind::Connect);
    EXPECT_TRUE(withCert.message.startsWith(
        QLatin1String("https://127.0.0.1:59320/cluster closed the connection without answering.")))
        << withCert.message.toStdString();
    EXPECT_TRUE(withCert.message.contains(QLatin1String("refused Vigil's TLS client certificate")))
        << withCert.message.toStdString();
    EXPECT_TRUE(withCert.message.contains(QLatin1String("profile's client certificate")));

    const ServiceError without = failure(QNetworkReply::RemoteHostClosedError, closed);
    EXPECT_EQ(without.message,
              QStringLiteral("https://127.0.0.1:59320/cluster closed the connection without "
                             "answering."));
}
