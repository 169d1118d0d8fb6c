#include "ui/operations/slowqueryloggingdialog.h"

#include "services/core/confirmation.h"
#include "services/operations/parameterreloadcheck.h"
#include "services/patroni/configchange.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace vigil::ui {

using namespace vigil::services;

namespace {
const QString kPath = QStringLiteral("postgresql.parameters.log_min_duration_statement");
const QString kName = QStringLiteral("log_min_duration_statement");
} // namespace

SlowQueryLoggingDialog::SlowQueryLoggingDialog(OperationContext ctx, PatroniConfig current,
                                               QString cluster, QWidget *parent)
    : QDialog(parent)
    , m_ctx(std::move(ctx))
    , m_current(current.raw)
    , m_cluster(std::move(cluster))
    , m_runner(new MemberActionRunner(m_ctx, this))
    , m_check(new ParameterReloadCheck(m_ctx, this))
    , m_intro(new QLabel(this))
    , m_on(new QRadioButton(tr("Log every statement that runs longer than"), this))
    , m_off(new QRadioButton(tr("Off (-1): log no statement for its duration"), this))
    , m_threshold(new QSpinBox(this))
    , m_diff(new QPlainTextEdit(this))
    , m_typed(new QLineEdit(this))
    , m_members(new QTableWidget(0, 3, this))
    , m_status(new QLabel(this))
    , m_apply(new QPushButton(tr("Apply via Patroni"), this))
{
    setWindowTitle(tr("Slow-query logging on %1").arg(m_cluster));
    setMinimumSize(640, 560);
    auto *v = new QVBoxLayout(this);
    v->addWidget(buildChoice());
    m_diff->setReadOnly(true);
    m_diff->setMaximumHeight(70);
    v->addWidget(new QLabel(tr("What will change:"), this));
    v->addWidget(m_diff);
    auto *form = new QFormLayout;
    m_typed->setPlaceholderText(m_cluster);
    form->addRow(tr("Type the cluster name to confirm:"), m_typed);
    v->addLayout(form);
    m_members->setHorizontalHeaderLabels({tr("Member"), tr("State"), tr("The member shows")});
    m_members->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_members->verticalHeader()->hide();
    m_members->setEditTriggers(QAbstractItemView::NoEditTriggers);
    v->addWidget(new QLabel(tr("Per member, after applying:"), this));
    v->addWidget(m_members, 1);
    m_status->setWordWrap(true);
    v->addWidget(m_status);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_apply, QDialogButtonBox::ActionRole);
    m_apply->setAutoDefault(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_apply, &QPushButton::clicked, this, &SlowQueryLoggingDialog::apply);
    v->addWidget(buttons);

    connect(m_typed, &QLineEdit::textChanged, this, &SlowQueryLoggingDialog::refresh);
    connect(m_runner, &MemberActionRunner::progress, m_status, &QLabel::setText);
    connect(m_runner, &MemberActionRunner::finished, this, [this](const MemberActionResult &r) {
        if (!r.ok()) {
            m_status->setText(tr("Not applied: %1 %2").arg(r.answer, r.explanation));
            refresh();
            Q_EMIT finished(false, {});
            return;
        }
        // The value Patroni holds from now on: the next toggle diffs against it.
        setConfigValue(m_current, kPath, m_sent);
        m_status->setText(tr("Patroni took the change. Reading the setting on every member "
                             "(Patroni applies it on its next cycle)…"));
        m_check->start({{kName, configValueText(m_sent)}});
    });
    connect(m_check, &ParameterReloadCheck::progress, this, &SlowQueryLoggingDialog::showStatuses);
    connect(m_check, &ParameterReloadCheck::finished, this,
            [this](const QList<MemberParameterStatus> &s, const QString &error) {
                showStatuses(s);
                const bool all = !s.isEmpty() && std::all_of(s.begin(), s.end(), [](const auto &m) {
                    return m.state == ParameterApplyState::Applied;
                });
                m_status->setText(!error.isEmpty() ? error
                                  : all            ? tr("Every member runs with the new value.")
                                        : tr("Not every member shows the new value yet; see the "
                                             "table. Members that were not yet reloaded pick it "
                                             "up on Patroni's next cycle."));
                refresh();
                Q_EMIT finished(true, s);
            });
    refresh();
}

QWidget *SlowQueryLoggingDialog::buildChoice()
{
    auto *box = new QWidget(this);
    auto *v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    const QJsonValue now = configValue(m_current, kPath);
    auto *intro = m_intro;
    intro->setWordWrap(true);
    v->addWidget(intro);
    m_threshold->setRange(0, 3600 * 1000);
    m_threshold->setSingleStep(100);
    m_threshold->setSuffix(tr(" ms"));
    m_threshold->setValue(kDefaultThresholdMs);
    auto *row = new QHBoxLayout;
    row->addWidget(m_on);
    row->addWidget(m_threshold);
    row->addStretch(1);
    v->addLayout(row);
    v->addWidget(m_off);
    // Offer the other state than the current one: a toggle.
    const bool isOn = now.isDouble()   ? now.toInt() >= 0
                      : now.isString() ? now.toString().trimmed() != QLatin1String("-1")
                                       : false;
    (isOn ? m_off : m_on)->setChecked(true);
    if (isOn && now.toVariant().toInt() > 0)
        m_threshold->setValue(now.toVariant().toInt());
    connect(m_on, &QRadioButton::toggled, this, &SlowQueryLoggingDialog::refresh);
    connect(m_threshold, &QSpinBox::valueChanged, this, &SlowQueryLoggingDialog::refresh);
    return box;
}

int SlowQueryLoggingDialog::chosenValue() const
{
    return m_on->isChecked() ? m_threshold->value() : -1;
}

void SlowQueryLoggingDialog::setChosenValue(int ms)
{
    if (ms < 0) {
        m_off->setChecked(true);
        return;
    }
    m_on->setChecked(true);
    m_threshold->setValue(ms);
}

QJsonObject SlowQueryLoggingDialog::patch() const
{
    QJsonObject edited = m_current;
    const QJsonValue old = configValue(m_current, kPath);
    setConfigValue(edited, kPath, configValueFromText(QString::number(chosenValue()), old));
    return configMergePatch(m_current, edited);
}

QString SlowQueryLoggingDialog::diffText() const
{
    return m_diff->toPlainText();
}

bool SlowQueryLoggingDialog::canApply() const
{
    return !patch().isEmpty() && !m_runner->isRunning() && !m_check->isRunning() &&
           confirmationMatches(m_typed->text(), m_cluster);
}

void SlowQueryLoggingDialog::refresh()
{
    QJsonObject edited = m_current;
    const QJsonValue old = configValue(m_current, kPath);
    setConfigValue(edited, kPath, configValueFromText(QString::number(chosenValue()), old));
    const QStringList lines = configChangeLines(m_current, edited);
    const QJsonValue now = configValue(m_current, kPath);
    m_intro->setText(
        tr("Sets log_min_duration_statement for every member through Patroni's dynamic "
           "configuration (PATCH /config, never ALTER SYSTEM). A reload applies it; no restart "
           "is needed. Currently: %1.")
            .arg(now.isUndefined() ? tr("not set in the dynamic configuration (the server's "
                                        "default, off)")
                                   : configValueText(now)));
    m_diff->setPlainText(lines.isEmpty() ? tr("Nothing changes: the cluster already has this "
                                              "value.")
                                         : lines.join(QLatin1Char('\n')));
    m_threshold->setEnabled(m_on->isChecked());
    m_apply->setEnabled(canApply());
}

void SlowQueryLoggingDialog::apply()
{
    if (!canApply())
        return;
    m_apply->setEnabled(false);
    m_members->setRowCount(0);
    MemberAction a;
    a.kind = MemberAction::Kind::PatchConfig;
    a.cluster = m_cluster;
    a.patch = patch();
    a.typedConfirmation = m_typed->text();
    a.waitSeconds = 30;
    m_sent = configValue(a.patch, kPath);
    m_runner->start(a);
}

void SlowQueryLoggingDialog::showStatuses(const QList<MemberParameterStatus> &statuses)
{
    m_members->setRowCount(int(statuses.size()));
    for (int r = 0; r < statuses.size(); ++r) {
        const MemberParameterStatus &s = statuses.at(r);
        m_members->setItem(r, 0, new QTableWidgetItem(s.member));
        m_members->setItem(r, 1, new QTableWidgetItem(applyStateText(s.state)));
        m_members->setItem(r, 2, new QTableWidgetItem(s.shown));
    }
    m_members->resizeColumnToContents(0);
    m_members->resizeColumnToContents(1);
}

} // namespace vigil::ui
