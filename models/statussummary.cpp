#include "models/statussummary.h"

#include "models/formatting.h"
#include "models/tr.h"

#include <QCoreApplication>

namespace vigil::models {

namespace {
QString hms(const QDateTime &t)
{
    return t.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
}
} // namespace

Freshness freshness(const services::ClusterSnapshot *s, const QDateTime &now, int intervalMs)
{
    Freshness f;
    if (!s) {
        f.text = Tr::tr("No data yet.");
        return f;
    }
    const qint64 ageMs = qMax<qint64>(0, s->takenAt.msecsTo(now));
    const QString age =
        ageMs < 1500 ? Tr::tr("just now") : Tr::tr("%1 ago").arg(formatDuration(ageMs / 1000));
    f.overdue = ageMs > 3LL * qMax(intervalMs, 250) + 2000;
    f.text = f.overdue
                 ? Tr::tr("Last refreshed %1 (%2): refresh overdue.").arg(hms(s->takenAt), age)
                 : Tr::tr("Last refreshed %1 (%2).").arg(hms(s->takenAt), age);
    if (!s->discovery.ok()) {
        f.staleMembers << Tr::tr("cluster view (%1)").arg(channelText(s->discovery));
    }
    for (const auto &m : s->members) {
        QStringList why;
        if (!m.rest.ok())
            why << Tr::tr("REST: %1").arg(channelText(m.rest));
        if (!m.sql.ok())
            why << Tr::tr("SQL: %1").arg(channelText(m.sql));
        if (!why.isEmpty()) {
            const QDateTime lastOk = qMax(m.rest.lastOk, m.sql.lastOk);
            const QString since =
                lastOk.isValid() ? Tr::tr(", data from %1").arg(hms(lastOk)) : QString();
            f.staleMembers
                << Tr::tr("%1 (%2%3)").arg(m.name, why.join(QStringLiteral("; ")), since);
        }
    }
    f.health = f.overdue                  ? Health::Critical
               : f.staleMembers.isEmpty() ? Health::Ok
                                          : Health::Warning;
    return f;
}

QList<Banner> clusterBanners(const services::ClusterSnapshot &s)
{
    QList<Banner> out;
    if (!s.discovery.ok()) {
        // The error's text may end a sentence of its own ("... Set the CA file to ...").
        QString why = channelText(s.discovery);
        while (why.endsWith(QLatin1Char('.')))
            why.chop(1);
        out.append({Health::Critical,
                    Tr::tr("The cluster view (Patroni GET /cluster) cannot be read: %1. What is "
                           "shown is the last known state.")
                        .arg(why)});
    } else if (!s.leader())
        out.append(
            {Health::Critical,
             Tr::tr("The cluster has no leader: no member holds the leader lock, writes fail.")});
    if (s.paused)
        out.append(
            {Health::Warning, Tr::tr("Maintenance mode: Patroni is paused and will not fail over "
                                     "automatically (patronictl resume ends it).")});
    if (s.scheduledSwitchover) {
        const auto &sw = *s.scheduledSwitchover;
        out.append(
            {Health::Warning,
             sw.to.isEmpty()
                 ? Tr::tr("A switchover away from %1 is scheduled at %2.").arg(sw.from, hms(sw.at))
                 : Tr::tr("A switchover from %1 to %2 is scheduled at %3.")
                       .arg(sw.from, sw.to, hms(sw.at))});
    }
    return out;
}

} // namespace vigil::models
