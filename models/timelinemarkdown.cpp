#include "models/timelinemarkdown.h"

#include "models/formatting.h"
#include "models/tr.h"

#include <QHash>
#include <QStringList>
#include <algorithm>

namespace vigil::models {

namespace {
using services::TimelineEvent;
using Kind = TimelineEvent::Kind;

// One span of a state: who or what held it, from when until when.
struct Span
{
    QString subject; // leader, or member
    QString state;
    QDateTime from, until; // invalid from: before the window; invalid until: ongoing
    QString note;
};

QString cell(QString text)
{
    return text.replace(QLatin1Char('|'), QStringLiteral("\\|")).simplified();
}

QString row(const QStringList &cells)
{
    QStringList escaped;
    for (const QString &c : cells)
        escaped << cell(c);
    return QStringLiteral("| %1 |\n").arg(escaped.join(QStringLiteral(" | ")));
}

QString header(const QStringList &cells)
{
    QString out = row(cells);
    QStringList rules;
    for (qsizetype i = 0; i < cells.size(); ++i)
        rules << QStringLiteral("---");
    return out + QStringLiteral("|%1|\n").arg(rules.join(QLatin1Char('|')));
}

QString spanTable(const QStringList &head, const QList<Span> &spans, const TimelineReportOptions &o,
                  bool withSubject)
{
    QString out = header(head);
    for (const Span &s : spans) {
        const QDateTime from = s.from.isValid() ? s.from : o.from;
        const QDateTime until = s.until.isValid() ? s.until : o.to;
        QString lasted = from.isValid() ? formatDuration(from.secsTo(until)) : Tr::tr("unknown");
        if (!s.from.isValid())
            lasted = Tr::tr("at least %1").arg(lasted);
        if (!s.until.isValid())
            lasted = Tr::tr("%1, ongoing").arg(lasted);
        QStringList cells;
        if (withSubject)
            cells << s.subject;
        cells << s.state
              << (s.from.isValid() ? timelineUtcText(s.from) : Tr::tr("before the window"))
              << (s.until.isValid() ? timelineUtcText(s.until) : Tr::tr("still at export"))
              << lasted;
        if (head.size() > cells.size())
            cells << s.note;
        out += row(cells);
    }
    return out;
}

QList<Span> leaderSpans(const QList<TimelineEvent> &events)
{
    QList<Span> spans;
    for (const TimelineEvent &e : events) {
        if (e.kind != Kind::LeaderObserved && e.kind != Kind::LeaderFromHistory)
            continue;
        if (!spans.isEmpty() && !spans.last().until.isValid())
            spans.last().until = e.at;
        else if (spans.isEmpty() && !e.from.isEmpty())
            spans.append({e.from, Tr::tr("leader"), {}, e.at, {}});
        spans.append({e.to.isEmpty() ? Tr::tr("(none)") : e.to,
                      e.to.isEmpty() ? Tr::tr("no leader") : Tr::tr("leader"),
                      e.at,
                      {},
                      e.timeline ? Tr::tr("timeline %1").arg(*e.timeline) : QString()});
    }
    return spans;
}

QList<Span> memberSpans(const QList<TimelineEvent> &events)
{
    QList<Span> spans;
    QHash<QString, qsizetype> open; // member → its open span
    for (const TimelineEvent &e : events) {
        if (e.kind != Kind::MemberState || e.member.isEmpty())
            continue;
        if (open.contains(e.member))
            spans[open.value(e.member)].until = e.at;
        else if (!e.from.isEmpty())
            spans.append({e.member, e.from, {}, e.at, {}});
        open.insert(e.member, spans.size());
        spans.append({e.member, e.to, e.at, {}, {}});
    }
    std::stable_sort(spans.begin(), spans.end(),
                     [](const Span &a, const Span &b) { return a.subject < b.subject; });
    return spans;
}

QList<Span> alertSpans(const QList<TimelineEvent> &events)
{
    QList<Span> spans;
    QHash<QString, qsizetype> open; // alert key → its open span
    for (const TimelineEvent &e : events) {
        if (e.kind == Kind::AlertRaised && !open.contains(e.key)) {
            open.insert(e.key, spans.size());
            spans.append({e.key, e.text, e.at, {}, {}});
        } else if (e.kind == Kind::AlertAcknowledged && open.contains(e.key)) {
            spans[open.value(e.key)].note = e.who;
        } else if (e.kind == Kind::AlertCleared) {
            if (open.contains(e.key))
                spans[open.take(e.key)].until = e.at;
            else
                spans.append({e.key,
                              e.text,
                              e.lastedSeconds >= 0 ? e.at.addSecs(-e.lastedSeconds) : QDateTime(),
                              e.at,
                              {}});
        }
    }
    return spans;
}

QString summary(const QList<TimelineEvent> &inWindow)
{
    QStringList leaders, people;
    int raised = 0, cleared = 0, acks = 0, actions = 0;
    for (const TimelineEvent &e : inWindow) {
        if ((e.kind == Kind::LeaderObserved || e.kind == Kind::LeaderFromHistory) &&
            !e.to.isEmpty())
            leaders << Tr::tr("%1 at %2").arg(e.to, timelineUtcText(e.at));
        raised += e.kind == Kind::AlertRaised && e.from.isEmpty();
        cleared += e.kind == Kind::AlertCleared;
        acks += e.kind == Kind::AlertAcknowledged;
        actions += e.kind == Kind::OperatorAction;
        if (!e.who.isEmpty() && !people.contains(e.who))
            people << e.who;
    }
    QString out = QStringLiteral("## %1\n\n").arg(Tr::tr("Summary"));
    out += QStringLiteral("- %1\n").arg(
        leaders.isEmpty() ? Tr::tr("No leader change.")
                          : Tr::tr("Leader changes: %1.").arg(leaders.join(QStringLiteral("; "))));
    out += QStringLiteral("- %1\n").arg(Tr::tr("Alerts: %1 raised, %2 cleared, %3 acknowledged.")
                                            .arg(raised)
                                            .arg(cleared)
                                            .arg(acks));
    out += QStringLiteral("- %1\n\n")
               .arg(people.isEmpty() ? Tr::tr("Operator actions: %1.").arg(actions)
                                     : Tr::tr("Operator actions: %1; people involved: %2.")
                                           .arg(actions)
                                           .arg(people.join(QStringLiteral(", "))));
    return out;
}

QString whatHappened(const QList<TimelineEvent> &inWindow, const QTimeZone &local)
{
    QString out = QStringLiteral("## %1\n\n").arg(Tr::tr("What happened"));
    if (inWindow.isEmpty())
        return out + Tr::tr("Nothing was recorded in this window.") + QStringLiteral("\n\n");
    out += header({Tr::tr("Time (UTC)"), Tr::tr("Local time"), Tr::tr("Event"), Tr::tr("Member"),
                   Tr::tr("What"), Tr::tr("Who")});
    for (const TimelineEvent &e : inWindow)
        out += row({timelineUtcText(e.at), timelineLocalText(e.at, local),
                    services::timelineKindLabel(e.kind), e.member, e.text, e.who});
    return out + QLatin1Char('\n');
}

QString whoDidWhat(const QList<TimelineEvent> &inWindow, const QTimeZone &local)
{
    QString out = QStringLiteral("## %1\n\n").arg(Tr::tr("Who did what"));
    bool any = false;
    for (const TimelineEvent &e : inWindow) {
        if (e.kind != Kind::OperatorAction && e.kind != Kind::AlertAcknowledged)
            continue;
        any = true;
        out += QStringLiteral("- %1 (%2) — %3: %4\n")
                   .arg(timelineUtcText(e.at), timelineLocalText(e.at, local),
                        e.who.isEmpty() ? Tr::tr("unknown user") : e.who, e.text.simplified());
    }
    if (!any)
        out +=
            Tr::tr("No operator action and no acknowledgement in this window.") + QLatin1Char('\n');
    return out;
}
} // namespace

QString timelineUtcText(const QDateTime &at)
{
    return at.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QStringLiteral(" UTC");
}

QString timelineLocalText(const QDateTime &at, const QTimeZone &local)
{
    const QDateTime t = at.toTimeZone(local);
    return t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QLatin1Char(' ') +
           local.displayName(t, QTimeZone::OffsetName);
}

QString timelineMarkdown(const QString &cluster, QList<services::TimelineEvent> events,
                         const TimelineReportOptions &o)
{
    services::sortTimeline(events);
    QList<TimelineEvent> inWindow;
    for (const TimelineEvent &e : std::as_const(events))
        if ((!o.from.isValid() || e.at >= o.from) && e.at <= o.to)
            inWindow.append(e);
    QString out = QStringLiteral("# %1\n\n").arg(Tr::tr("Incident timeline: %1").arg(cluster));
    out += Tr::tr("Window: %1 to %2 (local time: %3 to %4). %n event(s). Times are UTC, with the "
                  "local time beside them.",
                  nullptr, int(inWindow.size()))
               .arg(o.from.isValid() ? timelineUtcText(o.from) : Tr::tr("the first record"),
                    timelineUtcText(o.to),
                    o.from.isValid() ? timelineLocalText(o.from, o.local) : Tr::tr("—"),
                    timelineLocalText(o.to, o.local)) +
           QStringLiteral("\n\n");
    out += summary(inWindow);
    out += whatHappened(inWindow, o.local);
    out += QStringLiteral("## %1\n\n### %2\n\n")
               .arg(Tr::tr("How long each state lasted"), Tr::tr("Leader"));
    out += spanTable({Tr::tr("Leader"), Tr::tr("State"), Tr::tr("From (UTC)"),
                      Tr::tr("Until (UTC)"), Tr::tr("Lasted"), Tr::tr("Note")},
                     leaderSpans(inWindow), o, true);
    out += QStringLiteral("\n### %1\n\n").arg(Tr::tr("Members"));
    out += spanTable({Tr::tr("Member"), Tr::tr("State"), Tr::tr("From (UTC)"),
                      Tr::tr("Until (UTC)"), Tr::tr("Lasted")},
                     memberSpans(inWindow), o, true);
    out += QStringLiteral("\n### %1\n\n").arg(Tr::tr("Alerts"));
    out += spanTable({Tr::tr("Alert"), Tr::tr("What"), Tr::tr("Raised (UTC)"),
                      Tr::tr("Cleared (UTC)"), Tr::tr("Lasted"), Tr::tr("Acknowledged by")},
                     alertSpans(inWindow), o, true);
    out += QLatin1Char('\n') + whoDidWhat(inWindow, o.local);
    return out;
}

} // namespace vigil::models
