#include "ui/shell/addclusterdialog.h"

#include "models/connectiontestmodel.h"
#include "services/postgres/conninfo.h"
#include "services/settings/patroniyamlimport.h"
#include "services/settings/profilestore.h"
#include "services/settings/secretstore.h"
#include "ui/shell/alertthresholdsbox.h"
#include "ui/shell/custommetricsbox.h"
#include "ui/shell/prometheusbox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontMetrics>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QTableView>
#include <QVBoxLayout>

namespace vigil::ui {

namespace {
QLineEdit *field(QWidget *parent, const QString &placeholder, const QString &objectName)
{
    auto *e = new QLineEdit(parent);
    e->setPlaceholderText(placeholder);
    e->setObjectName(objectName);
    e->setClearButtonEnabled(true);
    // Wide enough to read the hint in full (it says what to type), within reason.
    const QFontMetrics fm(e->font());
    e->setMinimumWidth(qMin(fm.horizontalAdvance(placeholder) + 3 * fm.averageCharWidth() + 24,
                            40 * fm.averageCharWidth()));
    return e;
}
QLineEdit *passwordField(QWidget *parent, const QString &objectName)
{
    auto *e = field(parent, AddClusterDialog::tr("stored in the system keychain"), objectName);
    e->setEchoMode(QLineEdit::Password);
    return e;
}

QString quoteValue(const QString &v)
{
    if (!v.isEmpty() && !v.contains(QRegularExpression(QStringLiteral("[\\s'\\\\]"))))
        return v;
    QString q = v;
    q.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    q.replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

} // namespace

AddClusterDialog::AddClusterDialog(QNetworkAccessManager *nam, services::ProfileStore *profiles,
                                   services::SecretStore *secrets, QWidget *parent)
    : QDialog(parent)
    , m_nam(nam)
    , m_profiles(profiles)
    , m_secrets(secrets)
    , m_testModel(new models::ConnectionTestModel(this))
{
    setObjectName(QStringLiteral("AddClusterDialog"));
    setWindowTitle(tr("Add cluster"));

    QGroupBox *clusterBox = createClusterBox();
    QGroupBox *sqlBox = createSqlBox();
    QGroupBox *restBox = createRestBox();
    QGroupBox *frontBox = createFrontBox();
    m_alerts = new AlertThresholdsBox(this);
    m_prometheus = new PrometheusBox(this);
    m_customMetrics = new CustomMetricsBox(this);
    createResults();
    createButtons();
    createImport();

    auto *columns = new QHBoxLayout;
    auto *left = new QVBoxLayout;
    left->addWidget(clusterBox);
    left->addWidget(sqlBox);
    left->addWidget(frontBox);
    left->addWidget(m_customMetrics, 1);
    auto *right = new QVBoxLayout;
    right->addWidget(restBox);
    right->addWidget(m_prometheus);
    right->addWidget(m_alerts);
    right->addStretch(1);
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(m_results, 1);
    layout->addWidget(m_importNotes);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
}

// Name, Patroni REST URL, read-only.
QGroupBox *AddClusterDialog::createClusterBox()
{
    m_name = field(this, tr("e.g. prod-eu"), QStringLiteral("name"));
    m_patroniUrl = field(this, tr("http://host:8008 — any member; the others are discovered"),
                         QStringLiteral("patroniUrl"));
    m_readOnly =
        new QCheckBox(tr("Read-only: no action that changes this cluster can be reached"), this);
    auto *clusterBox = new QGroupBox(tr("Cluster"), this);
    auto *clusterForm = new QFormLayout(clusterBox);
    clusterForm->addRow(tr("Name:"), m_name);
    clusterForm->addRow(tr("Patroni REST URL:"), m_patroniUrl);
    clusterForm->addRow(QString(), m_readOnly);
    return clusterBox;
}

// SQL: connection settings or a libpq service name, and the password.
QGroupBox *AddClusterDialog::createSqlBox()
{
    m_useSettings = new QRadioButton(tr("Connection settings"), this);
    m_useService = new QRadioButton(tr("libpq service name (pg_service.conf)"), this);
    m_useSettings->setChecked(true);
    m_service = field(this, tr("e.g. prod-monitor"), QStringLiteral("service"));
    m_dbname = field(this, QStringLiteral("postgres"), QStringLiteral("dbname"));
    m_dbname->setText(QStringLiteral("postgres"));
    m_user = field(this, tr("e.g. vigil (member of pg_monitor)"), QStringLiteral("user"));
    m_sslmode = new QComboBox(this);
    m_sslmode->setObjectName(QStringLiteral("sslmode"));
    m_sslmode->addItems({QStringLiteral("prefer"), QStringLiteral("disable"),
                         QStringLiteral("allow"), QStringLiteral("require"),
                         QStringLiteral("verify-ca"), QStringLiteral("verify-full")});
    m_caFile =
        field(this, tr("root CA file (sslrootcert), optional"), QStringLiteral("sslrootcert"));
    m_sslCert =
        field(this, tr("client certificate (sslcert), optional"), QStringLiteral("sslcert"));
    m_sslKey = field(this, tr("client key (sslkey), optional"), QStringLiteral("sslkey"));
    // A CA is given to be checked: libpq's default (prefer) would not check it.
    connect(m_caFile, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (!text.trimmed().isEmpty() && m_sslmode->currentText() == QLatin1String("prefer"))
            m_sslmode->setCurrentText(QStringLiteral("verify-full"));
    });
    m_sqlPassword = passwordField(this, QStringLiteral("sqlPassword"));
    m_sqlPassword->setPlaceholderText(tr("empty: use ~/.pgpass or the service file"));
    auto *sqlBox = new QGroupBox(tr("SQL (each member's host and port come from Patroni)"), this);
    auto *sqlForm = new QFormLayout(sqlBox);
    auto *modeRow = new QHBoxLayout;
    modeRow->addWidget(m_useSettings);
    modeRow->addWidget(m_useService);
    modeRow->addStretch(1);
    sqlForm->addRow(modeRow);
    sqlForm->addRow(tr("Service:"), m_service);
    sqlForm->addRow(tr("Database:"), m_dbname);
    sqlForm->addRow(tr("User:"), m_user);
    sqlForm->addRow(tr("SSL mode:"), m_sslmode);
    sqlForm->addRow(tr("CA file:"), m_caFile);
    sqlForm->addRow(tr("Certificate:"), m_sslCert);
    sqlForm->addRow(tr("Key:"), m_sslKey);
    sqlForm->addRow(tr("Password:"), m_sqlPassword);
    auto syncMode = [this] {
        const bool service = m_useService->isChecked();
        m_service->setEnabled(service);
        for (QWidget *w : std::initializer_list<QWidget *>{m_dbname, m_user, m_sslmode, m_caFile,
                                                           m_sslCert, m_sslKey})
            w->setEnabled(!service);
    };
    connect(m_useService, &QRadioButton::toggled, this, syncMode);
    syncMode();
    return sqlBox;
}

// The Patroni REST API's user, password and TLS files.
QGroupBox *AddClusterDialog::createRestBox()
{
    m_restUser =
        field(this, tr("for actions (switchover, restart); optional"), QStringLiteral("restUser"));
    m_restPassword = passwordField(this, QStringLiteral("restPassword"));
    m_restCa = field(this, tr("CA file for https, optional"), QStringLiteral("restCa"));
    m_restCert =
        field(this, tr("client certificate (verify_client), optional"), QStringLiteral("restCert"));
    m_restKey = field(this, tr("client key, optional"), QStringLiteral("restKey"));
    m_verifyPeer = new QCheckBox(tr("Verify the server certificate"), this);
    m_verifyPeer->setChecked(true);
    auto *restBox = new QGroupBox(tr("Patroni REST API"), this);
    auto *restForm = new QFormLayout(restBox);
    restForm->addRow(tr("User:"), m_restUser);
    restForm->addRow(tr("Password:"), m_restPassword);
    restForm->addRow(tr("CA file:"), m_restCa);
    restForm->addRow(tr("Certificate:"), m_restCert);
    restForm->addRow(tr("Key:"), m_restKey);
    restForm->addRow(QString(), m_verifyPeer);
    return restBox;
}

// HAProxy's stats URL and read-write backend; PgBouncer's admin console.
QGroupBox *AddClusterDialog::createFrontBox()
{
    m_haproxyUrl =
        field(this, tr("http://host:7000/;csv — optional"), QStringLiteral("haproxyUrl"));
    m_haproxyBackend =
        field(this, tr("listen/backend of the read-write port"), QStringLiteral("haproxyBackend"));
    m_haproxyBackend->setText(services::ClusterProfile().haproxyReadWriteBackend);
    m_pgbouncer = field(this, tr("host=… port=6432 dbname=pgbouncer user=… — optional"),
                        QStringLiteral("pgbouncerConninfo"));
    m_pgbouncerPassword = passwordField(this, QStringLiteral("pgbouncerPassword"));
    auto *frontBox = new QGroupBox(tr("HAProxy and PgBouncer"), this);
    auto *frontForm = new QFormLayout(frontBox);
    frontForm->addRow(tr("HAProxy stats URL:"), m_haproxyUrl);
    frontForm->addRow(tr("Read-write backend:"), m_haproxyBackend);
    frontForm->addRow(tr("PgBouncer admin:"), m_pgbouncer);
    frontForm->addRow(tr("PgBouncer password:"), m_pgbouncerPassword);
    return frontBox;
}

// The connection test's status line and per-member results.
void AddClusterDialog::createResults()
{
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_results = new QTableView(this);
    m_results->setModel(m_testModel);
    m_results->verticalHeader()->setVisible(false);
    m_results->horizontalHeader()->setStretchLastSection(true);
    m_results->setSelectionMode(QAbstractItemView::NoSelection);
    m_results->setMinimumHeight(140);
}

void AddClusterDialog::createButtons()
{
    m_buttons = new QDialogButtonBox(this);
    m_testButton = m_buttons->addButton(tr("Test connection"), QDialogButtonBox::ActionRole);
    // Joins the buttons only when the keychain fails (QDialogButtonBox shows every button it lays
    // out, hidden or not).
    m_sessionButton = new QPushButton(tr("Use for this session only"), this);
    m_sessionButton->setObjectName(QStringLiteral("sessionOnlyButton"));
    m_sessionButton->hide();
    m_saveButton = m_buttons->addButton(tr("Save"), QDialogButtonBox::AcceptRole);
    m_buttons->addButton(QDialogButtonBox::Cancel);
    connect(m_testButton, &QPushButton::clicked, this, &AddClusterDialog::testConnection);
    connect(m_saveButton, &QPushButton::clicked, this, &AddClusterDialog::save);
    connect(m_sessionButton, &QPushButton::clicked, this, &AddClusterDialog::useForSessionOnly);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

// The import button (left of the others) and the label that shows what an import found.
void AddClusterDialog::createImport()
{
    m_importButton = new QPushButton(tr("Import from patroni.yml / patronictl.yaml…"), this);
    m_importButton->setObjectName(QStringLiteral("importButton"));
    m_importButton->setToolTip(tr("Fill the fields from the members' patroni.yml (choose one "
                                  "file per member) or a patronictl.yaml. Nothing is saved "
                                  "until you press Save."));
    m_buttons->addButton(m_importButton, QDialogButtonBox::ResetRole);
    connect(m_importButton, &QPushButton::clicked, this, &AddClusterDialog::chooseImportFiles);
    m_importNotes = new QLabel(this);
    m_importNotes->setObjectName(QStringLiteral("importNotes"));
    m_importNotes->setWordWrap(true);
    m_importNotes->setTextFormat(Qt::PlainText);
    m_importNotes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_importNotes->hide();
}

AddClusterDialog::~AddClusterDialog() = default;

QString AddClusterDialog::composeConninfo(const QString &service, const QString &dbname,
                                          const QString &user, const QString &sslmode,
                                          const QString &caFile, const QString &certFile,
                                          const QString &keyFile)
{
    if (!service.trimmed().isEmpty())
        return QStringLiteral("service=%1").arg(quoteValue(service.trimmed()));
    QStringList parts;
    parts << QStringLiteral("dbname=%1")
                 .arg(quoteValue(dbname.trimmed().isEmpty() ? QStringLiteral("postgres")
                                                            : dbname.trimmed()));
    if (!user.trimmed().isEmpty())
        parts << QStringLiteral("user=%1").arg(quoteValue(user.trimmed()));
    if (!sslmode.isEmpty() && sslmode != QLatin1String("prefer"))
        parts << QStringLiteral("sslmode=%1").arg(sslmode);
    if (!caFile.trimmed().isEmpty())
        parts << QStringLiteral("sslrootcert=%1").arg(quoteValue(caFile.trimmed()));
    if (!certFile.trimmed().isEmpty())
        parts << QStringLiteral("sslcert=%1").arg(quoteValue(certFile.trimmed()));
    if (!keyFile.trimmed().isEmpty())
        parts << QStringLiteral("sslkey=%1").arg(quoteValue(keyFile.trimmed()));
    return services::conninfoWithTlsDefault(parts.join(QLatin1Char(' ')));
}

void AddClusterDialog::setProfile(const services::ClusterProfile &p)
{
    m_base = p;
    m_name->setText(p.name);
    m_patroniUrl->setText(p.patroniUrl.toString());
    const auto kv = services::conninfoValues(p.sqlConninfo); // libpq's reading
    if (kv.contains(QStringLiteral("service"))) {
        m_useService->setChecked(true);
        m_service->setText(kv.value(QStringLiteral("service")));
    } else {
        m_useSettings->setChecked(true);
        m_dbname->setText(kv.value(QStringLiteral("dbname"), QStringLiteral("postgres")));
        m_user->setText(kv.value(QStringLiteral("user")));
        const int i =
            m_sslmode->findText(kv.value(QStringLiteral("sslmode"), QStringLiteral("prefer")));
        m_sslmode->setCurrentIndex(qMax(0, i));
        m_caFile->setText(kv.value(QStringLiteral("sslrootcert")));
        m_sslCert->setText(kv.value(QStringLiteral("sslcert")));
        m_sslKey->setText(kv.value(QStringLiteral("sslkey")));
    }
    m_restUser->setText(p.restUser);
    m_restCa->setText(p.restCaFile);
    m_restCert->setText(p.restCertFile);
    m_restKey->setText(p.restKeyFile);
    m_verifyPeer->setChecked(p.restVerifyPeer);
    m_haproxyUrl->setText(p.haproxyStatsUrl.toString());
    m_haproxyBackend->setText(p.haproxyReadWriteBackend);
    m_pgbouncer->setText(p.pgbouncerConninfo);
    m_readOnly->setChecked(p.readOnly);
    m_alerts->setThresholds(p.thresholds);
    m_alerts->setDesktopNotifications(p.desktopNotifications);
    m_prometheus->setSettings(m_profiles ? m_profiles->prometheus(p.name)
                                         : services::PrometheusSettings());
    m_customMetrics->setMetrics(m_profiles ? m_profiles->customMetrics(p.name)
                                           : QList<services::CustomMetric>());
}

void AddClusterDialog::setEditing(bool editing)
{
    m_editing = editing;
    setWindowTitle(editing ? tr("Edit cluster %1").arg(m_name->text()) : tr("Add cluster"));
    m_name->setReadOnly(editing);
    m_name->setToolTip(editing ? tr("The name keys the passwords in the keychain; add a new "
                                    "cluster to use another name.")
                               : QString());
    const QString keep = tr("empty: keep the stored password");
    m_sqlPassword->setPlaceholderText(editing ? keep
                                              : tr("empty: use ~/.pgpass or the service file"));
    m_restPassword->setPlaceholderText(editing ? keep : QString());
    m_pgbouncerPassword->setPlaceholderText(editing ? keep : QString());
}

services::ClusterProfile AddClusterDialog::profile() const
{
    // Start from the profile being edited: intervals, deadlines and fallback URLs have no field
    // here.
    services::ClusterProfile p = m_base;
    p.haproxyStatsUrl = QUrl();
    p.haproxyReadWriteBackend = services::ClusterProfile().haproxyReadWriteBackend;
    p.name = m_name->text().trimmed();
    p.patroniUrl = QUrl::fromUserInput(m_patroniUrl->text().trimmed());
    p.sqlConninfo = composeConninfo(m_useService->isChecked() ? m_service->text() : QString(),
                                    m_dbname->text(), m_user->text(), m_sslmode->currentText(),
                                    m_caFile->text(), m_sslCert->text(), m_sslKey->text());
    p.restUser = m_restUser->text().trimmed();
    p.restCaFile = m_restCa->text().trimmed();
    p.restCertFile = m_restCert->text().trimmed();
    p.restKeyFile = m_restKey->text().trimmed();
    p.restVerifyPeer = m_verifyPeer->isChecked();
    if (!m_haproxyUrl->text().trimmed().isEmpty())
        p.haproxyStatsUrl = QUrl::fromUserInput(m_haproxyUrl->text().trimmed());
    if (!m_haproxyBackend->text().trimmed().isEmpty())
        p.haproxyReadWriteBackend = m_haproxyBackend->text().trimmed();
    p.pgbouncerConninfo = services::conninfoWithTlsDefault(m_pgbouncer->text().trimmed());
    p.readOnly = m_readOnly->isChecked();
    p.thresholds = m_alerts->thresholds(m_base.thresholds);
    p.desktopNotifications = m_alerts->desktopNotifications();
    return p;
}

services::ClusterMonitor::Secrets AddClusterDialog::secrets() const
{
    services::ClusterMonitor::Secrets s;
    s.sqlPassword = m_sqlPassword->text();
    s.restPassword = m_restPassword->text();
    s.pgbouncerPassword = m_pgbouncerPassword->text();
    return s;
}

QString AddClusterDialog::validationError() const
{
    const services::ClusterProfile p = profile();
    if (p.name.isEmpty())
        return tr("Give the cluster a name.");
    if (m_patroniUrl->text().trimmed().isEmpty() || !p.patroniUrl.isValid() ||
        p.patroniUrl.host().isEmpty())
        return tr("Enter the REST URL of any Patroni member, e.g. http://10.0.0.5:8008.");
    if (m_useService->isChecked() && m_service->text().trimmed().isEmpty())
        return tr("Enter the libpq service name, or choose connection settings.");
    if (!p.haproxyStatsUrl.isEmpty() &&
        (!p.haproxyStatsUrl.isValid() || p.haproxyStatsUrl.host().isEmpty()))
        return tr("The HAProxy stats URL is not valid.");
    if (const QString custom = m_customMetrics->validationError(); !custom.isEmpty())
        return custom;
    return m_prometheus->validationError();
}

QString AddClusterDialog::statusText() const
{
    return m_status->text();
}

bool AddClusterDialog::sessionOnlyOffered() const
{
    return m_sessionOffered;
}

void AddClusterDialog::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b3261e; font-weight: bold;")
                                  : QString());
}

void AddClusterDialog::setBusy(bool busy, const QString &status)
{
    m_testButton->setEnabled(!busy);
    m_saveButton->setEnabled(!busy);
    setStatus(status, false);
}

void AddClusterDialog::testConnection()
{
    const QString problem = validationError();
    if (!problem.isEmpty()) {
        setStatus(problem, true);
        return;
    }
    if (m_testMonitor)
        m_testMonitor->deleteLater();
    m_testModel->clear();
    services::ClusterProfile draft = profile();
    const QString target = draft.patroniUrl.toString(QUrl::RemovePassword);
    setBusy(true, tr("Testing %1… (at most %2 s)")
                      .arg(target)
                      .arg((draft.memberDeadlineMs * 2 + 999) / 1000));
    m_testMonitor = new services::ClusterMonitor(m_nam, draft, secrets(), this);
    connect(m_testMonitor, &services::ClusterMonitor::snapshotReady, this,
            [this, monitor = m_testMonitor.data()](const services::ClusterSnapshotPtr &snapshot) {
                m_testModel->setSnapshot(snapshot);
                QStringList members;
                for (const services::MemberSnapshot &m : snapshot->members)
                    members << m.name;
                m_prometheus->test(m_nam, members);
                m_results->resizeColumnsToContents();
                setBusy(false, m_testModel->summary());
                if (!m_testModel->allOk())
                    setStatus(m_testModel->summary(), true);
                monitor->deleteLater();
            });
    m_testMonitor->pollOnce();
}

void AddClusterDialog::save()
{
    const QString problem = validationError();
    if (!problem.isEmpty()) {
        setStatus(problem, true);
        return;
    }
    const services::ClusterProfile p = profile();
    if (!m_editing && m_profiles && m_profiles->contains(p.name)) {
        setStatus(tr("A cluster named '%1' is already saved. Choose another name, or change that "
                     "one with "
                     "File → Edit cluster.")
                      .arg(p.name),
                  true);
        return;
    }
    const services::ClusterMonitor::Secrets s = secrets();
    QList<QPair<QString, QString>> pending;
    using Slot = services::SecretStore::Slot;
    if (!s.sqlPassword.isEmpty())
        pending.append({services::SecretStore::keyFor(p.name, Slot::Sql), s.sqlPassword});
    if (!s.restPassword.isEmpty())
        pending.append({services::SecretStore::keyFor(p.name, Slot::Rest), s.restPassword});
    if (!s.pgbouncerPassword.isEmpty())
        pending.append(
            {services::SecretStore::keyFor(p.name, Slot::PgBouncer), s.pgbouncerPassword});
    if (!m_prometheus->secret().isEmpty())
        pending.append(
            {services::SecretStore::keyFor(p.name, Slot::Prometheus), m_prometheus->secret()});
    if (pending.isEmpty() || !m_secrets) {
        finishSave(false);
        return;
    }
    setBusy(true, tr("Storing the passwords in the keychain…"));
    writeNextSecret(pending);
}

void AddClusterDialog::writeNextSecret(QList<QPair<QString, QString>> pending)
{
    if (pending.isEmpty()) {
        finishSave(false);
        return;
    }
    const auto [key, secret] = pending.takeFirst();
    m_secrets->write(key, secret, [this, pending](const services::SecretStore::Outcome &outcome) {
        if (outcome.ok()) {
            writeNextSecret(pending);
            return;
        }
        // No keychain: say so, keep the dialog open, offer the session-only way. Nothing is
        // written anywhere else.
        setBusy(false, QString());
        setStatus(services::SecretStore::describe(outcome), true);
        if (outcome.failure == services::SecretStore::Failure::NoBackend ||
            outcome.failure == services::SecretStore::Failure::Other) {
            m_sessionOffered = true;
            m_buttons->addButton(m_sessionButton, QDialogButtonBox::ActionRole);
            m_sessionButton->show();
        }
    });
}

void AddClusterDialog::useForSessionOnly()
{
    if (!validationError().isEmpty())
        return;
    finishSave(true);
}

void AddClusterDialog::chooseImportFiles()
{
    auto *picker = new QFileDialog(this, tr("Import from patroni.yml / patronictl.yaml"));
    picker->setAttribute(Qt::WA_DeleteOnClose);
    picker->setFileMode(QFileDialog::ExistingFiles);
    picker->setNameFilters({tr("Patroni configuration (*.yml *.yaml)"), tr("All files (*)")});
    connect(picker, &QFileDialog::filesSelected, this, &AddClusterDialog::importFiles);
    picker->open();
}

void AddClusterDialog::importFiles(const QStringList &paths)
{
    if (paths.isEmpty())
        return;
    const QString name = m_editing ? m_name->text().trimmed() : QString();
    const services::PatroniYamlImport::Result r =
        services::PatroniYamlImport::parseFiles(paths, name);
    if (!r.ok()) {
        m_importNotes->hide();
        setStatus(tr("Nothing imported. %1").arg(r.error), true);
        return;
    }
    // What the files say replaces the matching fields; HAProxy, PgBouncer and read-only keep
    // what is typed.
    services::ClusterProfile p = profile();
    if (!r.profile.name.isEmpty())
        p.name = r.profile.name;
    if (!r.profile.patroniUrl.isEmpty()) {
        p.patroniUrl = r.profile.patroniUrl;
        p.patroniFallbackUrls = r.profile.patroniFallbackUrls;
    }
    p.sqlConninfo = r.profile.sqlConninfo;
    p.restUser = r.profile.restUser;
    p.restCaFile = r.profile.restCaFile;
    p.restCertFile = r.profile.restCertFile;
    p.restKeyFile = r.profile.restKeyFile;
    p.restVerifyPeer = r.profile.restVerifyPeer;
    setProfile(p);
    if (!r.restPassword.isEmpty())
        m_restPassword->setText(r.restPassword);
    QStringList lines;
    for (const QString &note : r.notes)
        lines << QStringLiteral("• ") + note;
    m_importNotes->setText(lines.join(QLatin1Char('\n')));
    m_importNotes->show();
    const QString problem = validationError();
    setStatus(problem.isEmpty() ? tr("Imported %n file(s). Check the fields, test the "
                                     "connection, then Save.",
                                     nullptr, int(paths.size()))
                                : problem,
              !problem.isEmpty());
}

QString AddClusterDialog::importNotesText() const
{
    return m_importNotes->text();
}

void AddClusterDialog::finishSave(bool sessionOnly)
{
    const services::ClusterProfile p = profile();
    if (m_profiles) {
        m_profiles->save(p);
        m_profiles->setPrometheus(p.name, m_prometheus->settings());
        m_profiles->setCustomMetrics(p.name, m_customMetrics->metrics());
    }
    setBusy(false, sessionOnly
                       ? tr("Saved without passwords; they are kept in memory until Vigil exits.")
                       : tr("Saved."));
    Q_EMIT profileSaved(p, secrets(), sessionOnly);
    accept();
}

} // namespace vigil::ui
