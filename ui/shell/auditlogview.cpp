#include "ui/shell/auditlogview.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QJsonDocument>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace vigil::ui {

AuditLogView::AuditLogView(std::shared_ptr<services::AuditLog> log, QWidget *parent)
    : QDialog(parent)
    , m_log(std::move(log))
    , m_table(new QTableWidget(this))
{
    setWindowTitle(tr("Audit log"));
    resize(980, 480);
    m_table->setColumnCount(8);
    m_table->setHorizontalHeaderLabels({tr("Time (UTC)"), tr("User"), tr("Cluster"), tr("Member"),
                                        tr("Action"), tr("Parameters"), tr("Result"),
                                        tr("Server answer")});
    m_table->horizontalHeader()->setSectionResizeMode(7, QHeaderView::Stretch);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *exportButton = buttons->addButton(tr("Export…"), QDialogButtonBox::ActionRole);
    auto *reloadButton = buttons->addButton(tr("Reload"), QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(reloadButton, &QPushButton::clicked, this, &AuditLogView::reload);
    connect(exportButton, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Export the audit log"), {},
                                       tr("JSON lines (*.jsonl);;CSV (*.csv)"));
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
            QString error;
            if (!exportTo(path, &error))
                QMessageBox::warning(this, tr("Export failed"), error);
        });
        dialog->open();
    });
    auto *v = new QVBoxLayout(this);
    v->addWidget(m_table, 1);
    v->addWidget(buttons);
    reload();
}

void AuditLogView::reload()
{
    m_entries = m_log ? m_log->readAll() : QList<services::AuditEntry>();
    m_table->setRowCount(0);
    for (auto it = m_entries.crbegin(); it != m_entries.crend(); ++it) {
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        const QStringList cells = {
            it->when.toUTC().toString(Qt::ISODate),
            it->osUser,
            it->cluster,
            it->member,
            it->action,
            QString::fromUtf8(QJsonDocument(it->parameters).toJson(QJsonDocument::Compact)),
            it->result,
            it->serverAnswer};
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            item->setToolTip(cells[c]);
            m_table->setItem(r, c, item);
        }
    }
    for (int c = 0; c < 7; ++c)
        m_table->resizeColumnToContents(c);
}

int AuditLogView::rowCount() const
{
    return m_table->rowCount();
}

bool AuditLogView::exportTo(const QString &path, QString *error) const
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        if (error)
            *error = tr("%1 could not be written: %2").arg(path, f.errorString());
        return false;
    }
    if (path.endsWith(QLatin1String(".csv"))) {
        auto csv = [](QString s) {
            return QLatin1Char('"') + s.replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
                   QLatin1Char('"');
        };
        f.write("when,who,cluster,member,action,parameters,result,server_answer\n");
        for (const auto &e : m_entries) {
            const QStringList cells = {
                e.when.toUTC().toString(Qt::ISODateWithMs),
                e.osUser,
                e.cluster,
                e.member,
                e.action,
                QString::fromUtf8(QJsonDocument(services::AuditLog::redacted(e.parameters))
                                      .toJson(QJsonDocument::Compact)),
                e.result,
                e.serverAnswer};
            QStringList quoted;
            for (const auto &c : cells)
                quoted << csv(c);
            f.write(quoted.join(QLatin1Char(',')).toUtf8() + '\n');
        }
    } else {
        for (const auto &e : m_entries)
            f.write(QJsonDocument(services::AuditLog::toJson(e)).toJson(QJsonDocument::Compact) +
                    '\n');
    }
    return true;
}

} // namespace vigil::ui
