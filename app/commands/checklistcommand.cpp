#include "app/commands/checklistcommand.h"

#include "app/commands/commandoutput.h"
#include "app/commands/targetoptions.h"
#include "app/commands/texttable.h"
#include "app/tr.h"
#include "services/core/auditlog.h"
#include "services/maintenance/checklistchecks.h"
#include "services/maintenance/checkliststore.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QTimer>

namespace vigil::app {

namespace {

using services::ChecklistRecord;

const QString kCommand = QStringLiteral("checklist");

struct ChecklistOptions
{
    QCommandLineOption run{QStringLiteral("run"),
                           Tr::tr("Read the cluster once and run the checks Vigil can run "
                                  "(health, backups, metrics, restore and failover tests); the "
                                  "results are kept in the history.")};
    QCommandLineOption tick{QStringLiteral("tick"),
                            Tr::tr("Record a task as done by hand: its id (daily.error-logs) or "
                                   "its title. Needs --comment."),
                            Tr::tr("item")};
    QCommandLineOption comment{QStringLiteral("comment"),
                               Tr::tr("What was done, kept with the tick and your user name."),
                               Tr::tr("text")};
};

QString utcText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
}

QString dueText(const services::ChecklistItemStatus &s)
{
    if (!s.dueAt.isValid())
        return Tr::tr("OVERDUE (never done)");
    return s.overdue ? Tr::tr("OVERDUE since %1").arg(utcText(s.dueAt))
                     : Tr::tr("due %1").arg(utcText(s.dueAt));
}

QString tableOf(const QString &cluster, const QList<services::ChecklistItemStatus> &status)
{
    TextTable table({Tr::tr("Every"), Tr::tr("Task"), Tr::tr("Due (UTC)"), Tr::tr("Last result"),
                     Tr::tr("When (UTC)"), Tr::tr("By"), Tr::tr("Evidence / comment")});
    for (const services::ChecklistItemStatus &s : status) {
        QStringList row = {services::periodLabel(s.item.period), s.item.title, dueText(s)};
        if (s.last)
            row << services::outcomeLabel(s.last->outcome) << utcText(s.last->at) << s.last->who
                << (s.last->comment.isEmpty() ? s.last->evidence : s.last->comment);
        else
            row << Tr::tr("none yet");
        table.addRow(row);
    }
    const int overdue = services::overdueCount(status);
    return Tr::tr("Maintenance checklist of %1: %2 of %3 tasks overdue.")
               .arg(cluster)
               .arg(overdue)
               .arg(status.size()) +
           QStringLiteral("\n\n") + table.render(TextTable::Style::Plain);
}

QJsonObject jsonOf(const QString &cluster, const QList<services::ChecklistItemStatus> &status)
{
    QJsonArray items;
    for (const services::ChecklistItemStatus &s : status) {
        QJsonObject o{{QStringLiteral("id"), s.item.id},
                      {QStringLiteral("title"), s.item.title},
                      {QStringLiteral("period"), services::periodName(s.item.period)},
                      {QStringLiteral("automatic"), s.item.automatic()},
                      {QStringLiteral("overdue"), s.overdue},
                      {QStringLiteral("due_at"), s.dueAt.isValid()
                                                     ? QJsonValue(s.dueAt.toString(Qt::ISODate))
                                                     : QJsonValue()}};
        o.insert(QStringLiteral("last"),
                 s.last ? QJsonValue(checklistRecordToJson(*s.last)) : QJsonValue());
        items.append(o);
    }
    return {{QStringLiteral("cluster"), cluster},
            {QStringLiteral("overdue"), services::overdueCount(status)},
            {QStringLiteral("items"), items}};
}

void printChecklist(const services::ChecklistStore &store, bool json)
{
    const auto status = services::checklistStatus(store.readAll(), QDateTime::currentDateTimeUtc());
    if (json)
        printOut(QString::fromUtf8(QJsonDocument(jsonOf(store.cluster(), status)).toJson()));
    else
        printOut(tableOf(store.cluster(), status));
}

// Appends the records; false (the reason printed) when the history could not be written.
bool appendAll(const services::ChecklistStore &store, const QList<ChecklistRecord> &records)
{
    for (const ChecklistRecord &r : records) {
        QString why;
        if (!store.append(r, &why)) {
            printCommandError(kCommand, why);
            return false;
        }
    }
    return true;
}

int tickItem(const services::ChecklistStore &store, const QString &item, const QString &comment)
{
    const auto found = services::findChecklistItem(item);
    if (!found) {
        QStringList ids;
        for (const services::ChecklistItem &i : services::maintenanceSchedule())
            ids << i.id;
        printCommandError(kCommand, Tr::tr("'%1' is no task of the checklist; the tasks are: %2.")
                                        .arg(item, ids.join(QStringLiteral(", "))));
        return 2;
    }
    ChecklistRecord r;
    r.at = QDateTime::currentDateTimeUtc();
    r.item = found->id;
    r.outcome = ChecklistRecord::Outcome::Ticked;
    r.who = services::AuditLog::currentOsUser();
    r.comment = comment.trimmed();
    if (!appendAll(store, {r}))
        return 1;
    printErr(Tr::tr("Ticked \"%1\" as done by %2.").arg(found->title, r.who) + QLatin1Char('\n'));
    return 0;
}

// Reads the cluster once, runs the checks, appends and prints; returns the event loop's code.
int runChecks(const TargetOptions::Values &t, const services::ClusterProfile &profile,
              const services::ChecklistStore &store)
{
    QNetworkAccessManager nam;
    services::ClusterMonitor monitor(&nam, profile, t.secrets);
    bool askedAgain = false;
    QObject::connect(
        &monitor, &services::ClusterMonitor::snapshotReady, &monitor,
        [&](const services::ClusterSnapshotPtr &snap) {
            // As `vigil status`: a hung GET /cluster with no member known yet gets
            // one more cycle, which asks the members' own REST APIs.
            if (!askedAgain && snap->members.isEmpty() &&
                snap->discovery.state == services::ChannelStatus::State::Unresponsive) {
                askedAgain = true;
                monitor.pollOnce();
                return;
            }
            services::ChecklistCheckInput in;
            in.snapshot = snap;
            in.thresholds = profile.thresholds;
            in.audit = services::AuditLog().readAll();
            in.clusterNames = {profile.name};
            if (!snap->scope.isEmpty())
                in.clusterNames << snap->scope;
            in.who = services::AuditLog::currentOsUser();
            in.now = QDateTime::currentDateTimeUtc();
            const QList<ChecklistRecord> records = services::runAutomaticChecks(in);
            if (!appendAll(store, records)) {
                QCoreApplication::exit(1);
                return;
            }
            printChecklist(store, t.json);
            const bool allPassed =
                std::all_of(records.begin(), records.end(), [](const ChecklistRecord &r) {
                    return r.outcome == ChecklistRecord::Outcome::Passed;
                });
            QCoreApplication::exit(allPassed ? 0 : 1);
        });
    monitor.pollOnce();
    QTimer::singleShot(2 * profile.memberDeadlineMs + 2000, &monitor, [] {
        failCommand(kCommand, Tr::tr("the cluster did not answer within the deadline."), 1);
    });
    return QCoreApplication::exec();
}

} // namespace

int runChecklistCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Tr::tr("Print a cluster's maintenance checklist (the ops manual's daily, weekly, monthly "
               "and quarterly tasks) with what is due and overdue; run the checks Vigil can run "
               "(--run) or tick a task done by hand (--tick ITEM --comment TEXT)."));
    parser.addHelpOption();
    const ChecklistOptions options;
    parser.addOptions({options.run, options.tick, options.comment});
    TargetOptions target(TargetOptions::Use::Status);
    target.addTo(parser);
    if (!target.process(parser, arguments, kCommand))
        return 2;
    const bool ticking = parser.isSet(options.tick);
    if (ticking && parser.value(options.comment).trimmed().isEmpty()) {
        printCommandError(kCommand, Tr::tr("--tick needs --comment saying what was done."));
        return 2;
    }
    if (!ticking && parser.isSet(options.comment)) {
        printCommandError(kCommand, Tr::tr("--comment goes with --tick ITEM."));
        return 2;
    }
    const TargetOptions::Values &t = target.values();
    services::ClusterProfile profile;
    t.applyTo(profile);
    const services::ChecklistStore store(profile.name);
    if (ticking) {
        if (const int rc =
                tickItem(store, parser.value(options.tick), parser.value(options.comment)))
            return rc;
    }
    if (parser.isSet(options.run))
        return runChecks(t, profile, store);
    printChecklist(store, t.json);
    return 0;
}

} // namespace vigil::app
