#include "services/timeline/timelineevent.h"

#include "services/core/error.h"

#include <algorithm>
#include <array>
#include <utility>

namespace vigil::services {

namespace {
using Kind = TimelineEvent::Kind;
constexpr std::array<std::pair<Kind, const char *>, 9> kNames = {{
    {Kind::LeaderObserved, "leader_observed"},
    {Kind::LeaderFromHistory, "leader_from_history"},
    {Kind::MemberState, "member_state"},
    {Kind::TimelineBump, "timeline_bump"},
    {Kind::AlertRaised, "alert_raised"},
    {Kind::AlertChanged, "alert_changed"},
    {Kind::AlertAcknowledged, "alert_acknowledged"},
    {Kind::AlertCleared, "alert_cleared"},
    {Kind::OperatorAction, "operator_action"},
}};
} // namespace

bool TimelineEvent::operator==(const TimelineEvent &o) const
{
    return at == o.at && cluster == o.cluster && kind == o.kind && member == o.member &&
           from == o.from && to == o.to && timeline == o.timeline && text == o.text &&
           who == o.who && key == o.key && lastedSeconds == o.lastedSeconds;
}

QString timelineKindName(TimelineEvent::Kind kind)
{
    for (const auto &[k, name] : kNames)
        if (k == kind)
            return QString::fromLatin1(name);
    return {};
}

std::optional<TimelineEvent::Kind> timelineKindFromName(const QString &name)
{
    for (const auto &[k, n] : kNames)
        if (name == QLatin1String(n))
            return k;
    return std::nullopt;
}

QString timelineKindLabel(TimelineEvent::Kind kind)
{
    switch (kind) {
    case Kind::LeaderObserved:
        return Tr::tr("Leader change");
    case Kind::LeaderFromHistory:
        return Tr::tr("Leader change (Patroni history)");
    case Kind::MemberState:
        return Tr::tr("Member state");
    case Kind::TimelineBump:
        return Tr::tr("Timeline");
    case Kind::AlertRaised:
        return Tr::tr("Alert raised");
    case Kind::AlertChanged:
        return Tr::tr("Alert changed");
    case Kind::AlertAcknowledged:
        return Tr::tr("Alert acknowledged");
    case Kind::AlertCleared:
        return Tr::tr("Alert cleared");
    case Kind::OperatorAction:
        return Tr::tr("Operator action");
    }
    return {};
}

QJsonObject timelineEventToJson(const TimelineEvent &e)
{
    QJsonObject o{
        {QStringLiteral("when"), e.at.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("cluster"), e.cluster},
        {QStringLiteral("kind"), timelineKindName(e.kind)},
        {QStringLiteral("text"), e.text},
    };
    const auto put = [&o](const char *name, const QString &value) {
        if (!value.isEmpty())
            o.insert(QLatin1String(name), value);
    };
    put("member", e.member);
    put("from", e.from);
    put("to", e.to);
    put("who", e.who);
    put("key", e.key);
    if (e.timeline)
        o.insert(QStringLiteral("timeline"), *e.timeline);
    if (e.lastedSeconds >= 0)
        o.insert(QStringLiteral("lasted_seconds"), e.lastedSeconds);
    return o;
}

std::optional<TimelineEvent> timelineEventFromJson(const QJsonObject &o)
{
    const auto kind = timelineKindFromName(o.value(QStringLiteral("kind")).toString());
    const QDateTime at =
        QDateTime::fromString(o.value(QStringLiteral("when")).toString(), Qt::ISODateWithMs);
    if (!kind || !at.isValid())
        return std::nullopt;
    TimelineEvent e;
    e.at = at.toUTC();
    e.kind = *kind;
    e.cluster = o.value(QStringLiteral("cluster")).toString();
    e.text = o.value(QStringLiteral("text")).toString();
    e.member = o.value(QStringLiteral("member")).toString();
    e.from = o.value(QStringLiteral("from")).toString();
    e.to = o.value(QStringLiteral("to")).toString();
    e.who = o.value(QStringLiteral("who")).toString();
    e.key = o.value(QStringLiteral("key")).toString();
    if (o.value(QStringLiteral("timeline")).isDouble())
        e.timeline = o.value(QStringLiteral("timeline")).toInt();
    e.lastedSeconds = o.value(QStringLiteral("lasted_seconds")).toInteger(-1);
    return e;
}

void sortTimeline(QList<TimelineEvent> &events)
{
    std::stable_sort(events.begin(), events.end(),
                     [](const TimelineEvent &a, const TimelineEvent &b) { return a.at < b.at; });
}

void trimTimeline(QList<TimelineEvent> &events, qsizetype max)
{
    if (max > 0 && events.size() > max + max / 10)
        events.remove(0, events.size() - max);
}

} // namespace vigil::services
