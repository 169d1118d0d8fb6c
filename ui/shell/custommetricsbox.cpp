#include "ui/shell/custommetricsbox.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

namespace vigil::ui {

namespace {
// The SQL of a row lives in its name cell (not a column: it is edited below the table).
constexpr int kSqlRole = Qt::UserRole + 1;

QString levelText(const std::optional<double> &level)
{
    return level ? QString::number(*level) : QString();
}
} // namespace

CustomMetricsBox::CustomMetricsBox(QWidget *parent)
    : QGroupBox(tr("Custom metrics (charts and alerts)"), parent)
{
    setObjectName(QStringLiteral("customMetricsBox"));
    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("customMetricsTable"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Runs on"), tr("Database"), tr("Every (s)"),
                                        tr("Unit"), tr("Warning ≥"), tr("Critical ≥")});
    m_table->horizontalHeader()->setSectionResizeMode(Name, QHeaderView::Stretch);
    for (int c = Target; c < ColumnCount; ++c)
        m_table->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setMinimumHeight(110);
    m_table->setToolTip(tr("A metric is a query answering one number, or rows of a label and a "
                           "number. It runs read-only, with a %1 s statement_timeout.")
                            .arg(5));

    m_sql = new QPlainTextEdit(this);
    m_sql->setObjectName(QStringLiteral("customMetricSql"));
    m_sql->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_sql->setPlaceholderText(tr("SELECT count(*) FROM game_sessions WHERE status = 'active'"));
    m_sql->setFixedHeight(m_sql->fontMetrics().lineSpacing() * 5 + 12);
    m_sql->setEnabled(false);

    auto *add = new QPushButton(tr("Add"), this);
    auto *remove = new QPushButton(tr("Remove"), this);
    auto *gaming = new QPushButton(tr("Add the manual's gaming metrics"), this);
    gaming->setObjectName(QStringLiteral("addGamingMetrics"));
    gaming->setToolTip(tr("Active game sessions, player connections and slow game statements, "
                          "as the operations manual queries them, in database hokm_game."));
    connect(add, &QPushButton::clicked, this, [this] {
        services::CustomMetric m;
        m.name = tr("Metric %1").arg(m_table->rowCount() + 1);
        appendRow(m);
        m_table->selectRow(m_table->rowCount() - 1);
        m_sql->setFocus();
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_table->currentRow() >= 0)
            m_table->removeRow(m_table->currentRow());
        showSqlOfCurrentRow();
    });
    connect(gaming, &QPushButton::clicked, this, &CustomMetricsBox::addManualGamingMetrics);
    connect(m_table, &QTableWidget::currentCellChanged, this,
            &CustomMetricsBox::showSqlOfCurrentRow);
    connect(m_sql, &QPlainTextEdit::textChanged, this, [this] {
        QTableWidgetItem *name = m_table->item(m_table->currentRow(), Name);
        if (name && !m_showingSql)
            name->setData(kSqlRole, m_sql->toPlainText());
    });

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    buttons->addWidget(gaming);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addWidget(new QLabel(tr("SQL of the selected metric:"), this));
    layout->addWidget(m_sql);
    layout->addLayout(buttons);
}

void CustomMetricsBox::appendRow(const services::CustomMetric &m)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    auto *name = new QTableWidgetItem(m.name);
    name->setData(kSqlRole, m.sql);
    m_table->setItem(row, Name, name);
    auto *target = new QComboBox(m_table);
    target->addItem(tr("leader"), int(services::CustomMetric::Target::Leader));
    target->addItem(tr("any replica"), int(services::CustomMetric::Target::AnyReplica));
    target->setCurrentIndex(m.target == services::CustomMetric::Target::AnyReplica ? 1 : 0);
    m_table->setCellWidget(row, Target, target);
    m_table->setItem(row, Database, new QTableWidgetItem(m.database));
    m_table->setItem(row, Interval, new QTableWidgetItem(QString::number(m.intervalMs / 1000.0)));
    m_table->setItem(row, Unit, new QTableWidgetItem(m.unit));
    m_table->setItem(row, Warning, new QTableWidgetItem(levelText(m.warning)));
    m_table->setItem(row, Critical, new QTableWidgetItem(levelText(m.critical)));
}

void CustomMetricsBox::setMetrics(const QList<services::CustomMetric> &metrics)
{
    m_table->setRowCount(0);
    for (const auto &m : metrics)
        appendRow(m);
    showSqlOfCurrentRow();
}

void CustomMetricsBox::addManualGamingMetrics()
{
    QSet<QString> names;
    for (int r = 0; r < m_table->rowCount(); ++r)
        names.insert(m_table->item(r, Name)->text().trimmed());
    for (const auto &m : services::manualGamingMetrics())
        if (!names.contains(m.name))
            appendRow(m);
    if (m_table->currentRow() < 0 && m_table->rowCount() > 0)
        m_table->selectRow(0);
}

void CustomMetricsBox::showSqlOfCurrentRow()
{
    const QTableWidgetItem *name = m_table->item(m_table->currentRow(), Name);
    m_showingSql = true;
    m_sql->setPlainText(name ? name->data(kSqlRole).toString() : QString());
    m_showingSql = false;
    m_sql->setEnabled(name != nullptr);
}

services::CustomMetric CustomMetricsBox::rowMetric(int row, QString *error) const
{
    const auto text = [&](int column) {
        const QTableWidgetItem *item = m_table->item(row, column);
        return item ? item->text().trimmed() : QString();
    };
    services::CustomMetric m;
    m.name = text(Name);
    m.sql = m_table->item(row, Name)->data(kSqlRole).toString(); // as typed (validation trims)
    if (auto *target = qobject_cast<QComboBox *>(m_table->cellWidget(row, Target)))
        m.target = services::CustomMetric::Target(target->currentData().toInt());
    m.database = text(Database);
    m.unit = text(Unit);
    bool ok = false;
    const double seconds = text(Interval).toDouble(&ok);
    if (!ok) {
        *error = tr("The interval of %1 is not a number of seconds.").arg(m.name);
        return m;
    }
    m.intervalMs = int(seconds * 1000);
    for (auto [column, level] :
         {std::pair{int(Warning), &m.warning}, std::pair{int(Critical), &m.critical}}) {
        if (text(column).isEmpty())
            continue;
        const double v = text(column).toDouble(&ok);
        if (!ok) {
            *error = tr("A level of %1 is not a number: '%2'.").arg(m.name, text(column));
            return m;
        }
        *level = v;
    }
    *error = m.validationError();
    return m;
}

QList<services::CustomMetric> CustomMetricsBox::metrics() const
{
    QList<services::CustomMetric> out;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        QString error;
        const services::CustomMetric m = rowMetric(r, &error);
        if (error.isEmpty())
            out.append(m);
    }
    return out;
}

QString CustomMetricsBox::validationError() const
{
    QSet<QString> names;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        QString error;
        const services::CustomMetric m = rowMetric(r, &error);
        if (!error.isEmpty())
            return error;
        if (names.contains(m.name))
            return tr("Two custom metrics are named %1; each needs a name of its own.").arg(m.name);
        names.insert(m.name);
    }
    return {};
}

} // namespace vigil::ui
