// The header of a pg_dump custom-format archive, read from the start of a real dump of the
// sandbox's hokm_game (tests/fixtures/record_backup_header.sh) and held against what
// pg_restore --list said of the same file; cut short or altered, it is refused with a reason.
#include "services/backup/pgdumparchive.h"
#include "support/fixturefile.h"

#include <QFile>
#include <QRegularExpression>
#include <gtest/gtest.h>

using namespace vigil::services;

namespace {

QByteArray fixture(const char *name)
{
    return vigil::test::fixtureFile(QStringLiteral("backup/") + QLatin1String(name));
}

// One ";     Key: value" line of pg_restore --list's header.
QString restoreListValue(const QString &key)
{
    const QString text = QString::fromUtf8(fixture("pg_restore_list_hokm_game.txt"));
    const QRegularExpression re(QStringLiteral("^;\\s+%1: (.*)$").arg(key),
                                QRegularExpression::MultilineOption);
    return re.match(text).captured(1).trimmed();
}

} // namespace

TEST(PgDumpArchive, RecordedHeaderSaysWhatPgRestoreSays)
{
    QString error;
    const auto h = parsePgDumpArchiveHeader(fixture("pg_dump_hokm_game.head"), &error);
    ASSERT_TRUE(h.has_value()) << error.toStdString();
    EXPECT_EQ(h->database, restoreListValue(QStringLiteral("dbname")));
    EXPECT_EQ(h->serverVersion, restoreListValue(QStringLiteral("Dumped from database version")));
    EXPECT_EQ(h->pgDumpVersion, restoreListValue(QStringLiteral("Dumped by pg_dump version")));
    EXPECT_EQ(QStringLiteral("%1.%2-%3")
                  .arg(h->archiveMajor)
                  .arg(h->archiveMinor)
                  .arg(h->archiveRevision),
              restoreListValue(QStringLiteral("Dump Version")));
    EXPECT_EQ(h->database, QStringLiteral("hokm_game"));
    EXPECT_EQ(majorOfVersionString(h->pgDumpVersion), 15);
}

TEST(PgDumpArchive, EveryShortenedHeaderIsRefusedWithAReason)
{
    const QByteArray whole = fixture("pg_dump_hokm_game.head");
    // The header proper ends after the pg_dump version string; any cut before it is refused.
    const qsizetype end = whole.indexOf("15.18 (Debian", whole.indexOf("15.18 (Debian") + 1) + 30;
    for (qsizetype n = 0; n < end; ++n) {
        QString error;
        EXPECT_FALSE(parsePgDumpArchiveHeader(QByteArrayView(whole).first(n), &error).has_value())
            << "cut at " << n;
        EXPECT_FALSE(error.isEmpty()) << "cut at " << n;
    }
    EXPECT_TRUE(parsePgDumpArchiveHeader(QByteArrayView(whole).first(end)).has_value());
}

TEST(PgDumpArchive, OtherFilesAndFormatsAreNamed)
{
    QString error;
    EXPECT_FALSE(parsePgDumpArchiveHeader("--\n-- PostgreSQL database dump\n--\n", &error));
    EXPECT_TRUE(error.contains(QStringLiteral("PGDMP"))) << error.toStdString();

    QByteArray tar = fixture("pg_dump_hokm_game.head");
    tar[10] = 3; // the format byte: archTar
    EXPECT_FALSE(parsePgDumpArchiveHeader(tar, &error));
    EXPECT_TRUE(error.contains(QStringLiteral("-Fc"))) << error.toStdString();

    QByteArray huge = fixture("pg_dump_hokm_game.head");
    huge[12] = char(0x7f); // a compression level near 2^31: odd, but not the header's shape
    huge[15] = char(0x7f);
    EXPECT_TRUE(parsePgDumpArchiveHeader(huge).has_value()); // an odd level is not our business

    QByteArray longName = fixture("pg_dump_hokm_game.head");
    const qsizetype nameLength = longName.indexOf("hokm_game") - 4;
    longName[nameLength + 3] = char(0x7f); // a database name of ~2 GB: refused, not read
    EXPECT_FALSE(parsePgDumpArchiveHeader(longName, &error));
    EXPECT_FALSE(readPgDumpArchiveHeader(QStringLiteral("/nonexistent/x.dump"), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("/nonexistent/x.dump")));
}

// Found by tests/fuzz (fuzz_pgdump_archive): 8-byte integers whose top bit is set made the
// negation of INT64_MIN (undefined behaviour). Refused now.
TEST(PgDumpArchive, EightByteIntegersBeyondRangeAreRefused)
{
    QFile f(QStringLiteral(VIGIL_FIXTURES_DIR
                           "/fuzz/pgdump_archive/crash-b89290141f13268f6007a762f4d05c951f333f8f"));
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    QString error;
    EXPECT_FALSE(parsePgDumpArchiveHeader(f.readAll(), &error).has_value());
    EXPECT_FALSE(error.isEmpty());
}

TEST(PgDumpArchive, MajorOfVersionStrings)
{
    EXPECT_EQ(majorOfVersionString(QStringLiteral("15.18 (Debian 15.18-0+deb12u1)")), 15);
    EXPECT_EQ(majorOfVersionString(QStringLiteral("9.6.24")), 9);
    EXPECT_EQ(majorOfVersionString(QStringLiteral("17devel")), 17);
    EXPECT_EQ(majorOfVersionString(QString()), 0);
    EXPECT_EQ(majorOfVersionString(QStringLiteral("devel")), 0);
}
