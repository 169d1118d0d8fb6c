#include "app/commands/timelinecommand.h"

#include "app/commands/commandoutput.h"
#include "app/commands/targetoptions.h"
#include "app/commands/texttable.h"
#include "app/tr.h"
#include "models/formatting.h"
#include "models/timelinemarkdown.h"
#include "services/core/auditlog.h"
#include "services/timeline/patronihistoryfetch.h"
#include "services/timeline/timelinerecorder.h"
#include "services/timeline/timelinestore.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <chrono>

namespace vigil::app {

namespace {

const QString kCommand = QStringLiteral("timeline");

struct TimelineOptions
{
    QCommandLineOption since{
        QStringLiteral("since"),
        Tr::tr("Show the events since this time: a duration back from now (90s, 10m, 2h, 1d; "
               "default 2h), an ISO 8601 time (2026-12-04T02:00:00Z), or 'all'."),
        Tr::tr("time"), QStringLiteral("2h")};
    QCommandLineOption markdown{
        QStringLiteral("markdown"),
        Tr::tr("Print the post-mortem in markdown: what happened, when (UTC and local time), how "
               "long each state lasted, who did what.")};
};

// The window's start (invalid: everything), or the reason the text is none.
QString readSince(const QString &text, QDateTime &since)
{
    if (text == QStringLiteral("all")) {
        since = QDateTime();
        return {};
    }
    if (const auto seconds = models::parseDurationSeconds(text)) {
        since = QDateTime::currentDateTimeUtc().addMSecs(-qint64(*seconds * 1000.0));
        return {};
    }
    since = QDateTime::fromString(text, Qt::ISODate);
    if (since.isValid())
        return {};
    return Tr::tr("'%1' is neither a duration (90s, 10m, 2h), an ISO 8601 time nor 'all'.")
        .arg(text);
}

QString tableOf(const QList<services::TimelineEvent> &events)
{
    TextTable table({Tr::tr("Time (UTC)"), Tr::tr("Local time"), Tr::tr("Event"), Tr::tr("Member"),
                     Tr::tr("Who"), Tr::tr("What")});
    for (const services::TimelineEvent &e : events)
        table.addRow({models::timelineUtcText(e.at),
                      models::timelineLocalText(e.at, QTimeZone::systemTimeZone()),
                      services::timelineKindLabel(e.kind), e.member, e.who, e.text});
    if (table.rowCount() == 0)
        return Tr::tr("No event recorded in this window.") + QLatin1Char('\n');
    return table.render(TextTable::Style::Plain);
}

QList<services::PatroniEndpoint> endpointsOf(const TargetOptions::Values &t,
                                             const services::ClusterProfile &profile)
{
    QList<services::PatroniEndpoint> out;
    QList<QUrl> urls = {profile.patroniUrl};
    urls += profile.patroniFallbackUrls;
    for (QUrl url : std::as_const(urls)) {
        if (!url.isValid() || url.host().isEmpty())
            continue;
        url.setPath(QString());
        out << services::restEndpoint(profile, t.secrets, url);
    }
    return out;
}

void printTimeline(const QString &cluster, const QList<services::TimelineEvent> &all,
                   const QDateTime &since, bool markdown, bool json)
{
    QList<services::TimelineEvent> shown;
    for (const services::TimelineEvent &e : all)
        if (!since.isValid() || e.at >= since)
            shown << e;
    if (markdown) {
        models::TimelineReportOptions o;
        o.from = since;
        printOut(models::timelineMarkdown(cluster, all, o));
    } else if (json) {
        QString out;
        for (const services::TimelineEvent &e : std::as_const(shown))
            out += QString::fromUtf8(QJsonDocument(services::timelineEventToJson(e))
                                         .toJson(QJsonDocument::Compact)) +
                   QLatin1Char('\n');
        printOut(out);
    } else {
        printOut(tableOf(shown));
    }
}

} // namespace

int runTimelineCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Tr::tr("Print a cluster's incident timeline: leader changes (observed and from Patroni's "
               "history), member state changes, timeline bumps, alerts raised, acknowledged and "
               "cleared, and every operator action from the audit log."));
    parser.addHelpOption();
    const TimelineOptions options;
    parser.addOptions({options.since, options.markdown});
    TargetOptions target(TargetOptions::Use::Status);
    target.addTo(parser);
    if (!target.process(parser, arguments, kCommand))
        return 2;
    QDateTime since;
    if (const QString e = readSince(parser.value(options.since), since); !e.isEmpty()) {
        printCommandError(kCommand, e);
        return 2;
    }
    const TargetOptions::Values &t = target.values();
    services::ClusterProfile profile;
    t.applyTo(profile);
    const bool markdown = parser.isSet(options.markdown);

    // The recorded events, then /history's and the audit log's, in memory only. The audit log
    // is read once the scope is known: the CLI's own operations are logged under it.
    auto *recorder = new services::TimelineRecorder(profile.name);
    recorder->setMemoryLimit(0); // prints everything the store holds
    recorder->setKnownEvents(services::TimelineStore(profile.name).readAll());
    QNetworkAccessManager nam;
    recorder->setParent(&nam);
    const int deadlineMs = t.timeoutMs > 0 ? t.timeoutMs : 5000;
    services::fetchPatroniHistory(
        &nam, endpointsOf(t, profile), std::chrono::milliseconds(deadlineMs), recorder,
        [&](const services::Result<services::PatroniHistoryAnswer> &history) {
            if (history.ok()) {
                recorder->setScope(history.value().scope);
                recorder->mergeHistory(history.value().entries);
            } else {
                printErr(Tr::tr("vigil timeline: Patroni's history could not be read (%1); "
                                "showing the recorded events only.")
                             .arg(history.error().toText()) +
                         QLatin1Char('\n'));
            }
            recorder->importAudit(services::AuditLog().readAll());
            printTimeline(profile.name, recorder->events(), since, markdown, t.json);
            QCoreApplication::exit(0);
        });
    return QCoreApplication::exec();
}

} // namespace vigil::app
