#include "models/swatchiconengine.h"

#include <QHash>
#include <QMutex>
#include <QMutexLocker>
#include <QPainter>

namespace vigil::models {

SwatchIconEngine::SwatchIconEngine(const QColor &color)
    : m_color(color)
{
}

QIcon SwatchIconEngine::icon(const QColor &color)
{
    static QMutex mutex;
    static QHash<QRgb, QIcon> shared;
    const QRgb rgba = color.rgba();
    QMutexLocker lock(&mutex);
    if (const auto it = shared.constFind(rgba); it != shared.cend())
        return *it;
    QIcon icon(new SwatchIconEngine(color));
    if (shared.size() < kMaxShared)
        shared.insert(rgba, icon);
    return icon;
}

void SwatchIconEngine::paint(QPainter *painter, const QRect &rect, QIcon::Mode mode,
                             QIcon::State /*state*/)
{
    // Like the swatch QStyledItemDelegate paints for a QColor: the whole decoration rectangle.
    // Selected and active keep the colour (it carries the health); disabled is faded.
    QColor c = m_color;
    if (mode == QIcon::Disabled)
        c.setAlphaF(c.alphaF() * 0.35);
    painter->fillRect(rect, c);
}

QIconEngine *SwatchIconEngine::clone() const
{
    return new SwatchIconEngine(m_color);
}

QString SwatchIconEngine::key() const
{
    return QStringLiteral("vigil-swatch");
}

} // namespace vigil::models
