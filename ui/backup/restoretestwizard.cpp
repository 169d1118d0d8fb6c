#include "ui/backup/restoretestwizard.h"

#include "models/formatting.h"
#include "models/health.h"
#include "models/restoreresultmodel.h"
#include "services/backup/backupaudit.h"
#include "services/backup/backupmember.h"
#include "services/core/formatting.h"
#include "ui/backup/backupchoices.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <functional>

namespace vigil::ui {

using namespace vigil::services;

namespace {

// The phases that move the bar, in order; each is one step, its tables fill the step.
constexpr int kStepsPerPhase = 100;
constexpr int kPhases = 6;

QLabel *wrapped(const QString &text, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    l->setWordWrap(true);
    l->setTextFormat(Qt::RichText);
    return l;
}

// The run page is complete when the test has ended (then Next shows the result).
class RunWizardPage : public QWizardPage
{
public:
    std::function<bool()> complete;
    bool isComplete() const override { return complete && complete(); }
    void changed() { Q_EMIT completeChanged(); }
};

QString secs(qint64 ms)
{
    return models::formatSeconds(double(ms) / 1000.0);
}

} // namespace

RestoreTestWizard::RestoreTestWizard(OperationContext ctx, ClusterSnapshotPtr snapshot,
                                     QWidget *parent)
    : QWizard(parent)
    , m_ctx(std::move(ctx))
    , m_snapshot(std::move(snapshot))
    , m_test(new RestoreTest(this))
    , m_model(new models::RestoreResultModel(this))
{
    setWindowTitle(tr("Restore test — %1").arg(m_ctx.profile.name));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    setMinimumSize(760, 560);
    setPage(ChoosePage, buildChoosePage());
    setPage(PreviewPage, buildPreviewPage());
    setPage(RunPage, buildRunPage());
    setPage(ResultPage, buildResultPage());
    m_clock.setInterval(500);
    connect(&m_clock, &QTimer::timeout, this,
            [this] { m_elapsed->setText(tr("Elapsed: %1").arg(secs(m_test->elapsedMs()))); });
    connect(m_test, &RestoreTest::phaseChanged, this, &RestoreTestWizard::onPhase);
    connect(m_test, &RestoreTest::progressChanged, this, &RestoreTestWizard::onProgress);
    connect(m_test, &RestoreTest::finished, this, &RestoreTestWizard::onFinished);
}

RestoreTestWizard::~RestoreTestWizard() = default;

QString RestoreTestWizard::helpText()
{
    return tr("<p>The restore test <b>proves</b> a dump: pg_dump -Fc runs at a snapshot exported "
              "by a transaction on the source, and that same transaction counts every table "
              "exactly and checksums it. The dump is restored with pg_restore into a scratch "
              "target, counted again the same way, and compared table by table. The scratch "
              "copy is removed afterwards, however the test ends.</p>"
              "<p>%1</p>"
              "<p><b>Why not the ops manual's check?</b> It compares <tt>n_tup_ins</tt> of "
              "pg_stat_user_tables. That counts insert operations since that server's "
              "statistics were last reset: it ignores deletes and updates, a restored copy "
              "counts only its own inserts, a crash or pg_stat_reset() zeroes it, and it is not "
              "read at the dump's snapshot. Equal numbers prove nothing about the contents; "
              "only exact counts at the dump's own snapshot, compared with the restored copy, "
              "do.</p>")
        .arg(restoreTestChecksumDescription().toHtmlEscaped());
}

QWizardPage *RestoreTestWizard::buildChoosePage()
{
    auto *page = new QWizardPage(this);
    page->setTitle(tr("What to test, and where to restore it"));
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(wrapped(helpText(), page));
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_database = new QComboBox(page);
    m_database->setEditable(true);
    fillBackupDatabases(m_database, m_snapshot);
    form->addRow(tr("&Database:"), m_database);
    m_member = new QComboBox(page);
    fillBackupMembers(m_member, m_snapshot);
    m_member->setToolTip(replicaDefaultReason());
    form->addRow(tr("Dump &from:"), m_member);
    const bool local = !restoreTestBinDir().isEmpty();
    m_local = new QRadioButton(
        local ? tr("A throwaway &local PostgreSQL instance (initdb in a temporary folder, "
                   "%1)")
                    .arg(restoreTestBinDir())
              : tr("A throwaway &local instance: not possible, no PostgreSQL server programs "
                   "under /usr/lib/postgresql"),
        page);
    m_local->setEnabled(local);
    const MemberSnapshot *l = leader();
    m_cluster = new QRadioButton(
        tr("A scratch database on the &leader (%1)").arg(l ? l->name : tr("unknown")), page);
    m_cluster->setEnabled(l != nullptr);
    (local ? m_local : m_cluster)->setChecked(true);
    auto *targets = new QVBoxLayout;
    targets->addWidget(m_local);
    targets->addWidget(m_cluster);
    form->addRow(tr("Restore into:"), targets);
    layout->addLayout(form);
    m_clusterWarning = wrapped(
        tr("<b>Warning:</b> a scratch database on the leader is replicated: restoring writes "
           "WAL that every replica replays, and takes the database's size in disk on every "
           "member until it is dropped."),
        page);
    m_clusterWarning->setVisible(m_cluster->isChecked());
    connect(m_cluster, &QRadioButton::toggled, m_clusterWarning, &QWidget::setVisible);
    layout->addWidget(m_clusterWarning);
    layout->addStretch(1);
    return page;
}

QWizardPage *RestoreTestWizard::buildPreviewPage()
{
    auto *page = new QWizardPage(this);
    page->setTitle(tr("What will happen"));
    page->setCommitPage(true);
    page->setButtonText(QWizard::CommitButton, tr("&Start restore test"));
    auto *layout = new QVBoxLayout(page);
    m_preview = wrapped({}, page);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_preview);
    layout->addStretch(1);
    connect(this, &QWizard::currentIdChanged, this, [this](int id) {
        if (id == PreviewPage)
            m_preview->setText(previewText());
        else if (id == RunPage && m_test->phase() == RestoreTest::Phase::Idle)
            startTest();
    });
    return page;
}

QWizardPage *RestoreTestWizard::buildRunPage()
{
    auto *page = new RunWizardPage;
    page->setParent(this);
    page->complete = [this] {
        return m_done;
    };
    connect(m_test, &RestoreTest::finished, page, &RunWizardPage::changed);
    page->setTitle(tr("Running the restore test"));
    auto *layout = new QVBoxLayout(page);
    m_phase = wrapped(tr("Starting…"), page);
    m_progress = new QProgressBar(page);
    m_progress->setRange(0, kPhases * kStepsPerPhase);
    m_table = new QLabel(page);
    m_elapsed = new QLabel(page);
    m_cancel = new QPushButton(tr("Cancel &test"), page);
    m_cancel->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    connect(m_cancel, &QPushButton::clicked, m_test, &RestoreTest::cancel);
    layout->addWidget(m_phase);
    layout->addWidget(m_progress);
    layout->addWidget(m_table);
    layout->addWidget(m_elapsed);
    layout->addWidget(m_cancel);
    layout->addStretch(1);
    return page;
}

QWizardPage *RestoreTestWizard::buildResultPage()
{
    auto *page = new QWizardPage(this);
    page->setTitle(tr("Result"));
    page->setFinalPage(true);
    auto *layout = new QVBoxLayout(page);
    m_verdict = wrapped({}, page);
    m_view = new QTableView(page);
    m_view->setModel(m_model);
    m_view->verticalHeader()->hide();
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_figures = wrapped({}, page);
    m_figures->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_verdict);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_figures);
    return page;
}

const MemberSnapshot *RestoreTestWizard::leader() const
{
    if (m_snapshot)
        for (const MemberSnapshot &m : m_snapshot->members)
            if (m.isLeader())
                return &m;
    return nullptr;
}

void RestoreTestWizard::setDatabase(const QString &name)
{
    m_database->setCurrentText(name);
}

void RestoreTestWizard::setMember(const QString &name)
{
    const int i = m_member->findData(name);
    if (i >= 0)
        m_member->setCurrentIndex(i);
}

void RestoreTestWizard::setTarget(RestoreTarget target)
{
    (target == RestoreTarget::LocalInstance ? m_local : m_cluster)->setChecked(true);
}

QString RestoreTestWizard::database() const
{
    return m_database->currentText().trimmed();
}

QString RestoreTestWizard::member() const
{
    return m_member->currentData().toString();
}

RestoreTarget RestoreTestWizard::target() const
{
    return m_local->isChecked() ? RestoreTarget::LocalInstance : RestoreTarget::ClusterDatabase;
}

RestoreTestRequest RestoreTestWizard::request() const
{
    RestoreTestRequest r;
    r.database = database();
    r.target = target();
    const auto settings = [this](const MemberSnapshot &m) {
        return PgConnectionSettings::forApplication(m_ctx.profile.sqlConninfo,
                                                    QStringLiteral("vigil-restore-test"),
                                                    m_ctx.secrets.sqlPassword)
            .atMember(m.host, m.port);
    };
    if (const MemberSnapshot *m = m_snapshot ? m_snapshot->member(member()) : nullptr)
        r.source = settings(*m);
    if (const MemberSnapshot *l = leader())
        r.clusterTarget = settings(*l);
    return r;
}

QString RestoreTestWizard::previewText() const
{
    const RestoreTestRequest r = request();
    const QString where =
        r.target == RestoreTarget::LocalInstance
            ? tr("a throwaway PostgreSQL instance: initdb into a new temporary folder, started "
                 "on a free 127.0.0.1 port with its socket in that folder")
            : tr("a new database vigil_restore_test_&lt;time&gt; on the leader %1 "
                 "(replicated to every member)")
                  .arg(r.clusterTarget.displayHost().toHtmlEscaped());
    const QString cleanup =
        r.target == RestoreTarget::LocalInstance
            ? tr("The instance is stopped and its folder removed, whatever the outcome.")
            : tr("The scratch database is dropped (DROP DATABASE … WITH (FORCE)), whatever the "
                 "outcome.");
    return tr("<ol>"
              "<li>On <b>%1</b> (%2): open a REPEATABLE READ READ ONLY transaction in database "
              "<b>%3</b> and export its snapshot with pg_export_snapshot().</li>"
              "<li>Run <tt>pg_dump -Fc --snapshot=&lt;id&gt;</tt> into a temporary file while the "
              "same transaction counts every user table and checksums it.</li>"
              "<li>Restore into %4 with <tt>pg_restore --no-owner --no-privileges</tt>. The "
              "password reaches pg_dump and pg_restore only through a temporary 0600 pgpass "
              "file.</li>"
              "<li>Count and checksum the restored copy the same way; compare per table.</li>"
              "<li>%5 The temporary dump is deleted.</li>"
              "<li>Write the result to the audit log (it appears on the timeline).</li>"
              "</ol>")
        .arg(member().toHtmlEscaped(), r.source.displayHost().toHtmlEscaped(),
             r.database.toHtmlEscaped(), where, cleanup);
}

void RestoreTestWizard::startTest()
{
    m_done = false;
    m_clock.start();
    m_cancel->setEnabled(true);
    m_test->start(request());
}

void RestoreTestWizard::onPhase(RestoreTest::Phase phase)
{
    m_phase->setText(QStringLiteral("<b>%1</b>").arg(RestoreTest::phaseText(phase)));
    const int step = std::min(int(phase) - 1, kPhases);
    if (step >= 0)
        m_progress->setValue(step * kStepsPerPhase);
    m_table->clear();
    if (phase == RestoreTest::Phase::CleaningUp)
        m_cancel->setEnabled(false);
}

void RestoreTestWizard::onProgress(const QString &table, int done, int total)
{
    if (table.isEmpty() || total <= 0)
        return;
    const int step = std::max(0, int(m_test->phase()) - 1);
    m_progress->setValue(step * kStepsPerPhase + kStepsPerPhase * std::min(done, total) / total);
    m_table->setText(tr("%1 (table %2 of %3)").arg(table).arg(done).arg(total));
}

void RestoreTestWizard::onFinished(const RestoreTestResult &result)
{
    m_clock.stop();
    m_done = true;
    m_cancel->setEnabled(false);
    m_progress->setValue(m_progress->maximum());
    m_elapsed->setText(tr("Elapsed: %1").arg(secs(result.totalMs)));
    if (m_ctx.audit) {
        QString problem;
        if (!m_ctx.audit->append(
                restoreTestAuditEntry(m_ctx.profile.name, member(), database(), result), &problem))
            m_phase->setText(tr("The audit log was not written: %1").arg(problem));
    }
    showResult(result);
    if (m_closeWhenDone)
        QWizard::reject();
    else if (currentId() == RunPage)
        next();
}

void RestoreTestWizard::showResult(const RestoreTestResult &r)
{
    m_model->setResult(r);
    m_view->resizeColumnsToContents();
    QString verdict;
    if (r.error)
        verdict = tr("<span style='color:%1'><b>Did not finish:</b></span> %2")
                      .arg(models::healthColor(models::Health::Critical).name(),
                           r.error.toText().toHtmlEscaped());
    else if (r.passed())
        verdict = tr("<span style='color:%1;font-size:large'><b>PASS</b></span> — all %2 tables "
                     "restored with the same rows and checksums as the source at snapshot %3.")
                      .arg(models::healthColor(models::Health::Ok).name())
                      .arg(r.tables.size())
                      .arg(r.snapshot.toHtmlEscaped());
    else
        verdict =
            tr("<span style='color:%1;font-size:large'><b>FAIL</b></span> — %2 of %3 tables "
               "differ%4.")
                .arg(models::healthColor(models::Health::Critical).name())
                .arg(r.failedTables())
                .arg(r.tables.size())
                .arg(r.restoreErrors.isEmpty() ? QString() : tr("; pg_restore reported errors"));
    m_verdict->setText(verdict);
    QString figures =
        tr("Dump: %1 in %2 from %3. Restore into %4: %5; restored database %6. Counting: %7. "
           "Total: %8. Scratch copy %9.")
            .arg(formatBytes(r.dumpBytes), secs(r.dumpMs), r.sourceHost.toHtmlEscaped(),
                 r.targetDescription.toHtmlEscaped(), secs(r.restoreMs),
                 formatBytes(r.restoredDatabaseBytes), secs(r.countMs), secs(r.totalMs),
                 r.scratchRemoved ? tr("removed")
                                  : tr("NOT removed: %1").arg(r.cleanupError.toHtmlEscaped()));
    if (!r.restoreErrors.isEmpty())
        figures += QStringLiteral("<br><b>pg_restore:</b><pre>%1</pre>")
                       .arg(r.restoreErrors.join(QLatin1Char('\n')).toHtmlEscaped());
    m_figures->setText(figures);
}

void RestoreTestWizard::reject()
{
    // Closing while it runs: cancel, and close once the scratch copy is gone.
    if (m_test->isRunning()) {
        m_closeWhenDone = true;
        m_test->cancel();
        return;
    }
    QWizard::reject();
}

} // namespace vigil::ui
