#pragma once

#include "services/settings/clusterprofile.h"
#include "services/settings/custommetric.h"
#include "services/settings/prometheussettings.h"

#include <QObject>
#include <QSettings>
#include <QStringList>
#include <QVariant>
#include <functional>
#include <memory>
#include <optional>

namespace vigil::services {

// The one typed facade over Vigil's QSettings: saved cluster profiles (without any secret) and
// the few application preferences. Every key and its default are listed in one table per kind
// (profileFields(), preferenceFields() in the .cpp); a value equal to its default is not written
// (the key is removed), so changing a default later reaches every user who never changed it.
//
// Secrets never get here: passwords live in the SecretStore. As a second line of defence the
// store strips a password from URLs (user:password@host) and `password=` from conninfo strings
// before writing. Lives on the UI thread; QSettings is synchronous and local.
class ProfileStore : public QObject
{
    Q_OBJECT
public:
    // Default: the application's QSettings (in QStandardPaths' test mode during tests).
    explicit ProfileStore(QObject *parent = nullptr);
    // A specific settings file (tests, or a portable installation).
    ProfileStore(const QString &iniFile, QObject *parent);
    ~ProfileStore() override;

    QStringList profileNames() const; // sorted, case-insensitively
    bool contains(const QString &name) const;
    std::optional<ClusterProfile> load(const QString &name) const;
    void save(const ClusterProfile &profile); // replaces a profile of the same name
    // The profile's Prometheus (default: none); save() keeps it, remove() removes it.
    PrometheusSettings prometheus(const QString &name) const;
    void setPrometheus(const QString &name, const PrometheusSettings &settings);
    // The profile's custom metrics, in their order (default: none); save() keeps them, remove()
    // removes them. Saved as the array "customMetrics/N/..." of the profile's group.
    QList<CustomMetric> customMetrics(const QString &name) const;
    void setCustomMetrics(const QString &name, const QList<CustomMetric> &metrics);
    void remove(const QString &name);

    // Application preferences.
    bool largeFonts() const;
    void setLargeFonts(bool on);
    int chartWindowSeconds() const; // 300, 3600 or 86400
    void setChartWindowSeconds(int seconds);
    QStringList openProfiles() const; // the clusters shown side by side at the last exit
    void setOpenProfiles(const QStringList &names);

    QString fileName() const;
    void sync();
    // Why the saved profiles could not be read, for the window and the commands to say; empty
    // when they could. Set when the file held values Vigil never writes and was moved aside.
    QString problem() const;

    // Removes any password from a conninfo string ("password=..." / "password='...'" and the
    // password of a postgresql:// URI). Exposed for tests and for the dialog.
    static QString withoutPassword(const QString &conninfo);

Q_SIGNALS:
    void profilesChanged();

private:
    void setAsideIfUnsafe(const std::function<std::unique_ptr<QSettings>()> &open);
    QString groupFor(const QString &name) const;
    void writeCustomMetrics(const QString &name, const QList<CustomMetric> &metrics);
    QVariant preference(const char *key) const;
    void setPreference(const char *key, const QVariant &value);

    std::unique_ptr<QSettings> m_settings;
    QString m_problem;
};

} // namespace vigil::services
