#include "ui/overview/alertsview.h"

#include "models/findingsmodel.h"
#include "ui/widgets/tableview.h"

#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QSplitter>
#include <QVBoxLayout>

namespace vigil::ui {

namespace {
QIcon dot(const QColor &c)
{
    QPixmap pm(12, 12);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(c);
    p.setPen(Qt::NoPen);
    p.drawEllipse(1, 1, 10, 10);
    return QIcon(pm);
}
} // namespace

AlertsView::AlertsView(models::FindingsModel *findings, QWidget *parent)
    : QWidget(parent)
    , m_findings(new TableView(findings, this))
    , m_events(new QListWidget(this))
{
    setObjectName(QStringLiteral("AlertsView"));
    m_findings->sortByColumn(models::FindingsModel::Severity, Qt::DescendingOrder);
    m_events->setObjectName(QStringLiteral("eventLog"));
    m_events->setAlternatingRowColors(true);
    m_events->setWordWrap(true);
    m_events->setTextElideMode(Qt::ElideNone);
    auto *split = new QSplitter(Qt::Vertical, this);
    auto *top = new QWidget(split);
    auto *tl = new QVBoxLayout(top);
    tl->setContentsMargins(0, 0, 0, 0);
    tl->addWidget(new QLabel(tr("<b>Alerts now</b>"), top));
    tl->addWidget(m_findings);
    auto *bottom = new QWidget(split);
    auto *bl = new QVBoxLayout(bottom);
    bl->setContentsMargins(0, 0, 0, 0);
    bl->addWidget(new QLabel(tr("<b>Events</b> (newest first)"), bottom));
    bl->addWidget(m_events);
    split->addWidget(top);
    split->addWidget(bottom);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);
}

void AlertsView::setTopologyModel(models::TopologyModel *model)
{
    disconnect(m_connection);
    m_model = model;
    if (m_model)
        m_connection =
            connect(m_model, &models::TopologyModel::eventAdded, this, &AlertsView::reloadEvents);
    reloadEvents();
}

void AlertsView::reloadEvents()
{
    // At most 50 short lines: rebuilding is cheap and keeps the list exactly the model's.
    m_events->clear();
    if (!m_model)
        return;
    for (const models::TopologyEvent &e : m_model->events()) {
        auto *item = new QListWidgetItem(
            dot(models::healthColor(e.severity)),
            QStringLiteral("%1  %2").arg(e.at.toLocalTime().toString(QStringLiteral("HH:mm:ss")),
                                         e.text));
        m_events->addItem(item);
    }
}

} // namespace vigil::ui
