// HAProxy stats CSV parsing against CSV recorded from the sandbox's HAProxy 2.6
// (tests/fixtures/record.sh), broken versions of it, and HaproxyStatsClient against an
// in-process HTTP server.
#include "services/proxies/haproxystatsclient.h"
#include "support/eventloop.h"
#include "support/patronifakeserver.h"
#include "support/qtprinters.h"

#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <gtest/gtest.h>

using namespace vigil::services;
using Type = HaproxyStatRow::Type;

namespace {

QByteArray fixture(const QString &name)
{
    QFile f(QStringLiteral(VIGIL_FIXTURES_DIR "/haproxy/") + name);
    if (!f.open(QIODevice::ReadOnly)) {
        ADD_FAILURE() << "missing fixture " << name.toStdString();
        return {};
    }
    return f.readAll();
}

HaproxyStats parsed(const QString &name)
{
    auto r = parseHaproxyCsv(fixture(name));
    EXPECT_TRUE(r.ok()) << name.toStdString() << ": " << r.error().toText().toStdString();
    return r.ok() ? r.value() : HaproxyStats();
}

// "node1:UP node2:DOWN ..." for the servers of a proxy, in CSV order.
QString serverStates(const HaproxyStats &s, const QString &proxy)
{
    QStringList out;
    for (const auto &r : s.servers(proxy))
        out << r.name + QLatin1Char(':') +
                   (r.isUp() ? QStringLiteral("UP") : QStringLiteral("DOWN"));
    return out.join(QLatin1Char(' '));
}

const HaproxyStatRow *row(const HaproxyStats &s, const QString &proxy, const QString &name)
{
    for (const auto &r : s.rows) {
        if (r.proxy == proxy && r.name == name)
            return &r;
    }
    return nullptr;
}

} // namespace

TEST(HaproxyCsv, NormalStateRwHasExactlyTheLeaderUp)
{
    const HaproxyStats s = parsed(QStringLiteral("haproxy-normal.csv"));
    ASSERT_EQ(s.rows.size(), 12); // stats FE+BE, rw FE+3+BE, ro FE+3+BE
    EXPECT_EQ(serverStates(s, QStringLiteral("rw")),
              QStringLiteral("node1:UP node2:DOWN node3:DOWN"));
    EXPECT_EQ(serverStates(s, QStringLiteral("ro")),
              QStringLiteral("node1:DOWN node2:UP node3:UP"));

    const HaproxyStatRow *fe = row(s, QStringLiteral("rw"), QStringLiteral("FRONTEND"));
    ASSERT_NE(fe, nullptr);
    EXPECT_EQ(fe->type, Type::Frontend);
    EXPECT_EQ(fe->status, QStringLiteral("OPEN"));
    EXPECT_TRUE(fe->isUp());
    EXPECT_EQ(fe->sessionLimit, 3000);
    EXPECT_FALSE(fe->lastChangeSeconds.has_value());

    const HaproxyStatRow *be = s.backend(QStringLiteral("rw"));
    ASSERT_NE(be, nullptr);
    EXPECT_EQ(be->name, QStringLiteral("BACKEND"));
    EXPECT_EQ(be->type, Type::Backend);
    EXPECT_TRUE(be->isUp());
    EXPECT_EQ(be->currentSessions, 1);
    EXPECT_EQ(be->maxSessions, 2);
    EXPECT_EQ(be->sessionLimit, 300);
    EXPECT_EQ(be->totalSessions, 7);

    const HaproxyStatRow *n1 = row(s, QStringLiteral("rw"), QStringLiteral("node1"));
    ASSERT_NE(n1, nullptr);
    EXPECT_EQ(n1->type, Type::Server);
    EXPECT_EQ(n1->status, QStringLiteral("UP"));
    EXPECT_EQ(n1->checkStatus, QStringLiteral("L7OK"));
    EXPECT_EQ(n1->currentSessions, 1);
    EXPECT_EQ(n1->maxSessions, 2);
    EXPECT_FALSE(n1->sessionLimit.has_value());
    EXPECT_EQ(n1->totalSessions, 7);
    EXPECT_EQ(n1->lastChangeSeconds, 133);
    EXPECT_EQ(n1->downtimeSeconds, 3);
    EXPECT_TRUE(n1->address.isEmpty()) << "HAProxy 2.6 leaves addr empty at this stats level";

    const HaproxyStatRow *n2 = row(s, QStringLiteral("rw"), QStringLiteral("node2"));
    EXPECT_EQ(n2->checkStatus, QStringLiteral("L7STS")) << "Patroni's /primary answered 503";
    EXPECT_FALSE(n2->isUp());

    EXPECT_EQ(s.backend(QStringLiteral("nope")), nullptr);
    EXPECT_TRUE(s.servers(QStringLiteral("nope")).isEmpty());
}

TEST(HaproxyCsv, LeaderKilledFailedOverAndRejoined)
{
    const HaproxyStats killed = parsed(QStringLiteral("haproxy-leader-killed.csv"));
    EXPECT_EQ(serverStates(killed, QStringLiteral("rw")),
              QStringLiteral("node1:DOWN node2:DOWN node3:DOWN"));
    EXPECT_FALSE(killed.backend(QStringLiteral("rw"))->isUp())
        << "no leader: the rw backend is DOWN";
    EXPECT_EQ(row(killed, QStringLiteral("rw"), QStringLiteral("node1"))->checkStatus,
              QStringLiteral("L4CON"))
        << "the dead node's REST port refuses connections";

    const HaproxyStats failed = parsed(QStringLiteral("haproxy-failed-over.csv"));
    EXPECT_EQ(serverStates(failed, QStringLiteral("rw")),
              QStringLiteral("node1:DOWN node2:UP node3:DOWN"));
    EXPECT_TRUE(failed.backend(QStringLiteral("rw"))->isUp());
    EXPECT_EQ(serverStates(failed, QStringLiteral("ro")),
              QStringLiteral("node1:DOWN node2:DOWN node3:UP"));

    const HaproxyStats back = parsed(QStringLiteral("haproxy-rejoined.csv"));
    EXPECT_EQ(serverStates(back, QStringLiteral("rw")),
              QStringLiteral("node1:DOWN node2:UP node3:DOWN"));
    EXPECT_EQ(serverStates(back, QStringLiteral("ro")),
              QStringLiteral("node1:UP node2:DOWN node3:UP"));
}

TEST(HaproxyCsv, StatusVariantsAndTypes)
{
    const QByteArray csv = "# pxname,svname,status,type,scur,addr,check_desc\n"
                           "db,FRONTEND,OPEN,0,3,,\n"
                           "db,a,UP 1/2,2,1,10.0.0.1:5432,\"Layer7 check passed, really\"\n"
                           "db,b,DOWN 1/2,2,0,10.0.0.2:5432,\"said \"\"no\"\"\"\n"
                           "db,c,MAINT,2,0,,\n"
                           "db,d,no check,2,0,,\n"
                           "db,BACKEND,UP,1,1,,\n"
                           "db,sock-1,OPEN,3,0,,\n"
                           "db,x,UP,7,0,,\n";
    auto r = parseHaproxyCsv(csv);
    ASSERT_TRUE(r.ok()) << r.error().toText().toStdString();
    const auto &rows = r.value().rows;
    ASSERT_EQ(rows.size(), 8);
    EXPECT_TRUE(rows[1].isUp()) << "UP 1/2: going down but still up";
    EXPECT_EQ(rows[1].address, QStringLiteral("10.0.0.1:5432"));
    EXPECT_FALSE(rows[2].isUp()) << "DOWN 1/2: going up but still down";
    EXPECT_FALSE(rows[3].isUp());
    EXPECT_FALSE(rows[4].isUp());
    EXPECT_EQ(rows[6].type, Type::Listener);
    EXPECT_EQ(rows[7].type, Type::Unknown);
    EXPECT_EQ(r.value().servers(QStringLiteral("db")).size(), 4);
    EXPECT_FALSE(rows[0].sessionLimit.has_value());
}

TEST(HaproxyCsv, RunningCheckReportsTheLastStatusWithoutItsMarker)
{
    const QByteArray csv = "# pxname,svname,status,check_status\n"
                           "rw,node1,UP,* L7OK\n"
                           "rw,node2,DOWN,L7STS\n";
    auto r = parseHaproxyCsv(csv);
    ASSERT_TRUE(r.ok()) << r.error().toText().toStdString();
    const auto &rows = r.value().rows;
    ASSERT_EQ(rows.size(), 2);
    EXPECT_EQ(rows[0].checkStatus, QStringLiteral("L7OK"));
    EXPECT_TRUE(rows[0].checkRunning);
    EXPECT_EQ(rows[1].checkStatus, QStringLiteral("L7STS"));
    EXPECT_FALSE(rows[1].checkRunning);
}

TEST(HaproxyCsv, OldHaproxyWithoutTypeColumnAndCrLf)
{
    auto r = parseHaproxyCsv(
        "# pxname,svname,status\r\nrw,FRONTEND,OPEN\r\nrw,n1,UP\r\nrw,BACKEND,UP\r\n");
    ASSERT_TRUE(r.ok()) << r.error().toText().toStdString();
    EXPECT_EQ(r.value().rows[0].type, Type::Frontend);
    EXPECT_EQ(r.value().rows[1].type, Type::Server);
    EXPECT_EQ(r.value().rows[1].status, QStringLiteral("UP"));
    EXPECT_EQ(r.value().backend(QStringLiteral("rw"))->type, Type::Backend);
}

TEST(HaproxyCsv, HtmlPageInsteadOfCsv)
{
    const auto r = parseHaproxyCsv(fixture(QStringLiteral("stats-page.html")));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ServiceError::Kind::Parse);
    EXPECT_TRUE(r.error().message.contains(QStringLiteral(";csv")))
        << r.error().message.toStdString();
}

TEST(HaproxyCsv, MalformedInputGivesClearParseErrors)
{
    struct Case
    {
        const char *body;
        const char *expect;
    };
    const Case cases[] = {
        {"", "empty"},
        {"   \n", "empty"},
        {"pxname,svname,status\nrw,a,UP\n", "header"},
        {"# svname,status\nrw,UP\n", "\"pxname\""},
        {"# pxname,svname,status,scur\nrw,a,UP\n", "Line 2 has 3 fields"},
        {"# pxname,svname,status,scur\nrw,a,UP,1,2\n", "Line 2 has 5 fields"},
        {"# pxname,svname,status,scur\nrw,a,UP,many\n", "\"scur\" column should be a number"},
        {"# pxname,svname,status,type\nrw,a,UP,server\n", "\"type\" column"},
        {"# pxname,svname,status\n,a,UP\n", "no proxy or server name"},
        {"# pxname,svname,status,check_desc\nrw,a,UP,\"unterminated\n", "Line 2"},
        {"# pxname,svname,status\nrw,a,UP", "cut off"},
        {"\x89PNG\r\n\x1a\n", "header"},
    };
    for (const Case &c : cases) {
        const auto r = parseHaproxyCsv(QByteArray(c.body));
        ASSERT_FALSE(r.ok()) << c.body;
        EXPECT_EQ(r.error().kind, ServiceError::Kind::Parse) << c.body;
        EXPECT_TRUE(r.error().message.contains(QString::fromUtf8(c.expect)))
            << c.body << " -> " << r.error().message.toStdString();
    }
}

TEST(HaproxyCsv, EveryTruncationIsAParseErrorUnlessItEndsAtALineEnd)
{
    int errors = 0, shorter = 0;
    const QStringList files = QDir(QStringLiteral(VIGIL_FIXTURES_DIR "/haproxy"))
                                  .entryList({QStringLiteral("*.csv")}, QDir::Files);
    ASSERT_EQ(files.size(), 4);
    for (const QString &file : files) {
        const QByteArray body = fixture(file);
        const int fullRows = int(parsed(file).rows.size());
        for (int cut = 0; cut < body.size(); ++cut) {
            const QByteArray part = body.left(cut);
            const auto r = parseHaproxyCsv(part);
            if (cut > 0 && part.endsWith('\n')) {
                // Cut exactly after a line: a complete, shorter table (can't be told apart).
                ASSERT_TRUE(r.ok()) << file.toStdString() << " cut " << cut;
                ASSERT_LT(r.value().rows.size(), fullRows);
                ++shorter;
            } else {
                ASSERT_FALSE(r.ok()) << file.toStdString() << " cut " << cut;
                ASSERT_EQ(r.error().kind, ServiceError::Kind::Parse);
                ++errors;
            }
        }
    }
    EXPECT_GT(errors, 15000);
    EXPECT_EQ(shorter, 4 * 12);
}

TEST(HaproxyCsv, CorruptedNumbersInEveryRowAreParseErrors)
{
    const QByteArray body = fixture(QStringLiteral("haproxy-normal.csv"));
    QList<QByteArray> lines = body.split('\n');
    const QList<QByteArray> header = lines[0].mid(2).split(',');
    for (const char *col : {"scur", "smax", "slim", "stot", "lastchg", "downtime", "type"}) {
        const int c = int(header.indexOf(col));
        ASSERT_GE(c, 0) << col;
        for (int l = 1; l < lines.size() - 1; ++l) {
            QList<QByteArray> copy = lines;
            QList<QByteArray> fields = copy[l].split(',');
            fields[c] = "n/a";
            copy[l] = fields.join(',');
            const auto r = parseHaproxyCsv(copy.join('\n'));
            ASSERT_FALSE(r.ok()) << col << " line " << l;
            EXPECT_TRUE(r.error().message.contains(QString::fromLatin1(col)));
        }
    }
}

// ---- the client, against an in-process server -------------------------------------------

TEST(HaproxyStatsClientUnit, FetchesAndParsesWithOptionalBasicAuth)
{
    vigil::test::FakeHttpServer server;
    ASSERT_TRUE(server.listening());
    vigil::test::FakeHttpServer::Answer a;
    a.contentType = "text/plain";
    a.body = fixture(QStringLiteral("haproxy-normal.csv"));
    server.setAnswer(a);
    QNetworkAccessManager nam;
    QSignalSpy replies(&nam, &QNetworkAccessManager::finished); // what was sent, exactly
    HaproxyStatsClient client(&nam, server.url(QStringLiteral("/;csv")));
    std::optional<Result<HaproxyStats>> got;
    client.fetch([&](const Result<HaproxyStats> &r) { got = r; });
    ASSERT_TRUE(vigil::test::waitUntil([&] { return got.has_value(); }, 5000));
    ASSERT_TRUE(got->ok()) << got->error().toText().toStdString();
    EXPECT_EQ(serverStates(got->value(), QStringLiteral("rw")),
              QStringLiteral("node1:UP node2:DOWN node3:DOWN"));
    EXPECT_EQ(replies.count(), 1);
    ASSERT_EQ(server.distinctRequests().size(), 1) << server.describe();
    EXPECT_EQ(server.distinctRequests()[0].path, QByteArray("/;csv"));
    EXPECT_FALSE(server.distinctRequests()[0].hasHeader("Authorization"));

    client.setCredentials(QStringLiteral("admin"), QStringLiteral("s3cret"));
    got.reset();
    client.fetch([&](const Result<HaproxyStats> &r) { got = r; });
    ASSERT_TRUE(vigil::test::waitUntil([&] { return got.has_value(); }, 5000));
    EXPECT_EQ(replies.count(), 2);
    ASSERT_EQ(server.distinctRequests().size(), 2) << server.describe();
    EXPECT_EQ(server.distinctRequests()[1].header("Authorization"),
              "Basic " + QByteArray("admin:s3cret").toBase64());
}

TEST(HaproxyStatsClientUnit, AuthHtmlAndHttpErrors)
{
    vigil::test::FakeHttpServer server;
    QNetworkAccessManager nam;
    HaproxyStatsClient client(&nam, server.url(QStringLiteral("/;csv")));
    client.setCredentials(QStringLiteral("admin"), QStringLiteral("wrong-pass"));
    auto fetch = [&] {
        std::optional<Result<HaproxyStats>> got;
        client.fetch([&](const Result<HaproxyStats> &r) { got = r; });
        EXPECT_TRUE(vigil::test::waitUntil([&] { return got.has_value(); }, 5000));
        return got ? got->error() : ServiceError();
    };

    server.answerWith(401, "<html><body><h1>401 Unauthorized</h1></body></html>", "Unauthorized");
    ServiceError e = fetch();
    EXPECT_EQ(e.kind, ServiceError::Kind::Auth);
    EXPECT_EQ(e.code, QStringLiteral("401"));
    EXPECT_FALSE(e.toText().contains(QStringLiteral("wrong-pass")));

    server.answerWith(200, fixture(QStringLiteral("stats-page.html")));
    e = fetch();
    EXPECT_EQ(e.kind, ServiceError::Kind::Parse);
    EXPECT_EQ(e.host, QStringLiteral("127.0.0.1:%1").arg(server.port()));
    EXPECT_TRUE(e.message.contains(QStringLiteral(";csv")));

    server.answerWith(
        503, "<html><body><h1>503 Service Unavailable</h1>No server is available</body></html>");
    e = fetch();
    EXPECT_EQ(e.kind, ServiceError::Kind::Http);
    EXPECT_EQ(e.code, QStringLiteral("503"));
}
