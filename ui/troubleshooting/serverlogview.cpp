#include "ui/troubleshooting/serverlogview.h"

#include "models/serverlogfiltermodel.h"
#include "models/serverlogmodel.h"
#include "services/diagnostics/membersessionpool.h"
#include "services/logs/serverlogreader.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

namespace vigil::ui {

using services::ServerLogLevel;

ServerLogView::ServerLogView(services::MemberSessionPool *context, QWidget *parent)
    : MemberViewBase(context, 5000, parent)
    , m_model(new models::ServerLogModel(this))
    , m_filter(new models::ServerLogFilterModel(this))
    , m_table(new QTableView(this))
    , m_status(new QLabel(this))
{
    m_filter->setSourceModel(m_model);
    // The count in the status line follows every change of what is shown.
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_filter, signal, this, &ServerLogView::updateStatus);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &ServerLogView::updateStatus);
    m_table->setObjectName(QStringLiteral("serverLogTable"));
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(
        models::ServerLogModel::Time,
        m_table->fontMetrics().horizontalAdvance(QStringLiteral("0000-00-00 00:00:00.000")) + 16);
    m_table->setColumnWidth(models::ServerLogModel::Level, 80);
    m_table->setColumnWidth(models::ServerLogModel::Process, 70);
    m_table->setColumnWidth(models::ServerLogModel::Origin, 240);
    m_status->setObjectName(QStringLiteral("serverLogStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    buildToolbar();
    auto *bar = new QHBoxLayout;
    bar->addWidget(memberPicker());
    bar->addWidget(m_level);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_follow);
    bar->addWidget(m_reload);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);
    rebuildMembers();
    updateStatus();
}

ServerLogView::~ServerLogView() = default;

void ServerLogView::buildToolbar()
{
    m_level = new QComboBox(this);
    m_level->setObjectName(QStringLiteral("serverLogLevel"));
    m_level->addItem(tr("All levels"), int(ServerLogLevel::Unknown));
    m_level->addItem(tr("WARNING and above"), int(ServerLogLevel::Warning));
    m_level->addItem(tr("ERROR and above"), int(ServerLogLevel::Error));
    m_level->addItem(tr("FATAL and PANIC"), int(ServerLogLevel::Fatal));
    m_level->setToolTip(tr("Show entries of this level and above."));
    connect(m_level, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setMinimumLevel(ServerLogLevel(m_level->currentData().toInt()));
        updateStatus();
    });
    m_text = new QLineEdit(this);
    m_text->setObjectName(QStringLiteral("serverLogText"));
    m_text->setPlaceholderText(tr("Filter: text in the message, statement, user, database…"));
    m_text->setClearButtonEnabled(true);
    connect(m_text, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setText(text);
        updateStatus();
    });
    m_follow = new QCheckBox(tr("Follow"), this);
    m_follow->setObjectName(QStringLiteral("serverLogFollow"));
    m_follow->setToolTip(tr("Keep reading what the server writes, and keep the newest in view."));
    m_follow->setChecked(true);
    connect(m_follow, &QCheckBox::toggled, this, [this](bool on) {
        if (!on)
            stopReader();
        else
            reload();
    });
    m_reload = new QPushButton(tr("Read again"), this);
    m_reload->setObjectName(QStringLiteral("serverLogReload"));
    m_reload->setToolTip(tr("Read the last 256 KiB of the log again (after a grant was given)."));
    connect(m_reload, &QPushButton::clicked, this, &ServerLogView::reload);
}

void ServerLogView::setFollow(bool follow)
{
    m_follow->setChecked(follow);
}

void ServerLogView::setMinimumLevel(ServerLogLevel level)
{
    const int i = m_level->findData(int(level));
    if (i >= 0)
        m_level->setCurrentIndex(i);
}

void ServerLogView::setFilterText(const QString &text)
{
    m_text->setText(text);
}

void ServerLogView::memberChanged()
{
    stopReader();
    m_model->clear();
    m_problem.clear();
    m_started = false;
    updateStatus();
}

// Called by the base's timer while visible: starts the tail once per member and session (the
// pool drops sessions when the members change; then it starts again on the new one).
void ServerLogView::refresh()
{
    services::PgSession *session = m_context->session(member());
    if (!session || (m_started && session == m_readerSession))
        return;
    if (m_started) // the pool dropped the session the reader was on
        m_model->clear();
    startReader(session);
}

void ServerLogView::reload()
{
    stopReader();
    m_model->clear();
    m_problem.clear();
    m_started = false;
    if (services::PgSession *session = m_context->session(member()))
        startReader(session);
    updateStatus();
}

void ServerLogView::startReader(services::PgSession *session)
{
    stopReader();
    m_reader = new services::ServerLogReader(session, this);
    m_readerSession = session;
    m_started = true;
    connect(m_reader, &services::ServerLogReader::entriesRead, this, &ServerLogView::showEntries);
    connect(m_reader, &services::ServerLogReader::failed, this, &ServerLogView::showFailure);
    connect(m_reader, &services::ServerLogReader::fileChanged, this, &ServerLogView::updateStatus);
    connect(m_reader, &services::ServerLogReader::finished, this, &ServerLogView::updateStatus);
    services::ServerLogTailOptions options;
    options.follow = m_follow->isChecked();
    m_reader->start(options);
    updateStatus();
}

void ServerLogView::stopReader()
{
    if (!m_reader)
        return;
    m_reader->stop();
    m_reader->deleteLater();
    m_reader = nullptr;
    updateStatus();
}

void ServerLogView::showEntries(const QList<services::ServerLogEntry> &entries)
{
    QScrollBar *bar = m_table->verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum() - 2;
    m_model->append(entries);
    if (m_follow->isChecked() && atEnd)
        m_table->scrollToBottom();
    updateStatus();
    Q_EMIT entriesShown(m_filter->rowCount());
}

void ServerLogView::showFailure(const services::ServiceError &error)
{
    m_problem = error.message.isEmpty() ? error.toText() : error.message;
    updateStatus();
}

bool ServerLogView::jumpToTime(const QDateTime &time)
{
    for (int r = 0; r < m_filter->rowCount(); ++r) {
        const QModelIndex index = m_filter->index(r, 0);
        const QDateTime t = index.data(models::ServerLogModel::TimeRole).toDateTime();
        if (!t.isValid() || t < time)
            continue;
        m_table->selectRow(r);
        m_table->scrollTo(index, QAbstractItemView::PositionAtTop);
        return true;
    }
    return false;
}

QString ServerLogView::statusText() const
{
    return m_status->text();
}

void ServerLogView::updateStatus()
{
    if (!m_problem.isEmpty()) {
        m_status->setText(tr("The log of %1 cannot be read: %2").arg(member(), m_problem));
        m_status->setStyleSheet(QStringLiteral("color: #b71c1c;"));
        return;
    }
    m_status->setStyleSheet({});
    QString text;
    if (!m_reader && !m_started)
        text = tr("Not reading.");
    else if (m_reader && m_reader->currentFile().isEmpty())
        text = tr("Opening the log of %1…").arg(member());
    else if (m_reader && m_reader->isRunning())
        text = tr("Following %1 on %2.").arg(m_reader->currentFile(), member());
    else
        text = tr("Read up to the end; not following.");
    text += QLatin1Char(' ') +
            tr("%1 of %2 entries shown.").arg(m_filter->rowCount()).arg(m_model->rowCount());
    if (m_model->droppedCount() > 0)
        text += QLatin1Char(' ') + tr("%1 older entries were let go (the view keeps the newest "
                                      "%2).")
                                       .arg(m_model->droppedCount())
                                       .arg(m_model->capacity());
    m_status->setText(text);
}

} // namespace vigil::ui
