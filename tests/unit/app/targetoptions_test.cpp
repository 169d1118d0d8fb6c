// The one target-option set of the commands: the same verdict on a conninfo or a Patroni URL
// whatever the command, each family's options and defaults.
#include "app/commands/operationcommandoptions.h"
#include "app/commands/targetoptions.h"

#include <gtest/gtest.h>

using vigil::app::OperationCommandOptions;
using vigil::app::TargetOptions;
using Use = TargetOptions::Use;

namespace {

// Parses `args` (after the program name) with the options of `use`; returns read()'s verdict.
QString readWith(TargetOptions &options, QStringList args)
{
    QCommandLineParser parser;
    options.addTo(parser);
    args.prepend(QStringLiteral("vigil"));
    if (!parser.parse(args))
        return QStringLiteral("parse: ") + parser.errorText();
    return options.read(parser);
}

QString verdict(Use use, const QStringList &args)
{
    TargetOptions options(use);
    return readWith(options, args);
}

const QString kPatroni = QStringLiteral("--patroni");
const QString kUrl = QStringLiteral("http://127.0.0.1:8008");

} // namespace

TEST(TargetOptions, EveryCommandJudgesAConninfoAlike)
{
    struct Case
    {
        const char *sql;
        const char *says; // empty: accepted
    };
    const QList<Case> cases = {
        {"password=x", "--sql carries a password"},
        {"host=h password = 'x y'", "--sql carries a password"},
        {"postgresql://u:pw@h/db", "--sql carries a password"},
        {"postgresql://h/db?password=pw", "--sql carries a password"},
        {"PASSWORD=x", "invalid connection option \"PASSWORD\""},
        {"host", "--sql is not a valid libpq conninfo"},
        {"service=prod sslmode=require", ""},
        {"postgresql://u@h/db", ""},
    };
    for (const auto &c : cases) {
        QStringList messages;
        for (Use use : {Use::Status, Use::Operation, Use::Diagnostics})
            messages << verdict(use,
                                {kPatroni, kUrl, QStringLiteral("--sql"), QLatin1String(c.sql)});
        EXPECT_EQ(messages[0], messages[1]) << c.sql;
        EXPECT_EQ(messages[0], messages[2]) << c.sql;
        if (*c.says)
            EXPECT_TRUE(messages[0].contains(QLatin1String(c.says)))
                << c.sql << ": " << messages[0].toStdString();
        else
            EXPECT_TRUE(messages[0].isEmpty()) << c.sql << ": " << messages[0].toStdString();
    }
}

TEST(TargetOptions, EveryCommandJudgesAPatroniUrlAlike)
{
    for (const char *url : {"ftp://x", "http://u:pw@h:8008", "http://"}) {
        const QString status = verdict(Use::Status, {kPatroni, QLatin1String(url)});
        EXPECT_FALSE(status.isEmpty()) << url;
        EXPECT_EQ(status, verdict(Use::Operation, {kPatroni, QLatin1String(url)})) << url;
        EXPECT_EQ(status, verdict(Use::Diagnostics, {kPatroni, QLatin1String(url)})) << url;
    }
    EXPECT_TRUE(verdict(Use::Operation, {kPatroni, QStringLiteral("http://u:pw@h:8008")})
                    .contains(QLatin1String("VIGIL_REST_PASSWORD")));
}

TEST(TargetOptions, DiagnosticsNeedPatroniOrSql)
{
    EXPECT_TRUE(verdict(Use::Diagnostics, {}).contains(QLatin1String("--sql CONNINFO")));
    TargetOptions options(Use::Diagnostics);
    ASSERT_EQ(readWith(options, {QStringLiteral("--sql"), QStringLiteral("service=prod"),
                                 QStringLiteral("--json")}),
              QString());
    const auto &v = options.values();
    EXPECT_TRUE(v.patroniUrls.isEmpty());
    EXPECT_EQ(v.sqlConninfo, QStringLiteral("service=prod"));
    EXPECT_EQ(v.timeoutMs, 10000);
    EXPECT_TRUE(v.json);
    ASSERT_EQ(
        readWith(options, {kPatroni, kUrl, QStringLiteral("--member"), QStringLiteral("node2"),
                           QStringLiteral("--timeout"), QStringLiteral("1500")}),
        QString());
    EXPECT_EQ(options.values().member, QStringLiteral("node2"));
    EXPECT_TRUE(options.values().sqlConninfo.isEmpty()) << "connectTarget's default applies";
    EXPECT_EQ(options.values().timeoutMs, 1500);
    EXPECT_TRUE(verdict(Use::Diagnostics,
                        {kPatroni, kUrl, QStringLiteral("--timeout"), QStringLiteral("soon")})
                    .contains(QLatin1String("--timeout")));
}

TEST(TargetOptions, EachFamilyOffersItsOptions)
{
    EXPECT_TRUE(
        verdict(Use::Operation, {kPatroni, kUrl, QStringLiteral("--timeout"), QStringLiteral("5")})
            .startsWith(QLatin1String("parse: ")));
    EXPECT_TRUE(verdict(Use::Diagnostics, {kPatroni, kUrl, QStringLiteral("--pgbouncer"),
                                           QStringLiteral("port=6432")})
                    .startsWith(QLatin1String("parse: ")));
    EXPECT_TRUE(
        verdict(Use::Status, {kPatroni, kUrl, QStringLiteral("--member"), QStringLiteral("n")})
            .startsWith(QLatin1String("parse: ")));
}

TEST(TargetOptions, ValuesFillAProfile)
{
    TargetOptions options(Use::Operation);
    ASSERT_EQ(readWith(options, {kPatroni, kUrl, kPatroni, QStringLiteral("http://b:8008"),
                                 QStringLiteral("--pgbouncer"), QStringLiteral("port=6432"),
                                 QStringLiteral("--rest-user"), QStringLiteral("patroni")}),
              QString());
    vigil::services::ClusterProfile profile;
    const int deadline = profile.memberDeadlineMs;
    options.values().applyTo(profile);
    EXPECT_EQ(profile.name, QStringLiteral("127.0.0.1:8008"));
    EXPECT_EQ(profile.patroniUrl, QUrl(kUrl));
    EXPECT_EQ(profile.patroniFallbackUrls, QList<QUrl>{QUrl(QStringLiteral("http://b:8008"))});
    EXPECT_EQ(profile.sqlConninfo, QStringLiteral("dbname=postgres"));
    EXPECT_EQ(profile.pgbouncerConninfo, QStringLiteral("port=6432"));
    EXPECT_EQ(profile.restUser, QStringLiteral("patroni"));
    EXPECT_EQ(profile.haproxyReadWriteBackend, QStringLiteral("primary"));
    EXPECT_EQ(profile.memberDeadlineMs, deadline) << "operations have no --timeout";
}

TEST(TargetOptions, TlsFilesReachTheProfileWithVerifyFullByDefault)
{
    for (Use use : {Use::Status, Use::Operation, Use::Diagnostics}) {
        TargetOptions options(use);
        ASSERT_EQ(readWith(options, {kPatroni, QStringLiteral("https://127.0.0.1:8008"),
                                     QStringLiteral("--rest-cacert"), QStringLiteral("/ca.crt"),
                                     QStringLiteral("--rest-cert"), QStringLiteral("/c.crt"),
                                     QStringLiteral("--rest-key"), QStringLiteral("/c.key"),
                                     QStringLiteral("--sql"), QStringLiteral("dbname=app"),
                                     QStringLiteral("--sslrootcert"), QStringLiteral("/ca.crt"),
                                     QStringLiteral("--sslcert"), QStringLiteral("/c.crt"),
                                     QStringLiteral("--sslkey"), QStringLiteral("/my c.key")}),
                  QString());
        const auto &v = options.values();
        EXPECT_EQ(v.sqlConninfo, QStringLiteral("dbname=app sslrootcert='/ca.crt' "
                                                "sslcert='/c.crt' sslkey='/my c.key' "
                                                "sslmode=verify-full"));
        vigil::services::ClusterProfile profile;
        v.applyTo(profile);
        EXPECT_EQ(profile.restCaFile, QStringLiteral("/ca.crt"));
        EXPECT_EQ(profile.restCertFile, QStringLiteral("/c.crt"));
        EXPECT_EQ(profile.restKeyFile, QStringLiteral("/c.key"));
        EXPECT_EQ(profile.sqlConninfo, v.sqlConninfo);
    }
    // An explicit mode stays, a key needs its certificate, URIs take the options themselves.
    TargetOptions options(Use::Status);
    ASSERT_EQ(readWith(options, {kPatroni, kUrl, QStringLiteral("--sslmode"),
                                 QStringLiteral("verify-ca"), QStringLiteral("--sslrootcert"),
                                 QStringLiteral("/ca.crt"), QStringLiteral("--pgbouncer"),
                                 QStringLiteral("port=6432 sslrootcert=/ca.crt")}),
              QString());
    EXPECT_EQ(options.values().sqlConninfo,
              QStringLiteral("dbname=postgres sslmode='verify-ca' sslrootcert='/ca.crt'"));
    EXPECT_EQ(options.values().pgbouncerConninfo,
              QStringLiteral("port=6432 sslrootcert=/ca.crt sslmode=verify-full"));
    EXPECT_TRUE(verdict(Use::Operation,
                        {kPatroni, kUrl, QStringLiteral("--rest-key"), QStringLiteral("/c.key")})
                    .contains(QLatin1String("--rest-key needs --rest-cert")));
    EXPECT_TRUE(
        verdict(Use::Diagnostics, {QStringLiteral("--sql"), QStringLiteral("postgresql://h/db"),
                                   QStringLiteral("--sslrootcert"), QStringLiteral("/ca")})
            .contains(QLatin1String("--sslrootcert cannot be combined with a URI")));
    EXPECT_TRUE(
        verdict(Use::Status, {kPatroni, kUrl, QStringLiteral("--sslmode"), QStringLiteral("bogus")})
            .contains(QLatin1String("sslmode")));
}

TEST(OperationCommandOptions, FallbackUrlsAreAskedByTheRunnerNotTheMonitor)
{
    OperationCommandOptions options;
    QCommandLineParser parser;
    options.addTo(parser);
    ASSERT_TRUE(parser.parse({QStringLiteral("vigil"), kPatroni, kUrl, kPatroni,
                              QStringLiteral("http://b:8008"), QStringLiteral("--read-only"),
                              QStringLiteral("--confirm"), QStringLiteral("hokm-ha")}));
    ASSERT_EQ(options.read(parser, QStringLiteral("s3cret")), QString());
    EXPECT_EQ(options.fallbackUrls(), QList<QUrl>{QUrl(QStringLiteral("http://b:8008"))});
    EXPECT_TRUE(options.context().profile.patroniFallbackUrls.isEmpty());
    EXPECT_TRUE(options.context().profile.readOnly);
    EXPECT_EQ(options.context().secrets.restPassword, QStringLiteral("s3cret"));
    EXPECT_EQ(options.confirm(), QStringLiteral("hokm-ha"));
}
