#include "ui/backup/backupchoices.h"

#include "services/backup/backupmember.h"
#include "services/core/formatting.h"

#include <QComboBox>
#include <QCoreApplication>

namespace vigil::ui {

using namespace vigil::services;

void fillBackupMembers(QComboBox *combo, const ClusterSnapshotPtr &snapshot)
{
    QList<BackupCandidate> candidates;
    if (snapshot)
        for (const MemberSnapshot &m : snapshot->members)
            candidates.append(
                {m.name, m.host, m.port, m.isLeader(),
                 m.state == QLatin1String("running") || m.state == QLatin1String("streaming"),
                 m.lagBytes});
    const auto chosen = chooseBackupMember(candidates);
    for (const BackupCandidate &c : candidates) {
        QString text =
            c.leader ? QCoreApplication::translate("BackupDialog",
                                                   "%1 — primary (adds the dump's read load to it)")
                           .arg(c.name)
                     : QCoreApplication::translate("BackupDialog", "%1 — replica, lag %2")
                           .arg(c.name, formatBytes(c.lagBytes.value_or(0)));
        if (chosen && chosen->name == c.name)
            text = QCoreApplication::translate("BackupDialog", "%1 (default)").arg(text);
        combo->addItem(text, c.name);
    }
    if (chosen)
        combo->setCurrentIndex(combo->findData(chosen->name));
}

void fillBackupDatabases(QComboBox *combo, const ClusterSnapshotPtr &snapshot)
{
    QStringList names;
    if (snapshot)
        for (const MemberSnapshot &m : snapshot->members)
            for (const DatabaseSize &d : m.databaseSizes)
                if (!names.contains(d.name) && !d.name.startsWith(QLatin1String("template")))
                    names << d.name;
    names.sort();
    combo->addItems(names);
    for (const QString &n : names)
        if (n != QLatin1String("postgres")) {
            combo->setCurrentText(n);
            break;
        }
}

} // namespace vigil::ui
