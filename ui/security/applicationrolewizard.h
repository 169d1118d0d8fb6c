#pragma once

#include "services/security/applicationroleservice.h"

#include <QPointer>
#include <QWizard>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QRadioButton;
class QTreeWidget;

namespace vigil::services {
class MemberSessionPool;
}

namespace vigil::ui {

class FunctionWizardPage;
class TypedConfirmationPage;

// The role wizard (the manual's "Create Application Users", made safe), on the leader:
//   1. Role: reporting (read-only) or game (per-table), its name, its database; an existing
//      name is refused with what to do, or "only grant" gives the existing role the privileges;
//   2. Privileges: the tables of the chosen schema, read from the leader's catalog (reporting:
//      SELECT on every table; game: per table SELECT / INSERT / UPDATE / DELETE);
//   3. Password (new roles only): generated from the OS CSPRNG or typed twice, shown once,
//      copyable (the clipboard is cleared after 30 s); only its SCRAM verifier leaves Vigil;
//   4. Preview of the exact SQL (the verifier masked), run in one transaction;
//   5. Typed confirmation: the cluster name;
//   6. Result (the service writes the audit entry, never the password or the verifier).
// Nothing blocks the UI thread. The password lives in this object only, until it closes.
class ApplicationRoleWizard : public QWizard
{
    Q_OBJECT
public:
    enum Page
    {
        RolePage,
        PrivilegesPage,
        PasswordPage,
        PreviewPage,
        ConfirmPage,
        ResultPage
    };

    explicit ApplicationRoleWizard(services::MemberSessionPool *context, QWidget *parent = nullptr);
    ~ApplicationRoleWizard() override;
    int nextId() const override;

    services::ApplicationRolePlan plan() const;
    bool catalogLoaded() const { return m_catalogLoaded; }
    const services::RoleCatalog &catalog() const { return m_catalog; }
    QString roleProblem() const; // why the role page is incomplete, or ""
    QString previewText() const;
    QString resultText() const;
    bool executed() const { return m_executed; }

    // For tests and screenshots: the fields of the pages.
    void setKind(services::ApplicationRolePlan::Kind kind);
    void setRoleName(const QString &name);
    void setDatabase(const QString &database);
    void setOnlyGrant(bool onlyGrant);
    void setTablePrivileges(const QString &table, bool select, bool insert, bool update, bool del);
    void setTypedPassword(const QString &password);
    void setTypedConfirmation(const QString &text);
    void loadCatalog();
    void execute();

Q_SIGNALS:
    void catalogReady();
    void executionFinished();

private:
    QWizardPage *makeRolePage();
    QWizardPage *makePrivilegesPage();
    QWizardPage *makePasswordPage();
    QWizardPage *makePreviewPage();
    QWizardPage *makeConfirmPage();
    QWizardPage *makeResultPage();
    void fillTables();
    void updatePasswordState();
    void copyPassword();
    QString password() const;
    services::ApplicationRoleService *service();

    services::MemberSessionPool *m_context;
    QString m_leader;
    QPointer<services::ApplicationRoleService> m_service;
    QString m_serviceDatabase;
    services::RoleCatalog m_catalog;
    bool m_catalogLoaded = false;
    quint64 m_catalogRequest = 0;
    // role
    QRadioButton *m_reporting = nullptr, *m_game = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_database = nullptr;
    QCheckBox *m_onlyGrant = nullptr;
    QLabel *m_roleStatus = nullptr;
    FunctionWizardPage *m_rolePage = nullptr;
    // privileges
    QComboBox *m_schema = nullptr;
    QTreeWidget *m_tables = nullptr;
    QLabel *m_privilegesNote = nullptr;
    FunctionWizardPage *m_privilegesPage = nullptr;
    // password
    QRadioButton *m_generate = nullptr, *m_type = nullptr;
    QLineEdit *m_generated = nullptr, *m_typed1 = nullptr, *m_typed2 = nullptr;
    QLabel *m_passwordHint = nullptr;
    FunctionWizardPage *m_passwordPage = nullptr;
    // preview, confirm, result
    QPlainTextEdit *m_preview = nullptr;
    TypedConfirmationPage *m_confirm = nullptr;
    QLabel *m_resultSummary = nullptr;
    QPlainTextEdit *m_resultSql = nullptr;
    bool m_executing = false, m_executed = false;
};

} // namespace vigil::ui
