#pragma once

#include <QSortFilterProxyModel>

namespace vigil::models {

// Filters a StatementsTableModel on query text (substring, case-insensitive, e.g. the manual's
// "game_"), user and database (exact, empty = all); sorts on StatementsTableModel::SortRole.
class StatementsFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit StatementsFilterModel(QObject *parent = nullptr);
    void setQueryText(const QString &text);
    void setUser(const QString &user);
    void setDatabase(const QString &database);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text, m_user, m_database;
};

} // namespace vigil::models
