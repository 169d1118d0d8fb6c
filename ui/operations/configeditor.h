#pragma once

#include "services/operations/memberactionrunner.h"
#include "services/operations/operationcontext.h"
#include "services/patroni/patronitypes.h"

#include <QDialog>
#include <QJsonObject>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;
class QTabWidget;

namespace vigil::ui {

// The dynamic configuration editor (the manual's "Apply changes via Patroni"): the current
// /config as a form (top-level settings and postgresql.parameters, one row each) and as JSON
// text, a diff of what will change with a note on which parameters need a restart, then
// PATCH /config (a merge patch computed by services::configMergePatch) through
// MemberActionRunner, and the pending-restart state per member as /cluster shows it afterwards.
// Never ALTER SYSTEM. Apply is disabled while a request is in flight.
class ConfigEditor : public QDialog
{
    Q_OBJECT
public:
    ConfigEditor(services::OperationContext ctx, services::PatroniConfig current, QString cluster,
                 QWidget *parent = nullptr);

    // The edited configuration from the visible tab; nullopt with *error when the text is not JSON.
    std::optional<QJsonObject> editedConfig(QString *error = nullptr) const;
    QJsonObject patch() const;
    // Sets one value in the form (path "ttl" or "postgresql.parameters.NAME"), for tests.
    void setFormValue(const QString &path, const QString &value);
    void showTextTab();
    void apply();
    QPushButton *applyButton() const { return m_apply; }
    QString diffText() const;
    services::MemberActionRunner *runner() const { return m_runner; }

Q_SIGNALS:
    void applied(const vigil::services::MemberActionResult &result);

private:
    void fillForm(const QJsonObject &config);
    QJsonObject fromForm() const;
    void refreshDiff();

    services::OperationContext m_ctx;
    QJsonObject m_current;
    QString m_cluster;
    services::MemberActionRunner *m_runner;
    QTabWidget *m_tabs;
    QTableWidget *m_form;
    QPlainTextEdit *m_text;
    QPlainTextEdit *m_diff;
    QLabel *m_status;
    QPushButton *m_apply;
};

} // namespace vigil::ui
