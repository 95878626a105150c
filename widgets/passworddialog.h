// Asks for a server's password when it refuses to answer without one (or refuses the one given).
#pragma once

#include <QDialog>

class QCheckBox;
class QLineEdit;

namespace vigil {

class PasswordDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PasswordDialog)

public:
    // `address` is the server's URI without a password; `refused` says one was given and refused;
    // `profile` is where a remembered password would go (empty: none, nothing can be remembered).
    PasswordDialog(const QString &address, bool refused, const QString &profile, QWidget *parent = nullptr);

    QString password() const;
    bool remember() const;

private:
    QLineEdit *m_password;
    QCheckBox *m_remember;
};

} // namespace vigil
