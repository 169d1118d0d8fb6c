#include "services/operations/parameterverification.h"

#include "services/core/error.h"
#include "services/patroni/configchange.h"

#include <QJsonObject>
#include <QRegularExpression>

namespace vigil::services {

namespace {

// Milliseconds of a time value in `defaultUnit` ("1000" ms, "1s", "5min"); nullopt when the
// text is no time value.
std::optional<qint64> timeMillis(const QString &text, const QString &defaultUnit)
{
    static const QRegularExpression re(QStringLiteral("^\\s*(-?\\d+)\\s*(us|ms|s|min|h|d)?\\s*$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const QString unit = m.captured(2).isEmpty() ? defaultUnit : m.captured(2);
    static const QMap<QString, double> factor{
        {QStringLiteral("us"), 0.001},  {QStringLiteral("ms"), 1},
        {QStringLiteral("s"), 1000},    {QStringLiteral("min"), 60000},
        {QStringLiteral("h"), 3600000}, {QStringLiteral("d"), 86400000}};
    if (!factor.contains(unit))
        return std::nullopt;
    const qint64 n = m.captured(1).toLongLong();
    if (n < 0) // -1 (off) and 0 keep their meaning whatever the unit
        return n;
    return qint64(double(n) * factor.value(unit));
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
    static const QStringList timeUnits{QStringLiteral("us"), QStringLiteral("ms"),
                                       QStringLiteral("s"), QStringLiteral("min")};
    if (timeUnits.contains(running.unit)) {
        const auto want = timeMillis(expected, running.unit);
        const auto have = timeMillis(running.setting, running.unit);
        if (want && have)
            return *want == *have;
    }
    if (running.unit.isEmpty()) {
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
