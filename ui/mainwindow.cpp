#include "ui/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QVBoxLayout>

namespace vigil::ui {

namespace {
const char *kGeometryKey = "mainWindow/geometry";
const char *kStateKey = "mainWindow/state";
// Bump when the dock layout changes incompatibly: restoreState() ignores other versions.
constexpr int kLayoutVersion = 1;
} // namespace

MainWindow::MainWindow(const Options &options, QWidget *parent)
    : QMainWindow(parent)
    , m_options(options)
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(tr("Vigil"));
    setDockNestingEnabled(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks |
                   QMainWindow::AllowTabbedDocks);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_banner = new QLabel(central);
    m_banner->setObjectName(QStringLiteral("connectionBanner"));
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::RichText);
    m_banner->setAlignment(Qt::AlignCenter);
    m_banner->setMargin(24);
    layout->addStretch(1);
    layout->addWidget(m_banner);
    layout->addStretch(2);
    setCentralWidget(central);

    m_statusLabel = new QLabel(this);
    statusBar()->addPermanentWidget(m_statusLabel, 1);

    if (m_options.patroniUrl.isEmpty() && m_options.profileName.isEmpty()) {
        m_banner->setText(tr("<h2>No cluster open</h2><p>Start Vigil with "
                             "<tt>--patroni URL</tt> or <tt>--profile NAME</tt> to watch a "
                             "cluster.</p>"));
        m_statusLabel->setText(tr("Not connected."));
    } else {
        const QString target = m_options.patroniUrl.isEmpty() ? m_options.profileName
                                                              : m_options.patroniUrl;
        m_banner->setText(tr("<h2>Connecting…</h2><p>Discovering the cluster through %1.</p>")
                              .arg(target.toHtmlEscaped()));
        m_statusLabel->setText(tr("Connecting to %1…").arg(target));
    }
    if (m_options.readOnly)
        statusBar()->addPermanentWidget(new QLabel(tr("Read-only mode"), this));

    createActions();
    restoreLayout();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setShortcutContext(Qt::ApplicationShortcut);

    menuBar()->addMenu(tr("&View"))->setObjectName(QStringLiteral("viewMenu"));

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About Vigil"), this, [this] {
        QMessageBox::about(this, tr("About Vigil"),
                           tr("<h3>Vigil %1</h3><p>A console for PostgreSQL high-availability "
                              "clusters run by Patroni, with HAProxy and PgBouncer.</p>")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::showSnapshot(services::ClusterSnapshotPtr snapshot)
{
    if (!snapshot)
        return;
    const services::MemberSnapshot *leader = snapshot->leader();
    const QString scope = snapshot->scope.isEmpty() ? snapshot->profileName : snapshot->scope;
    setWindowTitle(tr("%1 — Vigil").arg(scope));
    if (!snapshot->discovery.ok()) {
        showConnectionProblem(snapshot->discovery.error.toText());
        return;
    }
    m_banner->setText(tr("<h2>Connected to cluster %1</h2><p>%n member(s); leader: <b>%2</b>.</p>",
                         nullptr, int(snapshot->members.size()))
                          .arg(scope.toHtmlEscaped(),
                               leader ? leader->name.toHtmlEscaped() : tr("none")));
    m_statusLabel->setText(tr("Last refreshed %1.")
                               .arg(snapshot->takenAt.toLocalTime().toString(
                                   QStringLiteral("HH:mm:ss"))));
}

void MainWindow::showConnectionProblem(const QString &message)
{
    m_banner->setText(tr("<h2>Cannot reach the cluster</h2><p>%1</p><p>Vigil keeps trying.</p>")
                          .arg(message.toHtmlEscaped()));
    m_statusLabel->setText(message);
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    const QByteArray geometry = settings.value(QLatin1String(kGeometryKey)).toByteArray();
    if (geometry.isEmpty() || !restoreGeometry(geometry))
        resize(1280, 800);
    restoreState(settings.value(QLatin1String(kStateKey)).toByteArray(), kLayoutVersion);
}

void MainWindow::saveLayout()
{
    QSettings settings;
    settings.setValue(QLatin1String(kGeometryKey), saveGeometry());
    settings.setValue(QLatin1String(kStateKey), saveState(kLayoutVersion));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    event->accept();
}

} // namespace vigil::ui
