#pragma once

#include <QWizardPage>
#include <functional>

class QLabel;
class QLineEdit;
class QVBoxLayout;

namespace vigil::ui {

// The commit page of every destructive wizard: what will happen (rich text from `summary`, asked
// each time the page opens), "Type the cluster name, <b>NAME</b>, to confirm." and the typed
// name, cleared each time the page opens. Complete when the typed text is the name under
// services::confirmationMatches (never for an empty name) and `ready` (optional) holds; the
// wizard checks matches() again before it acts. Other widgets (e.g. the failover's pre-flight
// list) go above the summary through addAbove().
class TypedConfirmationPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit TypedConfirmationPage(const QString &commitButtonText, QWidget *parent = nullptr);

    std::function<QString()> summary;     // what will happen, in full sentences (rich or plain)
    std::function<QString()> clusterName; // the name to type
    std::function<bool()> ready;          // a further condition (e.g. no red pre-flight check)

    void addAbove(QWidget *widget);
    void setGapBelowSummary(int pixels);
    bool matches() const;
    QLineEdit *typedEdit() const { return m_typed; }
    void changed() { Q_EMIT completeChanged(); }

    void initializePage() override;
    bool isComplete() const override;

private:
    QVBoxLayout *m_layout;
    QLabel *m_summary;
    QLabel *m_prompt;
    QLineEdit *m_typed;
};

} // namespace vigil::ui
