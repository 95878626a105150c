// The snapshot dialog: the checks for a BGSAVE on one node (a save or AOF rewrite running, the fork
// cost, the last save), an option to schedule it after a running rewrite, then its progress and
// result.
#pragma once

#include "actions/actionsession.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace vigil {

class Monitor;

class SnapshotDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SnapshotDialog)

public:
    SnapshotDialog(Monitor *monitor, const QString &node, QWidget *parent = nullptr);

    QPushButton *startButton() const { return m_start; }
    QLabel *resultLabel() const { return m_result; }
    bool isFinished() const { return m_finished; }

protected:
    void reject() override;

private:
    void recheck();
    void updateButtons();

    Monitor *m_monitor;
    QString m_node;
    SnapshotSession *m_session = nullptr;
    SnapshotAction *m_action = nullptr; // the session's
    QTableWidget *m_checks;
    QCheckBox *m_schedule;
    QCheckBox *m_acceptWarnings;
    QProgressBar *m_progress;
    QPushButton *m_start;
    QPushButton *m_close;
    QLabel *m_result;
    bool m_checked = false;
    bool m_running = false;
    bool m_finished = false;
};

} // namespace vigil
