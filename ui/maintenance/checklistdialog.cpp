#include "ui/maintenance/checklistdialog.h"

#include "models/checklistmodel.h"
#include "models/health.h"
#include "services/core/auditlog.h"
#include "ui/widgets/tableview.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QVBoxLayout>

namespace vigil::ui {

using services::ChecklistRecord;

ChecklistDialog::ChecklistDialog(services::ChecklistStore store, InputSource input, QWidget *parent)
    : QDialog(parent)
    , m_store(std::move(store))
    , m_input(std::move(input))
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
    , m_model(new models::ChecklistModel(this))
    , m_table(new TableView(m_model, this))
    , m_summary(new QLabel(this))
    , m_message(new QLabel(this))
    , m_detail(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("checklistDialog"));
    setWindowTitle(tr("Maintenance checklists — %1").arg(m_store.cluster()));
    auto *layout = new QVBoxLayout(this);
    m_summary->setObjectName(QStringLiteral("checklistSummary"));
    QFont big = m_summary->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_summary->setFont(big);
    layout->addWidget(m_summary);
    m_table->setObjectName(QStringLiteral("checklistTable"));
    m_table->sortByColumn(models::ChecklistModel::Every, Qt::AscendingOrder);
    m_table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_table, 1);
    m_detail->setReadOnly(true);
    m_detail->setMaximumHeight(fontMetrics().lineSpacing() * 5);
    m_detail->setPlaceholderText(tr("Select a task to read the full evidence or comment."));
    layout->addWidget(m_detail);
    m_message->setWordWrap(true);
    m_message->hide();
    layout->addWidget(m_message);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *run = buttons->addButton(tr("&Run checks"), QDialogButtonBox::ActionRole);
    run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    run->setToolTip(tr("Check the tasks Vigil can check (Ctrl+R) and record the results."));
    QPushButton *tick = buttons->addButton(tr("&Tick as done…"), QDialogButtonBox::ActionRole);
    tick->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    tick->setToolTip(tr("Record the selected task as done by hand, with a comment (Ctrl+T)."));
    m_openLogButton = buttons->addButton(tr("Open server &log"), QDialogButtonBox::ActionRole);
    m_openLogButton->hide();
    connect(run, &QPushButton::clicked, this, &ChecklistDialog::runChecks);
    connect(tick, &QPushButton::clicked, this, &ChecklistDialog::askTick);
    connect(m_openLogButton, &QPushButton::clicked, this, [this] {
        if (m_openLog)
            m_openLog();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ChecklistDialog::showSelected);
    resize(1180, 640);
    refresh();
}

void ChecklistDialog::setOpenServerLog(std::function<void()> open)
{
    m_openLog = std::move(open);
    m_openLogButton->setVisible(bool(m_openLog));
}

void ChecklistDialog::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
    refresh();
}

void ChecklistDialog::refresh()
{
    const QDateTime now = m_clock();
    const auto status = services::checklistStatus(m_store.readAll(), now);
    m_model->setStatus(status, now);
    const int overdue = m_model->overdue();
    m_summary->setText(overdue == 0
                           ? tr("%1: every task is done for its period.").arg(m_store.cluster())
                           : tr("%1: %n of %2 tasks overdue.", nullptr, overdue)
                                 .arg(m_store.cluster())
                                 .arg(status.size()));
    QPalette p = m_summary->palette();
    p.setColor(QPalette::WindowText,
               models::healthColor(overdue ? models::Health::Critical : models::Health::Ok));
    m_summary->setPalette(p);
    showSelected();
}

void ChecklistDialog::say(const QString &message, bool problem)
{
    m_message->setText(message);
    QPalette p = m_message->palette();
    p.setColor(QPalette::WindowText, problem ? models::healthColor(models::Health::Critical)
                                             : palette().color(QPalette::WindowText));
    m_message->setPalette(p);
    m_message->show();
}

void ChecklistDialog::runChecks()
{
    services::ChecklistCheckInput in = m_input ? m_input() : services::ChecklistCheckInput{};
    in.now = m_clock();
    in.who = services::AuditLog::currentOsUser();
    int passed = 0, total = 0;
    for (const ChecklistRecord &r : services::runAutomaticChecks(in)) {
        QString why;
        if (!m_store.append(r, &why)) {
            say(tr("The results were not saved: %1").arg(why), true);
            refresh();
            return;
        }
        ++total;
        passed += r.outcome == ChecklistRecord::Outcome::Passed ? 1 : 0;
    }
    say(tr("%1 of %2 checks passed; the results are in the history (%3).")
            .arg(passed)
            .arg(total)
            .arg(m_store.filePath()),
        false);
    refresh();
}

bool ChecklistDialog::tick(const QString &itemId, const QString &comment)
{
    const auto item = services::findChecklistItem(itemId);
    if (!item) {
        say(tr("Select a task to tick first."), true);
        return false;
    }
    if (comment.trimmed().isEmpty()) {
        say(tr("A tick needs a comment saying what was done; \"%1\" was not recorded.")
                .arg(item->title),
            true);
        return false;
    }
    ChecklistRecord r;
    r.at = m_clock();
    r.item = item->id;
    r.outcome = ChecklistRecord::Outcome::Ticked;
    r.who = services::AuditLog::currentOsUser();
    r.comment = comment.trimmed();
    QString why;
    if (!m_store.append(r, &why)) {
        say(tr("The tick was not saved: %1").arg(why), true);
        return false;
    }
    say(tr("\"%1\" ticked as done by %2.").arg(item->title, r.who), false);
    refresh();
    return true;
}

QString ChecklistDialog::selectedItem() const
{
    return m_table->currentIndex().data(models::CellTableModel::KeyRole).toString();
}

void ChecklistDialog::selectItem(const QString &itemId)
{
    const int row = m_model->rowOf(itemId);
    if (row < 0)
        return;
    m_table->setCurrentIndex(m_table->proxy()->mapFromSource(m_model->index(row, 0)));
}

void ChecklistDialog::askTick()
{
    const auto item = services::findChecklistItem(selectedItem());
    if (!item) {
        say(tr("Select a task to tick first."), true);
        return;
    }
    auto *ask = new QInputDialog(this);
    ask->setAttribute(Qt::WA_DeleteOnClose);
    ask->setWindowTitle(tr("Tick as done"));
    ask->setLabelText(tr("What was done for \"%1\"? The comment is kept in the history with your "
                         "user name.")
                          .arg(item->title));
    ask->setOkButtonText(tr("Tick"));
    connect(ask, &QInputDialog::textValueSelected, this,
            [this, id = item->id](const QString &text) { tick(id, text); });
    ask->open();
}

void ChecklistDialog::showSelected()
{
    const int row = m_model->rowOf(selectedItem());
    if (row < 0) {
        m_detail->clear();
        return;
    }
    using C = models::ChecklistModel;
    const auto cell = [&](int column) {
        return m_model->index(row, column).data().toString();
    };
    QString text = QStringLiteral("%1 — %2 — %3").arg(cell(C::Task), cell(C::Every), cell(C::Due));
    if (!cell(C::When).isEmpty())
        text += QLatin1Char('\n') +
                tr("%1 at %2 by %3").arg(cell(C::LastResult), cell(C::When), cell(C::Who));
    if (!cell(C::Evidence).isEmpty())
        text += QLatin1Char('\n') + cell(C::Evidence);
    m_detail->setPlainText(text);
}

} // namespace vigil::ui
