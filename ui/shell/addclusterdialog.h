#pragma once

#include "services/monitor/clustermonitor.h"
#include "services/settings/clusterprofile.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;
class QRadioButton;
class QTableView;

namespace vigil::models {
class ConnectionTestModel;
}
namespace vigil::services {
class ProfileStore;
class SecretStore;
} // namespace vigil::services

namespace vigil::ui {

class AlertThresholdsBox;
class CustomMetricsBox;
class PrometheusBox;

// "Add cluster": a cluster profile (Patroni REST URL; SQL settings or a libpq service name; REST
// user, password and TLS files; HAProxy stats URL; PgBouncer admin conninfo; alert thresholds)
// and its passwords.
//
// "Test connection" runs one ClusterMonitor cycle on the draft and lists what works per member and
// channel. "Save" writes the profile (without secrets) to the ProfileStore and each non-empty
// password to the SecretStore. When the keychain is unavailable (no Secret Service on a headless
// machine), the dialog says so in plain words and offers to use the passwords for this session
// only; it never writes a password anywhere else. Opened with open() (window-modal, no nested
// event loop).
class AddClusterDialog : public QDialog
{
    Q_OBJECT
public:
    AddClusterDialog(QNetworkAccessManager *nam, services::ProfileStore *profiles,
                     services::SecretStore *secrets, QWidget *parent = nullptr);
    ~AddClusterDialog() override;

    void setProfile(const services::ClusterProfile &profile); // prefill (edit, or from --patroni)
    // Edit an existing profile: the name (the key of its passwords) cannot change, and an empty
    // password field keeps the password already stored.
    void setEditing(bool editing);
    bool isEditing() const { return m_editing; }
    services::ClusterProfile profile() const; // the draft as typed
    services::ClusterMonitor::Secrets secrets() const;
    QString validationError() const; // empty when the draft can be saved/tested

    // Test hooks: the same as clicking.
    void testConnection();
    void save();
    void useForSessionOnly();
    models::ConnectionTestModel *testModel() const { return m_testModel; }
    QString statusText() const;
    bool sessionOnlyOffered() const;

    // "Import from patroni.yml / patronictl.yaml": fills the fields from the files
    // (PatroniYamlImport; the REST password into its password field) and shows the import's
    // notes. Nothing is saved until Save. chooseImportFiles() opens the file picker first.
    void importFiles(const QStringList &paths);
    void chooseImportFiles();
    QString importNotesText() const;

    // libpq conninfo from the SQL fields (dbname/user/sslmode/sslrootcert/sslcert/sslkey, or
    // service=NAME, whose service file carries its own TLS settings). sslmode "prefer" (libpq's
    // default) is not written; with a CA file it becomes verify-full (conninfoWithTlsDefault).
    static QString composeConninfo(const QString &service, const QString &dbname,
                                   const QString &user, const QString &sslmode,
                                   const QString &caFile, const QString &certFile = {},
                                   const QString &keyFile = {});

Q_SIGNALS:
    // The profile was saved; its secrets are in the keychain (sessionOnly false) or only in
    // `secrets` for this session (sessionOnly true). The dialog closes afterwards.
    void profileSaved(const vigil::services::ClusterProfile &profile,
                      const vigil::services::ClusterMonitor::Secrets &secrets, bool sessionOnly);

private:
    QGroupBox *createClusterBox();
    QGroupBox *createSqlBox();
    QGroupBox *createRestBox();
    QGroupBox *createFrontBox();
    void createResults();
    void createButtons();
    void createImport();
    void setBusy(bool busy, const QString &status);
    void setStatus(const QString &text, bool error);
    void writeNextSecret(QList<QPair<QString, QString>> pending);
    void finishSave(bool sessionOnly);

    QNetworkAccessManager *m_nam;
    services::ProfileStore *m_profiles;
    QPointer<services::SecretStore> m_secrets;
    QPointer<services::ClusterMonitor> m_testMonitor;
    models::ConnectionTestModel *m_testModel;

    QLineEdit *m_name, *m_patroniUrl;
    QRadioButton *m_useSettings, *m_useService;
    QLineEdit *m_service, *m_dbname, *m_user, *m_caFile, *m_sslCert, *m_sslKey, *m_sqlPassword;
    QComboBox *m_sslmode;
    QLineEdit *m_restUser, *m_restPassword, *m_restCa, *m_restCert, *m_restKey;
    QCheckBox *m_verifyPeer;
    QLineEdit *m_haproxyUrl, *m_haproxyBackend;
    QLineEdit *m_pgbouncer, *m_pgbouncerPassword;
    QCheckBox *m_readOnly;
    AlertThresholdsBox *m_alerts;
    PrometheusBox *m_prometheus;
    CustomMetricsBox *m_customMetrics;
    QLabel *m_status;
    QTableView *m_results;
    QPushButton *m_testButton, *m_saveButton, *m_sessionButton;
    QPushButton *m_importButton = nullptr;
    QLabel *m_importNotes = nullptr;
    QDialogButtonBox *m_buttons;
    bool m_sessionOffered = false;
    bool m_editing = false;
    services::ClusterProfile
        m_base; // what setProfile() gave: keeps settings the form has no field for
};

} // namespace vigil::ui
