#pragma once

#include <QString>
#include <QUrl>

namespace vigil::services {

// A profile's Prometheus, the charts' long memory (optional; an empty URL: none). Saved by
// ProfileStore with the profile (ProfileStore::prometheus / setPrometheus; kept apart from
// ClusterProfile so the value type every layer includes does not grow for an optional part).
// `matchers` select this cluster's series, without braces: scope="hokm-ha". With `user` set,
// basic auth with the password from the keychain (SecretStore::Slot::Prometheus); without, a
// bearer token from the same slot, if any. TLS as for the REST API.
struct PrometheusSettings
{
    QUrl url;
    QUrl alertmanagerUrl; // optional: its active alerts are shown beside Vigil's (same auth, TLS)
    QString matchers;
    QString user;
    QString caFile, certFile, keyFile;
    bool verifyPeer = true;

    bool isSet() const { return url.isValid() && !url.isEmpty(); }
    bool hasAlertmanager() const { return alertmanagerUrl.isValid() && !alertmanagerUrl.isEmpty(); }
    bool operator==(const PrometheusSettings &o) const
    {
        return url == o.url && alertmanagerUrl == o.alertmanagerUrl && matchers == o.matchers &&
               user == o.user && caFile == o.caFile && certFile == o.certFile &&
               keyFile == o.keyFile && verifyPeer == o.verifyPeer;
    }
};

} // namespace vigil::services
