#pragma once

#include "services/settings/custommetric.h"

#include <QGroupBox>

class QPlainTextEdit;
class QTableWidget;

namespace vigil::ui {

// The profile dialog's "Custom metrics": a small table (name, where it runs, database, interval,
// unit, warning and critical levels) with the SQL of the selected metric below it, Add / Remove,
// and "Add the manual's gaming metrics" (services::manualGamingMetrics, for the sandbox's game
// database). What is typed is checked by validationError() before the dialog saves; the levels
// and the interval are plain numbers (seconds for the interval), empty levels mean no alert.
class CustomMetricsBox : public QGroupBox
{
    Q_OBJECT
public:
    explicit CustomMetricsBox(QWidget *parent = nullptr);

    void setMetrics(const QList<services::CustomMetric> &metrics);
    QList<services::CustomMetric> metrics() const; // rows that cannot be read are left out
    QString validationError() const;               // empty when every row can be saved

    void addManualGamingMetrics(); // the manual's three, those not there yet by name

private:
    enum Column
    {
        Name,
        Target,
        Database,
        Interval,
        Unit,
        Warning,
        Critical,
        ColumnCount
    };
    void appendRow(const services::CustomMetric &metric);
    void showSqlOfCurrentRow();
    // The metric of one row, or the sentence saying why it cannot be read.
    services::CustomMetric rowMetric(int row, QString *error) const;

    QTableWidget *m_table;
    QPlainTextEdit *m_sql;
    bool m_showingSql = false;
};

} // namespace vigil::ui
