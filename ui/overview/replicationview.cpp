#include "ui/overview/replicationview.h"

#include "models/archivermodel.h"
#include "models/replicationmodel.h"
#include "models/replicationslotsmodel.h"
#include "ui/widgets/tableview.h"

#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

namespace vigil::ui {

namespace {
QWidget *captioned(const QString &caption, QWidget *content, QWidget *parent)
{
    auto *w = new QWidget(parent);
    auto *l = new QVBoxLayout(w);
    l->setContentsMargins(0, 0, 0, 0);
    auto *label = new QLabel(QStringLiteral("<b>%1</b>").arg(caption.toHtmlEscaped()), w);
    l->addWidget(label);
    l->addWidget(content, 1);
    return w;
}
} // namespace

ReplicationView::ReplicationView(models::ReplicationModel *replicas,
                                 models::ReplicationSlotsModel *slotModel,
                                 models::ArchiverModel *archiver, QWidget *parent)
    : QWidget(parent)
    , m_replicas(new TableView(replicas, this))
    , m_slots(new TableView(slotModel, this))
    , m_archiver(new TableView(archiver, this))
{
    setObjectName(QStringLiteral("ReplicationView"));
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(captioned(
        tr("Replicas (pg_stat_replication on the sender, pg_stat_wal_receiver on the replica)"),
        m_replicas, split));
    split->addWidget(captioned(tr("Replication slots"), m_slots, split));
    m_archiver->setObjectName(QStringLiteral("ArchiverTable"));
    split->addWidget(captioned(tr("WAL archiving (pg_stat_archiver, archive_mode, "
                                  "archive_command)"),
                               m_archiver, split));
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 1);
    split->setStretchFactor(2, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);
}

} // namespace vigil::ui
