#pragma once

#include <QByteArrayView>
#include <QString>
#include <optional>

namespace vigil::services {

// What the header of a pg_dump custom-format archive (-Fc) says about itself: pg_dump writes it
// first (pg_backup_archiver.c, WriteHead) and pg_restore --list prints it as "Dumped from
// database version" / "Dumped by pg_dump version". Read from the file a backup wrote, it names
// the pg_dump that really ran (the one Debian's pg_wrapper picked), with no second process.
struct PgDumpArchiveHeader
{
    int archiveMajor = 0; // the archive format's version, 1.14.0 for pg_dump 15
    int archiveMinor = 0;
    int archiveRevision = 0;
    QString database;      // the database dumped
    QString serverVersion; // "15.18 (Debian 15.18-0+deb12u1)"
    QString pgDumpVersion; // the same form, of pg_dump itself
};

// The header at the start of `bytes` (the first few KiB of the file are plenty). nullopt, with
// *error saying what is wrong, when they are not the start of a custom-format archive.
std::optional<PgDumpArchiveHeader> parsePgDumpArchiveHeader(QByteArrayView bytes,
                                                            QString *error = nullptr);

// The same, read from the file at `path`.
std::optional<PgDumpArchiveHeader> readPgDumpArchiveHeader(const QString &path,
                                                           QString *error = nullptr);

// The major version in a version string ("15.18 (Debian ...)" gives 15, "9.6.24" gives 9); 0
// when there is none.
int majorOfVersionString(const QString &version);

} // namespace vigil::services
