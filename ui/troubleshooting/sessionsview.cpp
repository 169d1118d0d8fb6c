#include "ui/troubleshooting/sessionsview.h"

#include "models/formatting.h"
#include "models/sessionsfiltermodel.h"
#include "models/sessionstablemodel.h"
#include "services/diagnostics/membersessionpool.h"
#include "ui/widgets/confirmdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace vigil::ui {

using models::SessionsTableModel;

SessionsView::SessionsView(services::MemberSessionPool *context, QWidget *parent)
    : MemberViewBase(context, 2000, parent)
    , m_model(new SessionsTableModel(this))
    , m_filter(new models::SessionsFilterModel(this))
{
    setObjectName(QStringLiteral("sessionsView"));
    m_filter->setSourceModel(m_model);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(createFilters());
    auto *splitter = new QSplitter(Qt::Vertical, this);
    createTable(splitter);
    createDetail(splitter);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);
    m_summary = new QLabel(this);
    layout->addWidget(m_summary);

    for (QLineEdit *e : {m_application, m_user, m_database, m_search})
        connect(e, &QLineEdit::textChanged, this, &SessionsView::applyFilters);
    connect(m_state, &QComboBox::currentIndexChanged, this, &SessionsView::applyFilters);
    connect(m_minDuration, &QSpinBox::valueChanged, this, &SessionsView::applyFilters);
    connect(m_background, &QCheckBox::toggled, this, &SessionsView::applyFilters);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &SessionsView::showDetail);
    rebuildMembers();
    showDetail();
}

// The member picker and the filters over the sessions: state, application, user, database,
// minimum duration, free text, background processes.
QHBoxLayout *SessionsView::createFilters()
{
    auto *filters = new QHBoxLayout;
    memberPicker()->setToolTip(tr("The member whose sessions are shown."));
    m_state = new QComboBox(this);
    m_state->addItem(tr("All states"), QString());
    for (const char *s : {"active", "idle", "idle in transaction", "idle in transaction (aborted)",
                          "fastpath function call", "disabled"})
        m_state->addItem(QString::fromLatin1(s), QString::fromLatin1(s));
    m_application = new QLineEdit(this);
    m_application->setPlaceholderText(tr("Application, e.g. hokm%"));
    m_user = new QLineEdit(this);
    m_user->setPlaceholderText(tr("User"));
    m_database = new QLineEdit(this);
    m_database->setPlaceholderText(tr("Database"));
    m_minDuration = new QSpinBox(this);
    m_minDuration->setRange(0, 7 * 24 * 3600);
    m_minDuration->setSuffix(tr(" s"));
    m_minDuration->setPrefix(tr("at least "));
    m_minDuration->setToolTip(
        tr("Minimum duration: of the running query for active sessions, of the "
           "current state otherwise."));
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search pid, user, client, query…"));
    m_search->setClearButtonEnabled(true);
    m_background = new QCheckBox(tr("Background processes"), this);
    filters->addWidget(memberPicker());
    filters->addWidget(m_state);
    filters->addWidget(m_application, 1);
    filters->addWidget(m_user);
    filters->addWidget(m_database);
    filters->addWidget(m_minDuration);
    filters->addWidget(m_search, 2);
    filters->addWidget(m_background);
    return filters;
}

void SessionsView::createTable(QSplitter *splitter)
{
    m_table = new QTableView(splitter);
    m_table->setObjectName(QStringLiteral("sessionsTable"));
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(SessionsTableModel::Pid, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    const int em = m_table->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    const int widths[] = {6, 8, 8, 12, 11, 11, 14, 11, 7, 7, 7};
    for (int c = 0; c < 11; ++c)
        m_table->setColumnWidth(c, widths[c] * em);
}

// The selected session: who it is, who blocks it or whom it blocks, its full query, its locks,
// and the cancel / terminate buttons.
void SessionsView::createDetail(QSplitter *splitter)
{
    const int em = m_table->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    auto *detail = new QWidget(splitter);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 4, 0, 0);
    m_detailHeader = new QLabel(detail);
    m_detailHeader->setTextFormat(Qt::RichText);
    m_detailHeader->setWordWrap(true);
    m_detailHeader->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_blocking = new QLabel(detail);
    m_blocking->setWordWrap(true);
    auto *detailSplit = new QSplitter(Qt::Horizontal, detail);
    m_query = new QPlainTextEdit(detailSplit);
    m_query->setReadOnly(true);
    m_query->setPlaceholderText(tr("Select a session to see its full query."));
    m_query->setFont(QFont(QStringLiteral("monospace")));
    m_locks = new QTreeWidget(detailSplit);
    m_locks->setRootIsDecorated(false);
    m_locks->setHeaderLabels({tr("Lock"), tr("Mode"), tr("Granted"), tr("On")});
    m_locks->setColumnWidth(0, 10 * em);
    m_locks->setColumnWidth(1, 14 * em);
    m_locks->setColumnWidth(2, 6 * em);
    detailSplit->setStretchFactor(0, 3);
    detailSplit->setStretchFactor(1, 2);
    detailLayout->addWidget(m_detailHeader);
    detailLayout->addWidget(m_blocking);
    detailLayout->addWidget(detailSplit, 1);
    detailLayout->addLayout(createSignalButtons(detail));
}

void SessionsView::memberChanged()
{
    m_model->setSessions({});
}

void SessionsView::setApplicationFilter(const QString &likePattern)
{
    m_application->setText(likePattern);
}

void SessionsView::applyFilters()
{
    m_filter->setStates(m_state->currentData().toString().isEmpty()
                            ? QSet<QString>{}
                            : QSet<QString>{m_state->currentData().toString()});
    m_filter->setApplicationPattern(m_application->text());
    m_filter->setUser(m_user->text());
    m_filter->setDatabase(m_database->text());
    m_filter->setMinimumDurationSeconds(m_minDuration->value());
    m_filter->setSearchText(m_search->text());
    m_filter->setShowBackgroundProcesses(m_background->isChecked());
}

void SessionsView::refresh()
{
    services::SessionsService *service = m_context->sessions(member());
    if (!service || m_inFlight)
        return;
    const quint64 ticket = beginFetch();
    QPointer<SessionsView> self(this);
    const QString forMember = member();
    service->fetch([self, forMember,
                    ticket](const services::Result<QList<services::SessionRow>> &result) {
        if (!self || !self->isCurrent(ticket))
            return;
        self->m_inFlight = false;
        if (forMember != self->member())
            return;
        if (!result.ok()) {
            self->m_summary->setText(result.error().toText());
            Q_EMIT self->refreshed();
            return;
        }
        self->m_model->setSessions(result.value());
        if (!self->m_fitted && self->m_model->rowCount() > 0) {
            // Fit the columns to the first rows once (later the user's widths are kept); the
            // query column takes the rest.
            self->m_fitted = true;
            const int em = self->m_table->fontMetrics().horizontalAdvance(QLatin1Char('M'));
            for (int c = 0; c < SessionsTableModel::Query; ++c) {
                self->m_table->resizeColumnToContents(c);
                self->m_table->setColumnWidth(
                    c,
                    std::min(self->m_table->columnWidth(c) + em / 2,
                             (c == SessionsTableModel::Wait || c == SessionsTableModel::BackendStart
                                  ? 17
                                  : 14) *
                                 em));
            }
        }
        int active = 0, idleTx = 0, waiting = 0, clients = 0;
        for (const auto &r : result.value()) {
            if (!r.isClientBackend())
                continue;
            ++clients;
            active += r.state == QLatin1String("active") ? 1 : 0;
            idleTx += r.isIdleInTransaction() ? 1 : 0;
            waiting += r.isWaitingOnLock() ? 1 : 0;
        }
        self->m_summary->setText(
            tr("%1: %2 client sessions (%3 active, %4 idle in transaction, %5 waiting on a lock); "
               "%6 shown.")
                .arg(forMember)
                .arg(clients)
                .arg(active)
                .arg(idleTx)
                .arg(waiting)
                .arg(self->m_filter->rowCount()));
        self->showDetail();
        Q_EMIT self->refreshed();
    });
}

const services::SessionRow *SessionsView::selectedRow() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid())
        return nullptr;
    const QModelIndex source = m_filter->mapToSource(current);
    if (!source.isValid() || source.row() >= m_model->rowCount())
        return nullptr;
    return &m_model->rowAt(source.row());
}

void SessionsView::selectPid(int pid)
{
    for (int r = 0; r < m_filter->rowCount(); ++r) {
        const QModelIndex i = m_filter->index(r, 0);
        if (i.data(SessionsTableModel::PidRole).toInt() == pid) {
            m_table->selectionModel()->setCurrentIndex(i, QItemSelectionModel::ClearAndSelect |
                                                              QItemSelectionModel::Rows);
            m_table->scrollTo(i);
            return;
        }
    }
}

void SessionsView::showDetail()
{
    const services::SessionRow *row = selectedRow();
    updateSignalButtons();
    if (!row) {
        m_detailHeader->setText(tr("<i>No session selected.</i>"));
        m_blocking->clear();
        m_query->clear();
        m_locks->clear();
        return;
    }
    const auto dur = [](const std::optional<double> &s) {
        return s ? models::formatDuration(qint64(*s)) : QStringLiteral("\u2014");
    };
    m_detailHeader->setText(
        tr("<b>%1</b> · %2 · user <b>%3</b> · database <b>%4</b> · from %5 · connected %6 · "
           "state <b>%7</b> for %8 · transaction %9")
            .arg(row->pid)
            .arg((row->application.isEmpty() ? row->backendType : row->application).toHtmlEscaped(),
                 row->user.toHtmlEscaped(), row->database.toHtmlEscaped(),
                 (row->clientAddr.isEmpty() ? tr("local") : row->clientAddr).toHtmlEscaped(),
                 row->backendStartDisplay,
                 (row->state.isEmpty() ? row->backendType : row->state).toHtmlEscaped(),
                 dur(row->stateAge), dur(row->xactAge)));
    // Who it blocks: every session whose blockers name it.
    QStringList blocks;
    for (const auto &other : m_model->rows())
        if (other.blockedBy.contains(row->pid))
            blocks.append(QString::number(other.pid));
    QStringList blockedBy;
    for (int p : row->blockedBy)
        blockedBy.append(QString::number(p));
    QStringList parts;
    parts.append(blockedBy.isEmpty()
                     ? tr("Not blocked by anyone.")
                     : tr("Blocked by %1.").arg(blockedBy.join(QStringLiteral(", "))));
    parts.append(blocks.isEmpty() ? tr("Blocks nobody.")
                                  : tr("Blocks %1.").arg(blocks.join(QStringLiteral(", "))));
    m_blocking->setText(parts.join(QLatin1Char(' ')));
    if (m_query->toPlainText() != row->query)
        m_query->setPlainText(row->query);

    services::SessionsService *service = m_context->sessions(member());
    if (!service)
        return;
    const quint64 request = ++m_detailRequest;
    QPointer<SessionsView> self(this);
    // Read on the session's own database, where its relations have names.
    services::PgSession *onDatabase =
        row->database.isEmpty() ? nullptr : m_context->session(member(), row->database);
    service->fetchLocksOf(
        row->pid,
        [self, request](const services::Result<QList<services::HeldLock>> &r) {
            if (!self || request != self->m_detailRequest)
                return;
            self->m_locks->clear();
            if (!r.ok())
                return;
            for (const auto &l : r.value()) {
                auto *item = new QTreeWidgetItem(self->m_locks);
                item->setText(0, l.lockType);
                item->setText(1, l.mode);
                item->setText(2, l.granted ? tr("yes") : tr("WAITING"));
                item->setText(3, l.relation.isEmpty() ? l.target
                                 : l.target.isEmpty() ? l.relation
                                                      : tr("%1, %2").arg(l.relation, l.target));
                if (!l.granted)
                    for (int c = 0; c < 4; ++c)
                        item->setBackground(c, QColor(255, 205, 210));
            }
        },
        onDatabase);
}

std::optional<MemberViewBase::SignalTarget> SessionsView::signalTarget() const
{
    const services::SessionRow *row = selectedRow();
    if (!row || !row->isClientBackend() || row->isSelf)
        return std::nullopt;
    return SignalTarget{{row->ref(), {}, row->application, row->user, row->database}, {}};
}

} // namespace vigil::ui
