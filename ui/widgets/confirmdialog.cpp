#include "ui/widgets/confirmdialog.h"

#include "services/core/confirmation.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace vigil::ui {

ConfirmDialog::ConfirmDialog(const QString &title, const QString &text, const QString &actionLabel,
                             const QString &typedConfirmation, QWidget *parent)
    : QDialog(parent)
    , m_expected(typedConfirmation)
{
    setWindowTitle(title);
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    auto *icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(32, 32));
    icon->setAlignment(Qt::AlignTop);
    top->addWidget(icon);
    auto *label = new QLabel(text, this);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setMinimumWidth(380);
    top->addWidget(label, 1);
    layout->addLayout(top);
    if (!m_expected.isEmpty()) {
        auto *prompt =
            new QLabel(tr("Type <b>%1</b> to confirm:").arg(m_expected.toHtmlEscaped()), this);
        layout->addWidget(prompt);
        m_typed = new QLineEdit(this);
        m_typed->setObjectName(QStringLiteral("typedConfirmation"));
        layout->addWidget(m_typed);
        connect(m_typed, &QLineEdit::textChanged, this, &ConfirmDialog::update);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_action = buttons->addButton(actionLabel, QDialogButtonBox::AcceptRole);
    m_action->setObjectName(QStringLiteral("confirmAction"));
    m_action->setAutoDefault(false);
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    update();
}

bool ConfirmDialog::isConfirmable() const
{
    return m_expected.isEmpty() ||
           (m_typed && services::confirmationMatches(m_typed->text(), m_expected));
}

void ConfirmDialog::setTypedText(const QString &text)
{
    if (m_typed)
        m_typed->setText(text);
}

void ConfirmDialog::update()
{
    m_action->setEnabled(isConfirmable());
}

ConfirmDialog *ConfirmDialog::ask(QWidget *parent, const QString &title, const QString &text,
                                  const QString &actionLabel, std::function<void()> onConfirmed,
                                  const QString &typedConfirmation)
{
    auto *dialog = new ConfirmDialog(title, text, actionLabel, typedConfirmation, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, dialog, [dialog, onConfirmed] {
        if (dialog->isConfirmable() && onConfirmed)
            onConfirmed();
    });
    dialog->open();
    return dialog;
}

} // namespace vigil::ui
