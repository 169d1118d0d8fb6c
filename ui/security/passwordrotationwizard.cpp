#include "ui/security/passwordrotationwizard.h"

#include "services/security/passwordgenerator.h"
#include "services/security/passwordrotator.h"
#include "services/security/rotationdiscovery.h"
#include "ui/widgets/functionwizardpage.h"
#include "ui/widgets/typedconfirmationpage.h"

#include <QApplication>
#include <QButtonGroup>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace vigil::ui {

using namespace vigil::services;
using Alphabet = PasswordGenerator::Alphabet;
using FnPage = FunctionWizardPage;

namespace {
QLabel *wrapped(const QString &text, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    l->setWordWrap(true);
    return l;
}
} // namespace

PasswordRotationWizard::PasswordRotationWizard(OperationContext ctx, SecretStore *secrets,
                                               QWidget *parent)
    : QWizard(parent)
    , m_ctx(std::move(ctx))
    , m_discovery(new RotationDiscovery(m_ctx, this))
    , m_rotator(new PasswordRotator(m_ctx, secrets, this))
{
    setObjectName(QStringLiteral("passwordRotationWizard"));
    setWindowTitle(tr("Rotate a role's password"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    setOption(QWizard::NoCancelButtonOnLastPage);
    setPage(RolePage, makeRolePage());
    setPage(PasswordPage, makePasswordPage());
    setPage(PreviewPage, makePreviewPage());
    setPage(ConfirmPage, makeConfirmPage());
    setPage(ResultPage, makeResultPage());
    connect(m_discovery, &RotationDiscovery::finished, this, &PasswordRotationWizard::onTarget);
    connect(m_rotator, &PasswordRotator::progress, this,
            [this](const QString &line) { m_log->appendPlainText(line); });
    connect(m_rotator, &PasswordRotator::finished, this, &PasswordRotationWizard::onFinished);
    resize(860, 600);
    m_discovery->start();
}

PasswordRotationWizard::~PasswordRotationWizard()
{
    m_password.fill(QLatin1Char('\0'));
}

void PasswordRotationWizard::done(int result)
{
    // The password lives only as long as the wizard is open: wipe it and the fields showing it.
    m_password.fill(QLatin1Char('\0'));
    m_password.clear();
    for (QLineEdit *e : {m_generated, m_typed1, m_typed2, m_old, m_confirm->typedEdit()})
        e->clear();
    QWizard::done(result);
}

QWizardPage *PasswordRotationWizard::makeRolePage()
{
    auto *page = new FnPage;
    page->setTitle(tr("Which role?"));
    page->setSubTitle(tr("Login roles on the leader. The password is hashed here (SCRAM-SHA-256) "
                         "and only the verifier is sent to the server."));
    auto *box = new QVBoxLayout(page);
    m_roles = new QTreeWidget(page);
    m_roles->setRootIsDecorated(false);
    m_roles->setHeaderLabels(
        {tr("Role"), tr("Valid until"), tr("Used by"), tr("PgBouncer databases")});
    m_roles->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_roles->header()->setStretchLastSection(true);
    box->addWidget(m_roles, 1);
    m_roleNote = wrapped(tr("Reading the leader's roles…"), page);
    box->addWidget(m_roleNote);
    page->complete = [this] {
        const RotationRole *r = m_target.role(selectedRole());
        return m_loaded && r && r->refusal().isEmpty();
    };
    connect(m_roles, &QTreeWidget::currentItemChanged, page, [this, page] {
        const RotationRole *r = m_target.role(selectedRole());
        QStringList notes{tr("Leader: %1, cluster %2.").arg(m_target.leader, m_target.cluster)};
        if (!m_target.encryptionWarning().isEmpty())
            notes.append(m_target.encryptionWarning());
        if (r && !r->refusal().isEmpty())
            notes.append(r->refusal());
        else if (r && r->superuser)
            notes.append(tr("%1 is a superuser: whoever holds the new password holds the cluster.")
                             .arg(r->name));
        if (m_loaded)
            m_roleNote->setText(notes.join(QStringLiteral("\n\n")));
        page->changed();
    });
    return page;
}

void PasswordRotationWizard::onTarget(const RotationTarget &target)
{
    m_target = target;
    m_loaded = !target.error;
    m_roles->clear();
    if (target.error) {
        m_roleNote->setText(tr("Could not read the roles: %1").arg(target.error.toText()));
        Q_EMIT targetReady();
        return;
    }
    for (const RotationRole &r : target.roles) {
        QStringList usedBy;
        if (r.profileRole)
            usedBy.append(tr("this profile"));
        if (r.usedByPatroni || r.replication)
            usedBy.append(tr("Patroni (refused)"));
        auto *item = new QTreeWidgetItem(
            m_roles,
            {r.name, r.validUntil.isEmpty() ? tr("no expiry") : r.validUntil,
             usedBy.join(QStringLiteral(", ")), r.pgbouncerDatabases.join(QStringLiteral(", "))});
        if (!r.refusal().isEmpty())
            item->setForeground(0, palette().brush(QPalette::Disabled, QPalette::Text));
    }
    m_roleNote->setText(target.encryptionWarning().isEmpty()
                            ? tr("Leader: %1, cluster %2.").arg(target.leader, target.cluster)
                            : target.encryptionWarning());
    Q_EMIT targetReady();
}

bool PasswordRotationWizard::selectRole(const QString &role)
{
    const auto items = m_roles->findItems(role, Qt::MatchExactly, 0);
    if (items.isEmpty())
        return false;
    m_roles->setCurrentItem(items.first());
    return true;
}

QString PasswordRotationWizard::selectedRole() const
{
    return m_roles->currentItem() ? m_roles->currentItem()->text(0) : QString();
}

// ---- password ------------------------------------------------------------------------------

QWizardPage *PasswordRotationWizard::makePasswordPage()
{
    auto *page = new FnPage;
    page->setTitle(tr("New password"));
    page->setSubTitle(tr("Shown once. It stays in this window's memory until the wizard closes, "
                         "never on disk."));
    auto *form = new QFormLayout(page);
    m_mode = new QButtonGroup(page);
    auto *generate = new QRadioButton(tr("Generate one (recommended)"), page);
    auto *type = new QRadioButton(tr("Type one"), page);
    generate->setChecked(true);
    m_mode->addButton(generate, 0);
    m_mode->addButton(type, 1);
    form->addRow(generate);
    auto *genRow = new QHBoxLayout;
    m_length = new QSpinBox(page);
    m_length->setRange(PasswordGenerator::kMinimumLength, PasswordGenerator::kMaximumLength);
    m_length->setValue(PasswordGenerator::kDefaultLength);
    m_length->setSuffix(tr(" characters"));
    m_alphabet = new QComboBox(page);
    m_alphabet->addItem(tr("Letters and digits"), int(Alphabet::Alphanumeric));
    m_alphabet->addItem(tr("Letters, digits and symbols"), int(Alphabet::AlphanumericSymbols));
    auto *again = new QPushButton(tr("&New one"), page);
    genRow->addWidget(m_length);
    genRow->addWidget(m_alphabet, 1);
    genRow->addWidget(again);
    form->addRow(tr("Length, alphabet:"), genRow);
    auto *shown = new QHBoxLayout;
    m_generated = new QLineEdit(page);
    m_generated->setReadOnly(true);
    m_generated->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *copy = new QPushButton(tr("&Copy"), page);
    copy->setToolTip(
        tr("The clipboard is cleared after %1 seconds.").arg(kClipboardClearMs / 1000));
    shown->addWidget(m_generated, 1);
    shown->addWidget(copy);
    form->addRow(tr("Password:"), shown);
    m_generatedInfo = wrapped({}, page);
    form->addRow(QString(), m_generatedInfo);
    form->addRow(type);
    m_typed1 = new QLineEdit(page);
    m_typed2 = new QLineEdit(page);
    for (QLineEdit *e : {m_typed1, m_typed2})
        e->setEchoMode(QLineEdit::Password);
    form->addRow(tr("Password:"), m_typed1);
    form->addRow(tr("Again:"), m_typed2);
    m_strength = wrapped({}, page);
    form->addRow(QString(), m_strength);
    m_validUntil = new QLineEdit(page);
    m_validUntil->setPlaceholderText(tr("unchanged (e.g. 2027-06-30 or infinity)"));
    form->addRow(tr("Valid until:"), m_validUntil);
    m_old = new QLineEdit(page);
    m_old->setEchoMode(QLineEdit::Password);
    m_old->setPlaceholderText(tr("optional: to check afterwards that it is refused"));
    form->addRow(tr("Old password:"), m_old);
    page->complete = [this] {
        return !m_password.isEmpty();
    };
    connect(again, &QPushButton::clicked, this, &PasswordRotationWizard::regenerate);
    connect(copy, &QPushButton::clicked, this, &PasswordRotationWizard::copyPassword);
    connect(m_length, &QSpinBox::valueChanged, this, &PasswordRotationWizard::regenerate);
    connect(m_alphabet, &QComboBox::currentIndexChanged, this, &PasswordRotationWizard::regenerate);
    connect(m_mode, &QButtonGroup::idClicked, this, &PasswordRotationWizard::updatePassword);
    for (QLineEdit *e : {m_typed1, m_typed2})
        connect(e, &QLineEdit::textChanged, this, &PasswordRotationWizard::updatePassword);
    connect(this, &QWizard::currentIdChanged, page, [page] { page->changed(); });
    regenerate();
    return page;
}

void PasswordRotationWizard::regenerate()
{
    const auto alphabet = Alphabet(m_alphabet->currentData().toInt());
    m_generated->setText(PasswordGenerator::generate(m_length->value(), alphabet));
    m_generatedInfo->setText(PasswordGenerator::describe(m_length->value(), alphabet));
    updatePassword();
}

void PasswordRotationWizard::updatePassword()
{
    const bool typed = m_mode->checkedId() == 1;
    for (QWidget *w : {static_cast<QWidget *>(m_length), static_cast<QWidget *>(m_alphabet),
                       static_cast<QWidget *>(m_generated)})
        w->setEnabled(!typed);
    m_typed1->setEnabled(typed);
    m_typed2->setEnabled(typed);
    if (!typed) {
        m_password = m_generated->text();
        m_strength->clear();
    } else if (m_typed1->text() != m_typed2->text()) {
        m_password.clear();
        m_strength->setText(tr("The two entries differ."));
    } else {
        m_password = m_typed1->text();
        m_strength->setText(m_password.isEmpty() ? QString()
                                                 : PasswordGenerator::strengthText(
                                                       PasswordGenerator::strength(m_password)));
    }
    if (auto *p = static_cast<FnPage *>(page(PasswordPage)))
        p->changed();
}

void PasswordRotationWizard::setTypedPassword(const QString &password)
{
    m_mode->button(1)->setChecked(true);
    m_typed1->setText(password);
    m_typed2->setText(password);
    updatePassword();
}

void PasswordRotationWizard::setValidUntil(const QString &validUntil)
{
    m_validUntil->setText(validUntil);
}

void PasswordRotationWizard::setOldPassword(const QString &password)
{
    m_old->setText(password);
}

void PasswordRotationWizard::copyPassword()
{
    QClipboard *clipboard = QApplication::clipboard();
    clipboard->setText(m_password);
    // Cleared after 30 s, also when the wizard has closed by then (the application is the
    // timer's context), but only if the clipboard still holds this password.
    const QString copied = m_password;
    QTimer::singleShot(m_clipboardClearMs, qApp, [copied] {
        QClipboard *c = QApplication::clipboard();
        if (c->text() == copied)
            c->clear();
    });
}

// ---- preview, confirm, result ------------------------------------------------------------------

QWizardPage *PasswordRotationWizard::makePreviewPage()
{
    auto *page = new FnPage;
    page->setTitle(tr("What will happen"));
    page->setSubTitle(tr("Nothing has been changed yet."));
    auto *box = new QVBoxLayout(page);
    m_preview = new QPlainTextEdit(page);
    m_preview->setReadOnly(true);
    box->addWidget(m_preview, 1);
    m_writeUserlist = new QCheckBox(page);
    box->addWidget(m_writeUserlist);
    page->init = [this] {
        const PgBouncerAuth &a = m_target.pgbouncer;
        const bool canWrite = a.configured && !a.usesAuthQuery() && a.fileIsWritable;
        m_writeUserlist->setVisible(canWrite);
        m_writeUserlist->setChecked(canWrite);
        m_writeUserlist->setText(
            tr("Write the new line into %1 (a backup is kept) and RELOAD PgBouncer")
                .arg(a.authFile));
        m_preview->setPlainText(previewText());
    };
    return page;
}

QString PasswordRotationWizard::previewText() const
{
    const QString role = selectedRole();
    const RotationRole *r = m_target.role(role);
    QStringList lines;
    lines << tr("1. On the leader %1, Vigil computes the SCRAM-SHA-256 verifier of the new "
                "password and runs:")
                 .arg(m_target.leader);
    QString sql = QStringLiteral("   ALTER ROLE \"%1\" PASSWORD 'SCRAM-SHA-256$4096:<salt>$<keys>'")
                      .arg(role);
    if (!m_validUntil->text().trimmed().isEmpty())
        sql += QStringLiteral(" VALID UNTIL '%1'").arg(m_validUntil->text().trimmed());
    lines << sql << tr("   The password itself is never sent; server logs see only the verifier.");
    const PgBouncerAuth &a = m_target.pgbouncer;
    if (!a.configured)
        lines << tr("2. PgBouncer: not in this profile; nothing to do.");
    else if (a.error)
        lines << tr("2. PgBouncer: its console could not be read (%1).").arg(a.error.toText());
    else if (a.usesAuthQuery())
        lines
            << tr("2. PgBouncer uses auth_query (user %1): it asks the server, nothing to change.")
                   .arg(a.authUser);
    else
        lines << tr("2. PgBouncer (auth_type %1) reads %2: the line for %3 gets the same "
                    "verifier. %4")
                     .arg(a.authType, a.authFile, role,
                          a.fileIsWritable ? tr("The file is on this machine and writable.")
                                           : tr("The file cannot be written from here: you will "
                                                "get the exact line to copy."));
    lines << (r && r->profileRole
                  ? tr("3. Keychain: %1 is this profile's role; its saved password is updated.")
                        .arg(role)
                  : tr("3. Keychain: not this profile's role; nothing to update."));
    lines << tr("4. Checks: the new password logs in on the leader and through PgBouncer; %1")
                 .arg(m_old->text().isEmpty() ? tr("the old one is not checked (not given).")
                                              : tr("the old one is refused on both."));
    lines << tr("5. An audit log entry: role, who, when, outcome (no password, no verifier).");
    if (!m_target.encryptionWarning().isEmpty())
        lines << QString() << m_target.encryptionWarning();
    return lines.join(QLatin1Char('\n'));
}

QWizardPage *PasswordRotationWizard::makeConfirmPage()
{
    m_confirm = new TypedConfirmationPage(tr("&Rotate password"));
    m_confirm->clusterName = [this] {
        return m_target.cluster;
    };
    m_confirm->summary = [this] {
        return tr("The password of <b>%1</b> on cluster %2 will be replaced; clients still using "
                  "the old one will fail to log in.")
            .arg(selectedRole().toHtmlEscaped(), m_target.cluster.toHtmlEscaped());
    };
    return m_confirm;
}

void PasswordRotationWizard::setTypedConfirmation(const QString &text)
{
    m_confirm->typedEdit()->setText(text);
}

QWizardPage *PasswordRotationWizard::makeResultPage()
{
    auto *page = new FnPage;
    page->setTitle(tr("Rotation"));
    auto *box = new QVBoxLayout(page);
    m_resultSummary = wrapped(tr("Working…"), page);
    box->addWidget(m_resultSummary);
    m_log = new QPlainTextEdit(page);
    m_log->setReadOnly(true);
    box->addWidget(m_log, 1);
    m_userlistLine = new QLineEdit(page);
    m_userlistLine->setReadOnly(true);
    m_userlistLine->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_userlistLine->setVisible(false);
    box->addWidget(m_userlistLine);
    m_again = new QPushButton(tr("Run &again with the same password"), page);
    m_again->setVisible(false);
    box->addWidget(m_again, 0, Qt::AlignLeft);
    page->complete = [this] {
        return m_finished;
    };
    page->init = [this] {
        execute();
    };
    connect(m_again, &QPushButton::clicked, this, &PasswordRotationWizard::runAgain);
    return page;
}

RotationRequest PasswordRotationWizard::request() const
{
    RotationRequest r;
    r.role = selectedRole();
    r.newPassword = m_password;
    r.oldPassword = m_old->text();
    r.validUntil = m_validUntil->text().trimmed();
    r.writeUserlist = m_writeUserlist->isChecked();
    r.typedConfirmation = m_confirm->typedEdit()->text();
    return r;
}

void PasswordRotationWizard::execute()
{
    m_finished = false;
    m_again->setVisible(false);
    m_userlistLine->setVisible(false);
    m_resultSummary->setText(tr("Working…"));
    static_cast<FnPage *>(page(ResultPage))->changed();
    m_rotator->start(m_target, request());
}

void PasswordRotationWizard::runAgain()
{
    m_log->appendPlainText(tr("— again —"));
    execute();
}

void PasswordRotationWizard::onFinished(const RotationReport &report)
{
    m_report = report;
    m_finished = true;
    const bool ok = report.passwordChanged && !report.failed();
    m_resultSummary->setText(
        ok ? (report.manualWorkLeft() ? tr("The password was changed; something is left to do "
                                           "by hand (below).")
                                      : tr("The password was changed and verified."))
        : report.passwordChanged
            ? tr("The password was changed, but a step failed (below). Fix it and run again "
                 "with the same password.")
            : tr("The password was not changed (below)."));
    // Each step was logged as it happened (PasswordRotator::progress).
    if (!report.userlistLine.isEmpty() && report.userlistBackup.isEmpty()) {
        m_userlistLine->setText(QString::fromUtf8(report.userlistLine));
        m_userlistLine->setVisible(true);
    }
    m_again->setVisible(!ok);
    static_cast<FnPage *>(page(ResultPage))->changed();
    Q_EMIT rotationFinished();
}

} // namespace vigil::ui
