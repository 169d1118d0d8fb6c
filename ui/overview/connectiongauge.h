#pragma once

#include <QWidget>

namespace vigil::ui {

// A horizontal bar: connections in use against max_connections, with the operations manual's
// thresholds marked (80 % warning, 95 % critical) and the bar coloured by the band it is in.
class ConnectionGauge : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionGauge(QWidget *parent = nullptr);

    void setValues(const QString &label, int used, int maximum); // maximum 0: unknown
    int used() const { return m_used; }
    int maximum() const { return m_max; }
    QString text() const; // "node1: 35 of 1200 connections (3 %)"

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_label;
    int m_used = 0;
    int m_max = 0;
};

} // namespace vigil::ui
