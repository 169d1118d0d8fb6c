#pragma once

#include <QWizardPage>
#include <functional>

namespace vigil::ui {

// A wizard page whose completeness and set-up are decided by functions of the wizard's state,
// so a wizard keeps its rules in one class instead of one QWizardPage subclass per page.
// changed() re-asks isComplete() (emits completeChanged).
class FunctionWizardPage : public QWizardPage
{
public:
    std::function<bool()> complete;
    std::function<void()> init;
    bool isComplete() const override { return complete ? complete() : true; }
    void initializePage() override
    {
        if (init)
            init();
    }
    void changed() { Q_EMIT completeChanged(); }
};

} // namespace vigil::ui
