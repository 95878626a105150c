// The Targets panel: each monitored server, whether Vigil reaches it, and its PING round trip.
#pragma once

#include <QWidget>

class QTableView;

namespace vigil {

class Monitor;
class TargetStatusModel;

class TargetsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TargetsPanel)

public:
    TargetsPanel(Monitor *monitor, QWidget *parent = nullptr);

    TargetStatusModel *model() const { return m_model; }

Q_SIGNALS:
    void editRequested();

private:
    void refresh();

    Monitor *m_monitor;
    TargetStatusModel *m_model;
    QTableView *m_view;
};

} // namespace vigil
