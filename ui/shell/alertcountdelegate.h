#pragma once

#include <QStyledItemDelegate>

namespace vigil::ui {

// Paints the cluster list's Alerts cell part by part, each in its own colour (the critical count
// in the critical colour, warnings in the warning colour, acknowledged ones grey), from
// ClusterListModel::AlertPartsRole. The display text is the same words, so the column's width
// (sizeHint) fits what is painted; cells without parts are painted as usual.
class AlertCountDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
};

} // namespace vigil::ui
