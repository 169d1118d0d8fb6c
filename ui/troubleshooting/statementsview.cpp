#include "ui/troubleshooting/statementsview.h"

#include "models/statementsfiltermodel.h"
#include "models/statementstablemodel.h"
#include "services/diagnostics/membersessionpool.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace vigil::ui {

using models::StatementsTableModel;

StatementsView::StatementsView(services::MemberSessionPool *context, QWidget *parent)
    : MemberViewBase(context, 10000, parent)
    , m_model(new StatementsTableModel(this))
    , m_filter(new models::StatementsFilterModel(this))
{
    setObjectName(QStringLiteral("slowQueriesView"));
    m_filter->setSourceModel(m_model);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(createFilters());
    createAdvice();
    layout->addWidget(m_advice);
    createTable();
    layout->addWidget(m_table, 1);
    m_summary = new QLabel(this);
    layout->addWidget(m_summary);

    connect(m_copy, &QPushButton::clicked, this, &StatementsView::copySelectedQuery);
    connect(m_text, &QLineEdit::textChanged, m_filter,
            &models::StatementsFilterModel::setQueryText);
    connect(m_user, &QLineEdit::textChanged, m_filter, &models::StatementsFilterModel::setUser);
    connect(m_database, &QLineEdit::textChanged, m_filter,
            &models::StatementsFilterModel::setDatabase);
    connect(m_window, &QComboBox::currentIndexChanged, this, [this] {
        m_model->setWindowSeconds(m_window->currentData().toInt());
        updateCoverage();
    });
    // The summary counts what the filter shows.
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &StatementsView::updateCoverage);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &StatementsView::updateCoverage);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &StatementsView::updateCoverage);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &StatementsView::updateCoverage);
    rebuildMembers();
}

// The member picker, the time window and the filters over the statements; Copy query.
QHBoxLayout *StatementsView::createFilters()
{
    auto *top = new QHBoxLayout;
    m_window = new QComboBox(this);
    m_window->addItem(tr("Cumulative (since reset)"), 0);
    m_window->addItem(tr("Last minute"), 60);
    m_window->addItem(tr("Last 5 minutes"), 300);
    m_window->addItem(tr("Last 15 minutes"), 900);
    m_window->addItem(tr("Last hour"), 3600);
    m_text = new QLineEdit(this);
    m_text->setPlaceholderText(tr("Query text, e.g. game_"));
    m_text->setClearButtonEnabled(true);
    m_user = new QLineEdit(this);
    m_user->setPlaceholderText(tr("User"));
    m_database = new QLineEdit(this);
    m_database->setPlaceholderText(tr("Database"));
    m_copy = new QPushButton(tr("Copy query"), this);
    m_copy->setObjectName(QStringLiteral("copyQuery"));
    top->addWidget(memberPicker());
    top->addWidget(m_window);
    top->addWidget(m_text, 2);
    top->addWidget(m_user);
    top->addWidget(m_database);
    top->addWidget(m_copy);
    return top;
}

// Shown when pg_stat_statements cannot be read: what is missing and how to enable it.
void StatementsView::createAdvice()
{
    m_advice = new QLabel(this);
    m_advice->setObjectName(QStringLiteral("statementsAdvice"));
    m_advice->setWordWrap(true);
    m_advice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_advice->setStyleSheet(
        QStringLiteral("QLabel { background: #fff3cd; border: 1px solid #e0c36c; padding: 8px; }"));
    m_advice->hide();
}

void StatementsView::createTable()
{
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("statementsTable"));
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(StatementsTableModel::TotalTime, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    const int em = m_table->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    m_table->setColumnWidth(StatementsTableModel::Query, 34 * em);
    for (int c = StatementsTableModel::Database; c < StatementsTableModel::ColumnCount; ++c)
        m_table->setColumnWidth(c, 7 * em);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(StatementsTableModel::Query,
                                                      QHeaderView::Stretch);
    auto *copyAction = new QAction(tr("Copy query"), m_table);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetShortcut);
    m_table->addAction(copyAction);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(copyAction, &QAction::triggered, this, &StatementsView::copySelectedQuery);
}

void StatementsView::setQueryFilter(const QString &text)
{
    m_text->setText(text);
}
QString StatementsView::adviceText() const
{
    return m_advice->isVisible() || !m_advice->text().isEmpty() ? m_advice->text() : QString();
}

void StatementsView::memberChanged()
{
    // Another member's counters: no delta against this one's, and its own extension status.
    m_haveStatus = false;
    m_model->clear();
}

void StatementsView::updateCoverage()
{
    const int window = m_model->windowSeconds();
    const QString shown = tr("%n statement(s) shown", nullptr, m_filter->rowCount());
    if (window == 0)
        m_summary->setText(tr("%1, cumulative since the statistics were reset. Mean above 1 s is "
                              "amber, above 5 s red.")
                               .arg(shown));
    else if (m_model->coveredSeconds() <= 0)
        m_summary->setText(tr("Collecting: the delta needs two samples (every %1 s).")
                               .arg(m_timer->interval() / 1000));
    else if (m_model->coveredSeconds() + 1 < window)
        m_summary->setText(
            tr("%1; the delta covers only the last %2 s so far (Vigil samples every %3 s).")
                .arg(shown)
                .arg(qRound(m_model->coveredSeconds()))
                .arg(m_timer->interval() / 1000));
    else
        m_summary->setText(
            tr("%1, over the last %2 s.").arg(shown).arg(qRound(m_model->coveredSeconds())));
}

void StatementsView::refresh()
{
    services::StatementsService *service = m_context->statements(member());
    if (!service || m_inFlight)
        return;
    const quint64 ticket = beginFetch();
    QPointer<StatementsView> self(this);
    auto sample = [self, service, ticket](const services::StatementsStatus &status) {
        service->fetchSample(status,
                             [self, ticket](const services::Result<services::StatementsSample> &r) {
                                 if (!self || !self->isCurrent(ticket))
                                     return;
                                 self->m_inFlight = false;
                                 if (!r.ok()) {
                                     self->m_summary->setText(r.error().toText());
                                 } else {
                                     self->m_model->addSample(r.value());
                                     self->updateCoverage();
                                     if (!self->m_fitted && self->m_model->rowCount() > 0) {
                                         self->m_fitted = true;
                                         for (int c = StatementsTableModel::Database;
                                              c < StatementsTableModel::ColumnCount; ++c)
                                             self->m_table->resizeColumnToContents(c);
                                     }
                                 }
                                 Q_EMIT self->refreshed();
                             });
    };
    if (m_haveStatus && m_status.usable()) {
        sample(m_status);
        return;
    }
    service->fetchStatus(
        [self, sample, ticket](const services::Result<services::StatementsStatus> &r) {
            if (!self || !self->isCurrent(ticket))
                return;
            if (!r.ok()) {
                self->m_inFlight = false;
                self->m_summary->setText(r.error().toText());
                Q_EMIT self->refreshed();
                return;
            }
            self->m_status = r.value();
            self->m_haveStatus = true;
            if (!self->m_status.usable()) {
                self->m_inFlight = false;
                self->m_advice->setText(self->m_status.advice(self->m_context->clusterName()));
                self->m_advice->show();
                Q_EMIT self->refreshed();
                return;
            }
            self->m_advice->hide();
            self->m_advice->clear();
            sample(self->m_status);
        });
}

void StatementsView::copySelectedQuery()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid())
        return;
    const QString query =
        current.siblingAtColumn(0).data(StatementsTableModel::FullQueryRole).toString();
    QApplication::clipboard()->setText(query);
}

} // namespace vigil::ui
