#pragma once

#include "services/core/auditlog.h"

#include <QDialog>
#include <memory>

class QTableWidget;

namespace vigil::ui {

// The local audit log, newest first: time, OS user, cluster, member, action, parameters, result
// and the server's answer. "Export…" writes it as JSON lines or CSV.
class AuditLogView : public QDialog
{
    Q_OBJECT
public:
    explicit AuditLogView(std::shared_ptr<services::AuditLog> log, QWidget *parent = nullptr);
    void reload();
    int rowCount() const;
    // Writes the entries to `path` (".csv": CSV, anything else: JSON lines). False + *error on
    // failure.
    bool exportTo(const QString &path, QString *error = nullptr) const;

private:
    std::shared_ptr<services::AuditLog> m_log;
    QList<services::AuditEntry> m_entries;
    QTableWidget *m_table;
};

} // namespace vigil::ui
