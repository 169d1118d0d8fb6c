#include "ui/tablestatsview.h"

#include "models/tablestatsmodel.h"
#include "ui/troubleshootingcontext.h"

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

TableStatsView::TableStatsView(TroubleshootingContext *context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_databases(new TableStatsModel(TableStatsModel::Kind::Databases, this))
    , m_tables(new TableStatsModel(TableStatsModel::Kind::Tables, this))
    , m_unused(new TableStatsModel(TableStatsModel::Kind::UnusedIndexes, this))
    , m_timer(new QTimer(this))
{
    setObjectName(QStringLiteral("tableStatsView"));
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_member = new QComboBox(this);
    m_database = new QComboBox(this);
    m_database->setToolTip(tr("The database whose tables and indexes are shown."));
    auto *refreshButton = new QPushButton(tr("Refresh"), this);
    m_status = new QLabel(this);
    top->addWidget(m_member);
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
    connect(m_member, &QComboBox::currentIndexChanged, this, &TableStatsView::refresh);
    connect(m_database, &QComboBox::activated, this, &TableStatsView::refresh);
    connect(m_timer, &QTimer::timeout, this, &TableStatsView::refresh);
    connect(m_context, &TroubleshootingContext::membersChanged, this, &TableStatsView::rebuildMembers);
    m_timer->setInterval(30000);
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

QString TableStatsView::member() const { return m_member->currentData().toString(); }

void TableStatsView::rebuildMembers()
{
    const QString current = member();
    QSignalBlocker block(m_member);
    m_member->clear();
    for (const auto &m : m_context->members())
        m_member->addItem(m.leader ? tr("%1 (leader)").arg(m.name) : m.name, m.name);
    const int i = m_member->findData(current.isEmpty() ? m_context->leaderName() : current);
    m_member->setCurrentIndex(i >= 0 ? i : 0);
}

void TableStatsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_timer->start();
    refresh();
}

void TableStatsView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer->stop();
}

void TableStatsView::refresh()
{
    if (m_inFlight > 0 || member().isEmpty())
        return;
    services::TableStatsService *cluster = m_context->tableStats(member(), {});
    if (!cluster)
        return;
    QPointer<TableStatsView> self(this);
    m_inFlight = 1;
    cluster->fetchDatabases([self](const services::Result<QList<services::DatabaseStat>> &r) {
        if (!self)
            return;
        if (!r.ok()) {
            self->m_inFlight = 0;
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
        services::TableStatsService *db = self->m_context->tableStats(self->member(), self->m_database->currentText());
        if (!db) {
            self->m_inFlight = 0;
            return;
        }
        db->fetchTables([self](const services::Result<services::TableStatsSnapshot> &t) {
            if (!self)
                return;
            self->m_inFlight = 0;
            if (!t.ok()) {
                self->m_status->setText(t.error().toText());
            } else {
                self->m_tables->setTables(t.value().tables);
                self->m_unused->setUnusedIndexes(t.value().unusedIndexes);
                self->m_status->setText(tr("%n table(s), %1 unused index(es).", nullptr, int(t.value().tables.size()))
                                            .arg(t.value().unusedIndexes.size()));
            }
            Q_EMIT self->refreshed();
        });
    });
}

} // namespace vigil::ui
