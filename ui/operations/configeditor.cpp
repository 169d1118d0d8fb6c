#include "ui/operations/configeditor.h"

#include "services/patroni/configchange.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace vigil::ui {

using namespace vigil::services;

namespace {
const QString kParams = QStringLiteral("postgresql.parameters.");
} // namespace

ConfigEditor::ConfigEditor(OperationContext ctx, PatroniConfig current, QString cluster,
                           QWidget *parent)
    : QDialog(parent)
    , m_ctx(std::move(ctx))
    , m_current(current.raw)
    , m_cluster(std::move(cluster))
    , m_runner(new MemberActionRunner(m_ctx, this))
    , m_tabs(new QTabWidget(this))
    , m_form(new QTableWidget(this))
    , m_text(new QPlainTextEdit(this))
    , m_diff(new QPlainTextEdit(this))
    , m_status(new QLabel(this))
    , m_apply(new QPushButton(tr("Apply via Patroni"), this))
{
    setWindowTitle(tr("Dynamic configuration of %1").arg(m_cluster));
    setMinimumSize(720, 620);
    m_form->setColumnCount(3);
    m_form->setHorizontalHeaderLabels({tr("Setting"), tr("Value"), tr("Takes effect")});
    m_form->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_form->verticalHeader()->hide();
    m_tabs->addTab(m_form, tr("Form"));
    m_tabs->addTab(m_text, tr("Text (JSON)"));
    m_text->setPlainText(
        QString::fromUtf8(QJsonDocument(m_current).toJson(QJsonDocument::Indented)));
    fillForm(m_current);
    m_diff->setReadOnly(true);
    m_diff->setMaximumHeight(160);
    m_status->setWordWrap(true);
    auto *note =
        new QLabel(tr("Changes go through Patroni (PATCH /config), never ALTER SYSTEM: every "
                      "member applies them on its next cycle."),
                   this);
    note->setWordWrap(true);
    auto *v = new QVBoxLayout(this);
    v->addWidget(note);
    v->addWidget(m_tabs, 1);
    v->addWidget(new QLabel(tr("What will change:"), this));
    v->addWidget(m_diff);
    v->addWidget(m_status);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_apply, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_apply, &QPushButton::clicked, this, &ConfigEditor::apply);
    v->addWidget(buttons);

    connect(m_form, &QTableWidget::itemChanged, this, &ConfigEditor::refreshDiff);
    connect(m_text, &QPlainTextEdit::textChanged, this, &ConfigEditor::refreshDiff);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        // Carry the edits over to the tab being shown.
        if (index == 1)
            m_text->setPlainText(
                QString::fromUtf8(QJsonDocument(fromForm()).toJson(QJsonDocument::Indented)));
        else if (auto c = editedConfig(); c)
            fillForm(*c);
    });
    connect(m_runner, &MemberActionRunner::progress, this,
            [this](const QString &l) { m_status->setText(l); });
    connect(m_runner, &MemberActionRunner::finished, this, [this](const MemberActionResult &r) {
        QStringList pending;
        for (auto it = r.pendingRestart.begin(); it != r.pendingRestart.end(); ++it)
            pending << tr("%1: %2").arg(it.key(),
                                        it.value() ? tr("restart pending") : tr("up to date"));
        m_status->setText((r.ok() ? tr("Applied. %1").arg(r.verified)
                                  : tr("Not applied: %1 %2").arg(r.answer, r.explanation)) +
                          (pending.isEmpty()
                               ? QString()
                               : QLatin1Char('\n') + pending.join(QStringLiteral("; "))));
        if (r.ok()) {
            if (auto c = editedConfig(); c)
                m_current = *c;
        }
        refreshDiff();
        Q_EMIT applied(r);
    });
    refreshDiff();
}

void ConfigEditor::fillForm(const QJsonObject &config)
{
    const QSignalBlocker block(m_form);
    m_form->setRowCount(0);
    auto addRow = [this](const QString &path, const QJsonValue &v, const QString &effect) {
        const int r = m_form->rowCount();
        m_form->insertRow(r);
        auto *key = new QTableWidgetItem(path);
        key->setFlags(key->flags() & ~Qt::ItemIsEditable);
        auto *value = new QTableWidgetItem(configValueText(v));
        auto *eff = new QTableWidgetItem(effect);
        eff->setFlags(eff->flags() & ~Qt::ItemIsEditable);
        m_form->setItem(r, 0, key);
        m_form->setItem(r, 1, value);
        m_form->setItem(r, 2, eff);
    };
    QStringList keys = config.keys();
    keys.sort();
    for (const QString &k : keys) {
        const QJsonValue v = config.value(k);
        if (!v.isObject())
            addRow(k, v, tr("next Patroni cycle"));
    }
    const QJsonObject params = config.value(QStringLiteral("postgresql"))
                                   .toObject()
                                   .value(QStringLiteral("parameters"))
                                   .toObject();
    QStringList pkeys = params.keys();
    pkeys.sort();
    for (const QString &k : pkeys)
        addRow(kParams + k, params.value(k),
               parameterNeedsRestart(k) ? tr("needs a restart") : tr("reload"));
    m_form->resizeColumnToContents(0);
    m_form->resizeColumnToContents(2);
}

QJsonObject ConfigEditor::fromForm() const
{
    QJsonObject out = m_current;
    QJsonObject pg = out.value(QStringLiteral("postgresql")).toObject();
    QJsonObject params = pg.value(QStringLiteral("parameters")).toObject();
    for (int r = 0; r < m_form->rowCount(); ++r) {
        const QString path = m_form->item(r, 0)->text();
        const QString text = m_form->item(r, 1)->text();
        if (path.startsWith(kParams)) {
            const QString name = path.mid(kParams.size());
            params.insert(name, configValueFromText(text, params.value(name)));
        } else {
            out.insert(path, configValueFromText(text, out.value(path)));
        }
    }
    pg.insert(QStringLiteral("parameters"), params);
    out.insert(QStringLiteral("postgresql"), pg);
    return out;
}

std::optional<QJsonObject> ConfigEditor::editedConfig(QString *error) const
{
    if (m_tabs->currentIndex() == 0)
        return fromForm();
    QJsonParseError e;
    const QJsonDocument d = QJsonDocument::fromJson(m_text->toPlainText().toUtf8(), &e);
    if (!d.isObject()) {
        if (error)
            *error = e.error != QJsonParseError::NoError
                         ? tr("The text is not JSON: %1 at character %2.")
                               .arg(e.errorString())
                               .arg(e.offset)
                         : tr("The text must be one JSON object.");
        return std::nullopt;
    }
    return d.object();
}

QJsonObject ConfigEditor::patch() const
{
    const auto c = editedConfig();
    return c ? configMergePatch(m_current, *c) : QJsonObject();
}

QString ConfigEditor::diffText() const
{
    return m_diff->toPlainText();
}

void ConfigEditor::setFormValue(const QString &path, const QString &value)
{
    for (int r = 0; r < m_form->rowCount(); ++r)
        if (m_form->item(r, 0)->text() == path) {
            m_form->item(r, 1)->setText(value);
            return;
        }
    const int r = m_form->rowCount();
    m_form->insertRow(r);
    m_form->setItem(r, 0, new QTableWidgetItem(path));
    m_form->setItem(r, 1, new QTableWidgetItem(value));
    m_form->setItem(r, 2, new QTableWidgetItem());
    refreshDiff();
}

void ConfigEditor::showTextTab()
{
    m_tabs->setCurrentIndex(1);
}

void ConfigEditor::refreshDiff()
{
    QString error;
    const auto edited = editedConfig(&error);
    if (!edited) {
        m_diff->setPlainText(error);
        m_apply->setEnabled(false);
        return;
    }
    const QStringList lines = configChangeLines(m_current, *edited);
    const QStringList restart = restartRequiredParameters(configMergePatch(m_current, *edited));
    QString text = lines.isEmpty() ? tr("Nothing changes.") : lines.join(QLatin1Char('\n'));
    if (!restart.isEmpty())
        text += QLatin1Char('\n') +
                tr("Needs a restart of every member to take effect: %1 (Vigil shows "
                   "the pending restart per member after applying).")
                    .arg(restart.join(QStringLiteral(", ")));
    m_diff->setPlainText(text);
    m_apply->setEnabled(!lines.isEmpty() && !m_runner->isRunning());
}

void ConfigEditor::apply()
{
    const QJsonObject p = patch();
    if (p.isEmpty() || m_runner->isRunning())
        return;
    m_apply->setEnabled(false);
    MemberAction a;
    a.kind = MemberAction::Kind::PatchConfig;
    a.cluster = m_cluster;
    a.patch = p;
    a.waitSeconds = 30;
    m_runner->start(a);
}

} // namespace vigil::ui
