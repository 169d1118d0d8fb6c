#pragma once

#include "services/operations/preflight.h"

#include <QList>
#include <QWidget>

class QVBoxLayout;

namespace vigil::ui {

// The pre-flight (or verification) verdicts as rows: a coloured verdict badge (green/amber/red
// with its word, never colour alone), the check's title in bold and its sentence, word-wrapped.
class PreflightListWidget : public QWidget
{
    Q_OBJECT
public:
    explicit PreflightListWidget(QWidget *parent = nullptr);
    void setChecks(const QList<services::PreflightCheck> &checks);
    void setMessage(const QString &text); // e.g. "Checking…"
    const QList<services::PreflightCheck> &checks() const { return m_checks; }

private:
    QVBoxLayout *m_rows;
    QList<services::PreflightCheck> m_checks;
};

} // namespace vigil::ui
