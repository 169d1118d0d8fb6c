#include "services/core/auditlog.h"
#include "support/qtprinters.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil::services;

TEST(AuditLog, AppendsJsonLinesAndReadsThemBack)
{
    QTemporaryDir dir;
    AuditLog log(dir.filePath(QStringLiteral("sub/audit.jsonl")));
    AuditEntry e;
    e.cluster = QStringLiteral("hokm-ha");
    e.member = QStringLiteral("node1");
    e.action = QStringLiteral("terminate_backend");
    e.parameters = {{QStringLiteral("pid"), 4711}};
    e.result = QStringLiteral("ok");
    e.serverAnswer = QStringLiteral("Session 4711 was terminated.");
    QString error;
    ASSERT_TRUE(log.append(e, &error)) << error.toStdString();
    e.action = QStringLiteral("cancel_backend");
    ASSERT_TRUE(log.append(e, &error));

    QFile f(log.filePath());
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().split('\n');
    ASSERT_EQ(lines.size(), 3); // two lines and the final newline
    EXPECT_TRUE(QJsonDocument::fromJson(lines.at(0)).isObject());
    EXPECT_EQ(f.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
              QFileDevice::Permissions());

    const auto entries = log.readAll();
    ASSERT_EQ(entries.size(), 2);
    EXPECT_EQ(entries.at(0).action, QStringLiteral("terminate_backend"));
    EXPECT_EQ(entries.at(1).action, QStringLiteral("cancel_backend"));
    EXPECT_EQ(entries.at(0).cluster, QStringLiteral("hokm-ha"));
    EXPECT_EQ(entries.at(0).member, QStringLiteral("node1"));
    EXPECT_EQ(entries.at(0).parameters.value(QStringLiteral("pid")).toInt(), 4711);
    EXPECT_FALSE(entries.at(0).osUser.isEmpty()); // filled in: who ran it
    EXPECT_TRUE(entries.at(0).when.isValid());
}

TEST(AuditLog, NeverWritesSecrets)
{
    QTemporaryDir dir;
    AuditLog log(dir.filePath(QStringLiteral("audit.jsonl")));
    AuditEntry e;
    e.action = QStringLiteral("switchover");
    e.parameters = {{QStringLiteral("candidate"), QStringLiteral("node2")},
                    {QStringLiteral("password"), QStringLiteral("hunter2")},
                    {QStringLiteral("rest"),
                     QJsonObject{{QStringLiteral("restPassword"), QStringLiteral("s3cret")},
                                 {QStringLiteral("user"), QStringLiteral("patroni")}}},
                    {QStringLiteral("list"), QJsonArray{QJsonObject{{QStringLiteral("api_token"),
                                                                     QStringLiteral("tok")}}}}};
    ASSERT_TRUE(log.append(e));
    QFile f(log.filePath());
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray raw = f.readAll();
    EXPECT_FALSE(raw.contains("hunter2"));
    EXPECT_FALSE(raw.contains("s3cret"));
    EXPECT_FALSE(raw.contains("\"tok\""));
    EXPECT_TRUE(raw.contains("node2"));
    EXPECT_TRUE(raw.contains("patroni"));
}

TEST(AuditLog, DefaultPathIsUnderAppData)
{
    QStandardPaths::setTestModeEnabled(true);
    EXPECT_TRUE(AuditLog::defaultPath().startsWith(
        QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
    EXPECT_TRUE(AuditLog::defaultPath().endsWith(QStringLiteral("audit.jsonl")));
}
