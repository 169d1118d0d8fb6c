#include "app/commands/reportcommand.h"

#include "app/commands/commandoutput.h"
#include "app/tr.h"
#include "models/charthistory.h"
#include "models/formatting.h"
#include "models/report/healthreportgatherer.h"
#include "models/report/reportdocument.h"
#include "services/core/auditlog.h"
#include "services/core/version.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QSysInfo>
#include <QTimer>

namespace vigil::app {

namespace {

const QString kCommand = QStringLiteral("report");
constexpr double kDefaultSampleSeconds = 30;
constexpr double kMaxSampleSeconds = 3600;

struct ReportOptions
{
    QCommandLineOption out{QStringList{QStringLiteral("o"), QStringLiteral("out")},
                           Tr::tr("Write the report to <file>: .pdf (A4) or .html (one "
                                  "self-contained file)."),
                           Tr::tr("file")};
    QCommandLineOption sample{
        QStringLiteral("sample"),
        Tr::tr("Watch the cluster this long for the lag and connection charts (30s, 2m; at most "
               "1h; 0: one snapshot, no charts). Default 30s."),
        Tr::tr("duration"), QStringLiteral("30s")};
};

QString generatedBy()
{
    return Tr::tr("Vigil %1 on %2 (%3)")
        .arg(QLatin1String(vigil::kVersion), QSysInfo::machineHostName(),
             services::AuditLog::currentOsUser());
}

ReportCommand::Parsed unusable(const QString &reason)
{
    return {std::nullopt,
            Tr::tr("vigil report: %1").arg(reason) + QLatin1Char('\n') +
                Tr::tr("Run 'vigil report --help' for the options.") + QLatin1Char('\n'),
            2};
}

} // namespace

ReportCommand::Parsed ReportCommand::parse(const QStringList &arguments,
                                           const TargetOptions::Sources &sources)
{
    QCommandLineParser p;
    p.setApplicationDescription(Tr::tr(
        "Write the health report of one cluster: state and findings, topology, lag and "
        "connections with charts, top statements, WAL archiving, backups, and the last 24 hours' "
        "alerts and timeline."));
    const QCommandLineOption help = p.addHelpOption();
    const ReportOptions o;
    p.addOptions({o.out, o.sample});
    TargetOptions target(TargetOptions::Use::Status);
    target.setSources(sources);
    target.addTo(p);
    if (!p.parse(arguments))
        return unusable(p.errorText());
    if (p.isSet(help)) {
        const QString h = p.helpText();
        return {std::nullopt,
                Tr::tr("Usage: vigil report [options]") + h.mid(h.indexOf(QLatin1Char('\n'))), 0};
    }
    if (!p.positionalArguments().isEmpty())
        return unusable(Tr::tr("unexpected argument '%1'.").arg(p.positionalArguments().first()));
    Options out;
    out.outPath = p.value(o.out);
    if (out.outPath.isEmpty())
        return unusable(Tr::tr("--out FILE is needed (FILE.pdf or FILE.html)."));
    const auto format = models::reportFormatFor(out.outPath);
    if (!format)
        return unusable(Tr::tr("'%1' ends neither in .pdf nor in .html: the name says which "
                               "report to write.")
                            .arg(out.outPath));
    out.pdf = *format == models::ReportFormat::Pdf;
    const QString sampleText = p.value(o.sample);
    const auto seconds = sampleText == QStringLiteral("0")
                             ? std::optional<double>(0)
                             : models::parseDurationSeconds(sampleText);
    if (!seconds || *seconds < 0 || *seconds > kMaxSampleSeconds)
        return unusable(
            Tr::tr("--sample needs a duration between 0 and 1h (got '%1').").arg(sampleText));
    out.sampleSeconds = *seconds;
    if (const QString e = target.read(p); !e.isEmpty())
        return unusable(e);
    for (const QString &note : target.values().notes)
        printErr(Tr::tr("vigil report: %1").arg(note) + QLatin1Char('\n'));
    target.values().applyTo(out.profile);
    out.secrets = target.values().secrets;
    return {out, {}, 0};
}

int ReportCommand::run(const QStringList &arguments)
{
    const Parsed parsed = parse(arguments);
    if (!parsed.options) {
        (parsed.exitCode == 0 ? printOut : printErr)(parsed.output);
        return parsed.exitCode;
    }
    const Options &o = *parsed.options;
    QNetworkAccessManager nam;
    services::ClusterMonitor monitor(&nam, o.profile, o.secrets);
    models::ChartHistory history;
    services::ClusterSnapshotPtr last;
    const QDateTime started = QDateTime::currentDateTimeUtc();
    models::HealthReportGatherer gatherer;

    const auto write = [&] {
        monitor.stop();
        if (!last || last->members.isEmpty()) {
            failCommand(kCommand,
                        Tr::tr("no member of the cluster answered (%1); nothing to report.")
                            .arg(last ? last->discovery.error.toText() : Tr::tr("no snapshot")),
                        1);
            return;
        }
        models::HealthReportGatherer::Request request;
        request.snapshot = last;
        request.profile = o.profile;
        request.sqlPassword = o.secrets.sqlPassword;
        request.history = o.sampleSeconds > 0 ? &history : nullptr;
        request.chartsFrom = started;
        request.chartsSource = Tr::tr("a %1 sampling window of vigil report, one snapshot every %2")
                                   .arg(models::formatDuration(qint64(o.sampleSeconds)),
                                        models::formatSeconds(o.profile.stateIntervalMs / 1000.0));
        request.generatedBy = generatedBy();
        gatherer.gather(request, [&](const models::HealthReportInput &input) {
            const models::HealthReport report = models::buildHealthReport(input);
            QString error;
            const auto format = o.pdf ? models::ReportFormat::Pdf : models::ReportFormat::Html;
            if (!models::writeHealthReport(report, format, o.outPath, &error))
                return failCommand(kCommand, error, 1);
            printOut(
                o.pdf ? Tr::tr("Wrote %1 (%n page(s)).", nullptr, models::reportPageCount(report))
                                .arg(o.outPath) +
                            QLatin1Char('\n')
                      : Tr::tr("Wrote %1.").arg(o.outPath) + QLatin1Char('\n'));
            QCoreApplication::exit(0);
        });
    };
    QObject::connect(&monitor, &services::ClusterMonitor::snapshotReady, &monitor,
                     [&](const services::ClusterSnapshotPtr &snapshot) {
                         history.ingest(*snapshot);
                         last = snapshot;
                         if (o.sampleSeconds <= 0)
                             write();
                     });
    if (o.sampleSeconds <= 0) {
        monitor.pollOnce();
    } else {
        printErr(Tr::tr("vigil report: watching %1 for %2 for the charts…")
                     .arg(o.profile.name, models::formatDuration(qint64(o.sampleSeconds))) +
                 QLatin1Char('\n'));
        monitor.start();
        QTimer::singleShot(qint64(o.sampleSeconds * 1000), &monitor, write);
    }
    return QCoreApplication::exec();
}

} // namespace vigil::app
