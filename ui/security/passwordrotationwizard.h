#pragma once

#include "services/operations/operationcontext.h"
#include "services/security/rotationtypes.h"

#include <QWizard>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTreeWidget;

namespace vigil::services {
class PasswordRotator;
class RotationDiscovery;
class SecretStore;
} // namespace vigil::services

namespace vigil::ui {

class TypedConfirmationPage;

// The password rotation wizard (Security → Rotate password…), issue 14 §1:
//   1. Role: the leader's login roles with their expiry, whether the profile logs in with it and
//      which PgBouncer databases use it; roles Patroni logs in with are listed but refused, with
//      what must change in Patroni's own configuration;
//   2. Password: generated from the OS CSPRNG (length and alphabet shown) or typed twice with a
//      strength hint; shown, copyable (the clipboard is cleared after 30 s); VALID UNTIL; the old
//      password, optional, to check that it is refused afterwards;
//   3. Preview: the statement (with the verifier's place, never the password), PgBouncer's
//      auth setup and what will be done about it, the keychain, the checks;
//   4. Confirm: the cluster name typed;
//   5. Result: PasswordRotator's steps; the exact userlist line to copy when Vigil did not write
//      it; "Run again" keeps the same password (in memory only, wiped when the wizard closes).
// Everything asynchronous; lives on the UI thread.
class PasswordRotationWizard : public QWizard
{
    Q_OBJECT
public:
    enum Page
    {
        RolePage,
        PasswordPage,
        PreviewPage,
        ConfirmPage,
        ResultPage
    };
    static constexpr int kClipboardClearMs = 30000;

    PasswordRotationWizard(services::OperationContext ctx, services::SecretStore *secrets,
                           QWidget *parent = nullptr);
    ~PasswordRotationWizard() override;

    // For tests and screenshots.
    bool targetLoaded() const { return m_loaded; }
    const services::RotationTarget &target() const { return m_target; }
    bool selectRole(const QString &role);
    QString selectedRole() const;
    void setTypedPassword(const QString &password); // switches to "type it", both fields
    void setValidUntil(const QString &validUntil);
    void setOldPassword(const QString &password);
    void setTypedConfirmation(const QString &text);
    QString newPassword() const { return m_password; }
    services::RotationRequest request() const;
    bool finished() const { return m_finished; }
    const services::RotationReport &report() const { return m_report; }
    void copyPassword(); // to the clipboard, cleared after kClipboardClearMs
    void setClipboardClearMs(int ms) { m_clipboardClearMs = ms; } // tests
    void runAgain();

Q_SIGNALS:
    void targetReady();
    void rotationFinished();

protected:
    void done(int result) override;

private:
    QWizardPage *makeRolePage();
    QWizardPage *makePasswordPage();
    QWizardPage *makePreviewPage();
    QWizardPage *makeConfirmPage();
    QWizardPage *makeResultPage();
    void onTarget(const services::RotationTarget &target);
    void regenerate();
    void updatePassword();
    QString previewText() const;
    void execute();
    void onFinished(const services::RotationReport &report);

    services::OperationContext m_ctx;
    services::RotationDiscovery *m_discovery;
    services::PasswordRotator *m_rotator;
    services::RotationTarget m_target;
    bool m_loaded = false;
    // role
    QTreeWidget *m_roles = nullptr;
    QLabel *m_roleNote = nullptr;
    // password (in memory only)
    QString m_password;
    QButtonGroup *m_mode = nullptr;
    QSpinBox *m_length = nullptr;
    QComboBox *m_alphabet = nullptr;
    QLabel *m_generatedInfo = nullptr;
    QLineEdit *m_generated = nullptr;
    QLineEdit *m_typed1 = nullptr, *m_typed2 = nullptr;
    QLabel *m_strength = nullptr;
    QLineEdit *m_validUntil = nullptr, *m_old = nullptr;
    // preview
    QPlainTextEdit *m_preview = nullptr;
    QCheckBox *m_writeUserlist = nullptr;
    // confirm
    TypedConfirmationPage *m_confirm = nullptr;
    // result
    QPlainTextEdit *m_log = nullptr;
    QLabel *m_resultSummary = nullptr;
    QLineEdit *m_userlistLine = nullptr;
    QPushButton *m_again = nullptr;
    services::RotationReport m_report;
    bool m_finished = false;
    bool m_started = false;
    int m_clipboardClearMs = kClipboardClearMs;
};

} // namespace vigil::ui
