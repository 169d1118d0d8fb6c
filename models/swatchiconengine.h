#pragma once

#include <QColor>
#include <QIcon>
#include <QIconEngine>

namespace vigil::models {

// A QIcon that is a plain colour swatch, painted straight into the rectangle it is given: no
// QPixmap is made, so nothing lands in QPixmapCache. A table cell whose DecorationRole is a bare
// QColor makes QStyledItemDelegate build a new QPixmap (and QIcon) on every paint, and Qt's pixmap
// icon engine then caches that pixmap under its new cacheKey: one QPixmapCache entry per painted
// cell, which on a 1 s refresh fills the cache up to its cap (soak, issue 18). icon() hands out
// one shared QIcon per colour instead, with a stable cacheKey.
class SwatchIconEngine : public QIconEngine
{
public:
    explicit SwatchIconEngine(const QColor &color);

    // The shared swatch of `color`: the same QIcon (same cacheKey) for the same colour each time.
    // UI thread (or any one thread at a time: the table is guarded). The models only ever pass the
    // few health colours; past kMaxShared distinct colours an uncached swatch is returned (still no
    // pixmap), so the table cannot grow without bound.
    static QIcon icon(const QColor &color);
    static constexpr int kMaxShared = 64;

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override;
    QIconEngine *clone() const override;
    QString key() const override;

private:
    QColor m_color;
};

} // namespace vigil::models
