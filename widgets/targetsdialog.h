// The targets dialog: add, edit and remove the Redis servers Vigil monitors.
#pragma once

#include "redis/connection.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace vigil {

class TargetsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TargetsDialog)

public:
    explicit TargetsDialog(const QList<ConnectionOptions> &targets, QWidget *parent = nullptr);

    // The edited list. Passwords typed in a URI are kept for this run only.
    QList<ConnectionOptions> targets() const { return m_targets; }

protected:
    // Enter in the address field adds the address; it does not close the dialog.
    void keyPressEvent(QKeyEvent *event) override;

private:
    void apply(bool updating);
    void removeSelected();
    void selectionChanged();
    void rebuildList();
    bool parse(ConnectionOptions *out);

    QList<ConnectionOptions> m_targets;
    QListWidget *m_list;
    QLineEdit *m_uri;
    QPushButton *m_add;
    QPushButton *m_update;
    QPushButton *m_remove;
    QLabel *m_error;
};

} // namespace vigil
