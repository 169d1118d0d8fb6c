// The backup's SHA-256, streamed, and FILE.sha256 in sha256sum's format (checked by sha256sum
// -c itself when it is installed).
#include "services/backup/backupchecksum.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil::services;

TEST(BackupChecksum, StreamsAFileLargerThanOneReadAndWritesSha256sumFormat)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("db.dump"));
    QByteArray data;
    for (int i = 0; i < 300000; ++i)
        data += QByteArray::number(qint64(i) * 7919); // int would overflow: UB
    ASSERT_GT(data.size(), 1024 * 1024);
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(data);
    f.close();

    const BackupChecksum sum = sha256OfFile(path);
    ASSERT_TRUE(sum.ok()) << sum.error.toStdString();
    EXPECT_EQ(sum.bytes, data.size());
    EXPECT_EQ(sum.sha256Hex, QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
    ASSERT_TRUE(writeSha256File(sum.sha256Hex, path).isEmpty());
    QFile side(path + QStringLiteral(".sha256"));
    ASSERT_TRUE(side.open(QIODevice::ReadOnly));
    EXPECT_EQ(side.readAll(), sum.sha256Hex + "  db.dump\n");

    const QString tool = QStandardPaths::findExecutable(QStringLiteral("sha256sum"));
    if (tool.isEmpty())
        return;
    QProcess check;
    check.setWorkingDirectory(dir.path());
    check.start(tool, {QStringLiteral("-c"), QStringLiteral("db.dump.sha256")});
    ASSERT_TRUE(check.waitForFinished(10000));
    EXPECT_EQ(check.exitCode(), 0) << check.readAllStandardError().toStdString();
}

TEST(BackupChecksum, MissingFileSaysWhich)
{
    const BackupChecksum sum = sha256OfFile(QStringLiteral("/nonexistent/x.dump"));
    EXPECT_FALSE(sum.ok());
    EXPECT_TRUE(sum.error.contains(QStringLiteral("/nonexistent/x.dump")));
}
