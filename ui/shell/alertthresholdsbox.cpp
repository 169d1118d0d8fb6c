#include "ui/shell/alertthresholdsbox.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLabel>
#include <QSpinBox>
#include <cmath>

namespace vigil::ui {

namespace {
constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
constexpr int kMaxSnapshots = 100;

QString snapshotsSuffix(int n)
{
    return n == 1 ? AlertThresholdsBox::tr(" snapshot") : AlertThresholdsBox::tr(" snapshots");
}
} // namespace

AlertThresholdsBox::AlertThresholdsBox(QWidget *parent)
    : QGroupBox(tr("Alert thresholds"), parent)
{
    setObjectName(QStringLiteral("alertThresholds"));
    auto *grid = new QGridLayout(this);
    const int row = addThresholdRows(grid);
    addRaiseClearRows(grid, row);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(2, 1);
    setThresholds({});
    setDesktopNotifications(true);
}

int AlertThresholdsBox::addThresholdRows(QGridLayout *grid)
{
    const QString s = tr(" s");
    const QString pct = tr(" %");
    m_lagWarning = spin(QStringLiteral("lagWarning"), 86400, 0, s);
    m_lagCritical = spin(QStringLiteral("lagCritical"), 86400, 0, s);
    m_connWarning = spin(QStringLiteral("connectionsWarning"), 100, 0, pct);
    m_connCritical = spin(QStringLiteral("connectionsCritical"), 100, 0, pct);
    m_blocker = spin(QStringLiteral("blockerWarning"), 86400, 0, s);
    m_idleInTransaction = spin(QStringLiteral("idleInTransactionWarning"), 86400, 0, s);
    m_slowQuery = spin(QStringLiteral("slowQueryWarning"), 3600, 1, s);
    m_rollbacks = spin(QStringLiteral("rollbacksWarning"), 1e6, 1, tr(" /s"));
    m_diskCapacity = spin(QStringLiteral("diskCapacity"), 1e6, 0, tr(" GiB"));
    m_diskCapacity->setSpecialValueText(tr("not set"));
    m_diskCapacity->setToolTip(tr("The data volume's size. Vigil compares the databases' sizes "
                                  "plus the WAL directory (from SQL) with it."));
    m_diskWarning = spin(QStringLiteral("diskFreeWarning"), 100, 0, pct);
    m_diskCritical = spin(QStringLiteral("diskFreeCritical"), 100, 0, pct);

    grid->addWidget(new QLabel(tr("Warning"), this), 0, 1);
    grid->addWidget(new QLabel(tr("Critical"), this), 0, 2);
    int row = 1;
    auto addRow = [&](const QString &label, QWidget *warning, QWidget *critical) {
        grid->addWidget(new QLabel(label, this), row, 0);
        grid->addWidget(warning, row, 1);
        if (critical)
            grid->addWidget(critical, row, 2);
        ++row;
    };
    addRow(tr("Replication lag above:"), m_lagWarning, m_lagCritical);
    addRow(tr("Connections above (of max):"), m_connWarning, m_connCritical);
    addRow(tr("Lock blocker holding up others:"), m_blocker, nullptr);
    addRow(tr("Idle in transaction:"), m_idleInTransaction, nullptr);
    addRow(tr("Slow queries (mean per interval):"), m_slowQuery, nullptr);
    addRow(tr("Rolled-back transactions:"), m_rollbacks, nullptr);
    addRow(tr("Disk free below:"), m_diskWarning, m_diskCritical);
    addRow(tr("Disk capacity:"), m_diskCapacity, nullptr);
    return row;
}

// The alert engine's hysteresis (FindingThresholds' alert* fields) and the notification opt-out:
// labels that say what each number does, so no tooltip is needed.
void AlertThresholdsBox::addRaiseClearRows(QGridLayout *grid, int row)
{
    m_raise = snapshotSpin(QStringLiteral("alertRaiseSnapshots"));
    m_raiseCritical = snapshotSpin(QStringLiteral("alertRaiseSnapshotsCritical"));
    m_raiseCritical->setPrefix(tr("critical: "));
    m_clear = snapshotSpin(QStringLiteral("alertClearSnapshots"));
    m_hysteresis = spin(QStringLiteral("alertHysteresis"), 50, 0, tr(" %"));

    auto *heading = new QLabel(tr("<b>Raise / clear</b> (snapshots in a row, one per poll)"), this);
    grid->addWidget(heading, row++, 0, 1, 3);
    auto addRow = [&](const QString &label, QWidget *value, QWidget *second) {
        grid->addWidget(new QLabel(label, this), row, 0);
        grid->addWidget(value, row, 1);
        if (second)
            grid->addWidget(second, row, 2);
        ++row;
    };
    addRow(tr("Raise an alert after:"), m_raise, m_raiseCritical);
    addRow(tr("Clear it after:"), m_clear, new QLabel(tr("without the problem"), this));
    addRow(tr("Hysteresis:"), m_hysteresis, new QLabel(tr("thresholds relaxed to clear"), this));

    m_notify = new QCheckBox(tr("Desktop notifications for this cluster"), this);
    m_notify->setObjectName(QStringLiteral("desktopNotifications"));
    grid->addWidget(m_notify, row++, 0, 1, 3);
    auto *note = new QLabel(tr("New critical alerts and their clears. Off: no notification and no "
                               "tray message; the tray icon's colour still counts its alerts."),
                            this);
    note->setObjectName(QStringLiteral("desktopNotificationsNote"));
    note->setWordWrap(true);
    note->setEnabled(false); // the palette's secondary text: a note, not a setting
    grid->addWidget(note, row, 0, 1, 3);
}

QDoubleSpinBox *AlertThresholdsBox::spin(const QString &objectName, double max, int decimals,
                                         const QString &suffix)
{
    auto *b = new QDoubleSpinBox(this);
    b->setObjectName(objectName);
    b->setRange(0, max);
    b->setDecimals(decimals);
    b->setSuffix(suffix);
    b->setAlignment(Qt::AlignRight);
    return b;
}

QSpinBox *AlertThresholdsBox::snapshotSpin(const QString &objectName)
{
    auto *b = new QSpinBox(this);
    b->setObjectName(objectName);
    b->setRange(1, kMaxSnapshots); // 0 would raise on nothing
    b->setAlignment(Qt::AlignRight);
    b->setSuffix(snapshotsSuffix(kMaxSnapshots));
    connect(b, &QSpinBox::valueChanged, b, [b](int n) { b->setSuffix(snapshotsSuffix(n)); });
    return b;
}

void AlertThresholdsBox::setThresholds(const services::FindingThresholds &t)
{
    m_lagWarning->setValue(t.lagWarningSeconds);
    m_lagCritical->setValue(t.lagCriticalSeconds);
    m_connWarning->setValue(t.connectionsWarning * 100);
    m_connCritical->setValue(t.connectionsCritical * 100);
    m_blocker->setValue(t.blockerWarningSeconds);
    m_idleInTransaction->setValue(t.idleInTransactionWarningSeconds);
    m_slowQuery->setValue(t.slowQueryWarningMs / 1000);
    m_rollbacks->setValue(t.rollbacksWarningPerSecond);
    m_diskCapacity->setValue(std::round(double(t.diskCapacityBytes) / kGiB));
    m_diskWarning->setValue(t.diskFreeWarning * 100);
    m_diskCritical->setValue(t.diskFreeCritical * 100);
    m_raise->setValue(t.alertRaiseSnapshots);
    m_raiseCritical->setValue(t.alertRaiseSnapshotsCritical);
    m_clear->setValue(t.alertClearSnapshots);
    m_hysteresis->setValue(t.alertHysteresis * 100);
}

services::FindingThresholds
AlertThresholdsBox::thresholds(const services::FindingThresholds &base) const
{
    services::FindingThresholds t = base;
    t.lagWarningSeconds = m_lagWarning->value();
    t.lagCriticalSeconds = m_lagCritical->value();
    t.connectionsWarning = m_connWarning->value() / 100;
    t.connectionsCritical = m_connCritical->value() / 100;
    t.blockerWarningSeconds = m_blocker->value();
    t.idleInTransactionWarningSeconds = m_idleInTransaction->value();
    t.slowQueryWarningMs = m_slowQuery->value() * 1000;
    t.rollbacksWarningPerSecond = m_rollbacks->value();
    t.diskCapacityBytes = qint64(m_diskCapacity->value() * kGiB);
    t.diskFreeWarning = m_diskWarning->value() / 100;
    t.diskFreeCritical = m_diskCritical->value() / 100;
    t.alertRaiseSnapshots = m_raise->value();
    t.alertRaiseSnapshotsCritical = m_raiseCritical->value();
    t.alertClearSnapshots = m_clear->value();
    t.alertHysteresis = m_hysteresis->value() / 100;
    return t;
}

void AlertThresholdsBox::setDesktopNotifications(bool on)
{
    m_notify->setChecked(on);
}

bool AlertThresholdsBox::desktopNotifications() const
{
    return m_notify->isChecked();
}

} // namespace vigil::ui
