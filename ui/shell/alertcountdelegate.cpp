#include "ui/shell/alertcountdelegate.h"

#include "models/clusterlistmodel.h"

#include <QApplication>
#include <QPainter>

namespace vigil::ui {

void AlertCountDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    const QVariantList parts = index.data(models::ClusterListModel::AlertPartsRole).toList();
    if (parts.isEmpty()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    opt.text.clear(); // background, selection and focus as usual; the text is painted below
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QString separator = QStringLiteral(" · ");
    const QFontMetrics fm(opt.font);
    const bool selected = opt.state.testFlag(QStyle::State_Selected);
    const QColor plain = opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget);
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    const QRect area = textRect.adjusted(margin, 0, -margin, 0);
    const QString all = opt.index.data().toString();
    int x = area.right() + 1 - fm.horizontalAdvance(all); // right-aligned, as the figures are
    x = qMax(x, area.left());

    painter->save();
    painter->setFont(opt.font);
    painter->setClipRect(area);
    for (int i = 0; i < parts.size(); ++i) {
        const QVariantMap part = parts.at(i).toMap();
        if (i > 0) {
            painter->setPen(plain);
            painter->drawText(QRect(x, area.top(), area.right() - x + 1, area.height()),
                              Qt::AlignLeft | Qt::AlignVCenter, separator);
            x += fm.horizontalAdvance(separator);
        }
        const QString text = part.value(QStringLiteral("text")).toString();
        painter->setPen(selected ? plain : part.value(QStringLiteral("color")).value<QColor>());
        painter->drawText(QRect(x, area.top(), area.right() - x + 1, area.height()),
                          Qt::AlignLeft | Qt::AlignVCenter, text);
        x += fm.horizontalAdvance(text);
    }
    painter->restore();
}

} // namespace vigil::ui
