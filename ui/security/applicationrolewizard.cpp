#include "ui/security/applicationrolewizard.h"

#include "services/diagnostics/membersessionpool.h"
#include "services/postgres/pgsession.h"
#include "services/security/passwordgenerator.h"
#include "ui/widgets/functionwizardpage.h"
#include "ui/widgets/typedconfirmationpage.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace vigil::ui {

using services::ApplicationRolePlan;
using services::PasswordGenerator;

namespace {
constexpr int kClipboardSeconds = 30;
const QString kReportingName = QStringLiteral("hokm_reports");
const QString kGameName = QStringLiteral("hokm_game_user");
// The manual's game tables: all four privileges by default.
const QStringList kGameTables = {QStringLiteral("game_sessions"), QStringLiteral("game_moves")};
} // namespace

ApplicationRoleWizard::ApplicationRoleWizard(services::MemberSessionPool *context, QWidget *parent)
    : QWizard(parent)
    , m_context(context)
    , m_leader(context->leaderName())
{
    setObjectName(QStringLiteral("applicationRoleWizard"));
    setWindowTitle(tr("Create application role"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    setOption(QWizard::NoCancelButtonOnLastPage);
    setPage(RolePage, makeRolePage());
    setPage(PrivilegesPage, makePrivilegesPage());
    setPage(PasswordPage, makePasswordPage());
    setPage(PreviewPage, makePreviewPage());
    setPage(ConfirmPage, makeConfirmPage());
    setPage(ResultPage, makeResultPage());
    resize(860, 600);
    loadCatalog();
}

ApplicationRoleWizard::~ApplicationRoleWizard()
{
    // The password stays in memory only until the wizard closes.
    for (QLineEdit *e : {m_generated, m_typed1, m_typed2})
        if (e)
            e->clear();
}

int ApplicationRoleWizard::nextId() const
{
    if (currentId() == PrivilegesPage && m_onlyGrant->isChecked())
        return PreviewPage; // the existing role keeps its password
    return QWizard::nextId();
}

services::ApplicationRoleService *ApplicationRoleWizard::service()
{
    const QString db = m_database->currentText();
    services::PgSession *session = m_context->session(m_leader, db);
    if (!session)
        return nullptr;
    if (!m_service || m_serviceDatabase != db) {
        if (m_service)
            m_service->deleteLater();
        m_service = new services::ApplicationRoleService(
            session, {m_context->clusterName(), m_leader, m_context->guard(), m_context->audit()},
            this);
        m_serviceDatabase = db;
    }
    return m_service;
}

// ---- 1. Role ------------------------------------------------------------------------------

QWizardPage *ApplicationRoleWizard::makeRolePage()
{
    auto *page = m_rolePage = new FunctionWizardPage;
    page->setTitle(tr("Which role?"));
    page->setSubTitle(tr("The two application roles of the operations manual. Both can log in "
                         "and nothing more: no superuser, no CREATEDB, no CREATEROLE, no "
                         "replication."));
    auto *form = new QFormLayout(page);
    m_reporting = new QRadioButton(tr("Reporting role: reads every table of a schema, writes "
                                      "nothing (read-only by default)"),
                                   page);
    m_game =
        new QRadioButton(tr("Game role: only the privileges you choose, table by table"), page);
    m_reporting->setChecked(true);
    form->addRow(tr("Kind:"), m_reporting);
    form->addRow(QString(), m_game);
    m_name = new QLineEdit(kReportingName, page);
    m_name->setObjectName(QStringLiteral("roleName"));
    form->addRow(tr("Role name:"), m_name);
    m_database = new QComboBox(page);
    m_database->setObjectName(QStringLiteral("roleDatabase"));
    form->addRow(tr("Database:"), m_database);
    m_onlyGrant = new QCheckBox(tr("The role exists already: only grant these privileges "
                                   "(its password and attributes stay as they are)"),
                                page);
    form->addRow(QString(), m_onlyGrant);
    m_roleStatus = new QLabel(page);
    m_roleStatus->setObjectName(QStringLiteral("roleStatus"));
    m_roleStatus->setWordWrap(true);
    form->addRow(m_roleStatus);
    connect(m_game, &QRadioButton::toggled, this, [this](bool game) {
        if (m_name->text() == (game ? kReportingName : kGameName))
            m_name->setText(game ? kGameName : kReportingName);
        fillTables();
        m_rolePage->changed();
    });
    connect(m_name, &QLineEdit::textChanged, page, [this] {
        m_roleStatus->setText(roleProblem());
        m_rolePage->changed();
    });
    connect(m_onlyGrant, &QCheckBox::toggled, page, [this] {
        m_roleStatus->setText(roleProblem());
        m_rolePage->changed();
    });
    connect(m_database, &QComboBox::activated, this, &ApplicationRoleWizard::loadCatalog);
    page->complete = [this] {
        return roleProblem().isEmpty();
    };
    return page;
}

QString ApplicationRoleWizard::roleProblem() const
{
    if (!m_catalogLoaded)
        return tr("Reading the roles and tables of the leader %1…").arg(m_leader);
    const QString name = m_name->text();
    const bool exists = m_catalog.roles.contains(name);
    if (exists && !m_onlyGrant->isChecked())
        return tr("The role %1 exists already. Choose another name, or tick \"only grant\" to "
                  "give the existing role these privileges.")
            .arg(name);
    if (!exists && m_onlyGrant->isChecked())
        return tr("The role %1 does not exist: untick \"only grant\" to create it.").arg(name);
    ApplicationRolePlan p = plan();
    p.tables.clear();
    p.kind = ApplicationRolePlan::Kind::Reporting; // the tables are chosen on the next page
    return p.problem();
}

void ApplicationRoleWizard::loadCatalog()
{
    m_catalogLoaded = false;
    m_roleStatus->setText(roleProblem());
    m_rolePage->changed();
    services::ApplicationRoleService *svc = service();
    if (!svc) {
        m_roleStatus->setText(tr("No connection to the leader; is the cluster read yet?"));
        return;
    }
    const quint64 request = ++m_catalogRequest;
    QPointer<ApplicationRoleWizard> self(this);
    svc->fetchCatalog([self, request](const services::Result<services::RoleCatalog> &r) {
        if (!self || request != self->m_catalogRequest)
            return;
        if (!r.ok()) {
            self->m_roleStatus->setText(
                tr("Could not read the leader's catalog: %1").arg(r.error().toText()));
            return;
        }
        self->m_catalog = r.value();
        self->m_catalogLoaded = true;
        if (self->m_database->count() == 0) {
            // First read (the profile's database): offer the databases, hokm_game first.
            const QSignalBlocker block(self->m_database);
            self->m_database->addItems(self->m_catalog.databases);
            const int game = self->m_database->findText(QStringLiteral("hokm_game"));
            self->m_database->setCurrentIndex(std::max(game, 0));
            if (self->m_database->count() > 0) {
                self->loadCatalog(); // the tables of the database chosen
                return;
            }
        }
        self->fillTables();
        self->m_roleStatus->setText(self->roleProblem());
        self->m_rolePage->changed();
        Q_EMIT self->catalogReady();
    });
}

// ---- 2. Privileges ------------------------------------------------------------------------

QWizardPage *ApplicationRoleWizard::makePrivilegesPage()
{
    auto *page = m_privilegesPage = new FunctionWizardPage;
    page->setTitle(tr("Which tables?"));
    auto *layout = new QVBoxLayout(page);
    auto *row = new QHBoxLayout;
    m_schema = new QComboBox(page);
    m_schema->setObjectName(QStringLiteral("roleSchema"));
    row->addWidget(new QLabel(tr("Schema:"), page));
    row->addWidget(m_schema);
    row->addStretch(1);
    layout->addLayout(row);
    m_privilegesNote = new QLabel(page);
    m_privilegesNote->setWordWrap(true);
    layout->addWidget(m_privilegesNote);
    m_tables = new QTreeWidget(page);
    m_tables->setObjectName(QStringLiteral("roleTables"));
    m_tables->setRootIsDecorated(false);
    m_tables->setHeaderLabels(
        {tr("Table"), tr("SELECT"), tr("INSERT"), tr("UPDATE"), tr("DELETE"), tr("Sequences")});
    m_tables->header()->setStretchLastSection(true);
    layout->addWidget(m_tables, 1);
    connect(m_schema, &QComboBox::activated, this, &ApplicationRoleWizard::fillTables);
    connect(m_tables, &QTreeWidget::itemChanged, page, [this] { m_privilegesPage->changed(); });
    page->init = [this] {
        m_privilegesNote->setText(
            m_reporting->isChecked()
                ? tr("The reporting role gets SELECT on every table of the schema that exists "
                     "now (tables created later need another grant), and its sessions are "
                     "read-only by default.")
                : tr("Tick what the game role may do. Tables you leave unticked stay out of its "
                     "reach; an INSERT also gets the table's sequences."));
    };
    page->complete = [this] {
        return m_catalogLoaded && plan().problem().isEmpty();
    };
    return page;
}

void ApplicationRoleWizard::fillTables()
{
    if (!m_tables)
        return;
    const QString schema =
        m_schema->currentText().isEmpty() ? QStringLiteral("public") : m_schema->currentText();
    {
        const QSignalBlocker block(m_schema);
        m_schema->clear();
        QStringList schemas;
        for (const auto &t : m_catalog.tables)
            if (!schemas.contains(t.schema))
                schemas << t.schema;
        if (schemas.isEmpty())
            schemas << QStringLiteral("public");
        m_schema->addItems(schemas);
        m_schema->setCurrentIndex(std::max(0, int(schemas.indexOf(schema))));
    }
    const bool game = m_game->isChecked();
    const QSignalBlocker block(m_tables);
    m_tables->clear();
    for (const auto &t : m_catalog.tables) {
        if (t.schema != m_schema->currentText())
            continue;
        auto *item = new QTreeWidgetItem(m_tables);
        item->setText(0, t.table);
        const bool manual = kGameTables.contains(t.table);
        for (int c = 1; c <= 4; ++c) {
            const bool on = game ? manual : c == 1;
            item->setCheckState(c, on ? Qt::Checked : Qt::Unchecked);
        }
        QStringList seqs;
        for (const auto &[s, n] : t.sequences)
            seqs << n;
        item->setText(5, seqs.join(QStringLiteral(", ")));
        item->setFlags(game ? (item->flags() | Qt::ItemIsUserCheckable)
                            : (item->flags() & ~Qt::ItemIsUserCheckable & ~Qt::ItemIsEnabled));
    }
    m_tables->resizeColumnToContents(0);
    if (m_privilegesPage)
        m_privilegesPage->changed();
}

void ApplicationRoleWizard::setTablePrivileges(const QString &table, bool select, bool insert,
                                               bool update, bool del)
{
    const QList<QTreeWidgetItem *> found = m_tables->findItems(table, Qt::MatchExactly, 0);
    for (QTreeWidgetItem *item : found) {
        const bool on[] = {select, insert, update, del};
        for (int c = 1; c <= 4; ++c)
            item->setCheckState(c, on[c - 1] ? Qt::Checked : Qt::Unchecked);
    }
}

services::ApplicationRolePlan ApplicationRoleWizard::plan() const
{
    ApplicationRolePlan p;
    p.kind = m_game->isChecked() ? ApplicationRolePlan::Kind::Game
                                 : ApplicationRolePlan::Kind::Reporting;
    p.role = m_name->text();
    p.database = m_database->currentText();
    p.schema =
        m_schema->currentText().isEmpty() ? QStringLiteral("public") : m_schema->currentText();
    p.createRole = !m_onlyGrant->isChecked();
    if (p.kind == ApplicationRolePlan::Kind::Game) {
        for (const auto &t : m_catalog.tables) {
            if (t.schema != p.schema)
                continue;
            const QList<QTreeWidgetItem *> found =
                m_tables->findItems(t.table, Qt::MatchExactly, 0);
            if (found.isEmpty())
                continue;
            services::TableGrant g = t;
            g.select = found.first()->checkState(1) == Qt::Checked;
            g.insert = found.first()->checkState(2) == Qt::Checked;
            g.update = found.first()->checkState(3) == Qt::Checked;
            g.del = found.first()->checkState(4) == Qt::Checked;
            p.tables.append(g);
        }
    }
    return p;
}

// ---- 3. Password --------------------------------------------------------------------------

QWizardPage *ApplicationRoleWizard::makePasswordPage()
{
    auto *page = m_passwordPage = new FunctionWizardPage;
    page->setTitle(tr("Password"));
    page->setSubTitle(tr("Only its SCRAM-SHA-256 verifier, computed here, is sent to the "
                         "server: the password itself never reaches the server, its logs or "
                         "the audit log. It is shown once; store it where the application "
                         "reads its secrets."));
    auto *form = new QFormLayout(page);
    m_generate = new QRadioButton(tr("Generate one"), page);
    m_generate->setChecked(true);
    form->addRow(m_generate);
    auto *genRow = new QHBoxLayout;
    m_generated = new QLineEdit(PasswordGenerator::generate(), page);
    m_generated->setObjectName(QStringLiteral("generatedPassword"));
    m_generated->setReadOnly(true);
    m_generated->setFont(QFont(QStringLiteral("monospace")));
    auto *copy = new QPushButton(tr("Copy"), page);
    auto *again = new QPushButton(tr("New"), page);
    genRow->addWidget(m_generated, 1);
    genRow->addWidget(copy);
    genRow->addWidget(again);
    form->addRow(tr("Password:"), genRow);
    form->addRow(QString(),
                 new QLabel(PasswordGenerator::describe(PasswordGenerator::kDefaultLength,
                                                        PasswordGenerator::Alphabet::Alphanumeric),
                            page));
    m_type = new QRadioButton(tr("Type one"), page);
    form->addRow(m_type);
    m_typed1 = new QLineEdit(page);
    m_typed2 = new QLineEdit(page);
    for (QLineEdit *e : {m_typed1, m_typed2})
        e->setEchoMode(QLineEdit::Password);
    form->addRow(tr("Password:"), m_typed1);
    form->addRow(tr("Again:"), m_typed2);
    m_passwordHint = new QLabel(page);
    m_passwordHint->setWordWrap(true);
    form->addRow(m_passwordHint);
    connect(copy, &QPushButton::clicked, this, &ApplicationRoleWizard::copyPassword);
    connect(again, &QPushButton::clicked, this,
            [this] { m_generated->setText(PasswordGenerator::generate()); });
    for (QLineEdit *e : {m_typed1, m_typed2})
        connect(e, &QLineEdit::textChanged, this, &ApplicationRoleWizard::updatePasswordState);
    connect(m_type, &QRadioButton::toggled, this, &ApplicationRoleWizard::updatePasswordState);
    page->complete = [this] {
        return !password().isEmpty();
    };
    updatePasswordState();
    return page;
}

QString ApplicationRoleWizard::password() const
{
    if (m_generate->isChecked())
        return m_generated->text();
    if (m_typed1->text() != m_typed2->text() ||
        PasswordGenerator::strength(m_typed1->text()) == PasswordGenerator::Strength::Weak)
        return {};
    return m_typed1->text();
}

void ApplicationRoleWizard::updatePasswordState()
{
    const bool typing = m_type->isChecked();
    m_typed1->setEnabled(typing);
    m_typed2->setEnabled(typing);
    QString hint;
    if (typing && !m_typed1->text().isEmpty()) {
        hint = PasswordGenerator::strengthText(PasswordGenerator::strength(m_typed1->text()));
        if (m_typed1->text() != m_typed2->text())
            hint = tr("%1 The two entries differ.").arg(hint);
    }
    m_passwordHint->setText(hint);
    if (m_passwordPage)
        m_passwordPage->changed();
}

void ApplicationRoleWizard::copyPassword()
{
    QClipboard *clipboard = QApplication::clipboard();
    const QString pw = m_generated->text();
    clipboard->setText(pw);
    m_passwordHint->setText(
        tr("Copied. The clipboard is cleared in %1 seconds.").arg(kClipboardSeconds));
    QTimer::singleShot(kClipboardSeconds * 1000, clipboard, [clipboard, pw] {
        if (clipboard->text() == pw)
            clipboard->clear();
    });
}

void ApplicationRoleWizard::setTypedPassword(const QString &password)
{
    m_type->setChecked(true);
    m_typed1->setText(password);
    m_typed2->setText(password);
}

// ---- 4. Preview, 5. Confirm, 6. Result -----------------------------------------------------

QWizardPage *ApplicationRoleWizard::makePreviewPage()
{
    auto *page = new FunctionWizardPage;
    page->setTitle(tr("This SQL will run on the leader"));
    page->setSubTitle(tr("Exactly these statements, in one transaction: all of them or none."));
    auto *layout = new QVBoxLayout(page);
    m_preview = new QPlainTextEdit(page);
    m_preview->setObjectName(QStringLiteral("rolePreview"));
    m_preview->setReadOnly(true);
    m_preview->setFont(QFont(QStringLiteral("monospace")));
    m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);
    layout->addWidget(m_preview, 1);
    page->init = [this] {
        m_preview->setPlainText(previewText());
    };
    return page;
}

QString ApplicationRoleWizard::previewText() const
{
    services::PgSession *session = m_context->session(m_leader, m_database->currentText());
    if (!session || !session->isOpen())
        return tr("-- No connection to the leader %1.").arg(m_leader);
    const ApplicationRolePlan p = plan();
    auto quote = [session](const QString &id) {
        return session->escapeIdentifier(id);
    };
    // The verifier is computed when the statements run (a fresh salt); shown masked here.
    const QString passwordStatement = services::ApplicationRoleService::maskVerifier(
        QStringLiteral("ALTER ROLE %1 PASSWORD 'SCRAM-SHA-256$4096:x'").arg(quote(p.role)));
    QString text = tr("-- On %1 (leader of %2), database %3.\n")
                       .arg(m_leader, m_context->clusterName(), p.database);
    if (p.createRole)
        text += tr("-- The password is sent as its SCRAM-SHA-256 verifier only.\n");
    return text + services::applicationRoleScript(
                      services::applicationRoleStatements(p, quote, passwordStatement));
}

QWizardPage *ApplicationRoleWizard::makeConfirmPage()
{
    m_confirm = new TypedConfirmationPage(tr("Create role"));
    m_confirm->clusterName = [this] {
        return m_context->clusterName();
    };
    m_confirm->summary = [this] {
        const ApplicationRolePlan p = plan();
        const QString what =
            p.createRole
                ? tr("The role <b>%1</b> will be created on the leader %2 of cluster %3 and "
                     "given the privileges of the preview in database %4.")
                : tr("The existing role <b>%1</b> will be given the privileges of the preview "
                     "on the leader %2 of cluster %3, in database %4.");
        return what.arg(p.role.toHtmlEscaped(), m_leader.toHtmlEscaped(),
                        m_context->clusterName().toHtmlEscaped(), p.database.toHtmlEscaped());
    };
    return m_confirm;
}

QWizardPage *ApplicationRoleWizard::makeResultPage()
{
    auto *page = new FunctionWizardPage;
    page->setTitle(tr("Result"));
    auto *layout = new QVBoxLayout(page);
    m_resultSummary = new QLabel(page);
    m_resultSummary->setObjectName(QStringLiteral("roleResult"));
    m_resultSummary->setWordWrap(true);
    m_resultSql = new QPlainTextEdit(page);
    m_resultSql->setReadOnly(true);
    m_resultSql->setFont(QFont(QStringLiteral("monospace")));
    m_resultSql->setLineWrapMode(QPlainTextEdit::NoWrap);
    layout->addWidget(m_resultSummary);
    layout->addWidget(m_resultSql, 1);
    page->init = [this] {
        execute();
    };
    page->complete = [this] {
        return m_executed;
    };
    connect(this, &ApplicationRoleWizard::executionFinished, page, [page] { page->changed(); });
    return page;
}

void ApplicationRoleWizard::execute()
{
    if (m_executing || m_executed)
        return;
    // The typed confirmation is checked here too, not only by the page's button.
    if (!m_confirm->matches()) {
        m_resultSummary->setText(tr("Not confirmed: the cluster name was not typed."));
        return;
    }
    services::ApplicationRoleService *svc = service();
    if (!svc) {
        m_resultSummary->setText(tr("No connection to the leader; nothing was done."));
        return;
    }
    m_executing = true;
    m_resultSummary->setText(tr("Creating…"));
    const ApplicationRolePlan p = plan();
    QPointer<ApplicationRoleWizard> self(this);
    svc->create(p, p.createRole ? password().toUtf8() : QByteArray(),
                [self, p](const services::Result<services::RoleOutcome> &r) {
                    if (!self)
                        return;
                    self->m_executing = false;
                    self->m_executed = true;
                    if (!r.ok()) {
                        self->m_resultSummary->setText(
                            tr("Nothing was changed: %1").arg(r.error().toText()));
                    } else {
                        self->m_resultSummary->setText(
                            tr("Done: %1 has its privileges in %2. The action is recorded in the "
                               "audit log (without the password).")
                                .arg(p.role, p.database));
                        self->m_resultSql->setPlainText(
                            r.value().statements.join(QStringLiteral(";\n")) + QLatin1Char(';'));
                    }
                    Q_EMIT self->executionFinished();
                });
}

QString ApplicationRoleWizard::resultText() const
{
    return m_resultSummary->text();
}

void ApplicationRoleWizard::setKind(ApplicationRolePlan::Kind kind)
{
    (kind == ApplicationRolePlan::Kind::Game ? m_game : m_reporting)->setChecked(true);
}

void ApplicationRoleWizard::setRoleName(const QString &name)
{
    m_name->setText(name);
}

void ApplicationRoleWizard::setDatabase(const QString &database)
{
    const int i = m_database->findText(database);
    if (i >= 0 && i != m_database->currentIndex()) {
        m_database->setCurrentIndex(i);
        loadCatalog();
    }
}

void ApplicationRoleWizard::setOnlyGrant(bool onlyGrant)
{
    m_onlyGrant->setChecked(onlyGrant);
}

void ApplicationRoleWizard::setTypedConfirmation(const QString &text)
{
    m_confirm->typedEdit()->setText(text);
}

} // namespace vigil::ui
