#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace vigil::app {

// `vigil edit-config --set KEY=VALUE ... [--unset KEY ...] [--confirm CLUSTER]`: the dynamic
// configuration editor's code (services/patroni/configchange.h, MemberActionRunner) without the
// dialog. Reads GET /config, applies the edits (nested keys by their dotted path: loop_wait,
// postgresql.parameters.max_connections; values typed like the form's cells), prints the exact
// diff and the parameters that need a restart. Without --confirm that preview is all it does (a
// dry run). With --confirm CLUSTER it sends the merge patch (PATCH /config) through
// MemberActionRunner (read-only guard, audit entry, waits until /cluster shows the change), then
// reads GET /config again and checks that every change shows there.
//
// Exit codes as `vigil switchover`: 0 previewed, or applied and verified; 1 not applied as
// planned (Patroni failed, or /config does not show every change); 2 refused (wrong
// confirmation, read-only mode, Patroni's refusal); 3 bad arguments or /config unreadable.
class EditConfigCommand
{
public:
    static int run(const QStringList &arguments);

    // One --set or --unset: the dotted path and, for --set, the text after '='.
    struct Edit
    {
        QString path;
        std::optional<QString> text; // nullopt: --unset
    };
    // "--set KEY=VALUE" as typed: nullopt (the reason in *error) without a '=' or a key.
    static std::optional<Edit> parseAssignment(const QString &argument, QString *error);
    // `current` with every edit applied in order (values typed by configValueFromText against
    // the value they replace); nullopt (the reason in *error) when a path cannot be set.
    static std::optional<QJsonObject> applyEdits(const QJsonObject &current,
                                                 const QList<Edit> &edits, QString *error);
    // The preview: one line per changed setting ("loop_wait: 10 → 7") and the parameters that
    // need a restart of every member; "Nothing changes." when the edits change nothing.
    static QString preview(const QString &cluster, const QJsonObject &current,
                           const QJsonObject &edited);
};

} // namespace vigil::app
