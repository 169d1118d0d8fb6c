// The health report's builder and writers on answers recorded from the sandbox
// (tests/fixtures/report/README.md): `vigil status --json` with node3 stopped, and the leader's
// pg_stat_statements read with statements.sql.
#include "models/report/healthreport.h"
#include "models/report/healthreportgatherer.h"
#include "models/report/reportchart.h"
#include "models/report/reportdocument.h"
#include "models/report/statementsbaseline.h"
#include "services/maintenance/checkliststore.h"
#include "services/monitor/alerthistory.h"
#include "services/monitor/snapshotjson.h"
#include "support/psqlcsv.h"

#include <QAbstractTextDocumentLayout>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>
#include <gtest/gtest.h>
#include <memory>

using namespace vigil;
using models::HealthReportInput;

namespace {

QByteArray fixture(const QString &name)
{
    QFile f(QStringLiteral(VIGIL_FIXTURES_DIR "/report/") + name);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << name.toStdString();
    return f.readAll();
}

services::ClusterSnapshotPtr snapshotFixture(const QString &name)
{
    auto parsed = services::snapshotFromJson(QJsonDocument::fromJson(fixture(name)).object());
    EXPECT_TRUE(parsed.ok()) << parsed.error().toText().toStdString();
    auto s = std::make_shared<services::ClusterSnapshot>(parsed.value());
    s->profileName = QStringLiteral("hokm-ha");
    return s;
}

services::StatementsSample statementsFixture()
{
    const auto result =
        test::psqlCsvToResult(QString::fromUtf8(fixture(QStringLiteral("statements_leader.csv"))));
    auto sample = services::StatementsService::parseSample(result);
    EXPECT_TRUE(sample.ok());
    sample.value().takenAt = QDateTime(QDate(2026, 12, 4), QTime(14, 1, 0), Qt::UTC);
    return sample.value();
}

// The recorded cluster, node3 stopped, with charts fed by both recorded snapshots.
struct Fixture
{
    models::ChartHistory history;
    HealthReportInput input;
    Fixture()
    {
        const auto healthy = snapshotFixture(QStringLiteral("snapshot-workload.json"));
        input.snapshot = snapshotFixture(QStringLiteral("snapshot-node3-stopped.json"));
        history.ingest(*healthy);
        history.ingest(*input.snapshot);
        input.generatedAt = input.snapshot->takenAt.addSecs(5);
        input.generatedBy = QStringLiteral("Vigil test");
        input.history = &history;
        input.chartsFrom = healthy->takenAt.addSecs(-60);
        input.chartsSource = QStringLiteral("the recorded snapshots");
        input.statements = statementsFixture();
    }
};

QString plainText(const QString &html)
{
    QTextDocument doc;
    doc.setHtml(html);
    return doc.toPlainText();
}

} // namespace

TEST(HealthReport, HasEverySection)
{
    Fixture f;
    const models::HealthReport r = models::buildHealthReport(f.input);
    EXPECT_EQ(r.title, QStringLiteral("Health report: hokm-ha"));
    for (const char *id : {"summary", "findings", "topology", "connections", "charts", "statements",
                           "archiver", "backups", "alerts", "timeline", "checklist"})
        EXPECT_TRUE(r.html.contains(QStringLiteral("<h2 id=\"%1\"").arg(QLatin1String(id)))) << id;
    const QString text = plainText(r.html);
    EXPECT_TRUE(text.contains(QStringLiteral("No task of the maintenance schedule was checked")));
    EXPECT_TRUE(text.contains(QStringLiteral("Overall state: WARNING")));
    EXPECT_TRUE(text.contains(QStringLiteral("2026-12-04"))) << "the UTC time in the title";
}

TEST(HealthReport, ReportsTheStoppedMemberAsSuch)
{
    Fixture f;
    const QString text = plainText(models::buildHealthReport(f.input).html);
    EXPECT_TRUE(text.contains(QStringLiteral("2 of 3 answering; not answering: node3")));
    EXPECT_TRUE(text.contains(QStringLiteral("Replica node3 is not running (Patroni state: "
                                             "stopped).")));
    // The members' state table: node3's row says stopped; the channels table names its address.
    const QRegularExpression row(QStringLiteral("node3\\s+Replica\\s+stopped"));
    EXPECT_TRUE(row.match(text).hasMatch()) << text.toStdString();
    const QRegularExpression where(QStringLiteral("node3\\s+127\\.0\\.0\\.1:61712\\s"));
    EXPECT_TRUE(where.match(text).hasMatch()) << text.toStdString();
}

TEST(HealthReport, StatementsAreCumulativeSinceResetWithoutABaseline)
{
    Fixture f;
    const QString text = plainText(models::buildHealthReport(f.input).html);
    EXPECT_TRUE(text.contains(QStringLiteral(
        "Cumulative since the statistics were reset (2026-12-04 13:47:12.165771+00)")));
    // The recorded top statement (6 s of pg_sleep) comes first.
    const qsizetype top = text.indexOf(QStringLiteral("SELECT m.player_id, count(*)"));
    const qsizetype second = text.indexOf(QStringLiteral("SELECT count(*) FROM game_sessions s"));
    ASSERT_GE(top, 0);
    EXPECT_LT(top, second);
}

TEST(HealthReport, StatementsWithABaselineShowTheDelta)
{
    Fixture f;
    services::StatementsSample baseline = *f.input.statements;
    baseline.takenAt = f.input.statements->takenAt.addSecs(-24 * 3600);
    // A day earlier every statement had run as often as now, except the second one: only it
    // ran in between.
    for (int i = 0; i < baseline.rows.size(); ++i)
        if (i == 1)
            baseline.rows[i].counters.calls = 0, baseline.rows[i].counters.totalMs = 0;
    f.input.statementsBaseline = baseline;
    const QString text = plainText(models::buildHealthReport(f.input).html);
    EXPECT_TRUE(text.contains(QStringLiteral("Delta between 2026-12-03 14:01:00 and 2026-12-04 "
                                             "14:01:00 UTC (1 d")));
    EXPECT_TRUE(text.contains(QStringLiteral("SELECT count(*) FROM game_sessions s")));
    EXPECT_FALSE(text.contains(QStringLiteral("SELECT m.player_id"))) << "no calls in the delta";
}

TEST(HealthReport, PasswordLiteralsOfStatementsAreMasked)
{
    using services::redactPasswordLiterals;
    EXPECT_EQ(redactPasswordLiterals(QStringLiteral("ALTER ROLE vigil LOGIN PASSWORD 'dk9f''x'")),
              QStringLiteral("ALTER ROLE vigil LOGIN PASSWORD '********'"));
    EXPECT_EQ(redactPasswordLiterals(QStringLiteral("create user a password $p$se'cret$p$ valid")),
              QStringLiteral("create user a password '********' valid"));
    EXPECT_EQ(redactPasswordLiterals(QStringLiteral("SELECT password FROM t WHERE x = 'a'")),
              QStringLiteral("SELECT password FROM t WHERE x = 'a'"));
    // The sample reader masks them: the recorded ALTER ROLE statements (the fixture's literal
    // was masked at recording) come out masked.
    bool sawAlterRole = false;
    for (const auto &row : statementsFixture().rows)
        if (row.query.startsWith(QStringLiteral("ALTER ROLE"))) {
            sawAlterRole = true;
            EXPECT_TRUE(row.query.endsWith(QStringLiteral("PASSWORD '********'")));
        }
    EXPECT_TRUE(sawAlterRole);
}

TEST(HealthReport, HtmlIsSelfContainedWithPngCharts)
{
    Fixture f;
    const models::HealthReport r = models::buildHealthReport(f.input);
    EXPECT_FALSE(r.html.contains(QStringLiteral("src=\"http")));
    EXPECT_FALSE(r.html.contains(QStringLiteral("<link")));
    ASSERT_EQ(r.images.size(), 2);
    for (const auto &[url, image] : r.images) {
        ASSERT_TRUE(url.startsWith(QStringLiteral("data:image/png;base64,")));
        EXPECT_TRUE(r.html.contains(url));
        QImage decoded;
        ASSERT_TRUE(decoded.loadFromData(QByteArray::fromBase64(url.mid(22).toLatin1()), "PNG"));
        EXPECT_EQ(decoded.size(), image.size());
        EXPECT_GE(decoded.width(), 1000) << "drawn at twice the shown size, for print";
    }
}

TEST(HealthReport, ChartsHoldTheHistorysSeries)
{
    Fixture f;
    const models::ReportChart lag = models::reportChartFrom(
        f.history, models::ChartHistory::Chart::LagBytes, QStringLiteral("lag"),
        models::ReportChart::Unit::Bytes, f.input.chartsFrom, f.input.generatedAt);
    QStringList labels;
    for (const auto &s : lag.series)
        labels << s.label;
    EXPECT_TRUE(labels.contains(QStringLiteral("node2")))
        << labels.join(QLatin1Char(',')).toStdString();
    const models::ReportChart none =
        models::reportChartFrom(f.history, models::ChartHistory::Chart::LagBytes,
                                QStringLiteral("lag"), models::ReportChart::Unit::Bytes,
                                f.input.generatedAt.addSecs(60), f.input.generatedAt.addSecs(120));
    EXPECT_FALSE(none.hasPoints());
}

TEST(HealthReport, BackupsFromTheAuditLog)
{
    Fixture f;
    EXPECT_TRUE(plainText(models::buildHealthReport(f.input).html)
                    .contains(QStringLiteral("No backup of this cluster is in this machine's audit "
                                             "log")));
    services::AuditEntry ok;
    ok.when = f.input.generatedAt.addSecs(-3 * 3600);
    ok.cluster = QStringLiteral("hokm-ha");
    ok.member = QStringLiteral("node2");
    ok.action = QStringLiteral("backup");
    ok.result = QStringLiteral("ok");
    ok.parameters = {{QStringLiteral("database"), QStringLiteral("hokm_game")},
                     {QStringLiteral("file"), QStringLiteral("/backups/hokm_game.dump")},
                     {QStringLiteral("bytes"), 82.0 * 1024 * 1024}};
    services::AuditEntry failed = ok;
    failed.when = f.input.generatedAt.addSecs(-600);
    failed.result = QStringLiteral("failed");
    f.input.backups = {ok, failed};
    const QString text = plainText(models::buildHealthReport(f.input).html);
    EXPECT_TRUE(text.contains(QStringLiteral("Last attempt")));
    EXPECT_TRUE(text.contains(QStringLiteral("Last successful")));
    EXPECT_TRUE(text.contains(QStringLiteral("82 MiB")));
    EXPECT_TRUE(text.contains(QStringLiteral("The last successful backup is 3 h 0 min old.")));
}

TEST(HealthReport, RecordsAreThisClustersLastDay)
{
    QTemporaryDir dir;
    const QString alertsPath = dir.filePath(QStringLiteral("alerts.jsonl"));
    const services::AlertHistory history(alertsPath);
    const QDateTime now(QDate(2026, 12, 4), QTime(14, 0), Qt::UTC);
    services::AlertEvent e;
    e.cluster = QStringLiteral("hokm-ha");
    e.code = services::Finding::Code::ReplicaDown;
    e.member = QStringLiteral("node3");
    e.message = QStringLiteral("Replica node3 is not running (Patroni state: stopped).");
    for (const auto &[cluster, ageHours] :
         QList<QPair<QString, int>>{{QStringLiteral("hokm-ha"), 1},
                                    {QStringLiteral("hokm-ha"), 30},
                                    {QStringLiteral("other"), 1}}) {
        e.cluster = cluster;
        e.at = now.addSecs(-ageHours * 3600);
        ASSERT_TRUE(history.append(e));
    }
    services::ChecklistRecord tick;
    tick.at = now.addSecs(-7200);
    tick.item = QStringLiteral("daily.error-logs");
    tick.outcome = services::ChecklistRecord::Outcome::Ticked;
    tick.comment = QStringLiteral("nothing new");
    const QString checklists = dir.filePath(QStringLiteral("checklists"));
    ASSERT_TRUE(services::ChecklistStore(QStringLiteral("hokm-ha"), checklists).append(tick));
    ASSERT_TRUE(services::ChecklistStore(QStringLiteral("other"), checklists).append(tick));
    HealthReportInput in;
    in.generatedAt = now;
    models::HealthReportGatherer::readRecords(in, QStringLiteral("hokm-ha"),
                                              {alertsPath, dir.filePath(QStringLiteral("timeline")),
                                               dir.filePath(QStringLiteral("audit.jsonl")),
                                               checklists});
    ASSERT_EQ(in.alerts.size(), 1);
    EXPECT_EQ(in.alerts.first().at, now.addSecs(-3600));
    EXPECT_TRUE(in.timeline.isEmpty());
    EXPECT_TRUE(in.backups.isEmpty());
    ASSERT_EQ(in.checklist.size(), 1) << "this cluster's checklist history only";
    EXPECT_EQ(in.checklist.first().comment, QStringLiteral("nothing new"));
}

// The checklist section: every task of the schedule with its state at the report's time, from
// the cluster's checklist history; a pass of a daily task a day and a half old is overdue.
TEST(HealthReport, ChecklistShowsEveryTaskAndCountsTheOverdueOnes)
{
    Fixture f;
    services::ChecklistRecord health;
    health.item = QStringLiteral("daily.health");
    health.outcome = services::ChecklistRecord::Outcome::Passed;
    health.at = f.input.generatedAt.addSecs(-3600);
    health.who = QStringLiteral("dba");
    health.evidence = QStringLiteral("3 members, leader node1");
    services::ChecklistRecord logs = health;
    logs.item = QStringLiteral("daily.error-logs");
    logs.outcome = services::ChecklistRecord::Outcome::Ticked;
    logs.at = f.input.generatedAt.addSecs(-36 * 3600);
    f.input.checklist = {health, logs};
    const QList<services::ChecklistItemStatus> status =
        services::checklistStatus(f.input.checklist, f.input.generatedAt);
    const int overdue = services::overdueCount(status);
    ASSERT_GT(overdue, 0);
    ASSERT_LT(overdue, status.size()) << "the health check passed an hour ago";
    const QString text = plainText(models::buildHealthReport(f.input).html);
    EXPECT_TRUE(
        text.contains(QStringLiteral("%1 task(s) of %2 overdue.").arg(overdue).arg(status.size())))
        << text.toStdString();
    for (const services::ChecklistItemStatus &s : status)
        EXPECT_TRUE(text.contains(s.item.title)) << s.item.title.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("dba")));
}

TEST(HealthReportPdf, A4WithPageNumbersAndSectionsThatDoNotStartAtTheFoot)
{
    Fixture f;
    const models::HealthReport r = models::buildHealthReport(f.input);
    std::unique_ptr<QTextDocument> doc(models::layOutForPdf(r));
    const qreal page = doc->pageSize().height();
    EXPECT_NEAR(doc->pageSize().width() / 96.0 * 25.4, 210 - 32, 1.0) << "A4 less the margins";
    EXPECT_GE(doc->pageCount(), 2);
    QList<qreal> tops;
    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next())
        if (b.blockFormat().headingLevel() == 2)
            tops << doc->documentLayout()->blockBoundingRect(b).top();
    ASSERT_EQ(tops.size(), 11);
    tops << doc->documentLayout()->documentSize().height();
    for (int i = 0; i + 1 < tops.size(); ++i) {
        const qreal room = page - std::fmod(tops.at(i), page);
        const qreal height = tops.at(i + 1) - tops.at(i);
        // A section either fits in what is left of its page, or starts with at least a fifth of
        // a page to go (a long one that cannot fit anywhere).
        EXPECT_TRUE(room >= height - 1 || (height > page * 0.95 && room >= page * 0.2))
            << "section " << i << " at " << tops.at(i) << " room " << room << " height " << height;
    }

    QTemporaryDir dir;
    const QString pdf = dir.filePath(QStringLiteral("r.pdf"));
    QString error;
    ASSERT_TRUE(models::writeHealthReport(r, models::ReportFormat::Pdf, pdf, &error))
        << error.toStdString();
    QFile file(pdf);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    EXPECT_TRUE(bytes.startsWith("%PDF-"));
    // For a look (pdftoppm -png): the report of the recorded cluster.
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    QFile::remove(QStringLiteral(VIGIL_ARTIFACTS_DIR "/report-fixture.pdf"));
    QFile::copy(pdf, QStringLiteral(VIGIL_ARTIFACTS_DIR "/report-fixture.pdf"));
    const qsizetype pageObjects =
        QString::fromLatin1(bytes).count(QRegularExpression(QStringLiteral("/Type\\s*/Page[^s]")));
    EXPECT_EQ(pageObjects, doc->pageCount()) << "one page object per laid-out page";
}

TEST(HealthReportPdf, FormatByTheFileName)
{
    EXPECT_EQ(models::reportFormatFor(QStringLiteral("/x/a.PDF")), models::ReportFormat::Pdf);
    EXPECT_EQ(models::reportFormatFor(QStringLiteral("a.html")), models::ReportFormat::Html);
    EXPECT_EQ(models::reportFormatFor(QStringLiteral("a.htm")), models::ReportFormat::Html);
    EXPECT_FALSE(models::reportFormatFor(QStringLiteral("a.txt")));
    QString error;
    EXPECT_FALSE(models::writeHealthReport({}, models::ReportFormat::Html,
                                           QStringLiteral("/nonexistent-dir/x.html"), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("/nonexistent-dir/x.html")));
}

TEST(StatementsBaseline, TheSampleOfAboutADayAgoWithTheSameReset)
{
    QTemporaryDir dir;
    const models::StatementsBaselineStore store(QStringLiteral("hokm-ha"), dir.path());
    const services::StatementsSample now = statementsFixture();
    EXPECT_FALSE(store.baselineFor(now)) << "nothing stored yet";
    for (int hoursAgo : {50, 26, 23, 2}) {
        services::StatementsSample s = now;
        s.takenAt = now.takenAt.addSecs(-hoursAgo * 3600);
        s.rows.first().counters.calls = hoursAgo; // tells them apart
        ASSERT_TRUE(store.append(s));
    }
    const auto baseline = store.baselineFor(now);
    ASSERT_TRUE(baseline);
    EXPECT_EQ(baseline->takenAt, now.takenAt.addSecs(-23 * 3600)) << "the closest to 24 h";
    EXPECT_EQ(baseline->rows.first().counters.calls, 23);
    ASSERT_EQ(baseline->rows.size(), now.rows.size());
    EXPECT_EQ(baseline->rows.at(1).key, now.rows.at(1).key) << "64-bit query ids survive JSON";
    EXPECT_DOUBLE_EQ(baseline->rows.at(1).counters.totalMs, now.rows.at(1).counters.totalMs);

    services::StatementsSample afterReset = now;
    afterReset.statsReset = QStringLiteral("2026-12-04 13:59:00+00");
    EXPECT_FALSE(store.baselineFor(afterReset)) << "a reset in between: no delta";
}

// Qt 6.4's incremental relayout after insertPageBreaks() changed a heading's format left the
// blocks between two tables unlaid (no lines), so the PDF of the sandbox's report ended with the
// checklist's rows and no Backups, Alerts or Timeline (CI, 2026-12-05). Sections of every length
// before them move the breaks around: every block keeps its lines, in the pages counted.
TEST(HealthReportPdf, EveryBlockIsLaidOutWhereverThePageBreaksFall)
{
    Fixture f;
    const models::HealthReport base = models::buildHealthReport(f.input);
    const int firstSection = int(base.html.indexOf(QStringLiteral("<h2")));
    const int secondSection = int(base.html.indexOf(QStringLiteral("<h2"), firstSection + 3));
    ASSERT_GT(secondSection, firstSection);
    for (int extra = 0; extra < 120; extra += 3) {
        models::HealthReport r = base;
        QString padding;
        for (int i = 0; i < extra; ++i)
            padding += QStringLiteral("<p>padding line %1</p>").arg(i);
        r.html.insert(secondSection, padding);
        std::unique_ptr<QTextDocument> doc(models::layOutForPdf(r));
        QAbstractTextDocumentLayout *layout = doc->documentLayout();
        int headings = 0, unlaid = 0;
        for (QTextBlock b = doc->begin(); b.isValid(); b = b.next()) {
            if (b.blockFormat().headingLevel() == 2)
                ++headings;
            if (!b.text().isEmpty() && (!b.layout() || b.layout()->lineCount() == 0))
                ++unlaid;
        }
        EXPECT_EQ(headings, 11) << extra << " lines of padding";
        EXPECT_EQ(unlaid, 0) << extra << " lines of padding";
        const qreal bottom = layout->blockBoundingRect(doc->lastBlock()).bottom();
        EXPECT_LE(bottom, models::reportPageCount(r) * doc->pageSize().height())
            << extra << " lines of padding";
    }
}
