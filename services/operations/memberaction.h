#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QUrl>

namespace vigil::services {

// One of the shorter operations: restart, reload, reinitialize a member; pause/resume the
// cluster (maintenance mode); change the dynamic configuration; cancel a scheduled switchover
// or restart. A value the dialogs and `vigil restart/reinit/pause/resume/reload` fill in and
// MemberActionRunner executes.
struct MemberAction
{
    enum class Kind
    {
        Restart,
        Reload,
        Reinitialize,
        Pause,
        Resume,
        PatchConfig,
        CancelSwitchover,
        CancelRestart
    };
    Kind kind = Kind::Reload;
    QString cluster;                   // Patroni's scope (audit log, typed confirmation)
    QString member;                    // the member acted on; empty for cluster-wide actions
    QUrl memberApi;                    // its REST base URL; cluster-wide actions may use any member
    bool memberIsLeader = false;       // Restart: the member is the leader (every client drops)
    QDateTime scheduledAt;             // Restart: invalid = now
    bool onlyIfPendingRestart = false; // Restart: Patroni's "restart_pending"
    bool force = false;                // Reinitialize: also when the member is running
    QJsonObject patch;                 // PatchConfig: a JSON merge patch of /config
    QString typedConfirmation;         // checked below the UI when needsTypedConfirmation()
    int waitSeconds = 120;             // how long to wait for the result to show in /cluster

    QString kindName() const; // stable: "restart", "reload", "reinitialize", "pause", ...
    bool isClusterWide() const;
    // Destructive ones need the cluster name typed: reinitialize wipes a data directory, a
    // restart drops the member's clients (every client, on the leader), pause turns automatic
    // failover off and resume turns it back on. Reload and the cancellations need no typing.
    bool needsTypedConfirmation() const
    {
        return kind == Kind::Reinitialize || kind == Kind::Restart || kind == Kind::Pause ||
               kind == Kind::Resume;
    }
    // Full sentences for the confirmation dialog and the CLI.
    QString summary() const;
    QJsonObject auditParameters() const;
};

} // namespace vigil::services
