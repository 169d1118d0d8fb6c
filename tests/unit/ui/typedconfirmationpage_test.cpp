#include "ui/widgets/typedconfirmationpage.h"

#include <QLabel>
#include <QLineEdit>
#include <QWizard>
#include <gtest/gtest.h>

using vigil::ui::TypedConfirmationPage;

namespace {
QStringList labelTexts(const QWidget &w)
{
    QStringList out;
    for (const QLabel *l : w.findChildren<QLabel *>())
        out << l->text();
    return out;
}
} // namespace

TEST(TypedConfirmationPage, CompleteOnlyWithTheClusterNameAndReady)
{
    QWizard wizard;
    auto *page = new TypedConfirmationPage(QStringLiteral("Terminate"));
    QString cluster = QStringLiteral("hokm-ha");
    bool ready = true;
    page->clusterName = [&] {
        return cluster;
    };
    page->summary = [] {
        return QStringLiteral("3 sessions on node1 will be terminated.");
    };
    page->ready = [&] {
        return ready;
    };
    wizard.addPage(page);
    page->initializePage();

    EXPECT_TRUE(
        labelTexts(*page).contains(QStringLiteral("3 sessions on node1 will be terminated.")));
    EXPECT_TRUE(labelTexts(*page).contains(
        QStringLiteral("Type the cluster name, <b>hokm-ha</b>, to confirm.")));
    EXPECT_FALSE(page->isComplete());
    page->typedEdit()->setText(QStringLiteral("hokm"));
    EXPECT_FALSE(page->isComplete());
    page->typedEdit()->setText(QStringLiteral("hokm-ha"));
    EXPECT_TRUE(page->isComplete());
    ready = false; // e.g. a red pre-flight check
    EXPECT_FALSE(page->isComplete());
    EXPECT_TRUE(page->matches());

    // Opening the page again clears what was typed.
    ready = true;
    page->initializePage();
    EXPECT_TRUE(page->typedEdit()->text().isEmpty());
    EXPECT_FALSE(page->isComplete());
}

TEST(TypedConfirmationPage, AnUnknownClusterNameSaysSoAndNeverCompletes)
{
    QWizard wizard;
    auto *page = new TypedConfirmationPage(QStringLiteral("Rotate"));
    page->clusterName = [] {
        return QString();
    };
    wizard.addPage(page);
    page->initializePage();
    page->typedEdit()->setText(QString());
    EXPECT_FALSE(page->isComplete());
    EXPECT_TRUE(labelTexts(*page).contains(
        QStringLiteral("The cluster's name is not known, so this cannot be confirmed.")));
}
