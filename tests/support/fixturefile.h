#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>
#include <gtest/gtest.h>

namespace vigil::test {

// A recorded fixture's bytes, by its path under tests/fixtures
// ("backup/pg_dump_v_hokm_game.stderr"); a missing file fails the test that asked for it.
inline QByteArray fixtureFile(const QString &path)
{
    QFile f(QStringLiteral(VIGIL_FIXTURES_DIR "/") + path);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
    return f.readAll();
}

} // namespace vigil::test
