// The promote dialog: the path, the pre-flight checks, the plan with every command, node and
// timeout, the expected data loss, a reason, and a field where the operator types the candidate's
// address; the Promote button stays disabled until it matches (and until warnings are accepted).
// Progress, abort (before the point of no return) and the verification appear in the same dialog.
#pragma once

#include "actions/actionsession.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace vigil {

class Monitor;

class PromoteDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PromoteDialog)

public:
    PromoteDialog(Monitor *monitor, const QString &candidate, QWidget *parent = nullptr);

    QPushButton *promoteButton() const { return m_promote; }
    QPushButton *abortButton() const { return m_abort; }
    QLineEdit *confirmation() const { return m_confirm; }
    QCheckBox *acceptWarnings() const { return m_acceptWarnings; }
    QTableWidget *checksTable() const { return m_checks; }
    QTableWidget *planTable() const { return m_plan; }
    QLabel *resultLabel() const { return m_result; }
    bool isPrepared() const { return m_prepared; }
    bool isFinished() const { return m_finished; }
    const PromotionResult &result() const { return m_outcome; }

protected:
    void reject() override;

private:
    void showPlan(const PromotionPlan &plan);
    void updateButtons();
    void start();

    PromotionRequest m_request;
    PromotionEngine *m_engine = nullptr;
    QLabel *m_path;
    QLabel *m_loss;
    QTableWidget *m_checks;
    QLabel *m_checksTitle;
    QTableWidget *m_plan;
    QLineEdit *m_reason;
    QCheckBox *m_acceptWarnings;
    QLineEdit *m_confirm;
    QLabel *m_confirmLabel;
    QPushButton *m_promote;
    QPushButton *m_abort;
    QPushButton *m_close;
    QLabel *m_result;
    bool m_prepared = false;
    bool m_finished = false;
    PromotionResult m_outcome;
};

} // namespace vigil
