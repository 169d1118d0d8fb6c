// The one reading of a conninfo's password (services/postgres/conninfo.h): what libpq's
// PQconninfoParse says, for the keyword form, URIs, quoting, keyword case and malformed input.
#include "services/postgres/conninfo.h"
#include "support/qtprinters.h"

#include <gtest/gtest.h>

using namespace vigil::services;

TEST(Conninfo, KeywordPassword)
{
    EXPECT_TRUE(conninfoCarriesPassword(QStringLiteral("password=x")));
    EXPECT_TRUE(conninfoCarriesPassword(QStringLiteral("host=h user=u password=x dbname=d")));
    EXPECT_TRUE(conninfoCarriesPassword(QStringLiteral("host=h  password = 'x'")));
    const ConninfoReading r = readConninfo(QStringLiteral("password=x"));
    EXPECT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_TRUE(r.password);
}

TEST(Conninfo, QuotedValues)
{
    EXPECT_TRUE(conninfoCarriesPassword(QStringLiteral("password='it\\'s a secret'")));
    EXPECT_TRUE(conninfoCarriesPassword(QStringLiteral("password='a b'user=u")));
    // The word "password" inside another option's value is not a password.
    EXPECT_FALSE(conninfoCarriesPassword(QStringLiteral("application_name='password=x' dbname=d")));
    EXPECT_FALSE(conninfoCarriesPassword(QStringLiteral("options='-c password=x'")));
}

TEST(Conninfo, KeywordCaseIsLibpqs)
{
    // libpq's keywords are case-sensitive: PASSWORD is an invalid option, not a password.
    const ConninfoReading r = readConninfo(QStringLiteral("PASSWORD=x"));
    EXPECT_FALSE(r.ok());
    EXPECT_FALSE(r.password);
    EXPECT_TRUE(r.error.contains(QLatin1String("PASSWORD"))) << r.error.toStdString();
    EXPECT_FALSE(conninfoCarriesPassword(QStringLiteral("PASSWORD=x")));
    EXPECT_FALSE(readConninfo(QStringLiteral("host=h Password=x")).ok());
}

TEST(Conninfo, UriPassword)
{
    EXPECT_TRUE(conninfoCarriesPassword(QStringLiteral("postgresql://u:pw@h/db")));
    EXPECT_TRUE(conninfoCarriesPassword(QStringLiteral("postgres://u:pw@h:5432,h2:5433/db")));
    EXPECT_TRUE(conninfoCarriesPassword(QStringLiteral("postgres://h/db?password=p")));
    EXPECT_TRUE(
        conninfoCarriesPassword(QStringLiteral("postgresql://h/db?sslmode=require&password=p")));
    EXPECT_TRUE(conninfoCarriesPassword(QStringLiteral("postgresql://h/db?pass%77ord=p")))
        << "percent-encoded keyword";
    EXPECT_FALSE(conninfoCarriesPassword(QStringLiteral("postgresql://u@h/db")));
    EXPECT_FALSE(conninfoCarriesPassword(QStringLiteral("postgresql://u:@h/db")))
        << "an empty password is none for libpq";
    EXPECT_FALSE(conninfoCarriesPassword(QStringLiteral("postgresql://h/db?sslmode=require")));
    // Query keywords are case-sensitive too: an invalid parameter.
    EXPECT_FALSE(readConninfo(QStringLiteral("postgresql://h/db?PASSWORD=p")).ok());
}

TEST(Conninfo, NoPassword)
{
    for (const char *c : {"", "service=prod", "host=h passfile=/x/pgpass", "dbname=postgres",
                          "host=h port=5432 user=u dbname=d sslmode=require"}) {
        const ConninfoReading r = readConninfo(QLatin1String(c));
        EXPECT_TRUE(r.ok()) << c << ": " << r.error.toStdString();
        EXPECT_FALSE(r.password) << c;
    }
    EXPECT_FALSE(readConninfo(QStringLiteral("password=")).password)
        << "an empty password is none for libpq";
}

TEST(Conninfo, MalformedInputIsAClearError)
{
    for (const char *c :
         {"host", "host=h password='unterminated", "bogus=1", "=x", "postgresql://h/db?bogus=1",
          "postgresql://[::1/db", "postgresql://h/db?sslmode"}) {
        const ConninfoReading r = readConninfo(QLatin1String(c));
        EXPECT_FALSE(r.ok()) << c;
        EXPECT_FALSE(r.error.isEmpty()) << c;
        EXPECT_FALSE(r.error.endsWith(QLatin1Char('\n'))) << c;
        EXPECT_FALSE(conninfoCarriesPassword(QLatin1String(c))) << c;
    }
    EXPECT_TRUE(readConninfo(QStringLiteral("host")).error.contains(QLatin1String("=")))
        << readConninfo(QStringLiteral("host")).error.toStdString();
}

TEST(Conninfo, WithoutPasswordKeywordForm)
{
    EXPECT_EQ(conninfoWithoutPassword(QStringLiteral("host=a password=s3cr3t dbname=pgbouncer")),
              QStringLiteral("host=a dbname=pgbouncer"));
    EXPECT_EQ(conninfoWithoutPassword(QStringLiteral("password = 'it\\'s x' user=u")),
              QStringLiteral("user=u"));
    EXPECT_EQ(conninfoWithoutPassword(QStringLiteral("password='a b'user=u")),
              QStringLiteral("user=u"));
    EXPECT_EQ(conninfoWithoutPassword(QStringLiteral("application_name='a  b' password=x")),
              QStringLiteral("application_name='a  b'"))
        << "quoted values are kept as written";
    EXPECT_EQ(conninfoWithoutPassword(QStringLiteral("  service=prod  ")),
              QStringLiteral("service=prod"));
    EXPECT_EQ(conninfoWithoutPassword(QStringLiteral("PASSWORD=x host=h")),
              QStringLiteral("host=h"))
        << "an invalid password pair is dropped all the same";
    EXPECT_EQ(conninfoWithoutPassword(QStringLiteral("host=h password='unterminated")),
              QStringLiteral("host=h"));
    EXPECT_FALSE(conninfoCarriesPassword(
        conninfoWithoutPassword(QStringLiteral("password=a host=h password=b"))));
}

TEST(Conninfo, WithoutPasswordUriForm)
{
    EXPECT_EQ(conninfoWithoutPassword(
                  QStringLiteral("postgresql://u:s3cr3t@h:5432/db?password=x&sslmode=require")),
              QStringLiteral("postgresql://u@h:5432/db?sslmode=require"));
    EXPECT_EQ(conninfoWithoutPassword(QStringLiteral("postgres://u:p?w@h1:5432,h2:5433/db")),
              QStringLiteral("postgres://u@h1:5432,h2:5433/db"));
    EXPECT_EQ(conninfoWithoutPassword(QStringLiteral("postgresql://h/db?password=x")),
              QStringLiteral("postgresql://h/db"));
    EXPECT_EQ(conninfoWithoutPassword(QStringLiteral("postgresql://u@h/db?sslmode=require")),
              QStringLiteral("postgresql://u@h/db?sslmode=require"));
    EXPECT_EQ(conninfoWithoutPassword(QStringLiteral("postgresql:///db?host=/tmp")),
              QStringLiteral("postgresql:///db?host=/tmp"));
}

TEST(Conninfo, QuotedValueIsReadBackByLibpq)
{
    EXPECT_EQ(quotedConninfoValue(QStringLiteral("o'brien")), QStringLiteral("'o\\'brien'"));
    EXPECT_EQ(quotedConninfoValue(QStringLiteral("a\\b")), QStringLiteral("'a\\\\b'"));
    EXPECT_EQ(quotedConninfoValue(QString()), QStringLiteral("''"));
    for (const char *v : {"my db", "o'brien", "back\\slash", "'", "password=x"}) {
        const QString conninfo = QStringLiteral("dbname=") + quotedConninfoValue(QLatin1String(v));
        const ConninfoReading r = readConninfo(conninfo);
        EXPECT_TRUE(r.ok()) << v << ": " << r.error.toStdString();
        EXPECT_FALSE(r.password) << v;
    }
}

TEST(Conninfo, UriFormIsLibpqs)
{
    EXPECT_TRUE(conninfoIsUri(QStringLiteral("postgresql://h/db")));
    EXPECT_TRUE(conninfoIsUri(QStringLiteral("postgres://h/db")));
    EXPECT_FALSE(conninfoIsUri(QStringLiteral("host=h dbname=postgresql://x")));
    EXPECT_FALSE(conninfoIsUri(QStringLiteral("POSTGRESQL://h/db")));
    EXPECT_FALSE(readConninfo(QStringLiteral("POSTGRESQL://h/db")).ok())
        << "libpq compares the prefix case-sensitively, so this is a keyword string";
}

TEST(Conninfo, ValuesAreLibpqsReading)
{
    const auto v = conninfoValues(
        QStringLiteral("dbname=app sslmode = 'verify-ca' sslrootcert='/etc/my ca.pem' sslkey="));
    EXPECT_EQ(v.value(QStringLiteral("dbname")), QStringLiteral("app"));
    EXPECT_EQ(v.value(QStringLiteral("sslmode")), QStringLiteral("verify-ca"));
    EXPECT_EQ(v.value(QStringLiteral("sslrootcert")), QStringLiteral("/etc/my ca.pem"));
    EXPECT_FALSE(v.contains(QStringLiteral("sslkey"))); // empty: not set
    EXPECT_FALSE(v.contains(QStringLiteral("host")));
    EXPECT_TRUE(conninfoValues(QStringLiteral("dbname='unterminated")).isEmpty());
    EXPECT_EQ(conninfoValues(QStringLiteral("postgresql:///app?sslrootcert=/ca.pem"))
                  .value(QStringLiteral("sslrootcert")),
              QStringLiteral("/ca.pem"));
}

TEST(Conninfo, TlsDefaultIsVerifyFullWhenACaIsGiven)
{
    EXPECT_EQ(conninfoWithTlsDefault(QStringLiteral("dbname=postgres sslrootcert=/ca.pem")),
              QStringLiteral("dbname=postgres sslrootcert=/ca.pem sslmode=verify-full"));
    // An explicit mode is the user's choice, even a weaker one.
    EXPECT_EQ(conninfoWithTlsDefault(QStringLiteral("sslrootcert=/ca.pem sslmode=require")),
              QStringLiteral("sslrootcert=/ca.pem sslmode=require"));
    // No CA: libpq's defaults stay (a service file may carry its own TLS settings).
    EXPECT_EQ(conninfoWithTlsDefault(QStringLiteral("service=prod")),
              QStringLiteral("service=prod"));
    EXPECT_EQ(conninfoWithTlsDefault(QStringLiteral("postgresql:///app?sslrootcert=/ca.pem")),
              QStringLiteral("postgresql:///app?sslrootcert=/ca.pem&sslmode=verify-full"));
    EXPECT_EQ(conninfoWithTlsDefault(QStringLiteral("postgresql://h/app")),
              QStringLiteral("postgresql://h/app"));
    const QString broken = QStringLiteral("sslrootcert='/ca.pem");
    EXPECT_EQ(conninfoWithTlsDefault(broken), broken);
    // The result is what libpq reads.
    EXPECT_EQ(conninfoValues(conninfoWithTlsDefault(QStringLiteral("sslrootcert=/ca.pem")))
                  .value(QStringLiteral("sslmode")),
              QStringLiteral("verify-full"));
}
