#pragma once

#include "support/qtprinters.h"

#include <QString>
#include <QStringList>
#include <gtest/gtest.h>

namespace vigil::test {

// The sandbox cluster the integration tests run against (packaging/sandbox/sandbox.sh), found
// through the environment that `sandbox.sh env` prints (tests/run.sh exports it).
//
// Integration tests call Sandbox::require() first: without a sandbox they are SKIPPED in a quick
// local loop, but FAIL when VIGIL_REQUIRE_SANDBOX=1 (tests/run.sh and CI set it), so a suite
// that silently skips the real cluster can never pass CI.
struct Sandbox
{
    static bool available();
    static QString patroniUrl();      // node1's REST URL
    static QStringList patroniUrls(); // all three
    static QString haproxyStatsUrl(); // the ;csv URL
    static int rwPort();
    static int roPort();
    static int pgbouncerPort();
    static QString restUser();
    static QString restPassword();
    static QString dir();
    static int portBase();
    // A TLS sandbox (`sandbox.sh up --tls`): https REST, TLS-only PostgreSQL and PgBouncer. The
    // CA and the client certificate/key (CN vigil) are files in the sandbox directory.
    static bool tls();
    static QString caFile();
    static QString clientCert();
    static QString clientKey();

    // The command line of `vigil --patroni ...` watching the sandbox under the name `cluster`
    // (program name first; every channel: SQL as vigil, HAProxy's rw backend, PgBouncer's console
    // as pgbouncer_admin), for app::parseGuiArguments.
    static QStringList guiArguments(const QString &cluster);
    // `status --patroni URL --user vigil --haproxy-stats ... --pgbouncer ...` (no program name)
    // for the vigil binary; every member's REST URL when `everyMember`, node1's otherwise.
    static QStringList statusArguments(bool everyMember = false);

    // Runs `sandbox.sh ARGS...` synchronously (tests only); returns its exit code, output in *out.
    static int run(const QStringList &args, QString *out = nullptr, int timeoutMs = 180000);
    // Name of the current leader per REST /cluster (synchronous curl-free HTTP in a helper).
    static QString leaderName();
    // Members whose Patroni reports pending_restart (per REST /cluster).
    static QStringList membersPendingRestart();
    // SIGKILLs a service the sandbox started (etcd, haproxy, pgbouncer, or a member's Patroni):
    // the PID recorded in DIR/run/NAME.pid, checked to be this sandbox's (its command line names
    // DIR). A crash, where `sandbox.sh stop` is a clean shutdown; `sandbox.sh start NAME` brings
    // it back. Returns the PID killed (at once: the harness never waits on the UI thread), or 0
    // when none was running.
    static int killService(const QString &name);
    // Brings the sandbox back to healthy: up (leader + 2 streaming replicas), and members with
    // a pending restart restarted.
    static void ensureHealthy();
};

} // namespace vigil::test

// Use at the start of every integration test.
#define VIGIL_REQUIRE_SANDBOX()                                                                    \
    do {                                                                                           \
        if (!::vigil::test::Sandbox::available()) {                                                \
            if (qEnvironmentVariableIntValue("VIGIL_REQUIRE_SANDBOX") == 1)                        \
                FAIL() << "VIGIL_REQUIRE_SANDBOX=1 but no sandbox environment is set "             \
                          "(run tests/run.sh, or eval \"$(packaging/sandbox/sandbox.sh env)\")";   \
            GTEST_SKIP() << "no sandbox (eval \"$(packaging/sandbox/sandbox.sh env)\" to run)";    \
        }                                                                                          \
    } while (0)

// Use at the start of every test that needs the TLS sandbox (sandbox.sh up --tls).
#define VIGIL_REQUIRE_TLS_SANDBOX()                                                                \
    do {                                                                                           \
        VIGIL_REQUIRE_SANDBOX();                                                                   \
        if (!::vigil::test::Sandbox::tls()) {                                                      \
            if (qEnvironmentVariableIntValue("VIGIL_REQUIRE_SANDBOX") == 1)                        \
                FAIL() << "these tests need a TLS sandbox (sandbox.sh up --tls); this one has "    \
                          "no TLS";                                                                \
            GTEST_SKIP() << "not a TLS sandbox (sandbox.sh up --tls)";                             \
        }                                                                                          \
    } while (0)
