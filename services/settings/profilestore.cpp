#include "services/settings/profilestore.h"

#include "services/postgres/conninfo.h"

#include <QDateTime>
#include <QFile>
#include <QUrl>

namespace vigil::services {

namespace {

const QString kProfilesGroup = QStringLiteral("profiles");

// One row per saved field of a profile. The default is the value of a default-constructed
// ClusterProfile, so the struct's initialisers stay the single source of defaults.
struct ProfileField
{
    const char *key;
    std::function<QVariant(const ClusterProfile &)> get;
    std::function<void(ClusterProfile &, const QVariant &)> set;
};

QString urlWithoutPassword(const QUrl &url)
{
    return url.isEmpty() ? QString() : url.toString(QUrl::RemovePassword);
}

// A field of the profile's alert thresholds, saved as "alerts/<member>".
template <typename T> ProfileField thresholdField(const char *key, T FindingThresholds::*member)
{
    return {key,
            [member](const ClusterProfile &p) { return QVariant::fromValue(p.thresholds.*member); },
            [member](ClusterProfile &p, const QVariant &v) {
                p.thresholds.*member = v.value<T>();
            }};
}

const std::vector<ProfileField> &profileFields()
{
    static const std::vector<ProfileField> fields = {
        {"patroniUrl",
         [](const ClusterProfile &p) { return QVariant(urlWithoutPassword(p.patroniUrl)); },
         [](ClusterProfile &p, const QVariant &v) {
             p.patroniUrl = QUrl(v.toString());
         }},
        {"patroniFallbackUrls",
         [](const ClusterProfile &p) {
             QStringList urls;
             for (const QUrl &u : p.patroniFallbackUrls)
                 urls << urlWithoutPassword(u);
             return QVariant(urls);
         },
         [](ClusterProfile &p, const QVariant &v) {
             p.patroniFallbackUrls.clear();
             for (const QString &u : v.toStringList())
                 p.patroniFallbackUrls << QUrl(u);
         }},
        {"sqlConninfo",
         [](const ClusterProfile &p) {
             return QVariant(ProfileStore::withoutPassword(p.sqlConninfo));
         },
         [](ClusterProfile &p, const QVariant &v) {
             p.sqlConninfo = v.toString();
         }},
        {"restUser", [](const ClusterProfile &p) { return QVariant(p.restUser); },
         [](ClusterProfile &p, const QVariant &v) {
             p.restUser = v.toString();
         }},
        {"restCaFile", [](const ClusterProfile &p) { return QVariant(p.restCaFile); },
         [](ClusterProfile &p, const QVariant &v) {
             p.restCaFile = v.toString();
         }},
        {"restCertFile", [](const ClusterProfile &p) { return QVariant(p.restCertFile); },
         [](ClusterProfile &p, const QVariant &v) {
             p.restCertFile = v.toString();
         }},
        {"restKeyFile", [](const ClusterProfile &p) { return QVariant(p.restKeyFile); },
         [](ClusterProfile &p, const QVariant &v) {
             p.restKeyFile = v.toString();
         }},
        {"restVerifyPeer", [](const ClusterProfile &p) { return QVariant(p.restVerifyPeer); },
         [](ClusterProfile &p, const QVariant &v) {
             p.restVerifyPeer = v.toBool();
         }},
        {"haproxyStatsUrl",
         [](const ClusterProfile &p) { return QVariant(urlWithoutPassword(p.haproxyStatsUrl)); },
         [](ClusterProfile &p, const QVariant &v) {
             p.haproxyStatsUrl = QUrl(v.toString());
         }},
        {"haproxyReadWriteBackend",
         [](const ClusterProfile &p) { return QVariant(p.haproxyReadWriteBackend); },
         [](ClusterProfile &p, const QVariant &v) {
             p.haproxyReadWriteBackend = v.toString();
         }},
        {"pgbouncerConninfo",
         [](const ClusterProfile &p) {
             return QVariant(ProfileStore::withoutPassword(p.pgbouncerConninfo));
         },
         [](ClusterProfile &p, const QVariant &v) {
             p.pgbouncerConninfo = v.toString();
         }},
        {"stateIntervalMs", [](const ClusterProfile &p) { return QVariant(p.stateIntervalMs); },
         [](ClusterProfile &p, const QVariant &v) {
             p.stateIntervalMs = v.toInt();
         }},
        {"sizeIntervalMs", [](const ClusterProfile &p) { return QVariant(p.sizeIntervalMs); },
         [](ClusterProfile &p, const QVariant &v) {
             p.sizeIntervalMs = v.toInt();
         }},
        {"clusterIntervalMs", [](const ClusterProfile &p) { return QVariant(p.clusterIntervalMs); },
         [](ClusterProfile &p, const QVariant &v) {
             p.clusterIntervalMs = v.toInt();
         }},
        {"breakdownIntervalMs",
         [](const ClusterProfile &p) { return QVariant(p.breakdownIntervalMs); },
         [](ClusterProfile &p, const QVariant &v) {
             p.breakdownIntervalMs = v.toInt();
         }},
        {"breakdownBudgetMs", [](const ClusterProfile &p) { return QVariant(p.breakdownBudgetMs); },
         [](ClusterProfile &p, const QVariant &v) {
             p.breakdownBudgetMs = v.toDouble();
         }},
        {"memberDeadlineMs", [](const ClusterProfile &p) { return QVariant(p.memberDeadlineMs); },
         [](ClusterProfile &p, const QVariant &v) {
             p.memberDeadlineMs = v.toInt();
         }},
        {"readOnly", [](const ClusterProfile &p) { return QVariant(p.readOnly); },
         [](ClusterProfile &p, const QVariant &v) {
             p.readOnly = v.toBool();
         }},
        thresholdField("alerts/lagWarningSeconds", &FindingThresholds::lagWarningSeconds),
        thresholdField("alerts/lagCriticalSeconds", &FindingThresholds::lagCriticalSeconds),
        thresholdField("alerts/connectionsWarning", &FindingThresholds::connectionsWarning),
        thresholdField("alerts/connectionsCritical", &FindingThresholds::connectionsCritical),
        thresholdField("alerts/blockerWarningSeconds", &FindingThresholds::blockerWarningSeconds),
        thresholdField("alerts/idleInTransactionWarningSeconds",
                       &FindingThresholds::idleInTransactionWarningSeconds),
        thresholdField("alerts/slowQueryWarningMs", &FindingThresholds::slowQueryWarningMs),
        thresholdField("alerts/rollbacksWarningPerSecond",
                       &FindingThresholds::rollbacksWarningPerSecond),
        thresholdField("alerts/diskCapacityBytes", &FindingThresholds::diskCapacityBytes),
        thresholdField("alerts/diskFreeWarning", &FindingThresholds::diskFreeWarning),
        thresholdField("alerts/diskFreeCritical", &FindingThresholds::diskFreeCritical),
        thresholdField("alerts/failoverNoticeSeconds", &FindingThresholds::failoverNoticeSeconds),
        thresholdField("alerts/raiseSnapshots", &FindingThresholds::alertRaiseSnapshots),
        thresholdField("alerts/raiseSnapshotsCritical",
                       &FindingThresholds::alertRaiseSnapshotsCritical),
        thresholdField("alerts/clearSnapshots", &FindingThresholds::alertClearSnapshots),
        thresholdField("alerts/hysteresis", &FindingThresholds::alertHysteresis),
        {"alerts/desktopNotifications",
         [](const ClusterProfile &p) { return QVariant(p.desktopNotifications); },
         [](ClusterProfile &p, const QVariant &v) {
             p.desktopNotifications = v.toBool();
         }},
    };
    return fields;
}

// Application preferences: key and default, in one table.
struct Preference
{
    const char *key;
    QVariant defaultValue;
};

const std::vector<Preference> &preferenceFields()
{
    static const std::vector<Preference> prefs = {
        {"ui/largeFonts", false},
        {"ui/chartWindowSeconds", 300},
        {"ui/openProfiles", QStringList()},
    };
    return prefs;
}

const Preference &preferenceFor(const char *key)
{
    for (const auto &p : preferenceFields())
        if (qstrcmp(p.key, key) == 0)
            return p;
    Q_ASSERT_X(false, "ProfileStore", "unknown preference key");
    static const Preference none{"", QVariant()};
    return none;
}

// Profile names are free text; group keys must not contain '/' or '\'.
QString encodeName(const QString &name)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(name));
}
QString decodeName(const QString &key)
{
    return QUrl::fromPercentEncoding(key.toLatin1());
}

int hexDigitValue(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    const char lower = char(ch | 0x20);
    return lower >= 'a' && lower <= 'f' ? 10 + lower - 'a' : -1;
}

// The INI text with Qt's backslash escapes decoded the way its reader decodes them, closely
// enough for a search: "\x40" and "\100" are '@', any other escaped character is itself.
QByteArray withEscapesDecoded(const QByteArray &raw)
{
    QByteArray out;
    out.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\' || i + 1 == raw.size()) {
            out += raw[i];
            continue;
        }
        const char c = raw[++i];
        const bool hex = c == 'x' || c == 'X';
        const int base = hex ? 16 : 8;
        qsizetype j = hex ? i + 1 : i;
        uint value = 0;
        bool digits = false;
        for (; j < raw.size(); ++j) {
            const int d = hexDigitValue(raw[j]);
            if (d < 0 || d >= base)
                break;
            value = ((value * uint(base)) + uint(d)) & 0xFFFFu;
            digits = true;
        }
        if (!digits) {
            out += c;
            continue;
        }
        out += char(value & 0xFFu);
        i = j - 1;
    }
    return out;
}

// Qt's INI reader decodes "@Variant(...)" and "@DateTime(...)" values through QDataStream, and a
// damaged one can make it allocate gigabytes before it gives up (fuzzing found a 229-byte file:
// tests/fixtures/fuzz/profile_import/). Vigil writes strings, numbers and booleans only, so a
// file holding such a value was not written by Vigil as it is. Checked on the raw text and with
// escapes decoded; the words alone are enough (no profile field holds them).
bool holdsEncodedValues(const QByteArray &raw)
{
    for (const QByteArray &text : {raw, withEscapesDecoded(raw)})
        if (text.contains("Variant(") || text.contains("DateTime("))
            return true;
    return false;
}

} // namespace

ProfileStore::ProfileStore(QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>())
{
    setAsideIfUnsafe([] { return std::make_unique<QSettings>(); });
}

ProfileStore::ProfileStore(const QString &iniFile, QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>(iniFile, QSettings::IniFormat))
{
    setAsideIfUnsafe(
        [iniFile] { return std::make_unique<QSettings>(iniFile, QSettings::IniFormat); });
}

void ProfileStore::setAsideIfUnsafe(const std::function<std::unique_ptr<QSettings>()> &open)
{
    // Only QSettings' constructor has read the file so far: it parses values when first asked.
    const QString path = m_settings->fileName();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || !holdsEncodedValues(file.readAll()))
        return;
    file.close();
    m_settings.reset();
    const QString aside =
        path + QStringLiteral(".unreadable-") +
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'hhmmss'Z'"));
    const bool moved = QFile::rename(path, aside);
    // Not moved: an unnamed store, so that nothing reads the file again and nothing overwrites it.
    m_settings = moved ? open() : std::make_unique<QSettings>(QString(), QSettings::IniFormat);
    m_problem =
        moved ? tr("The profiles file %1 holds values Vigil never writes (@Variant or @DateTime), "
                   "which Qt's settings reader cannot read safely. Vigil moved it to %2 and starts "
                   "without saved clusters. Remove those lines in a text editor, then move the "
                   "file back while Vigil is closed.")
                    .arg(path, aside)
              : tr("The profiles file %1 holds values Vigil never writes (@Variant or @DateTime), "
                   "which Qt's settings reader cannot read safely, and it could not be moved "
                   "aside. Vigil shows no saved clusters; remove those lines in a text editor.")
                    .arg(path);
}

QString ProfileStore::problem() const
{
    return m_problem;
}

ProfileStore::~ProfileStore() = default;

QString ProfileStore::groupFor(const QString &name) const
{
    return kProfilesGroup + QLatin1Char('/') + encodeName(name);
}

QStringList ProfileStore::profileNames() const
{
    m_settings->beginGroup(kProfilesGroup);
    QStringList names;
    for (const QString &g : m_settings->childGroups())
        names << decodeName(g);
    m_settings->endGroup();
    names.sort(Qt::CaseInsensitive);
    return names;
}

bool ProfileStore::contains(const QString &name) const
{
    return profileNames().contains(name);
}

std::optional<ClusterProfile> ProfileStore::load(const QString &name) const
{
    if (!contains(name))
        return std::nullopt;
    ClusterProfile profile;
    profile.name = name;
    const ClusterProfile defaults;
    m_settings->beginGroup(groupFor(name));
    for (const auto &f : profileFields())
        f.set(profile, m_settings->value(QLatin1String(f.key), f.get(defaults)));
    m_settings->endGroup();
    return profile;
}

void ProfileStore::save(const ClusterProfile &profile)
{
    const ClusterProfile defaults;
    const PrometheusSettings prometheusKept = prometheus(profile.name);
    const QList<CustomMetric> customKept = customMetrics(profile.name);
    m_settings->remove(groupFor(profile.name));
    m_settings->beginGroup(groupFor(profile.name));
    // A group with no keys does not exist for QSettings: the URL is always written.
    for (const auto &f : profileFields()) {
        const QVariant value = f.get(profile);
        if (value == f.get(defaults) && qstrcmp(f.key, "patroniUrl") != 0)
            m_settings->remove(QLatin1String(f.key));
        else
            m_settings->setValue(QLatin1String(f.key), value);
    }
    m_settings->endGroup();
    if (!customKept.isEmpty())
        writeCustomMetrics(profile.name, customKept);
    if (prometheusKept.isSet())
        setPrometheus(profile.name, prometheusKept); // syncs and signals
    else {
        m_settings->sync();
        Q_EMIT profilesChanged();
    }
}

namespace {
// The keys of PrometheusSettings inside a profile's group ("prometheus/url", ...).
const QString kPrometheusGroup = QStringLiteral("prometheus");
} // namespace

PrometheusSettings ProfileStore::prometheus(const QString &name) const
{
    PrometheusSettings p;
    m_settings->beginGroup(groupFor(name) + QLatin1Char('/') + kPrometheusGroup);
    p.url = QUrl(m_settings->value(QStringLiteral("url")).toString());
    p.alertmanagerUrl = QUrl(m_settings->value(QStringLiteral("alertmanagerUrl")).toString());
    p.matchers = m_settings->value(QStringLiteral("matchers")).toString();
    p.user = m_settings->value(QStringLiteral("user")).toString();
    p.caFile = m_settings->value(QStringLiteral("caFile")).toString();
    p.certFile = m_settings->value(QStringLiteral("certFile")).toString();
    p.keyFile = m_settings->value(QStringLiteral("keyFile")).toString();
    p.verifyPeer = m_settings->value(QStringLiteral("verifyPeer"), true).toBool();
    m_settings->endGroup();
    return p;
}

void ProfileStore::setPrometheus(const QString &name, const PrometheusSettings &p)
{
    const QString group = groupFor(name) + QLatin1Char('/') + kPrometheusGroup;
    m_settings->remove(group);
    if (p.isSet()) {
        m_settings->beginGroup(group);
        m_settings->setValue(QStringLiteral("url"), urlWithoutPassword(p.url));
        if (p.hasAlertmanager())
            m_settings->setValue(QStringLiteral("alertmanagerUrl"),
                                 urlWithoutPassword(p.alertmanagerUrl));
        const QList<std::pair<QString, QString>> texts = {{QStringLiteral("matchers"), p.matchers},
                                                          {QStringLiteral("user"), p.user},
                                                          {QStringLiteral("caFile"), p.caFile},
                                                          {QStringLiteral("certFile"), p.certFile},
                                                          {QStringLiteral("keyFile"), p.keyFile}};
        for (const auto &[key, value] : texts)
            if (!value.isEmpty())
                m_settings->setValue(key, value);
        if (!p.verifyPeer)
            m_settings->setValue(QStringLiteral("verifyPeer"), false);
        m_settings->endGroup();
    }
    m_settings->sync();
    Q_EMIT profilesChanged();
}

namespace {
// The keys of one CustomMetric inside "customMetrics/N/" of a profile's group.
const QString kCustomMetricsGroup = QStringLiteral("customMetrics");
} // namespace

QList<CustomMetric> ProfileStore::customMetrics(const QString &name) const
{
    QList<CustomMetric> out;
    m_settings->beginGroup(groupFor(name));
    const int n = m_settings->beginReadArray(kCustomMetricsGroup);
    for (int i = 0; i < n; ++i) {
        m_settings->setArrayIndex(i);
        CustomMetric m;
        m.name = m_settings->value(QStringLiteral("name")).toString();
        m.sql = m_settings->value(QStringLiteral("sql")).toString();
        m.database = m_settings->value(QStringLiteral("database")).toString();
        m.target =
            customMetricTargetFromName(m_settings->value(QStringLiteral("target")).toString())
                .value_or(CustomMetric::Target::Leader);
        m.intervalMs = qMax(
            CustomMetric::kMinIntervalMs,
            m_settings->value(QStringLiteral("intervalMs"), CustomMetric().intervalMs).toInt());
        m.unit = m_settings->value(QStringLiteral("unit")).toString();
        const auto level = [this](const QString &key) -> std::optional<double> {
            bool ok = false;
            const double v = m_settings->value(key).toDouble(&ok);
            return ok ? std::optional<double>(v) : std::nullopt;
        };
        m.warning = level(QStringLiteral("warning"));
        m.critical = level(QStringLiteral("critical"));
        if (!m.name.isEmpty())
            out.append(m);
    }
    m_settings->endArray();
    m_settings->endGroup();
    return out;
}

void ProfileStore::writeCustomMetrics(const QString &name, const QList<CustomMetric> &metrics)
{
    m_settings->beginGroup(groupFor(name));
    m_settings->remove(kCustomMetricsGroup);
    if (!metrics.isEmpty()) {
        m_settings->beginWriteArray(kCustomMetricsGroup, int(metrics.size()));
        for (int i = 0; i < metrics.size(); ++i) {
            const CustomMetric &m = metrics.at(i);
            const CustomMetric defaults;
            m_settings->setArrayIndex(i);
            m_settings->setValue(QStringLiteral("name"), m.name);
            m_settings->setValue(QStringLiteral("sql"), m.sql);
            if (!m.database.isEmpty())
                m_settings->setValue(QStringLiteral("database"), m.database);
            if (m.target != defaults.target)
                m_settings->setValue(QStringLiteral("target"), customMetricTargetName(m.target));
            if (m.intervalMs != defaults.intervalMs)
                m_settings->setValue(QStringLiteral("intervalMs"), m.intervalMs);
            if (!m.unit.isEmpty())
                m_settings->setValue(QStringLiteral("unit"), m.unit);
            if (m.warning)
                m_settings->setValue(QStringLiteral("warning"), *m.warning);
            if (m.critical)
                m_settings->setValue(QStringLiteral("critical"), *m.critical);
        }
        m_settings->endArray();
    }
    m_settings->endGroup();
}

void ProfileStore::setCustomMetrics(const QString &name, const QList<CustomMetric> &metrics)
{
    if (!contains(name)) // the profile is saved first; a lone array would look like a profile
        return;
    writeCustomMetrics(name, metrics);
    m_settings->sync();
    Q_EMIT profilesChanged();
}

void ProfileStore::remove(const QString &name)
{
    m_settings->remove(groupFor(name));
    m_settings->sync();
    Q_EMIT profilesChanged();
}

QVariant ProfileStore::preference(const char *key) const
{
    return m_settings->value(QLatin1String(key), preferenceFor(key).defaultValue);
}

void ProfileStore::setPreference(const char *key, const QVariant &value)
{
    if (value == preferenceFor(key).defaultValue)
        m_settings->remove(QLatin1String(key));
    else
        m_settings->setValue(QLatin1String(key), value);
}

bool ProfileStore::largeFonts() const
{
    return preference("ui/largeFonts").toBool();
}
void ProfileStore::setLargeFonts(bool on)
{
    setPreference("ui/largeFonts", on);
}

int ProfileStore::chartWindowSeconds() const
{
    const int s = preference("ui/chartWindowSeconds").toInt();
    return (s == 300 || s == 3600 || s == 86400) ? s : 300;
}
void ProfileStore::setChartWindowSeconds(int seconds)
{
    setPreference("ui/chartWindowSeconds", seconds);
}

QStringList ProfileStore::openProfiles() const
{
    return preference("ui/openProfiles").toStringList();
}
void ProfileStore::setOpenProfiles(const QStringList &names)
{
    setPreference("ui/openProfiles", names);
}

QString ProfileStore::fileName() const
{
    return m_settings->fileName();
}
void ProfileStore::sync()
{
    m_settings->sync();
}

QString ProfileStore::withoutPassword(const QString &conninfo)
{
    // The one reading of a conninfo's password (services/postgres/conninfo.h).
    return conninfoWithoutPassword(conninfo);
}

} // namespace vigil::services
