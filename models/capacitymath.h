#pragma once

#include <QList>
#include <QPointF>
#include <QStringList>
#include <optional>

// The capacity view's arithmetic, apart from any network or widget so that it is tested alone:
// a least-squares line through a trend, the day on which a volume's free space reaches zero if
// the trend goes on, and how much a size grows a day. Points are (ms since the epoch, value);
// NaN and infinite values (Prometheus's gaps) are skipped, never counted as zero.
namespace vigil::models {

constexpr qint64 kMsPerDay = 86400 * 1000LL;

// A trend needs this many finite points, over at least kMinFitSpanMs, to be extrapolated.
constexpr int kMinFitPoints = 3;
constexpr qint64 kMinFitSpanMs = 3600 * 1000LL;

// A free space that would last longer than this is "not filling": a flat trend's noise gives a
// tiny slope, and a date decades away only reads as a false alarm.
constexpr double kNotFillingAfterDays = 5 * 365;

struct LinearFit
{
    double slopePerDay = 0; // value units per day
    double intercept = 0;   // the value at x = 0 (the epoch): use valueAt()
    int points = 0;         // finite points used
    qint64 firstMs = 0, lastMs = 0;
    double lastValue = 0; // the newest finite point's value

    double valueAt(qint64 ms) const { return intercept + slopePerDay * double(ms) / kMsPerDay; }
};

// Ordinary least squares of value over time; nullopt with fewer than kMinFitPoints finite points
// or when they span less than kMinFitSpanMs. Computed around the mean time, so epoch-sized x
// values lose no precision.
std::optional<LinearFit> fitLine(const QList<QPointF> &points);

// Growth a day of a size (database size): the fit's slope; nullopt when it cannot be fitted.
std::optional<double> growthPerDay(const QList<QPointF> &points);

struct FillProjection
{
    enum class State
    {
        TooFewPoints, // no projection: not enough history
        NotFilling,   // flat or falling use (free space steady or growing)
        Filling,      // fills at fillsAtMs if the trend goes on
        Full          // the newest point has no free space left
    };
    State state = State::TooFewPoints;
    qint64 sinceMs = 0;      // the oldest finite point: the trend's history starts here
    double freeBytes = 0;    // the newest finite point
    double changePerDay = 0; // of the free space (negative: it shrinks)
    qint64 fillsAtMs = 0;    // Filling only
    double daysLeft = 0;     // Filling only, from nowMs
};

// Where a volume's free space (node_filesystem_avail_bytes) is heading: the fitted slope
// applied from the newest point (not from the fitted line, so that space freed last night counts
// at once). Not filling when the slope is zero or positive, or when the free space would last
// longer than kNotFillingAfterDays.
FillProjection projectFill(const QList<QPointF> &freeBytes, qint64 nowMs);

// The mount point holding `dataDirectory` among `mountPoints`: the longest one that is the
// directory or one of its parents. With no data directory known, PostgreSQL's usual homes
// (/var/lib/postgresql, /var/lib/pgsql) stand in, which finds "/" on a single-volume host; ""
// when no mount point holds it.
QString dataMountPoint(const QStringList &mountPoints, const QString &dataDirectory = {});

} // namespace vigil::models
