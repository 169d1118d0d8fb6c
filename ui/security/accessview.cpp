#include "ui/security/accessview.h"

#include "models/accessmodel.h"
#include "services/diagnostics/membersessionpool.h"
#include "services/security/accessservice.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace vigil::ui {

using models::AccessModel;

AccessView::AccessView(services::MemberSessionPool *context, QWidget *parent)
    : MemberViewBase(context, 60000, parent)
    , m_rules(new AccessModel(AccessModel::Kind::Rules, this))
    , m_sessions(new AccessModel(AccessModel::Kind::Sessions, this))
    , m_settings(new AccessModel(AccessModel::Kind::Settings, this))
{
    setObjectName(QStringLiteral("accessView"));
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    auto *refreshButton = new QPushButton(tr("Refresh"), this);
    m_edit = new QPushButton(tr("Edit in configuration…"), this);
    m_edit->setObjectName(QStringLiteral("editHbaInConfiguration"));
    m_edit->setToolTip(tr("pg_hba.conf is written by Patroni from postgresql.pg_hba: change it "
                          "in the dynamic configuration, with a diff before it is applied."));
    m_edit->setEnabled(false);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("accessStatus"));
    top->addWidget(memberPicker());
    top->addWidget(refreshButton);
    top->addWidget(m_edit);
    top->addWidget(m_status, 1);
    layout->addLayout(top);
    auto *note = new QLabel(
        tr("Vigil never edits pg_hba.conf: Patroni rewrites it from postgresql.pg_hba. A "
           "member whose own patroni.yml sets pg_hba keeps that list; the dynamic "
           "configuration applies to the others."),
        this);
    note->setWordWrap(true);
    layout->addWidget(note);

    m_tabs = new QTabWidget(this);
    m_tabs->addTab(makeTab(m_rules, &m_rulesError), QString());
    m_tabs->addTab(makeTab(m_sessions, &m_sessionsError), QString());
    m_tabs->addTab(makeTab(m_settings, &m_settingsError), QString());
    updateTabTitles();
    layout->addWidget(m_tabs, 1);

    connect(refreshButton, &QPushButton::clicked, this, &AccessView::refresh);
    connect(m_edit, &QPushButton::clicked, this, [this] {
        if (m_openEditor)
            m_openEditor();
    });
    rebuildMembers();
}

void AccessView::setEditConfiguration(std::function<void()> open)
{
    m_openEditor = std::move(open);
    m_edit->setEnabled(bool(m_openEditor));
}

QString AccessView::statusText() const
{
    return m_status->text();
}

QWidget *AccessView::makeTab(AccessModel *model, QLabel **error)
{
    auto *page = new QWidget(this);
    auto *box = new QVBoxLayout(page);
    box->setContentsMargins(0, 0, 0, 0);
    *error = new QLabel(page);
    (*error)->setWordWrap(true);
    (*error)->setStyleSheet(QStringLiteral("color: #b71c1c;"));
    (*error)->hide();
    auto *proxy = new QSortFilterProxyModel(page);
    proxy->setSourceModel(model);
    proxy->setSortRole(AccessModel::SortRole);
    auto *table = new QTableView(page);
    table->setModel(proxy);
    table->setSortingEnabled(true);
    table->sortByColumn(0, Qt::AscendingOrder);
    table->setAlternatingRowColors(true);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    const int em = table->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    for (int c = 0; c < model->flagColumn(); ++c)
        table->setColumnWidth(c, (model->kind() == AccessModel::Kind::Settings ? 14 : 8) * em);
    table->setColumnWidth(model->flagColumn(), 6 * em);
    m_views.append(table);
    box->addWidget(*error);
    box->addWidget(table, 1);
    return page;
}

void AccessView::updateTabTitles()
{
    auto title = [](const QString &name, const AccessModel *m) {
        const int n = m->flaggedCount();
        return n == 0 ? name : tr("%1 (%n flagged)", nullptr, n).arg(name);
    };
    m_tabs->setTabText(0, title(tr("pg_hba rules"), m_rules));
    m_tabs->setTabText(1, title(tr("Connections and TLS"), m_sessions));
    m_tabs->setTabText(2, title(tr("TLS settings"), m_settings));
}

void AccessView::memberChanged()
{
    m_rules->setRules({});
    m_sessions->setSessions({});
    m_settings->setSettings({});
    updateTabTitles();
}

services::AccessService *AccessView::service()
{
    services::PgSession *session = m_context->session(member());
    if (!session)
        return nullptr;
    if (!m_service || m_serviceSession != session) {
        if (m_service)
            m_service->deleteLater();
        m_service = new services::AccessService(session, this);
        m_serviceSession = session;
    }
    return m_service;
}

void AccessView::refresh()
{
    if (m_inFlight || member().isEmpty())
        return;
    services::AccessService *svc = service();
    if (!svc)
        return;
    QPointer<AccessView> self(this);
    const quint64 ticket = beginFetch();
    m_status->setText(tr("Reading the access rules of %1…").arg(member()));
    svc->fetch([self, ticket](const services::Result<services::AccessSnapshot> &r) {
        if (!self || !self->isCurrent(ticket))
            return;
        self->m_inFlight = false;
        if (!r.ok()) {
            self->m_status->setText(r.error().toText());
            Q_EMIT self->refreshed();
            return;
        }
        const services::AccessSnapshot &s = r.value();
        self->m_rules->setRules(s.rules);
        self->m_sessions->setSessions(s.sessions);
        self->m_settings->setSettings(s.settings);
        const QList<QPair<QLabel *, QString>> errors = {{self->m_rulesError, s.rulesError},
                                                        {self->m_sessionsError, s.sessionsError},
                                                        {self->m_settingsError, s.settingsError}};
        for (const auto &[label, text] : errors) {
            label->setText(text);
            label->setVisible(!text.isEmpty());
        }
        self->updateTabTitles();
        // Every column to its contents but the explanation, which takes the rest (its full
        // text is the row's tooltip).
        for (QTableView *v : self->m_views)
            for (int c = 0; c + 1 < v->model()->columnCount(); ++c)
                v->resizeColumnToContents(c);
        const int flagged = self->m_rules->flaggedCount() + self->m_sessions->flaggedCount() +
                            self->m_settings->flaggedCount();
        self->m_status->setText(
            flagged == 0 ? tr("%1: nothing flagged.").arg(self->member())
                         : tr("%1: %n finding(s), see the Flag column.", nullptr, flagged)
                               .arg(self->member()));
        Q_EMIT self->refreshed();
    });
}

} // namespace vigil::ui
