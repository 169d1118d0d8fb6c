// PgBouncer's auth_file (services/security/pgbounceruserlist.h): the exact line, replacing one
// role's line without touching the others, and the atomic write with a backup.
#include "services/security/pgbounceruserlist.h"
#include "support/qtprinters.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <sys/stat.h>

using namespace vigil::services;

namespace {
const QByteArray kVerifier = "SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy";
const QByteArray kList = "\"postgres\" \"pw1\"\n"
                         ";; comment\n"
                         "\"app\" \"old\"\n"
                         "\"we\"\"ird\" \"x\"\n";
} // namespace

TEST(PgBouncerUserlist, Line)
{
    EXPECT_EQ(PgBouncerUserlist::line(QStringLiteral("app"), kVerifier),
              "\"app\" \"" + kVerifier + "\"");
    EXPECT_EQ(PgBouncerUserlist::line(QStringLiteral("we\"ird"), "v"), "\"we\"\"ird\" \"v\"");
    EXPECT_EQ(PgBouncerUserlist::userOf("\"we\"\"ird\" \"x\""), QStringLiteral("we\"ird"));
    EXPECT_EQ(PgBouncerUserlist::userOf(";; comment"), QString());
}

TEST(PgBouncerUserlist, ReplacesOnlyTheRole)
{
    const QByteArray line = PgBouncerUserlist::line(QStringLiteral("app"), kVerifier);
    const QByteArray out = PgBouncerUserlist::withLine(kList, QStringLiteral("app"), line);
    EXPECT_EQ(out, "\"postgres\" \"pw1\"\n;; comment\n" + line + "\n\"we\"\"ird\" \"x\"\n");
    EXPECT_TRUE(PgBouncerUserlist::contains(kList, QStringLiteral("we\"ird")));
    EXPECT_FALSE(PgBouncerUserlist::contains(kList, QStringLiteral("nobody")));
    const QByteArray appended =
        PgBouncerUserlist::withLine(kList, QStringLiteral("new"), "\"new\" \"v\"");
    EXPECT_EQ(appended, kList + "\"new\" \"v\"\n");
}

TEST(PgBouncerUserlist, AtomicWriteKeepsBackupAndMode)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("userlist.txt"));
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(kList);
    f.close();
    ::chmod(QFile::encodeName(path).constData(), 0600);
    QString backup;
    const ServiceError e = PgBouncerUserlist::writeAtomically(path, "\"app\" \"v\"\n", &backup);
    ASSERT_FALSE(e) << e.toText().toStdString();
    QFile out(path), old(backup);
    ASSERT_TRUE(out.open(QIODevice::ReadOnly));
    ASSERT_TRUE(old.open(QIODevice::ReadOnly));
    EXPECT_EQ(out.readAll(), "\"app\" \"v\"\n");
    EXPECT_EQ(old.readAll(), kList);
    struct stat st = {};
    ASSERT_EQ(::stat(QFile::encodeName(path).constData(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(::stat(QFile::encodeName(backup).constData(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files).size(), 2); // no temporary file left
}

TEST(PgBouncerUserlist, MissingFileIsAnError)
{
    QTemporaryDir dir;
    const ServiceError e =
        PgBouncerUserlist::writeAtomically(dir.filePath(QStringLiteral("nope.txt")), "x");
    EXPECT_TRUE(e.isError());
    EXPECT_TRUE(e.what.contains(QLatin1String("nope.txt")));
}
