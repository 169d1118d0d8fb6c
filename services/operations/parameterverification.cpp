#include "services/operations/parameterverification.h"

#include "services/core/error.h"
#include "services/patroni/configchange.h"

#include <QJsonObject>
#include <QRegularExpression>

namespace vigil::services {

namespace {

// The factor of a unit (time in ms, memory in bytes) and whether it is a memory unit.
std::optional<std::pair<double, bool>> unitFactor(const QString &unit)
{
    static const QMap<QString, std::pair<double, bool>> factor{
        {QStringLiteral("us"), {0.001, false}},
        {QStringLiteral("ms"), {1, false}},
        {QStringLiteral("s"), {1000, false}},
        {QStringLiteral("min"), {60000, false}},
        {QStringLiteral("h"), {3600000, false}},
        {QStringLiteral("d"), {86400000, false}},
        {QStringLiteral("B"), {1, true}},
        {QStringLiteral("kB"), {1024, true}},
        {QStringLiteral("MB"), {1024.0 * 1024, true}},
        {QStringLiteral("GB"), {1024.0 * 1024 * 1024, true}},
        {QStringLiteral("TB"), {1024.0 * 1024 * 1024 * 1024, true}}};
    const auto it = factor.constFind(unit);
    if (it == factor.constEnd())
        return std::nullopt;
    return *it;
}

// A time or memory value in the base unit (ms, bytes): "1s" is 1000, "5MB" is 5242880; a bare
// number is in `defaultUnit`, which may carry a multiplier as pg_settings gives it ("8kB" for
// shared_buffers). Negative numbers (-1 is "off") keep their meaning whatever the unit.
std::optional<double> quantity(const QString &text, const QString &defaultUnit)
{
    static const QRegularExpression valueRe(
        QStringLiteral("^\\s*(-?\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)\\s*$"));
    static const QRegularExpression unitRe(QStringLiteral("^(\\d*)([a-zA-Z]+)$"));
    const auto v = valueRe.match(text);
    const auto u = unitRe.match(defaultUnit);
    if (!v.hasMatch() || !u.hasMatch())
        return std::nullopt;
    const auto base = unitFactor(u.captured(2));
    const auto own = v.captured(2).isEmpty() ? base : unitFactor(v.captured(2));
    if (!base || !own || own->second != base->second)
        return std::nullopt;
    const double n = v.captured(1).toDouble();
    if (n < 0)
        return n;
    const double multiplier = u.captured(1).isEmpty() ? 1 : u.captured(1).toDouble();
    return v.captured(2).isEmpty() ? n * multiplier * base->first : n * own->first;
}

std::optional<bool> booleanValue(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("on") || t == QLatin1String("true") || t == QLatin1String("yes") ||
        t == QLatin1String("1"))
        return true;
    if (t == QLatin1String("off") || t == QLatin1String("false") || t == QLatin1String("no") ||
        t == QLatin1String("0"))
        return false;
    return std::nullopt;
}

} // namespace

bool settingMatches(const QString &expected, const ParameterSetting &running)
{
    if (!running.unit.isEmpty()) {
        const auto want = quantity(expected, running.unit);
        const auto have = quantity(running.setting, running.unit);
        if (want && have)
            return qAbs(*want - *have) < 0.5;
    } else {
        const auto want = booleanValue(expected);
        const auto have = booleanValue(running.setting);
        if (want && have)
            return *want == *have;
    }
    return expected.trimmed().compare(running.setting.trimmed(), Qt::CaseInsensitive) == 0;
}

MemberParameterStatus classifyReading(const MemberParameterReading &reading,
                                      const QMap<QString, QString> &expected)
{
    MemberParameterStatus s;
    s.member = reading.member;
    if (!reading.error.isEmpty()) {
        s.state = ParameterApplyState::Unreachable;
        s.shown = reading.error;
        return s;
    }
    bool pending = false;
    bool behind = false;
    QStringList shown;
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        const auto found = reading.settings.constFind(it.key());
        if (found == reading.settings.constEnd()) {
            behind = true;
            shown << Tr::tr("%1 is not a parameter of this server").arg(it.key());
            continue;
        }
        shown << (found->unit.isEmpty()
                      ? QStringLiteral("%1 = %2").arg(it.key(), found->setting)
                      : QStringLiteral("%1 = %2 %3").arg(it.key(), found->setting, found->unit));
        if (settingMatches(it.value(), *found))
            continue;
        if (found->pendingRestart)
            pending = true;
        else
            behind = true;
    }
    s.state = behind    ? ParameterApplyState::NotYet
              : pending ? ParameterApplyState::PendingRestart
                        : ParameterApplyState::Applied;
    s.shown = shown.join(QStringLiteral(", "));
    return s;
}

bool isFinal(ParameterApplyState state)
{
    return state == ParameterApplyState::Applied || state == ParameterApplyState::PendingRestart;
}

QString applyStateText(ParameterApplyState state)
{
    switch (state) {
    case ParameterApplyState::Applied:
        return Tr::tr("applied");
    case ParameterApplyState::PendingRestart:
        return Tr::tr("pending restart");
    case ParameterApplyState::NotYet:
        return Tr::tr("not yet");
    case ParameterApplyState::Unreachable:
        return Tr::tr("unreachable");
    }
    return {};
}

QMap<QString, QString> expectedParameters(const QJsonObject &patch)
{
    QMap<QString, QString> out;
    const QJsonObject params = patch.value(QStringLiteral("postgresql"))
                                   .toObject()
                                   .value(QStringLiteral("parameters"))
                                   .toObject();
    for (auto it = params.begin(); it != params.end(); ++it)
        if (!it.value().isNull())
            out.insert(it.key(), configValueText(it.value()));
    return out;
}

} // namespace vigil::services
