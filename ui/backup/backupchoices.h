#pragma once

#include "services/monitor/clustersnapshot.h"

class QComboBox;

namespace vigil::ui {

// The member and database choices of the backup dialog and the restore-test wizard, filled from
// the window's snapshot: members with their role and lag, the default one (chooseBackupMember:
// a replica) marked and selected, each item's data the member's name; databases without the
// templates, the application's database selected rather than "postgres".
void fillBackupMembers(QComboBox *combo, const services::ClusterSnapshotPtr &snapshot);
void fillBackupDatabases(QComboBox *combo, const services::ClusterSnapshotPtr &snapshot);

} // namespace vigil::ui
