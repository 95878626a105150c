// An item delegate that draws an icon chosen from the index.
#include "icondelegate.h"

namespace vigil {

IconDelegate::IconDelegate(IconFor iconFor, QSize size, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_iconFor(std::move(iconFor))
    , m_size(size)
{
}

void IconDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    option->icon = m_iconFor(index);
    option->features |= QStyleOptionViewItem::HasDecoration;
    option->decorationSize = m_size;
}

} // namespace vigil
