#include "ui/operations/preflightlistwidget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLayoutItem>
#include <QVBoxLayout>

namespace vigil::ui {

using Verdict = services::PreflightCheck::Verdict;

PreflightListWidget::PreflightListWidget(QWidget *parent)
    : QWidget(parent)
    , m_rows(new QVBoxLayout(this))
{
    m_rows->setContentsMargins(0, 0, 0, 0);
    m_rows->setSpacing(6);
}

void PreflightListWidget::setMessage(const QString &text)
{
    setChecks({});
    auto *l = new QLabel(text, this);
    l->setWordWrap(true);
    m_rows->insertWidget(0, l);
}

void PreflightListWidget::setChecks(const QList<services::PreflightCheck> &checks)
{
    m_checks = checks;
    while (QLayoutItem *item = m_rows->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (const auto &c : checks) {
        auto *row = new QWidget(this);
        auto *h = new QHBoxLayout(row);
        h->setContentsMargins(0, 0, 0, 0);
        auto *badge = new QLabel(row);
        const char *bg = c.verdict == Verdict::Green   ? "#2e7d32"
                         : c.verdict == Verdict::Amber ? "#ef8f00"
                                                       : "#c62828";
        const QString word = c.verdict == Verdict::Green   ? tr("OK")
                             : c.verdict == Verdict::Amber ? tr("WARN")
                                                           : tr("STOP");
        badge->setText(word);
        badge->setAlignment(Qt::AlignCenter);
        badge->setFixedWidth(52);
        badge->setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; font-weight: "
                                            "bold; border-radius: 3px; padding: 2px; }")
                                 .arg(QLatin1String(bg)));
        badge->setAccessibleName(services::verdictName(c.verdict));
        auto *text = new QLabel(row);
        text->setWordWrap(true);
        text->setTextFormat(Qt::RichText);
        text->setText(QStringLiteral("<b>%1</b><br>%2")
                          .arg(c.title.toHtmlEscaped(), c.sentence.toHtmlEscaped()));
        text->setTextInteractionFlags(Qt::TextSelectableByMouse);
        text->setObjectName(QStringLiteral("check_") + c.id);
        h->addWidget(badge, 0, Qt::AlignTop);
        h->addWidget(text, 1);
        m_rows->addWidget(row);
    }
    m_rows->addStretch(1);
}

} // namespace vigil::ui
