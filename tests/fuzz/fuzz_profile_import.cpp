// A profiles file read back (ProfileStore over an INI file: a settings file copied from another
// machine or a portable installation, QSettings' INI reader included): every profile it names is
// loaded, its URLs kept without passwords and its conninfos through the password stripper.
#include "fuzzsupport.h"
#include "services/settings/profilestore.h"

#include <QFile>
#include <QTemporaryDir>

using namespace vigil::services;

namespace {
// A new file in a private directory for every input: QSettings reads a path, and keeps what it
// read of a path in a cache that a rewrite within the same millisecond would not invalidate.
QString nextIniPath()
{
    static QTemporaryDir dir;
    static quint64 n = 0;
    return dir.path() + QStringLiteral("/profiles-%1.ini").arg(++n);
}
} // namespace

VIGIL_FUZZ_QUIET_QT_INITIALIZE()

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString path = nextIniPath();
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return 0;
        file.write(reinterpret_cast<const char *>(data), qint64(size));
    }
    {
        const ProfileStore store(path, nullptr);
        for (const QString &name : store.profileNames()) {
            const std::optional<ClusterProfile> profile = store.load(name);
            if (!profile)
                continue;
            (void)profile->isValid();
            (void)ProfileStore::withoutPassword(profile->sqlConninfo);
            (void)ProfileStore::withoutPassword(profile->pgbouncerConninfo);
        }
        (void)store.largeFonts();
        (void)store.chartWindowSeconds();
        (void)store.openProfiles();
    }
    QFile::remove(path);
    return 0;
}
