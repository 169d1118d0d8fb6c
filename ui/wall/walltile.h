#pragma once

#include "models/walltilestate.h"

#include <QColor>
#include <QWidget>

namespace vigil::ui {

// One cluster on the wall, painted to be read from across a room: the state colour fills the
// tile, the text (cluster name, leader, members up, worst lag, connection use, the newest alerts
// with their age) scales with the tile. It offers nothing to act on: a click, a double click,
// Enter or Space asks the wall to zoom (activated()), the arrow keys ask it to move the focus;
// no context menu, no tooltip.
class WallTile : public QWidget
{
    Q_OBJECT
public:
    explicit WallTile(const QString &profileName, QWidget *parent = nullptr);

    QString profileName() const { return m_profileName; }
    void setSummary(const models::WallTileSummary &summary);
    const models::WallTileSummary &summary() const { return m_summary; }

    // The wall's colours: the state colour darkened or brightened until its text (white, or black
    // on amber) has a contrast ratio of at least 4.5 (WCAG AA).
    static QColor background(const models::WallTileSummary &summary);
    static QColor foreground(const models::WallTileSummary &summary);

Q_SIGNALS:
    void activated(const QString &profileName);
    void moveRequested(int dx, int dy);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void paintAlerts(QPainter &p, QRectF area, double basePx) const;

    QString m_profileName;
    models::WallTileSummary m_summary;
};

} // namespace vigil::ui
