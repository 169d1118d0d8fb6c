// The incident timeline dock's view on the recorded failover: the window filter drives the
// model, the export writes the markdown of the window, and the screenshot
// (unit-timeline.png in VIGIL_ARTIFACTS_DIR) is looked at.
#include "models/timelinemodel.h"
#include "services/timeline/timelinerecorder.h"
#include "support/qtprinters.h"
#include "support/recordedfailover.h"
#include "ui/timeline/timelineview.h"
#include "ui/widgets/tableview.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QPushButton>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil;
using vigil::test::failoverStart;

namespace {

QString artifact(const QString &name)
{
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    return QStringLiteral(VIGIL_ARTIFACTS_DIR) + QLatin1Char('/') + name;
}

struct Fixture
{
    models::TimelineModel model;
    QDateTime now = failoverStart().addSecs(120);
    ui::TimelineView view{&model};

    Fixture()
    {
        model.setClock([this] { return now; });
        services::TimelineRecorder recorder(QStringLiteral("hokm-ha"));
        for (const services::ClusterSnapshot &s : test::recordedFailover())
            recorder.ingest(s);
        for (const services::AlertEvent &a : test::recordedFailoverAlerts())
            recorder.ingestAlert(a);
        services::AuditEntry a;
        a.when = failoverStart().addSecs(70);
        a.osUser = QStringLiteral("bob");
        a.cluster = QStringLiteral("hokm-ha");
        a.member = QStringLiteral("node1");
        a.action = QStringLiteral("switchover");
        a.parameters = {{QStringLiteral("leader"), QStringLiteral("node2")},
                        {QStringLiteral("candidate"), QStringLiteral("node1")}};
        a.result = QStringLiteral("ok");
        a.serverAnswer = QStringLiteral("Successfully switched over to \"node1\"");
        recorder.importAudit({a});
        model.setCluster(QStringLiteral("hokm-ha"), recorder.events());
        view.resize(1180, 420);
        view.show();
    }
};

} // namespace

TEST(TimelineView, WindowFilterAndScreenshot)
{
    Fixture f;
    QComboBox *box = f.view.windowBox();
    ASSERT_EQ(box->count(), 5);
    EXPECT_EQ(box->currentData().toInt(), 3600); // the model's default window: the last hour
    EXPECT_EQ(f.model.rowCount(), 11);
    f.view.table()->resizeColumnsToContents();
    f.view.grab().save(artifact(QStringLiteral("unit-timeline.png")));

    f.now = failoverStart().addSecs(15 * 60 + 40);
    box->setCurrentIndex(box->findData(15 * 60));
    EXPECT_EQ(f.model.windowSeconds(), 15 * 60);
    EXPECT_EQ(f.model.rowCount(), 3); // node1 back at :50, the replica alert cleared, the action
    box->setCurrentIndex(box->findData(0));
    EXPECT_EQ(f.model.rowCount(), 11);
    EXPECT_TRUE(f.view.exportButton()->isEnabled());
}

TEST(TimelineView, ExportWritesTheWindowAsMarkdown)
{
    Fixture f;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("post-mortem.md"));
    QString error;
    ASSERT_TRUE(f.view.exportTo(path, &error)) << error.toStdString();
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QString md = QString::fromUtf8(file.readAll());
    EXPECT_TRUE(md.startsWith(QStringLiteral("# Incident timeline: hokm-ha")));
    EXPECT_TRUE(md.contains(QStringLiteral("Failover: the leader changed from node1 to node2.")));
    EXPECT_TRUE(md.contains(QStringLiteral("— bob: switchover")));

    EXPECT_FALSE(f.view.exportTo(dir.filePath(QStringLiteral("no/such/folder/x.md")), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("could not be written"))) << error.toStdString();
}
