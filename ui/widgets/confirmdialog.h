#pragma once

#include <QDialog>
#include <functional>

class QLabel;
class QLineEdit;
class QPushButton;

namespace vigil::ui {

// Confirmation of a destructive action. The text names exactly what will happen (a full
// sentence, e.g. "Terminate session 4711 (hokm-admin-batch, user hokm_app, database hokm_game)?").
// With a non-empty typedConfirmation the action button stays disabled until the user types it
// exactly (e.g. the cluster name). The default button is Cancel; Escape cancels.
class ConfirmDialog : public QDialog
{
    Q_OBJECT
public:
    ConfirmDialog(const QString &title, const QString &text, const QString &actionLabel,
                  const QString &typedConfirmation = {}, QWidget *parent = nullptr);

    bool isConfirmable() const;
    void setTypedText(const QString &text); // for tests

    // Convenience: opens the dialog window-modal (open(), no nested event loop) and calls
    // onConfirmed once if the user confirms. The dialog deletes itself.
    static ConfirmDialog *ask(QWidget *parent, const QString &title, const QString &text,
                              const QString &actionLabel, std::function<void()> onConfirmed,
                              const QString &typedConfirmation = {});

private:
    void update();
    QString m_expected;
    QLineEdit *m_typed = nullptr;
    QPushButton *m_action = nullptr;
};

} // namespace vigil::ui
