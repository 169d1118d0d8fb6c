#include "ui/widgets/typedconfirmationpage.h"

#include "services/core/confirmation.h"

#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>
#include <QWizard>

namespace vigil::ui {

TypedConfirmationPage::TypedConfirmationPage(const QString &commitButtonText, QWidget *parent)
    : QWizardPage(parent)
    , m_layout(new QVBoxLayout(this))
    , m_summary(new QLabel(this))
    , m_prompt(new QLabel(this))
    , m_typed(new QLineEdit(this))
{
    setTitle(tr("Confirm"));
    setCommitPage(true);
    if (!commitButtonText.isEmpty())
        setButtonText(QWizard::CommitButton, commitButtonText);
    m_summary->setWordWrap(true);
    m_typed->setObjectName(QStringLiteral("typedClusterName"));
    m_typed->setClearButtonEnabled(true);
    m_layout->addWidget(m_summary);
    m_layout->addWidget(m_prompt);
    m_layout->addWidget(m_typed);
    m_layout->addStretch(1);
    connect(m_typed, &QLineEdit::textChanged, this, &QWizardPage::completeChanged);
}

void TypedConfirmationPage::addAbove(QWidget *widget)
{
    m_layout->insertWidget(m_layout->indexOf(m_summary), widget);
}

void TypedConfirmationPage::setGapBelowSummary(int pixels)
{
    m_layout->insertSpacing(m_layout->indexOf(m_summary) + 1, pixels);
}

bool TypedConfirmationPage::matches() const
{
    return services::confirmationMatches(m_typed->text(), clusterName ? clusterName() : QString());
}

void TypedConfirmationPage::initializePage()
{
    const QString name = clusterName ? clusterName() : QString();
    m_summary->setText(summary ? summary() : QString());
    m_prompt->setText(
        name.isEmpty()
            ? tr("The cluster's name is not known, so this cannot be confirmed.")
            : tr("Type the cluster name, <b>%1</b>, to confirm.").arg(name.toHtmlEscaped()));
    m_typed->clear();
    m_typed->setPlaceholderText(name);
    m_typed->setFocus();
}

bool TypedConfirmationPage::isComplete() const
{
    return matches() && (!ready || ready());
}

} // namespace vigil::ui
