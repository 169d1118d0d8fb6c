#pragma once

#include "ui/troubleshooting/memberviewbase.h"

#include <QList>
#include <QPointer>
#include <functional>

class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;

namespace vigil::models {
class AccessModel;
}

namespace vigil::services {
class AccessService;
class MemberSessionPool;
class PgSession;
} // namespace vigil::services

namespace vigil::ui {

// Who may connect to one member, and how: its pg_hba rules as the server parsed them
// (pg_hba_file_rules), its client and replication connections with their TLS state, and the
// ssl* settings, each row flagged with a plain explanation (services::access). Refreshes every
// 60 s while visible.
//
// Vigil never edits pg_hba.conf: Patroni writes it from `postgresql.pg_hba`. "Edit in
// configuration…" opens the dynamic-configuration editor (with its diff) on that key, through
// the callback the installer sets; a member's local patroni.yml, when it sets pg_hba, wins over
// the dynamic configuration, and the view says so.
class AccessView : public MemberViewBase
{
    Q_OBJECT
public:
    explicit AccessView(services::MemberSessionPool *context, QWidget *parent = nullptr);
    void refresh() override;

    // Opens the dynamic configuration editor (set by installSecurityActions). Without it the
    // button stays disabled.
    void setEditConfiguration(std::function<void()> open);

    models::AccessModel *rulesModel() const { return m_rules; }
    models::AccessModel *sessionsModel() const { return m_sessions; }
    models::AccessModel *settingsModel() const { return m_settings; }
    QTabWidget *tabs() const { return m_tabs; }
    QPushButton *editButton() const { return m_edit; }
    QString statusText() const;

Q_SIGNALS:
    void refreshed();

protected:
    void memberChanged() override;

private:
    QWidget *makeTab(models::AccessModel *model, QLabel **error);
    void updateTabTitles();
    services::AccessService *service();

    models::AccessModel *m_rules, *m_sessions, *m_settings;
    QLabel *m_rulesError = nullptr, *m_sessionsError = nullptr, *m_settingsError = nullptr;
    QTabWidget *m_tabs;
    QList<QTableView *> m_views;
    QLabel *m_status;
    QPushButton *m_edit;
    std::function<void()> m_openEditor;
    QPointer<services::PgSession> m_serviceSession;
    QPointer<services::AccessService> m_service;
};

} // namespace vigil::ui
