#include "ui/operations/terminateidlewizard.h"

#include "models/formatting.h"
#include "services/diagnostics/membersessionpool.h"
#include "ui/widgets/functionwizardpage.h"
#include "ui/widgets/typedconfirmationpage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace vigil::ui {

using FnPage = FunctionWizardPage;

TerminateIdleWizard::TerminateIdleWizard(services::MemberSessionPool *context, QWidget *parent)
    : QWizard(parent)
    , m_context(context)
{
    setObjectName(QStringLiteral("terminateIdleWizard"));
    setWindowTitle(tr("Terminate idle sessions"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    setOption(QWizard::NoCancelButtonOnLastPage);
    setPage(ThresholdsPage, makeThresholdsPage());
    setPage(PreviewPage, makePreviewPage());
    setPage(ConfirmPage, makeConfirmPage());
    setPage(ResultPage, makeResultPage());
    resize(820, 560);
}

QWizardPage *TerminateIdleWizard::makeThresholdsPage()
{
    auto *page = new FnPage;
    page->setTitle(tr("Which sessions?"));
    page->setSubTitle(tr("Idle sessions hold a connection slot (and, behind PgBouncer, a server "
                         "connection); idle-in-transaction sessions also hold their locks and "
                         "keep VACUUM from cleaning up."));
    auto *form = new QFormLayout(page);
    m_member = new QComboBox(page);
    for (const auto &m : m_context->members())
        m_member->addItem(m.leader ? tr("%1 (leader)").arg(m.name) : m.name, m.name);
    const int leader = m_member->findData(m_context->leaderName());
    if (leader >= 0)
        m_member->setCurrentIndex(leader);
    form->addRow(tr("Member:"), m_member);
    auto *idleRow = new QHBoxLayout;
    m_idleOn = new QCheckBox(tr("Idle for longer than"), page);
    m_idleOn->setChecked(true);
    m_idleMinutes = new QSpinBox(page);
    m_idleMinutes->setRange(1, 7 * 24 * 60);
    m_idleMinutes->setValue(60);
    m_idleMinutes->setSuffix(tr(" min"));
    idleRow->addWidget(m_idleOn);
    idleRow->addWidget(m_idleMinutes);
    idleRow->addStretch(1);
    form->addRow(idleRow);
    auto *txRow = new QHBoxLayout;
    m_idleTxOn = new QCheckBox(tr("Idle in transaction for longer than"), page);
    m_idleTxMinutes = new QSpinBox(page);
    m_idleTxMinutes->setRange(1, 7 * 24 * 60);
    m_idleTxMinutes->setValue(10);
    m_idleTxMinutes->setSuffix(tr(" min"));
    txRow->addWidget(m_idleTxOn);
    txRow->addWidget(m_idleTxMinutes);
    txRow->addStretch(1);
    form->addRow(txRow);
    m_application = new QLineEdit(page);
    m_application->setPlaceholderText(tr("any (SQL LIKE pattern, e.g. hokm%)"));
    m_user = new QLineEdit(page);
    m_user->setPlaceholderText(tr("any"));
    m_database = new QLineEdit(page);
    m_database->setPlaceholderText(tr("any"));
    form->addRow(tr("Application:"), m_application);
    form->addRow(tr("User:"), m_user);
    form->addRow(tr("Database:"), m_database);
    page->complete = [this] {
        return (m_idleOn->isChecked() || m_idleTxOn->isChecked()) && m_member->count() > 0;
    };
    for (QCheckBox *b : {m_idleOn, m_idleTxOn})
        connect(b, &QCheckBox::toggled, page, [page, this] {
            m_exactCriteria.reset();
            page->changed();
        });
    for (QSpinBox *s : {m_idleMinutes, m_idleTxMinutes})
        connect(s, &QSpinBox::valueChanged, this, [this] { m_exactCriteria.reset(); });
    return page;
}

services::IdleCriteria TerminateIdleWizard::criteria() const
{
    services::IdleCriteria c;
    if (m_exactCriteria) {
        c = *m_exactCriteria;
    } else {
        c.idleSeconds = m_idleOn->isChecked() ? std::optional<double>(m_idleMinutes->value() * 60.0)
                                              : std::nullopt;
        c.idleInTransactionSeconds = m_idleTxOn->isChecked()
                                         ? std::optional<double>(m_idleTxMinutes->value() * 60.0)
                                         : std::nullopt;
    }
    c.applicationPattern = m_application->text().trimmed();
    c.user = m_user->text().trimmed();
    c.database = m_database->text().trimmed();
    return c;
}

void TerminateIdleWizard::setCriteria(const services::IdleCriteria &c)
{
    // The spin boxes count minutes; exact seconds are kept as given.
    m_idleOn->setChecked(c.idleSeconds.has_value());
    m_idleTxOn->setChecked(c.idleInTransactionSeconds.has_value());
    if (c.idleSeconds)
        m_idleMinutes->setValue(std::max(1, int(*c.idleSeconds / 60)));
    if (c.idleInTransactionSeconds)
        m_idleTxMinutes->setValue(std::max(1, int(*c.idleInTransactionSeconds / 60)));
    m_application->setText(c.applicationPattern);
    m_user->setText(c.user);
    m_database->setText(c.database);
    m_exactCriteria = c;
}

QString TerminateIdleWizard::member() const
{
    return m_member->currentData().toString();
}

void TerminateIdleWizard::setMember(const QString &member)
{
    const int i = m_member->findData(member);
    if (i >= 0)
        m_member->setCurrentIndex(i);
}

QWizardPage *TerminateIdleWizard::makePreviewPage()
{
    auto *page = new FnPage;
    page->setTitle(tr("These sessions will be terminated"));
    page->setSubTitle(tr("Exactly these sessions, identified by PID and start time. A session that "
                         "becomes active, ends or is replaced before you confirm is left alone."));
    auto *layout = new QVBoxLayout(page);
    m_previewSummary = new QLabel(page);
    m_previewSummary->setWordWrap(true);
    m_previewList = new QTreeWidget(page);
    m_previewList->setObjectName(QStringLiteral("previewList"));
    m_previewList->setRootIsDecorated(false);
    m_previewList->setHeaderLabels({tr("PID"), tr("Application"), tr("User"), tr("Database"),
                                    tr("Client"), tr("State"), tr("For"), tr("Last query")});
    m_previewList->header()->setStretchLastSection(true);
    m_excludedLabel = new QLabel(page);
    m_excludedLabel->setWordWrap(true);
    auto *again = new QPushButton(tr("Read again"), page);
    auto *row = new QHBoxLayout;
    row->addWidget(m_previewSummary, 1);
    row->addWidget(again);
    layout->addLayout(row);
    layout->addWidget(m_previewList, 1);
    layout->addWidget(m_excludedLabel);
    connect(again, &QPushButton::clicked, this, &TerminateIdleWizard::loadPreview);
    page->init = [this] {
        loadPreview();
    };
    page->complete = [this] {
        return m_previewLoaded && !m_plan.entries.isEmpty();
    };
    connect(this, &TerminateIdleWizard::previewReady, page, [page] { page->changed(); });
    return page;
}

void TerminateIdleWizard::loadPreview()
{
    m_previewLoaded = false;
    m_plan = {};
    m_previewList->clear();
    m_excludedLabel->clear();
    m_previewSummary->setText(tr("Reading the sessions of %1…").arg(member()));
    services::SessionsService *service = m_context->sessions(member());
    if (!service) {
        m_previewSummary->setText(tr("No connection to %1.").arg(member()));
        return;
    }
    const quint64 request = ++m_previewRequest;
    const services::IdleCriteria c = criteria();
    QPointer<TerminateIdleWizard> self(this);
    service->fetch([self, request, c](const services::Result<QList<services::SessionRow>> &r) {
        if (!self || request != self->m_previewRequest)
            return;
        if (!r.ok()) {
            self->m_previewSummary->setText(r.error().toText());
            return;
        }
        self->m_plan = services::SessionsService::planIdleTermination(r.value(), c);
        for (const auto &row : self->m_plan.rows) {
            auto *item = new QTreeWidgetItem(self->m_previewList);
            item->setText(0, QString::number(row.pid));
            item->setText(1, row.application);
            item->setText(2, row.user);
            item->setText(3, row.database);
            item->setText(4, row.clientAddr);
            item->setText(5, row.state);
            item->setText(6, models::formatDuration(qint64(row.stateAge.value_or(0))));
            item->setText(7, row.query.simplified().left(200));
        }
        for (int col = 0; col < 7; ++col)
            self->m_previewList->resizeColumnToContents(col);
        self->m_previewSummary->setText(
            self->m_plan.entries.isEmpty()
                ? tr("No session on %1 matches; nothing to terminate.").arg(self->member())
                : tr("%n session(s) on %1 match.", nullptr, int(self->m_plan.entries.size()))
                      .arg(self->member()));
        QStringList excluded;
        for (const auto &e : self->m_plan.excluded)
            excluded.append(e.second);
        self->m_excludedLabel->setText(
            excluded.isEmpty() ? QString()
                               : tr("Left alone: %1").arg(excluded.join(QLatin1Char(' '))));
        self->m_previewLoaded = true;
        Q_EMIT self->previewReady();
    });
}

QWizardPage *TerminateIdleWizard::makeConfirmPage()
{
    m_confirm = new TypedConfirmationPage(tr("Terminate"));
    m_confirm->clusterName = [this] {
        return m_context->clusterName();
    };
    m_confirm->summary = [this] {
        return tr("%n session(s) on member %1 of cluster %2 will be terminated: their connections "
                  "are closed and open transactions rolled back.",
                  nullptr, int(m_plan.entries.size()))
            .arg(member().toHtmlEscaped(), m_context->clusterName().toHtmlEscaped());
    };
    return m_confirm;
}

void TerminateIdleWizard::setTypedConfirmation(const QString &text)
{
    m_confirm->typedEdit()->setText(text);
}

QWizardPage *TerminateIdleWizard::makeResultPage()
{
    auto *page = new FnPage;
    page->setTitle(tr("Result"));
    auto *layout = new QVBoxLayout(page);
    m_resultSummary = new QLabel(page);
    m_resultSummary->setWordWrap(true);
    m_resultList = new QTreeWidget(page);
    m_resultList->setObjectName(QStringLiteral("resultList"));
    m_resultList->setRootIsDecorated(false);
    m_resultList->setHeaderLabels({tr("PID"), tr("Application"), tr("What happened")});
    m_resultList->header()->setStretchLastSection(true);
    layout->addWidget(m_resultSummary);
    layout->addWidget(m_resultList, 1);
    page->init = [this] {
        execute();
    };
    page->complete = [this] {
        return m_executed;
    };
    connect(this, &TerminateIdleWizard::executionFinished, page, [page] { page->changed(); });
    return page;
}

void TerminateIdleWizard::execute()
{
    if (m_executing || m_executed)
        return;
    // The typed confirmation is checked here too, not only by the page's Next button.
    if (!m_confirm->matches()) {
        m_resultSummary->setText(tr("Not confirmed: the cluster name was not typed."));
        return;
    }
    services::SessionsService *service = m_context->sessions(member());
    if (!service) {
        m_resultSummary->setText(tr("No connection to %1; nothing was done.").arg(member()));
        return;
    }
    m_executing = true;
    m_resultSummary->setText(tr("Terminating…"));
    QPointer<TerminateIdleWizard> self(this);
    QJsonObject params = criteria().toJson();
    service->signal(
        services::SignalAction::Terminate, m_plan.entries,
        [self](const services::Result<QList<services::SignalOutcome>> &r) {
            if (!self)
                return;
            self->m_executing = false;
            self->m_executed = true;
            if (!r.ok()) {
                self->m_resultSummary->setText(
                    tr("Nothing was terminated: %1").arg(r.error().toText()));
            } else {
                self->m_outcomes = r.value();
                int done = 0;
                for (const auto &o : self->m_outcomes) {
                    done += o.done() ? 1 : 0;
                    auto *item = new QTreeWidgetItem(self->m_resultList);
                    item->setText(0, QString::number(o.ref.pid));
                    item->setText(1, o.application);
                    item->setText(2, o.describe(services::SignalAction::Terminate));
                    if (!o.done())
                        for (int c = 0; c < 3; ++c)
                            item->setBackground(c, QColor(255, 236, 179));
                }
                self->m_resultList->resizeColumnToContents(0);
                self->m_resultList->resizeColumnToContents(1);
                const int notDone = int(self->m_outcomes.size()) - done;
                self->m_resultSummary->setText(
                    notDone == 0
                        ? tr("%n session(s) terminated. The action is recorded in the audit log.",
                             nullptr, done)
                        : tr("%1 session(s) terminated, %2 left alone (see why below). The "
                             "action is recorded in the audit log.")
                              .arg(done)
                              .arg(notDone));
            }
            Q_EMIT self->executionFinished();
        },
        QStringLiteral("terminate_idle_sessions"), params);
}

QString TerminateIdleWizard::resultText() const
{
    return m_resultSummary->text();
}

} // namespace vigil::ui
