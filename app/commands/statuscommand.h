#pragma once

#include "services/monitor/clustermonitor.h"
#include "services/monitor/clustersnapshot.h"
#include "services/settings/clusterprofile.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace vigil::app {

// `vigil status`: one look at a cluster without a display, on the same code path as the GUI
// (one QNetworkAccessManager, one ClusterMonitor, pollOnce()), printed as a table like
// `patronictl list -e` or as JSON, with a Nagios exit code. `--watch` repeats until Ctrl-C.
//
// The pure parts (argument parsing, formatting, exit code) are static so they are unit-tested
// without a cluster; run() is the composition root of the command.
class StatusCommand
{
public:
    struct Options
    {
        services::ClusterProfile profile;
        services::ClusterMonitor::Secrets secrets;
        bool json = false;
        std::optional<double> watchSeconds; // set: --watch
    };

    // What parsing produced: options to run with, or text to print and an exit code
    // (--help: the help on stdout, 0; a bad argument: the reason on stderr, 3 = UNKNOWN).
    struct Parsed
    {
        std::optional<Options> options;
        QString output;
        bool toStderr = false;
        int exitCode = 0;
    };

    // `arguments` as the command table passes them: [program, option...]. `restPassword` is
    // VIGIL_REST_PASSWORD's value (passed in so tests do not depend on the environment).
    static Parsed parse(const QStringList &arguments, const QString &restPassword = {});

    // Nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. Nothing of the cluster answering is
    // UNKNOWN whatever else was found (Vigil cannot judge a cluster it cannot see).
    static int exitCode(const services::ClusterSnapshot &snapshot);

    // The human report: a title, the member table, HAProxy and PgBouncer lines, the findings
    // and the overall status. Plain text, no colour, lines end with '\n'.
    static QString formatReport(const services::ClusterSnapshot &snapshot);
    // The member table alone (a section of formatReport).
    static QString formatTable(const services::ClusterSnapshot &snapshot);
    // JSON (resources/status-schema.json); `compact` prints one line (used by --watch).
    static QByteArray formatJson(const services::ClusterSnapshot &snapshot, bool compact = false);

    // True when libpq reads a password in a conninfo (keyword string or URI): such a conninfo is
    // refused on the command line, where other users can read it (ps, shell history). The one
    // reading is services::readConninfo (services/postgres/conninfo.h); this forwards to it.
    static bool conninfoHasPassword(const QString &conninfo);

    // The command: parses, runs the monitor, prints, returns the exit code.
    static int run(const QStringList &arguments);
};

} // namespace vigil::app
