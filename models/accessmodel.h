#pragma once

#include "models/keyedtablemodel.h"
#include "services/security/accessrules.h"

#include <QStringList>
#include <QVariantList>

namespace vigil::models {

// One row of an access table: display texts, sort values, the flag and its explanation.
struct AccessRow
{
    QString key;
    QVariantList display; // every column but the last two (flag, explanation)
    QVariantList sort;
    services::AccessFlag flag;
    bool operator==(const AccessRow &o) const
    {
        return key == o.key && display == o.display && flag == o.flag;
    }
};

// The access view's tables, one model per kind: pg_hba rules, connections with their TLS state,
// and the ssl* settings. Every kind ends with two columns: "Flag" (Critical / Warning / empty,
// coloured) and "Why" (the explanation, also the row's tooltip). Keyed rows, refreshed in place
// (a rule by its line, a connection by its pid, a setting by its name).
class AccessModel : public KeyedTableModel<AccessRow, QString>
{
    Q_OBJECT
public:
    enum class Kind
    {
        Rules,
        Sessions,
        Settings
    };
    enum Role
    {
        SortRole = Qt::UserRole + 1,
        SeverityRole // int(services::AccessSeverity)
    };

    explicit AccessModel(Kind kind, QObject *parent = nullptr);
    Kind kind() const { return m_kind; }
    int flagColumn() const { return int(m_headers.size()) - 2; }
    int flaggedCount() const;

    void setRules(const QList<services::HbaRule> &rules);
    void setSessions(const QList<services::SslSession> &sessions);
    void setSettings(const QList<services::AccessSetting> &settings);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

protected:
    QString keyOf(const AccessRow &row) const override { return row.key; }
    bool sameData(const AccessRow &a, const AccessRow &b) const override { return a == b; }

private:
    Kind m_kind;
    QStringList m_headers;
};

} // namespace vigil::models
