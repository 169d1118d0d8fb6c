#include "ui/troubleshooting/tablestatsview.h"

#include "models/tablestatsmodel.h"
#include "services/diagnostics/membersessionpool.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace vigil::ui {

using models::TableStatsModel;

TableStatsView::TableStatsView(services::MemberSessionPool *context, QWidget *parent)
    : MemberViewBase(context, 30000, parent)
    , m_databases(new TableStatsModel(TableStatsModel::Kind::Databases, this))
    , m_tables(new TableStatsModel(TableStatsModel::Kind::Tables, this))
    , m_unused(new TableStatsModel(TableStatsModel::Kind::UnusedIndexes, this))
{
    setObjectName(QStringLiteral("tableStatsView"));
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_database = new QComboBox(this);
    m_database->setToolTip(tr("The database whose tables and indexes are shown."));
    auto *refreshButton = new QPushButton(tr("Refresh"), this);
    m_status = new QLabel(this);
    top->addWidget(memberPicker());
    top->addWidget(new QLabel(tr("Tables of"), this));
    top->addWidget(m_database);
    top->addWidget(refreshButton);
    top->addWidget(m_status, 1);
    layout->addLayout(top);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(makeTable(m_databases));
    auto *tabs = new QTabWidget(splitter);
    tabs->addTab(makeTable(m_tables), tr("Tables"));
    tabs->addTab(makeTable(m_unused), tr("Unused indexes"));
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    connect(refreshButton, &QPushButton::clicked, this, &TableStatsView::refresh);
    connect(m_database, &QComboBox::activated, this, &TableStatsView::refresh);
    rebuildMembers();
}

QTableView *TableStatsView::makeTable(TableStatsModel *model)
{
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(model);
    proxy->setSortRole(TableStatsModel::SortRole);
    auto *table = new QTableView(this);
    table->setModel(proxy);
    table->setSortingEnabled(true);
    table->sortByColumn(1, Qt::DescendingOrder);
    table->setAlternatingRowColors(true);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setColumnWidth(0, 14 * table->fontMetrics().horizontalAdvance(QLatin1Char('M')));
    return table;
}

void TableStatsView::memberChanged()
{
    m_databases->setDatabases({});
    m_tables->setTables({});
    m_unused->setUnusedIndexes({});
    m_database->clear(); // another member may have other databases: choose again
}

void TableStatsView::refresh()
{
    if (m_inFlight || member().isEmpty())
        return;
    services::TableStatsService *cluster = m_context->tableStats(member(), {});
    if (!cluster)
        return;
    QPointer<TableStatsView> self(this);
    const quint64 ticket = beginFetch();
    cluster->fetchDatabases([self,
                             ticket](const services::Result<QList<services::DatabaseStat>> &r) {
        if (!self || !self->isCurrent(ticket))
            return;
        if (!r.ok()) {
            self->m_inFlight = false;
            self->m_status->setText(r.error().toText());
            Q_EMIT self->refreshed();
            return;
        }
        self->m_databases->setDatabases(r.value());
        QString chosen = self->m_database->currentText();
        {
            QSignalBlocker block(self->m_database);
            self->m_database->clear();
            for (const auto &d : r.value())
                self->m_database->addItem(d.name);
            // Default: the biggest database that is not the maintenance database.
            if (chosen.isEmpty())
                for (const auto &d : r.value())
                    if (d.name != QLatin1String("postgres")) {
                        chosen = d.name;
                        break;
                    }
            const int i = self->m_database->findText(chosen);
            self->m_database->setCurrentIndex(i >= 0 ? i : 0);
        }
        services::TableStatsService *db =
            self->m_context->tableStats(self->member(), self->m_database->currentText());
        if (!db) {
            self->m_inFlight = false;
            return;
        }
        db->fetchTables([self, ticket](const services::Result<services::TableStatsSnapshot> &t) {
            if (!self || !self->isCurrent(ticket))
                return;
            self->m_inFlight = false;
            if (!t.ok()) {
                self->m_status->setText(t.error().toText());
            } else {
                self->m_tables->setTables(t.value().tables);
                self->m_unused->setUnusedIndexes(t.value().unusedIndexes);
                self->m_status->setText(
                    tr("%n table(s), %1 unused index(es).", nullptr, int(t.value().tables.size()))
                        .arg(t.value().unusedIndexes.size()));
            }
            Q_EMIT self->refreshed();
        });
    });
}

} // namespace vigil::ui
