// The snapshot's JSON form: it round-trips, and it matches its documented schema
// (resources/status-schema.json), checked by a small validator of the keywords the schema uses.
#include "services/monitor/findings.h"
#include "services/monitor/snapshotjson.h"
#include "support/qtprinters.h"
#include "support/snapshotbuilder.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>
#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::test::failedChannel;
using vigil::test::healthyOnDefaultPorts;
using vigil::test::memberNamed;

namespace {

QJsonObject loadSchema()
{
    QFile f(QStringLiteral(VIGIL_SOURCE_DIR "/resources/status-schema.json"));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    QJsonParseError err;
    const auto doc = QJsonDocument::fromJson(f.readAll(), &err);
    EXPECT_EQ(err.error, QJsonParseError::NoError) << err.errorString().toStdString();
    return doc.object();
}

// Validates `v` against `schema`; appends "path: problem" lines to `errors`. Supports exactly
// the keywords status-schema.json uses: $ref (local), const, enum, type, required, properties,
// additionalProperties (false), items.
class MiniValidator
{
public:
    explicit MiniValidator(QJsonObject root)
        : m_root(std::move(root))
    {
    }

    QStringList validate(const QJsonValue &v)
    {
        m_errors.clear();
        check(v, m_root, QStringLiteral("$"));
        return m_errors;
    }

private:
    static bool hasType(const QJsonValue &v, const QString &t)
    {
        if (t == QLatin1String("null"))
            return v.isNull();
        if (t == QLatin1String("boolean"))
            return v.isBool();
        if (t == QLatin1String("string"))
            return v.isString();
        if (t == QLatin1String("object"))
            return v.isObject();
        if (t == QLatin1String("array"))
            return v.isArray();
        if (t == QLatin1String("number"))
            return v.isDouble();
        if (t == QLatin1String("integer"))
            return v.isDouble() && std::floor(v.toDouble()) == v.toDouble();
        return false;
    }

    void check(const QJsonValue &v, QJsonObject schema, const QString &path)
    {
        if (schema.contains(QLatin1String("$ref"))) {
            const QString ref = schema.value(QLatin1String("$ref")).toString();
            const QString name = ref.section(QLatin1Char('/'), -1);
            schema = m_root.value(QLatin1String("$defs")).toObject().value(name).toObject();
            if (schema.isEmpty()) {
                m_errors << path + QStringLiteral(": unresolved ") + ref;
                return;
            }
        }
        if (schema.contains(QLatin1String("const")) && v != schema.value(QLatin1String("const")))
            m_errors << path + QStringLiteral(": not the constant");
        if (schema.contains(QLatin1String("enum")) &&
            !schema.value(QLatin1String("enum")).toArray().contains(v))
            m_errors << path + QStringLiteral(": '%1' not in enum").arg(v.toVariant().toString());
        if (schema.contains(QLatin1String("type"))) {
            const QJsonValue t = schema.value(QLatin1String("type"));
            QStringList types;
            if (t.isArray())
                for (const auto &x : t.toArray())
                    types << x.toString();
            else
                types << t.toString();
            if (std::none_of(types.begin(), types.end(),
                             [&](const QString &x) { return hasType(v, x); })) {
                m_errors << path + QStringLiteral(": not of type ") + types.join(QLatin1Char('|'));
                return;
            }
        }
        if (v.isObject()) {
            const QJsonObject o = v.toObject();
            for (const auto &r : schema.value(QLatin1String("required")).toArray())
                if (!o.contains(r.toString()))
                    m_errors << path + QStringLiteral(": missing ") + r.toString();
            const QJsonObject props = schema.value(QLatin1String("properties")).toObject();
            for (auto it = o.begin(); it != o.end(); ++it) {
                if (props.contains(it.key()))
                    check(it.value(), props.value(it.key()).toObject(),
                          path + QLatin1Char('.') + it.key());
                else if (schema.value(QLatin1String("additionalProperties")) == QJsonValue(false))
                    m_errors << path + QStringLiteral(": undocumented field ") + it.key();
            }
        }
        if (v.isArray() && schema.contains(QLatin1String("items"))) {
            const QJsonObject items = schema.value(QLatin1String("items")).toObject();
            const QJsonArray a = v.toArray();
            for (int i = 0; i < a.size(); ++i)
                check(a[i], items, path + QStringLiteral("[%1]").arg(i));
        }
    }

    QJsonObject m_root;
    QStringList m_errors;
};

ClusterSnapshot richSnapshot()
{
    auto s = healthyOnDefaultPorts();
    // Exercise the optional parts too: errors, a scheduled switchover, lag figures, a finding.
    auto &n3 = memberNamed(s, QStringLiteral("node3"));
    n3.rest = failedChannel(ChannelStatus::State::Unresponsive, ServiceError::Kind::Timeout,
                            QStringLiteral("no answer within 2000 ms"));
    n3.replayLagBytes = 123456;
    n3.replayLagSeconds = 1.5;
    n3.pendingRestart = true;
    n3.pendingRestartReason = QStringLiteral("max_connections changed");
    n3.scheduledRestart = s.takenAt.addSecs(300);
    memberNamed(s, QStringLiteral("node1")).archiver->lastArchivedWal =
        QStringLiteral("000000010000000000000004");
    memberNamed(s, QStringLiteral("node1")).archiver->lastArchivedTime = s.takenAt.addSecs(-60);
    s.scheduledSwitchover =
        PatroniScheduledSwitchover{s.takenAt.addSecs(3600), QStringLiteral("node1"), QString()};
    // A breakdown carried forward from 3 s before, and one never computed.
    memberNamed(s, QStringLiteral("node1")).connections->breakdownAt = s.takenAt.addSecs(-3);
    memberNamed(s, QStringLiteral("node2")).connections->breakdownAt.reset();
    // Proven routes (production shape) and one whose probe Vigil's login could not make (an
    // OK-severity note, so the findings checked below keep their order).
    vigil::test::addProvenRoutes(s, true);
    s.pgbouncer.routes[0].inRecovery.reset();
    s.pgbouncer.routes[0].error = ServiceError::make(
        ServiceError::Kind::Auth, QStringLiteral("route probe"), QStringLiteral("127.0.0.1:6432"),
        QStringLiteral("28P01"), QStringLiteral("password authentication failed"));
    s.findings = deriveFindings(s);
    return s;
}

} // namespace

TEST(ClusterSnapshotJson, MatchesTheDocumentedSchema)
{
    MiniValidator validator(loadSchema());
    for (const auto &s : {healthyOnDefaultPorts(), richSnapshot(), ClusterSnapshot{}}) {
        const QJsonObject json = snapshotToJson(s);
        const QStringList errors = validator.validate(json);
        EXPECT_TRUE(errors.isEmpty()) << errors.join(QLatin1Char('\n')).toStdString();
    }
}

// Every finding code the monitor can emit is one the schema allows, and every code survives the
// JSON round trip (the schema had fallen seven codes behind: primary_down ... disk_space).
TEST(ClusterSnapshotJson, SchemaAndRoundTripKnowEveryFindingCode)
{
    const QJsonArray allowed = loadSchema()
                                   .value(QStringLiteral("properties"))
                                   .toObject()
                                   .value(QStringLiteral("findings"))
                                   .toObject()
                                   .value(QStringLiteral("items"))
                                   .toObject()
                                   .value(QStringLiteral("properties"))
                                   .toObject()
                                   .value(QStringLiteral("code"))
                                   .toObject()
                                   .value(QStringLiteral("enum"))
                                   .toArray();
    ASSERT_FALSE(allowed.isEmpty());
    for (int i = 0; i <= int(Finding::Code::Other); ++i) {
        const auto code = Finding::Code(i);
        const QString name = findingCodeName(code);
        EXPECT_TRUE(allowed.contains(name)) << name.toStdString();
        ClusterSnapshot s = healthyOnDefaultPorts();
        s.findings = {
            {Finding::Severity::Warning, code, QStringLiteral("node2"), QStringLiteral("text")}};
        const auto back = snapshotFromJson(snapshotToJson(s));
        ASSERT_TRUE(back.ok()) << name.toStdString();
        ASSERT_EQ(back.value().findings.size(), 1) << name.toStdString();
        EXPECT_EQ(back.value().findings.first().code, code) << name.toStdString();
    }
}

TEST(ClusterSnapshotJson, ValidatorCatchesDrift)
{
    // The schema check above is only worth something if a wrong document fails it.
    MiniValidator validator(loadSchema());
    QJsonObject json = snapshotToJson(healthyOnDefaultPorts());
    json.insert(QStringLiteral("surprise"), 1);
    json.remove(QStringLiteral("leader"));
    QJsonArray members = json.value(QStringLiteral("members")).toArray();
    QJsonObject m0 = members[0].toObject();
    m0.insert(QStringLiteral("port"), QStringLiteral("5432"));
    members[0] = m0;
    json.insert(QStringLiteral("members"), members);
    const QStringList errors = validator.validate(json);
    EXPECT_EQ(errors.size(), 3) << errors.join(QLatin1Char('\n')).toStdString();
}

TEST(ClusterSnapshotJson, Shape)
{
    const auto s = richSnapshot();
    const QJsonObject o = snapshotToJson(s);
    EXPECT_EQ(o.value(QStringLiteral("schema")).toString(), QStringLiteral("vigil.status/1"));
    EXPECT_EQ(o.value(QStringLiteral("leader")).toString(), QStringLiteral("node1"));
    EXPECT_EQ(o.value(QStringLiteral("severity")).toString(), QStringLiteral("WARNING"));
    EXPECT_EQ(o.value(QStringLiteral("taken_at")).toString(),
              QStringLiteral("2026-11-27T12:00:00.000Z"));
    const QJsonArray members = o.value(QStringLiteral("members")).toArray();
    ASSERT_EQ(members.size(), 3);
    const QJsonObject n1 = members[0].toObject();
    EXPECT_EQ(n1.value(QStringLiteral("role")).toString(), QStringLiteral("leader"));
    EXPECT_TRUE(n1.value(QStringLiteral("replay_lag_bytes")).isNull())
        << "the leader has no replay lag";
    EXPECT_EQ(n1.value(QStringLiteral("replication")).toArray().size(), 2);
    const QJsonObject n3 = members[2].toObject();
    EXPECT_EQ(n3.value(QStringLiteral("replay_lag_bytes")).toInt(), 123456);
    EXPECT_DOUBLE_EQ(n3.value(QStringLiteral("replay_lag_seconds")).toDouble(), 1.5);
    const QJsonObject rest = n3.value(QStringLiteral("rest")).toObject();
    EXPECT_EQ(rest.value(QStringLiteral("state")).toString(), QStringLiteral("unresponsive"));
    EXPECT_EQ(
        rest.value(QStringLiteral("error")).toObject().value(QStringLiteral("kind")).toString(),
        QStringLiteral("timeout"));
    EXPECT_FALSE(rest.value(QStringLiteral("last_ok")).isNull()) << "stale data says since when";
    EXPECT_TRUE(n3.value(QStringLiteral("sql")).toObject().value(QStringLiteral("error")).isNull());
    EXPECT_EQ(o.value(QStringLiteral("haproxy"))
                  .toObject()
                  .value(QStringLiteral("read_write_servers_up"))
                  .toArray(),
              QJsonArray{QStringLiteral("node1")});
    const QJsonArray findings = o.value(QStringLiteral("findings")).toArray();
    ASSERT_FALSE(findings.isEmpty());
    EXPECT_EQ(findings[0].toObject().value(QStringLiteral("code")).toString(),
              QStringLiteral("member_unresponsive"));
    EXPECT_EQ(findings[0].toObject().value(QStringLiteral("member")).toString(),
              QStringLiteral("node3"));

    // Not configured: HAProxy/PgBouncer say so.
    ClusterSnapshot empty;
    const QJsonObject e = snapshotToJson(empty);
    EXPECT_FALSE(
        e.value(QStringLiteral("haproxy")).toObject().value(QStringLiteral("configured")).toBool());
    EXPECT_TRUE(e.value(QStringLiteral("leader")).isNull());
    EXPECT_EQ(e.value(QStringLiteral("severity")).toString(), QStringLiteral("OK"));
}

TEST(ClusterSnapshotJson, SaysHowOldTheConnectionBreakdownIs)
{
    const ClusterSnapshot s = richSnapshot();
    const QJsonArray members = snapshotToJson(s).value(QStringLiteral("members")).toArray();
    auto connectionsOf = [&](const QString &name) {
        for (const auto &m : members)
            if (m.toObject().value(QStringLiteral("name")).toString() == name)
                return m.toObject().value(QStringLiteral("connections")).toObject();
        return QJsonObject();
    };
    const QJsonObject carried = connectionsOf(QStringLiteral("node1"));
    EXPECT_EQ(carried.value(QStringLiteral("breakdown_age_ms")).toInteger(), 3000);
    EXPECT_EQ(carried.value(QStringLiteral("breakdown_at")).toString(),
              s.takenAt.addSecs(-3).toUTC().toString(Qt::ISODateWithMs));
    const QJsonObject never = connectionsOf(QStringLiteral("node2"));
    EXPECT_TRUE(never.value(QStringLiteral("breakdown_at")).isNull());
    EXPECT_TRUE(never.value(QStringLiteral("breakdown_age_ms")).isNull());
}

TEST(ClusterSnapshotJson, RoundTrip)
{
    for (const auto &s : {healthyOnDefaultPorts(), richSnapshot()}) {
        const QJsonObject once = snapshotToJson(s);
        const Result<ClusterSnapshot> back = snapshotFromJson(once);
        ASSERT_TRUE(back.ok()) << back.error().toText().toStdString();
        const QJsonObject twice = snapshotToJson(back.value());
        EXPECT_EQ(once, twice) << QJsonDocument(once).toJson().toStdString() << "\n---\n"
                               << QJsonDocument(twice).toJson().toStdString();
        // And the typed values survive, not only their printing.
        EXPECT_EQ(back->members.size(), s.members.size());
        EXPECT_EQ(back->members[2].replayLagBytes, s.members[2].replayLagBytes);
        EXPECT_EQ(back->members[2].rest.state, s.members[2].rest.state);
        EXPECT_EQ(back->members[2].rest.error.kind, s.members[2].rest.error.kind);
        EXPECT_EQ(back->takenAt, s.takenAt);
        for (int i = 0; i < s.members.size(); ++i) {
            if (s.members[i].connections) {
                EXPECT_EQ(back->members[i].connections->breakdownAt,
                          s.members[i].connections->breakdownAt);
            }
        }
        EXPECT_EQ(back->findings.size(), s.findings.size());
        EXPECT_EQ(back->worstSeverity(), s.worstSeverity());
        EXPECT_EQ(deriveFindings(back.value()).size(), deriveFindings(s).size())
            << "a replayed snapshot gives the same findings";
    }
}

// Issue 13: a member known only from a REST URL says so, and a leader whose PostgreSQL is still
// in recovery says since when (what the leader_in_recovery finding counts from).
TEST(ClusterSnapshotJson, CarriesUrlOnlyMembersAndSinceWhenTheLeaderIsInRecovery)
{
    ClusterSnapshot s = healthyOnDefaultPorts();
    MemberSnapshot &leader = memberNamed(s, QStringLiteral("node1"));
    leader.inRecovery = true;
    leader.leaderInRecoverySince = s.takenAt.addSecs(-42);
    memberNamed(s, QStringLiteral("node3")).fromUrlOnly = true;
    s.findings = deriveFindings(s);

    MiniValidator validator(loadSchema());
    const QJsonObject json = snapshotToJson(s);
    const QStringList errors = validator.validate(json);
    EXPECT_TRUE(errors.isEmpty()) << errors.join(QLatin1Char('\n')).toStdString();
    const QJsonArray members = json.value(QStringLiteral("members")).toArray();
    ASSERT_EQ(members.size(), 3);
    const QJsonObject n1 = members[0].toObject();
    const QJsonObject n3 = members[2].toObject();
    EXPECT_EQ(n1.value(QStringLiteral("leader_in_recovery_since")).toString(),
              QStringLiteral("2026-11-27T11:59:18.000Z"));
    EXPECT_FALSE(n1.value(QStringLiteral("from_url_only")).toBool());
    EXPECT_TRUE(n3.value(QStringLiteral("from_url_only")).toBool());
    EXPECT_TRUE(n3.value(QStringLiteral("leader_in_recovery_since")).isNull());

    const Result<ClusterSnapshot> back = snapshotFromJson(json);
    ASSERT_TRUE(back.ok()) << back.error().toText().toStdString();
    EXPECT_EQ(back->members[0].leaderInRecoverySince, leader.leaderInRecoverySince);
    EXPECT_TRUE(back->members[2].fromUrlOnly);
    EXPECT_FALSE(back->members[0].fromUrlOnly);
    EXPECT_EQ(snapshotToJson(back.value()), json);
    // The replayed snapshot gives the same critical finding (42 s in recovery with the key).
    bool critical = false;
    for (const auto &f : deriveFindings(back.value()))
        critical = critical || (f.code == Finding::Code::LeaderInRecovery &&
                                f.severity == Finding::Severity::Critical);
    EXPECT_TRUE(critical);
}

TEST(ClusterSnapshotJson, RejectsOtherDocuments)
{
    EXPECT_FALSE(snapshotFromJson(QJsonObject{}).ok());
    EXPECT_FALSE(
        snapshotFromJson(QJsonObject{{QStringLiteral("schema"), QStringLiteral("vigil.status/0")}})
            .ok());
    EXPECT_EQ(snapshotFromJson(QJsonObject{}).error().kind, ServiceError::Kind::Parse);
}
