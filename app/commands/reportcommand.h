#pragma once

#include "app/commands/targetoptions.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace vigil::app {

// `vigil report [--profile NAME | --patroni URL ...] --out FILE.pdf|FILE.html [--sample 30s]`:
// the health report of one cluster (models/report/). The command watches the cluster with one
// ClusterMonitor for the sampling window (--sample, default 30 s; 0: one snapshot and no
// charts), feeding a ChartHistory as the window does; the report's state is the last snapshot,
// its charts the window's samples. Then one pg_stat_statements sample of the leader and this
// machine's records (HealthReportGatherer), and the file is written.
//
// Charts and the PDF need Qt Gui (QPainter, fonts, QPdfWriter), so the light `vigil` hands this
// command to vigil-gui, which runs it on a QGuiApplication with the offscreen platform: no
// display is needed (app/gui/application.cpp, HeadlessCommand::needsGui).
// Exit codes: 0 written, 1 the cluster could not be read or the file not written, 2 unusable
// options.
class ReportCommand
{
public:
    struct Options
    {
        services::ClusterProfile profile;
        services::ClusterMonitor::Secrets secrets;
        QString outPath;
        bool pdf = false;
        double sampleSeconds = 30;
    };
    struct Parsed
    {
        std::optional<Options> options;
        QString output; // --help, or the reason the options are unusable
        int exitCode = 0;
    };
    // `arguments`: [program, option...]. `sources` as TargetOptions takes them (tests pass their
    // own profile store and secrets).
    static Parsed parse(const QStringList &arguments, const TargetOptions::Sources &sources = {});
    static int run(const QStringList &arguments);
};

} // namespace vigil::app
