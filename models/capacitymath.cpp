#include "models/capacitymath.h"

#include <cmath>

namespace vigil::models {

std::optional<LinearFit> fitLine(const QList<QPointF> &points)
{
    LinearFit fit;
    double sumX = 0, sumY = 0;
    bool first = true;
    for (const QPointF &p : points) {
        if (!std::isfinite(p.x()) || !std::isfinite(p.y()))
            continue;
        const qint64 ms = qint64(p.x());
        if (first || ms < fit.firstMs)
            fit.firstMs = ms;
        if (first || ms >= fit.lastMs) {
            fit.lastMs = ms;
            fit.lastValue = p.y();
        }
        first = false;
        sumX += p.x();
        sumY += p.y();
        ++fit.points;
    }
    if (fit.points < kMinFitPoints || fit.lastMs - fit.firstMs < kMinFitSpanMs)
        return std::nullopt;
    // x in days around the mean time: 1.7e12 ms squared would swallow the variation.
    const double meanX = sumX / fit.points, meanY = sumY / fit.points;
    double sxx = 0, sxy = 0;
    for (const QPointF &p : points) {
        if (!std::isfinite(p.x()) || !std::isfinite(p.y()))
            continue;
        const double dx = (p.x() - meanX) / kMsPerDay;
        sxx += dx * dx;
        sxy += dx * (p.y() - meanY);
    }
    if (sxx <= 0)
        return std::nullopt;
    fit.slopePerDay = sxy / sxx;
    fit.intercept = meanY - fit.slopePerDay * meanX / kMsPerDay;
    return fit;
}

std::optional<double> growthPerDay(const QList<QPointF> &points)
{
    const std::optional<LinearFit> fit = fitLine(points);
    return fit ? std::optional<double>(fit->slopePerDay) : std::nullopt;
}

FillProjection projectFill(const QList<QPointF> &freeBytes, qint64 nowMs)
{
    FillProjection out;
    const std::optional<LinearFit> fit = fitLine(freeBytes);
    if (!fit)
        return out;
    out.sinceMs = fit->firstMs;
    out.freeBytes = fit->lastValue;
    out.changePerDay = fit->slopePerDay;
    if (fit->lastValue <= 0) {
        out.state = FillProjection::State::Full;
        return out;
    }
    if (fit->slopePerDay >= 0) {
        out.state = FillProjection::State::NotFilling;
        return out;
    }
    const double daysFromLast = fit->lastValue / -fit->slopePerDay;
    const double fillsAt = double(fit->lastMs) + daysFromLast * kMsPerDay;
    const double daysLeft = (fillsAt - double(nowMs)) / kMsPerDay;
    if (daysLeft > kNotFillingAfterDays) {
        out.state = FillProjection::State::NotFilling;
        return out;
    }
    if (daysLeft <= 0) {
        // The trend says it is full by now, though the newest point had room: say "now".
        out.state = FillProjection::State::Filling;
        out.fillsAtMs = nowMs;
        out.daysLeft = 0;
        return out;
    }
    out.state = FillProjection::State::Filling;
    out.fillsAtMs = qint64(fillsAt);
    out.daysLeft = daysLeft;
    return out;
}

QString dataMountPoint(const QStringList &mountPoints, const QString &dataDirectory)
{
    if (mountPoints.isEmpty())
        return {};
    const auto holds = [](const QString &mount, const QString &dir) {
        if (mount == QLatin1String("/"))
            return dir.startsWith(QLatin1Char('/'));
        return dir == mount || dir.startsWith(mount + QLatin1Char('/'));
    };
    const QStringList dirs =
        dataDirectory.isEmpty()
            ? QStringList{QStringLiteral("/var/lib/postgresql"), QStringLiteral("/var/lib/pgsql")}
            : QStringList{dataDirectory};
    QString best;
    for (const QString &dir : dirs)
        for (const QString &mount : mountPoints)
            if (holds(mount, dir) && mount.size() > best.size())
                best = mount;
    return best;
}

} // namespace vigil::models
