#pragma once

#include "models/topologymodel.h"

#include <QHash>
#include <QPointer>
#include <QRectF>
#include <QWidget>

namespace vigil::ui {

// The painted picture of one cluster, top-down like the data path: PgBouncer and HAProxy in front
// (with their status and where the read-write port routes), the leader, its replicas, cascading
// replicas under their upstream, and members that left the DCS view as dashed "gone" ghosts
// (the former leader marked). Each box shows role, state, timeline, lag in bytes and time, sync
// state, pending restart and tags (nofailover, ...), coloured by health; the newest events (leader
// change, crash, timeline bump) are listed underneath.
//
// Repaints in place on TopologyModel::changed() (Qt's backing store double-buffers, so there is no
// flicker). Scales down to fit; grows with the font for a war-room screen. Where each box and link
// goes is models::layoutTopology's job (tested there); this widget measures the boxes' text and
// paints what the layout computed.
class TopologyWidget : public QWidget
{
    Q_OBJECT
public:
    explicit TopologyWidget(QWidget *parent = nullptr);

    void setModel(models::TopologyModel *model); // not owned; may be null
    models::TopologyModel *model() const { return m_model; }

    // Where a member's box was drawn in the last paint (tests, tooltips); empty when not drawn.
    QRectF nodeRect(const QString &name) const { return m_nodeRects.value(name); }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    QPointer<models::TopologyModel> m_model;
    QMetaObject::Connection m_connection;
    QHash<QString, QRectF> m_nodeRects;
    QHash<QString, QString> m_nodeToolTips;
};

} // namespace vigil::ui
