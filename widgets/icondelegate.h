// An item delegate that draws an icon chosen from the index (severity, connection state...).
#pragma once

#include <QStyledItemDelegate>

#include <functional>

namespace vigil {

class IconDelegate final : public QStyledItemDelegate
{
public:
    using IconFor = std::function<QIcon(const QModelIndex &)>;

    IconDelegate(IconFor iconFor, QSize size, QObject *parent = nullptr);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    IconFor m_iconFor;
    QSize m_size;
};

} // namespace vigil
