// The targets dialog: add, edit and remove the Redis servers and sentinels Vigil monitors, and the
// master groups to follow on the sentinels.
#pragma once

#include "monitor/monitor.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
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
    // `profile` is the profile being edited (empty: none, so passwords cannot be remembered);
    // `rememberPasswords` whether it keeps them in the keyring.
    TargetsDialog(const TargetSet &targets, const QString &profile, bool rememberPasswords, QWidget *parent = nullptr);

    // The edited set, with the passwords typed in URIs.
    TargetSet targets() const;
    // Whether the passwords are to be kept in the desktop keyring.
    bool rememberPasswords() const;

protected:
    // Enter in the address field adds the address; it does not close the dialog.
    void keyPressEvent(QKeyEvent *event) override;

private:
    struct Entry
    {
        ConnectionOptions options;
        bool sentinel = false;
    };

    void apply(bool updating);
    void removeSelected();
    void selectionChanged();
    void rebuildList();
    bool parse(ConnectionOptions *out, bool adding);

    QList<Entry> m_entries;
    QListWidget *m_list;
    QComboBox *m_kind;
    QLineEdit *m_uri;
    QLineEdit *m_masters;
    QPushButton *m_add;
    QPushButton *m_update;
    QPushButton *m_remove;
    QLabel *m_error;
    QCheckBox *m_remember;
};

} // namespace vigil
