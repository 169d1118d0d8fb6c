// The slow-query logging toggle end to end on the real sandbox: the dialog (Operations ▸
// Slow-query logging…) and `vigil edit-config` PATCH log_min_duration_statement through Patroni,
// then read it back on every member; this test reads it once more with SHOW on each member, as
// a DBA would. Restores the value it found.
#include "services/core/auditlog.h"
#include "services/operations/memberactionrunner.h"
#include "services/operations/parameterreloadcheck.h"
#include "services/patroni/configchange.h"
#include "services/patroni/patroniclient.h"
#include "support/eventloop.h"
#include "support/sandbox.h"
#include "ui/operations/slowqueryloggingdialog.h"

#include <QDir>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QTableWidget>
#include <QTemporaryDir>
#include <gtest/gtest.h>

// Lets failure messages stream Qt strings (`<< qstring`).
static std::ostream &operator<<(std::ostream &os, const QString &s)
{
    return os << s.toStdString();
}

using namespace vigil::services;
using vigil::test::Sandbox;
using vigil::test::waitUntil;

namespace {

const QString kPath = QStringLiteral("postgresql.parameters.log_min_duration_statement");

struct Env
{
    QTemporaryDir dir;
    QNetworkAccessManager nam;
    OperationContext ctx;
    Env()
    {
        ctx.nam = &nam;
        ctx.profile.name = QStringLiteral("sandbox");
        ctx.profile.patroniUrl = QUrl(Sandbox::patroniUrl());
        ctx.profile.sqlConninfo = QStringLiteral("dbname=postgres user=vigil");
        ctx.profile.restUser = Sandbox::restUser();
        ctx.secrets.restPassword = Sandbox::restPassword();
        ctx.guard = std::make_shared<ReadOnlyGuard>(false);
        ctx.audit = std::make_shared<AuditLog>(dir.filePath(QStringLiteral("audit.jsonl")));
    }

    template <typename T>
    std::optional<T> get(std::function<void(PatroniClient &, std::function<void(T)>)> f)
    {
        PatroniClient c(&nam, ctx.endpoint(ctx.profile.patroniUrl));
        std::optional<T> out;
        f(c, [&out](T r) { out = std::move(r); });
        EXPECT_TRUE(waitUntil([&] { return out.has_value(); }, 15000));
        EXPECT_TRUE(out && out->ok()) << (out ? out->error().toText() : QString());
        return out;
    }
    PatroniConfig config()
    {
        const auto r = get<Result<PatroniConfig>>([](PatroniClient &c, auto done) {
            c.getConfig([done](const Result<PatroniConfig> &r) { done(r); });
        });
        return r && r->ok() ? r->value() : PatroniConfig{};
    }
    QString scope()
    {
        const auto r = get<Result<PatroniNodeStatus>>([](PatroniClient &c, auto done) {
            c.getPatroni([done](const Result<PatroniNodeStatus> &r) { done(r); });
        });
        return r && r->ok() ? r->value().scope : QString();
    }
    QList<PatroniMember> members()
    {
        const auto r = get<Result<PatroniCluster>>([](PatroniClient &c, auto done) {
            c.getCluster([done](const Result<PatroniCluster> &r) { done(r); });
        });
        return r && r->ok() ? r->value().members : QList<PatroniMember>{};
    }

    // Puts the value found before the test back (removes the key when it was not set).
    void restore(const QJsonValue &before)
    {
        MemberAction a;
        a.kind = MemberAction::Kind::PatchConfig;
        a.cluster = QStringLiteral("restore");
        QJsonObject patch;
        setConfigValue(patch, kPath, before.isUndefined() ? QJsonValue() : before);
        a.patch = patch;
        a.waitSeconds = 30;
        MemberActionRunner r(ctx);
        std::optional<MemberActionResult> out;
        QObject::connect(&r, &MemberActionRunner::finished,
                         [&out](const MemberActionResult &x) { out = x; });
        r.start(a);
        EXPECT_TRUE(waitUntil([&] { return out.has_value(); }, 120000));
    }
};

// SHOW log_min_duration_statement on one member, with psql, as the vigil role.
QString show(const PatroniMember &m)
{
    QProcess p;
    p.start(QStringLiteral("psql"),
            {QStringLiteral("-XAtq"), QStringLiteral("-h"), m.host, QStringLiteral("-p"),
             QString::number(m.port), QStringLiteral("-U"), QStringLiteral("vigil"),
             QStringLiteral("-d"), QStringLiteral("postgres"), QStringLiteral("-c"),
             QStringLiteral("SHOW log_min_duration_statement")});
    p.waitForFinished(20000);
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

QList<MemberParameterStatus> applyWithDialog(Env &env, int value, const QString &shot)
{
    const QString scope = env.scope();
    vigil::ui::SlowQueryLoggingDialog d(env.ctx, env.config(), scope);
    d.resize(680, 600);
    d.show();
    d.setChosenValue(value);
    d.confirmationEdit()->setText(scope);
    EXPECT_TRUE(d.canApply()) << d.diffText();
    std::optional<QList<MemberParameterStatus>> out;
    bool patched = false;
    QObject::connect(&d, &vigil::ui::SlowQueryLoggingDialog::finished,
                     [&](bool p, const QList<MemberParameterStatus> &s) {
                         patched = p;
                         out = s;
                     });
    d.apply();
    EXPECT_TRUE(waitUntil([&] { return out.has_value(); }, 120000));
    EXPECT_TRUE(patched);
    const QString dir =
        qEnvironmentVariable("VIGIL_ARTIFACTS_DIR", QStringLiteral(VIGIL_ARTIFACTS_DIR));
    QDir().mkpath(dir);
    EXPECT_TRUE(d.grab().save(dir + QLatin1Char('/') + shot + QStringLiteral(".png")));
    EXPECT_EQ(d.memberTable()->rowCount(), 3);
    return out.value_or(QList<MemberParameterStatus>{});
}

} // namespace

TEST(SlowQueryLogging, DialogTurnsItOnAndOffOnEveryMember)
{
    Sandbox::ensureHealthy();
    Env env;
    const QJsonValue before = configValue(env.config().raw, kPath);
    const QList<PatroniMember> members = env.members();
    ASSERT_EQ(members.size(), 3);

    // A toggle: from whatever the sandbox has to the other state, then back.
    const bool wasOn = before.toVariant().toInt() == 1000;
    const QList<std::pair<int, QString>> steps = {
        {wasOn ? -1 : 1000, wasOn ? QStringLiteral("-1") : QStringLiteral("1s")},
        {wasOn ? 1000 : -1, wasOn ? QStringLiteral("1s") : QStringLiteral("-1")}};
    for (const auto &[value, shown] : steps) {
        const auto statuses =
            applyWithDialog(env, value, QStringLiteral("it-slow-query-logging-%1").arg(value));
        ASSERT_EQ(statuses.size(), 3);
        for (const MemberParameterStatus &s : statuses)
            EXPECT_EQ(s.state, ParameterApplyState::Applied) << s.member << ": " << s.shown;
        for (const PatroniMember &m : members)
            EXPECT_EQ(show(m), shown) << m.name;
    }

    const auto entries = env.ctx.audit->readAll();
    ASSERT_EQ(entries.size(), 2);
    EXPECT_EQ(entries[0].action, QStringLiteral("patch_config"));
    env.restore(before);
}

TEST(SlowQueryLogging, EditConfigVerifiesEveryMember)
{
    Sandbox::ensureHealthy();
    Env env;
    const QJsonValue before = configValue(env.config().raw, kPath);
    const QString scope = env.scope();
    ASSERT_FALSE(scope.isEmpty());
    QTemporaryDir dir;
    QProcess p;
    auto penv = QProcessEnvironment::systemEnvironment();
    penv.insert(QStringLiteral("VIGIL_REST_PASSWORD"), Sandbox::restPassword());
    p.setProcessEnvironment(penv);
    const QStringList base = {
        QStringLiteral("edit-config"),
        QStringLiteral("--set"),
        QStringLiteral("postgresql.parameters.log_min_duration_statement=750"),
        QStringLiteral("--patroni"),
        Sandbox::patroniUrl(),
        QStringLiteral("--rest-user"),
        Sandbox::restUser(),
        QStringLiteral("--sql"),
        QStringLiteral("dbname=postgres user=vigil"),
        QStringLiteral("--audit-log"),
        dir.filePath(QStringLiteral("audit.jsonl"))};
    p.start(QStringLiteral(VIGIL_BINARY), base + QStringList{QStringLiteral("--confirm"), scope});
    ASSERT_TRUE(p.waitForFinished(120000));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    EXPECT_EQ(p.exitCode(), 0) << out << QString::fromUtf8(p.readAllStandardError());
    EXPECT_EQ(out.count(QLatin1String(": applied (log_min_duration_statement = 750 ms)")), 3)
        << out;
    for (const PatroniMember &m : env.members())
        EXPECT_EQ(show(m), QStringLiteral("750ms")) << m.name;
    env.restore(before);
}
