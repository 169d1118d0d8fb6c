// The health report's sections (healthreport.h). Each section is built from the same models the
// window shows (members, archiver, connection breakdown), so a figure reads the same on screen
// and on paper; the report adds no query of its own.
#include "models/report/healthreport.h"

#include "models/archivermodel.h"
#include "models/connectionbreakdownmodel.h"
#include "models/formatting.h"
#include "models/health.h"
#include "models/membersmodel.h"
#include "models/report/reportchart.h"
#include "models/report/reporthtml.h"
#include "models/report/reportsections.h"
#include "models/tr.h"

#include <QBuffer>

namespace vigil::models {

using services::ClusterSnapshot;
using services::MemberSnapshot;

namespace {

constexpr QSize kChartSize(680, 230);

QString utcText(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
}

QString pngDataUrl(const QImage &image)
{
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());
}

QString titleBlock(const HealthReportInput &in, const QString &cluster)
{
    const ClusterSnapshot &s = *in.snapshot;
    const Health h = fromSeverity(s.worstSeverity());
    QString html =
        QStringLiteral("<h1>%1</h1>\n").arg(esc(Tr::tr("Health report: %1").arg(cluster)));
    html += QStringLiteral("<p class=\"meta\">%1</p>\n")
                .arg(esc(Tr::tr("Generated %1 by %2. State as of the monitor's snapshot of %3.")
                             .arg(utcText(in.generatedAt), in.generatedBy, utcText(s.takenAt))));
    html += QStringLiteral("<p>%1 %2</p>\n")
                .arg(esc(Tr::tr("Overall state:")),
                     coloredHtml(esc(healthName(h).toUpper()), healthColor(h).name()));
    return html;
}

QString topologySection(const HealthReportInput &in)
{
    MembersModel members;
    members.setSnapshot(in.snapshot);
    using C = MembersModel::Column;
    QString html = sectionHeading(QStringLiteral("topology"), Tr::tr("Topology"));
    // Two tables: ten columns on an A4 page left the channel texts three words wide. The state
    // of each member first, then where it is and how it answered.
    html += modelTableHtml(
        members,
        {C::Member, C::Role, C::State, C::Timeline, C::Lag, C::ReplayDelay, C::PendingRestart},
        {3, 4, 5});
    html += modelTableHtml(members, {C::Member, C::Host, C::Rest, C::Sql});
    int dead = 0;
    for (const MemberSnapshot &m : in.snapshot->members)
        dead += !m.rest.ok() && !m.sql.ok() ? 1 : 0;
    if (dead > 0)
        html += noteHtml(Tr::tr("%n member(s) answered neither on Patroni's REST API nor over SQL: "
                                "their row shows the last state Patroni's DCS view had.",
                                nullptr, dead));
    html += replicationTableHtml(in.snapshot);
    return html;
}

QString connectionsSection(const HealthReportInput &in)
{
    const ClusterSnapshot &s = *in.snapshot;
    QString html = sectionHeading(QStringLiteral("connections"), Tr::tr("Connections"));
    QList<QStringList> rows = {{esc(Tr::tr("Member")), esc(Tr::tr("Client backends")),
                                esc(Tr::tr("max_connections")), esc(Tr::tr("Use")),
                                esc(Tr::tr("Active")), esc(Tr::tr("Idle")),
                                esc(Tr::tr("Idle in transaction"))}};
    for (const MemberSnapshot &m : s.members) {
        if (!m.connections) {
            rows << QStringList{esc(m.name), esc(Tr::tr("not known")), {}, {}, {}, {}, {}};
            continue;
        }
        const auto &c = *m.connections;
        const Health h = connectionsHealth(c.usedFraction());
        const auto state = [&c](const char *name) {
            return QString::number(c.byState.value(QLatin1String(name)));
        };
        rows << QStringList{
            esc(m.name),
            QString::number(c.total),
            QString::number(c.maxConnections),
            coloredHtml(QStringLiteral("%1 %").arg(c.usedFraction() * 100, 0, 'f', 1),
                        healthColor(h).name(), h != Health::Ok),
            state("active"),
            state("idle"),
            state("idle in transaction")};
    }
    html += rowsTableHtml(rows, {1, 2, 3, 4, 5, 6});
    html += noteHtml(Tr::tr("The operations manual's thresholds: warning at %1 % of "
                            "max_connections, critical at %2 %.")
                         .arg(kConnectionsWarnFraction * 100)
                         .arg(kConnectionsCriticalFraction * 100));
    if (const auto all = connectionStatsOf(s, QString()); all && !all->byApplication.isEmpty()) {
        ConnectionBreakdownModel byApp(ConnectionBreakdownModel::Dimension::Application);
        byApp.setStats(all);
        html += QStringLiteral("<h3>%1</h3>\n").arg(esc(Tr::tr("By application, all members")));
        html += modelTableHtml(byApp, {0, 1, 2}, {1, 2}, 12);
    }
    return html;
}

QString chartsSection(const HealthReportInput &in, HealthReport &report)
{
    QString html = sectionHeading(QStringLiteral("charts"), Tr::tr("Lag and connections"));
    if (!in.history) {
        html += noteHtml(Tr::tr("No samples were taken, so there are no charts."));
        return html;
    }
    const QList<ReportChart> charts = {
        reportChartFrom(*in.history, ChartHistory::Chart::LagBytes,
                        Tr::tr("Replay lag per replica (bytes)"), ReportChart::Unit::Bytes,
                        in.chartsFrom, in.generatedAt),
        reportChartFrom(*in.history, ChartHistory::Chart::ConnectionsByState,
                        Tr::tr("Client backends by state, all members"), ReportChart::Unit::Count,
                        in.chartsFrom, in.generatedAt)};
    for (const ReportChart &chart : charts) {
        const QImage image = renderReportChart(chart, kChartSize);
        const QString url = pngDataUrl(image);
        report.images.append({url, image});
        html += QStringLiteral("<p><img class=\"chart\" src=\"%1\" width=\"%2\" height=\"%3\" "
                               "alt=\"%4\"></p>\n")
                    .arg(url)
                    .arg(kChartSize.width())
                    .arg(kChartSize.height())
                    .arg(esc(chart.title));
    }
    html += noteHtml(Tr::tr("Samples: %1, from %2 to %3.")
                         .arg(in.chartsSource, utcText(in.chartsFrom), utcText(in.generatedAt)));
    return html;
}

QString archiverSection(const HealthReportInput &in)
{
    ArchiverModel archiver;
    archiver.setSnapshot(in.snapshot);
    using C = ArchiverModel::Column;
    QString html = sectionHeading(QStringLiteral("archiver"), Tr::tr("WAL archiving"));
    html += modelTableHtml(archiver,
                           {C::Member, C::State, C::Archived, C::LastArchived, C::LastSuccess,
                            C::Failures, C::LastFailure},
                           {2, 5});
    QStringList commands;
    for (const MemberSnapshot &m : in.snapshot->members)
        if (m.archiver && !m.archiver->archiveCommand.isEmpty() &&
            !commands.contains(m.archiver->archiveCommand))
            commands << m.archiver->archiveCommand;
    if (!commands.isEmpty())
        html +=
            QStringLiteral("<p class=\"note\">%1 <span class=\"mono\">%2</span></p>\n")
                .arg(esc(Tr::tr("archive_command:")), esc(commands.join(QStringLiteral(" | "))));
    html += noteHtml(Tr::tr("From pg_stat_archiver on each member (the monitor's probe); times "
                            "are local time."));
    return html;
}

} // namespace

QString reportClusterName(const ClusterSnapshot &s)
{
    // Patroni's scope names the cluster; the profile's name is added when it says something else
    // (a profile saved under another name, or `--patroni URL`'s address).
    if (s.scope.isEmpty() || s.scope == s.profileName)
        return s.profileName.isEmpty() ? s.scope : s.profileName;
    if (s.profileName.isEmpty())
        return s.scope;
    return Tr::tr("%1 (profile %2)").arg(s.scope, s.profileName);
}

HealthReport buildHealthReport(const HealthReportInput &in)
{
    HealthReport report;
    const QString cluster = reportClusterName(*in.snapshot);
    report.title = Tr::tr("Health report: %1").arg(cluster);
    QString body = titleBlock(in, cluster);
    body += summaryFactsHtml(in);
    body += findingsSectionHtml(*in.snapshot);
    body += topologySection(in);
    body += connectionsSection(in);
    body += chartsSection(in, report);
    body += statementsSectionHtml(in);
    body += archiverSection(in);
    body += backupsSectionHtml(in);
    body += alertsSectionHtml(in);
    body += timelineSectionHtml(in);
    body += checklistSectionHtml(in);
    report.html = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                 "<title>%1</title>\n<style>\n%2</style></head>\n<body>\n%3"
                                 "</body></html>\n")
                      .arg(esc(report.title), reportStyleSheet(), body);
    return report;
}

} // namespace vigil::models
