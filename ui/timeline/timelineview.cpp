#include "ui/timeline/timelineview.h"

#include "models/timelinemarkdown.h"
#include "models/timelinemodel.h"
#include "ui/widgets/tableview.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QTimer>
#include <QVBoxLayout>

namespace vigil::ui {

TimelineView::TimelineView(models::TimelineModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_title(new QLabel(this))
    , m_window(new QComboBox(this))
    , m_table(new TableView(model, this))
    , m_export(new QPushButton(tr("Export for post-mortem…"), this))
    , m_tick(new QTimer(this))
{
    setObjectName(QStringLiteral("timelineView"));
    m_window->setObjectName(QStringLiteral("timelineWindow"));
    const QList<QPair<int, QString>> windows = {{15 * 60, tr("Last 15 minutes")},
                                                {3600, tr("Last hour")},
                                                {6 * 3600, tr("Last 6 hours")},
                                                {24 * 3600, tr("Last 24 hours")},
                                                {0, tr("Everything recorded")}};
    for (const auto &[seconds, label] : windows)
        m_window->addItem(label, seconds);
    m_window->setCurrentIndex(m_window->findData(m_model->windowSeconds()));
    connect(m_window, &QComboBox::currentIndexChanged, this, [this] {
        m_model->setWindowSeconds(m_window->currentData().toInt());
        updateTitle();
    });
    m_export->setObjectName(QStringLiteral("timelineExport"));
    m_export->setToolTip(tr("Write the events of the window as markdown: what happened, when "
                            "(UTC and local time), how long each state lasted, who did what."));
    connect(m_export, &QPushButton::clicked, this, &TimelineView::chooseExportFile);
    m_table->setObjectName(QStringLiteral("timelineTable"));
    m_table->sortByColumn(models::TimelineModel::TimeUtc, Qt::DescendingOrder);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(models::TimelineModel::What,
                                                      QHeaderView::Stretch);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_title, 1);
    bar->addWidget(new QLabel(tr("Show:"), this));
    bar->addWidget(m_window);
    bar->addWidget(m_export);
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(4, 4, 4, 4);
    v->addLayout(bar);
    v->addWidget(m_table, 1);

    connect(m_model, &QAbstractItemModel::rowsInserted, this, &TimelineView::updateTitle);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &TimelineView::updateTitle);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TimelineView::updateTitle);
    connect(m_tick, &QTimer::timeout, m_model, &models::TimelineModel::refresh);
    m_tick->start(30000);
    updateTitle();
}

void TimelineView::updateTitle()
{
    const QString cluster = m_model->cluster();
    m_title->setText(cluster.isEmpty()
                         ? tr("No cluster open.")
                         : tr("<b>%1</b>: %n event(s) in the window", nullptr, m_model->rowCount())
                               .arg(cluster.toHtmlEscaped()));
    m_export->setEnabled(!cluster.isEmpty());
}

bool TimelineView::exportTo(const QString &path, QString *error) const
{
    models::TimelineReportOptions options;
    options.to = m_model->now();
    options.from = m_model->windowStart();
    const QString markdown =
        models::timelineMarkdown(m_model->cluster(), m_model->allEvents(), options);
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(markdown.toUtf8()) < 0 || !f.commit()) {
        if (error)
            *error = tr("The post-mortem could not be written to %1: %2. Choose another folder.")
                         .arg(path, f.errorString());
        return false;
    }
    return true;
}

void TimelineView::chooseExportFile()
{
    const QString suggested =
        QStringLiteral("%1-timeline-%2.md")
            .arg(m_model->cluster(), m_model->now().toString(QStringLiteral("yyyyMMdd-HHmm")));
    auto *dialog = new QFileDialog(this, tr("Export the incident timeline for a post-mortem"),
                                   suggested, tr("Markdown (*.md);;All files (*)"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("md"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        QString error;
        if (!exportTo(path, &error)) {
            auto *box = new QMessageBox(QMessageBox::Warning, tr("Export failed"), error,
                                        QMessageBox::Close, this);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
    });
    dialog->open();
}

} // namespace vigil::ui
