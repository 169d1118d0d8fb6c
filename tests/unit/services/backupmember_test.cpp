// chooseBackupMember: a replica by default (the least lag), the leader only when no replica runs.
#include "services/backup/backupmember.h"

#include <gtest/gtest.h>

using namespace vigil::services;

namespace {

QList<BackupCandidate> cluster()
{
    return {{QStringLiteral("node1"), QStringLiteral("h1"), 5432, true, true, std::nullopt},
            {QStringLiteral("node2"), QStringLiteral("h2"), 5432, false, true, qint64(4096)},
            {QStringLiteral("node3"), QStringLiteral("h3"), 5432, false, true, qint64(0)}};
}

} // namespace

TEST(BackupMember, DefaultIsTheReplicaWithTheLeastLag)
{
    const auto m = chooseBackupMember(cluster());
    ASSERT_TRUE(m);
    EXPECT_EQ(m->name, QStringLiteral("node3"));
}

TEST(BackupMember, StoppedReplicasAreSkippedThenTheLeaderIsTaken)
{
    auto members = cluster();
    members[2].running = false;
    EXPECT_EQ(chooseBackupMember(members)->name, QStringLiteral("node2"));
    members[1].running = false;
    EXPECT_EQ(chooseBackupMember(members)->name, QStringLiteral("node1"));
}

TEST(BackupMember, NamedMemberIsTakenAsNamed)
{
    EXPECT_EQ(chooseBackupMember(cluster(), QStringLiteral("node1"))->name,
              QStringLiteral("node1"));
    EXPECT_FALSE(chooseBackupMember(cluster(), QStringLiteral("node9")));
    EXPECT_FALSE(chooseBackupMember({}));
    EXPECT_TRUE(replicaDefaultReason().contains(QStringLiteral("primary")));
}
