// `vigil report` against the sandbox: the real binary writes the health report as HTML and as
// PDF (read back with poppler's pdftotext and pdfinfo), with every section and the cluster's
// figures; with node3 stopped, the report says node3 is not answering. The PDF's pages are
// rendered with pdftoppm into build/artifacts/report-sandbox-*.png for a look. The window's
// File → Health report… on the sandbox: the dialog's preview (build/artifacts/report-dialog.png)
// and its PDF.
#include "app/gui/compositionroot.h"
#include "app/gui/guilaunch.h"
#include "models/clusterwatch.h"
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "support/eventloop.h"
#include "support/processrun.h"
#include "support/sandbox.h"
#include "support/sandboxwindow.h"
#include "ui/report/healthreportdialog.h"
#include "ui/shell/mainwindow.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil;
using vigil::test::Cleanup;
using vigil::test::ProcessRun;
using vigil::test::runInLoop;
using vigil::test::Sandbox;

namespace {

// The status command's target options (every member's REST URL, HAProxy, PgBouncer), as
// `vigil report` takes them.
QStringList reportArguments(const QString &out, const QString &sample)
{
    QStringList args = Sandbox::statusArguments(true);
    args.removeFirst(); // "status"
    return QStringList{QStringLiteral("report"), QStringLiteral("--out"), out,
                       QStringLiteral("--sample"), sample} +
           args;
}

ProcessRun report(const QString &out, const QString &sample)
{
    return runInLoop(QStringLiteral(VIGIL_BINARY), reportArguments(out, sample), 120000);
}

QString readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

ProcessRun poppler(const QString &tool, const QStringList &args)
{
    if (QStandardPaths::findExecutable(tool).isEmpty())
        return {-1, 0, {}, QStringLiteral("%1 is not installed (poppler-utils)").arg(tool), {}};
    return runInLoop(tool, args, 60000);
}

const QStringList kSections = {QStringLiteral("Summary"),
                               QStringLiteral("Findings"),
                               QStringLiteral("Topology"),
                               QStringLiteral("Connections"),
                               QStringLiteral("Lag and connections"),
                               QStringLiteral("Top statements"),
                               QStringLiteral("WAL archiving"),
                               QStringLiteral("Backups"),
                               QStringLiteral("Alerts, last 24 hours"),
                               QStringLiteral("Timeline, last 24 hours")};

// A copy of `file` in the artifacts folder under `name`, replacing the last run's (QFile::copy
// never overwrites).
void keepArtifact(const QString &file, const char *name)
{
    const QString target = QStringLiteral(VIGIL_ARTIFACTS_DIR "/") + QLatin1String(name);
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    QFile::remove(target);
    QFile::copy(file, target);
}

} // namespace

TEST(ReportCli, HtmlHasEverySectionChartsAndTheClustersFigures)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    QTemporaryDir dir;
    const QString html = dir.filePath(QStringLiteral("hokm.html"));
    const ProcessRun r = report(html, QStringLiteral("8s"));
    ASSERT_EQ(r.exitCode, 0) << show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("Wrote ") + html)) << show(r);
    const QString text = readText(html);
    for (const QString &s : kSections)
        EXPECT_TRUE(text.contains(QStringLiteral(">") + s + QStringLiteral("</h2>")))
            << s.toStdString();
    const QString leader = Sandbox::leaderName();
    EXPECT_TRUE(text.contains(QStringLiteral("Health report: ")));
    EXPECT_TRUE(text.contains(QStringLiteral("3 of 3 answering"))) << "every member answers";
    EXPECT_TRUE(text.contains(leader + QStringLiteral(" (timeline ")));
    EXPECT_EQ(text.count(QStringLiteral("<img class=\"chart\" src=\"data:image/png;base64,")), 2);
    // The sandbox preloads pg_stat_statements: real statements, cumulative since the reset.
    EXPECT_TRUE(text.contains(QStringLiteral("Cumulative since the statistics were reset")))
        << "no statements section figures";
    EXPECT_TRUE(text.contains(QStringLiteral("archiving"))) << "the leader archives (sandbox)";
    EXPECT_FALSE(text.contains(QStringLiteral("http://127.0.0.1")) &&
                 text.contains(QStringLiteral("src=\"http")))
        << "self-contained";
}

TEST(ReportCli, PdfIsA4WithEverySectionAndPageNumbers)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    QTemporaryDir dir;
    const QString pdf = dir.filePath(QStringLiteral("hokm.pdf"));
    const ProcessRun r = report(pdf, QStringLiteral("8s"));
    ASSERT_EQ(r.exitCode, 0) << show(r);
    const ProcessRun info = poppler(QStringLiteral("pdfinfo"), {pdf});
    ASSERT_EQ(info.exitCode, 0) << show(info);
    EXPECT_TRUE(info.out.contains(QStringLiteral("(A4)"))) << info.out.toStdString();
    const int pages =
        QRegularExpression(QStringLiteral("Pages:\\s+(\\d+)")).match(info.out).captured(1).toInt();
    EXPECT_GE(pages, 2);
    const ProcessRun text =
        poppler(QStringLiteral("pdftotext"), {QStringLiteral("-layout"), pdf, QStringLiteral("-")});
    ASSERT_EQ(text.exitCode, 0) << show(text);
    // -layout keeps the page's geometry with runs of spaces: words are compared, not spacing.
    const QString words = text.out.simplified();
    for (const QString &s : kSections)
        EXPECT_TRUE(words.contains(s)) << s.toStdString() << " in:\n" << text.out.toStdString();
    EXPECT_TRUE(text.out.contains(QStringLiteral("Page 1 of %1").arg(pages)));
    EXPECT_TRUE(text.out.contains(QStringLiteral("Page %1 of %1").arg(pages)));
    for (const char *n : {"node1", "node2", "node3"})
        EXPECT_TRUE(text.out.contains(QLatin1String(n)));
    EXPECT_TRUE(text.out.contains(QStringLiteral("UTC")));
    // Every page as PNG, to look at (README: Health report).
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    const ProcessRun png =
        poppler(QStringLiteral("pdftoppm"),
                {QStringLiteral("-png"), QStringLiteral("-r"), QStringLiteral("80"), pdf,
                 QStringLiteral(VIGIL_ARTIFACTS_DIR "/report-sandbox")});
    EXPECT_EQ(png.exitCode, 0) << show(png);
    keepArtifact(pdf, "report-sandbox.pdf");
}

TEST(ReportCli, StoppedMemberIsReportedAsNotAnswering)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    const QString victim = Sandbox::leaderName() == QStringLiteral("node3")
                               ? QStringLiteral("node2")
                               : QStringLiteral("node3");
    QString out;
    ASSERT_EQ(Sandbox::run({QStringLiteral("stop"), victim}, &out), 0) << out.toStdString();
    const Cleanup restart{[victim] {
        Sandbox::run({QStringLiteral("start"), victim});
        Sandbox::ensureHealthy();
    }};
    QTemporaryDir dir;
    const QString pdf = dir.filePath(QStringLiteral("down.pdf"));
    const ProcessRun r = report(pdf, QStringLiteral("0"));
    ASSERT_EQ(r.exitCode, 0) << show(r);
    const ProcessRun text = poppler(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
    ASSERT_EQ(text.exitCode, 0) << show(text);
    const QString t = text.out.simplified();
    EXPECT_TRUE(t.contains(QStringLiteral("2 of 3 answering; not answering: %1").arg(victim)))
        << t.toStdString();
    EXPECT_TRUE(t.contains(QStringLiteral("Overall state: WARNING")) ||
                t.contains(QStringLiteral("Overall state: CRITICAL")))
        << t.toStdString();
    EXPECT_TRUE(t.contains(QStringLiteral("%1 cannot be reached").arg(victim)) ||
                t.contains(QStringLiteral("Replica %1 is not running").arg(victim)))
        << t.toStdString();
    keepArtifact(pdf, "report-sandbox-member-down.pdf");
}

TEST(ReportCli, UnusableOptionsExitTwo)
{
    const ProcessRun noOut =
        runInLoop(QStringLiteral(VIGIL_BINARY), {QStringLiteral("report")}, 30000);
    EXPECT_EQ(noOut.exitCode, 2) << show(noOut);
    EXPECT_TRUE(noOut.err.contains(QStringLiteral("--out FILE"))) << show(noOut);
    const ProcessRun txt =
        runInLoop(QStringLiteral(VIGIL_BINARY),
                  {QStringLiteral("report"), QStringLiteral("--out"), QStringLiteral("/tmp/x.txt"),
                   QStringLiteral("--patroni"), QStringLiteral("http://127.0.0.1:1")},
                  30000);
    EXPECT_EQ(txt.exitCode, 2) << show(txt);
    EXPECT_TRUE(txt.err.contains(QStringLiteral("ends neither in .pdf nor in .html"))) << show(txt);
}

using Gui = vigil::test::SandboxWindow;

TEST(ReportGui, FileMenuActionPreviewsAndSavesTheReport)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    Gui gui;
    // A few snapshots for the charts.
    ASSERT_TRUE(test::waitUntil(
        [&] {
            models::ClusterWatch *w = gui.window.watch(QStringLiteral("hokm-ha"));
            return w && w->lastSnapshot() && w->lastSnapshot()->members.size() == 3 &&
                   w->history()->store().size() >= 10;
        },
        60000));
    auto *action = gui.window.findChild<QAction *>(QStringLiteral("healthReportAction"));
    ASSERT_NE(action, nullptr);
    EXPECT_EQ(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    action->trigger();
    auto *dialog = gui.window.findChild<ui::HealthReportDialog *>();
    ASSERT_NE(dialog, nullptr);
    ASSERT_TRUE(test::waitUntil([&] { return dialog->isReady(); }, 30000))
        << dialog->statusText().toStdString();
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    dialog->grab().save(QStringLiteral(VIGIL_ARTIFACTS_DIR "/report-dialog.png"));
    EXPECT_TRUE(dialog->report().html.contains(QStringLiteral("this window")))
        << "the charts say they come from the window's history";

    const QString pdf = gui.dir.filePath(QStringLiteral("gui.pdf"));
    ASSERT_TRUE(dialog->saveTo(pdf)) << dialog->statusText().toStdString();
    EXPECT_TRUE(dialog->statusText().startsWith(QStringLiteral("Written to ") + pdf));
    const ProcessRun text = poppler(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
    ASSERT_EQ(text.exitCode, 0) << show(text);
    EXPECT_TRUE(text.out.contains(QStringLiteral("Health report: hokm-ha")));
    EXPECT_TRUE(text.out.contains(QStringLiteral("3 of 3 answering")));
    keepArtifact(pdf, "report-gui.pdf");
}
