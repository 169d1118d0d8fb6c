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

    // How the text fits a tile whose text area is `areaHeight` pixels high: the base text size
    // (members, connections, lag; the name is 1.45 times it, alerts 0.8) and how many alert slots
    // it has. Three alerts while the base stays at least kMinBasePx, fewer on smaller tiles (a
    // wall of 30 on 1920x1080 shows the newest alert and "+2 more"), so that the text stays
    // readable from across a room rather than shrinking to fit everything. The same for every
    // tile of a wall, whatever its alerts, so the tiles read alike.
    struct TextLayout
    {
        double basePx = 0;
        int alertSlots = 0;
    };
    static constexpr double kMinBasePx = 18;
    static TextLayout textLayout(double areaHeight);
    // The text area of a tile of `size` (inside its rounded border and margins).
    static QRectF textArea(const QSizeF &size);

Q_SIGNALS:
    void activated(const QString &profileName);
    void moveRequested(int dx, int dy);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void paintAlerts(QPainter &p, QRectF area, double basePx, int alertSlots) const;

    QString m_profileName;
    models::WallTileSummary m_summary;
};

} // namespace vigil::ui
