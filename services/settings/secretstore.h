#pragma once

#include "services/core/error.h"

#include <QObject>
#include <QString>
#include <functional>

namespace vigil::services {

// Where Vigil keeps passwords: the OS keychain in production (KeychainSecretStore), memory in
// tests and for session-only passwords (MemorySecretStore). Never QSettings, never a file.
//
// The API is asynchronous because the real keychain answers over D-Bus (and may show an unlock
// prompt): every call returns at once and its callback runs exactly once, later, on the thread
// the store lives on (never synchronously from inside the call). A callback is dropped, never
// called, if the store is destroyed first.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    // Why a call failed, in the terms the UI needs to choose what to offer.
    enum class Failure
    {
        None,
        NotFound,  // no secret under that key (not an error for "read if any")
        NoBackend, // no keychain service running (headless machine, no D-Bus session)
        Denied,    // the user or the keychain refused access
        Other,
    };

    struct Outcome
    {
        Failure failure = Failure::None;
        QString message; // the keychain's own message, for the user; empty when ok
        bool ok() const { return failure == Failure::None; }
    };

    using ReadCallback = std::function<void(const Outcome &, const QString &secret)>;
    using DoneCallback = std::function<void(const Outcome &)>;

    using QObject::QObject;
    ~SecretStore() override = default;

    virtual void read(const QString &key, ReadCallback cb) = 0;
    virtual void write(const QString &key, const QString &secret, DoneCallback cb) = 0;
    virtual void remove(const QString &key, DoneCallback cb) = 0;

    // A short name for the UI: "System keychain", "Memory (this session only)".
    virtual QString backendName() const = 0;

    // The key of one password of one profile, e.g. "profile/prod-eu/sql". Keys never contain the
    // secret and are safe to log.
    enum class Slot
    {
        Sql,
        Rest,
        PgBouncer,
        HaproxyStats,
        Prometheus // basic-auth password, or bearer token when the profile names no user
    };
    static QString keyFor(const QString &profileName, Slot slot);

    // One sentence that says what went wrong and what the user can do, for a dialog.
    static QString describe(const Outcome &outcome);
};

} // namespace vigil::services
