// The password dialog.
#include "passworddialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace vigil {

PasswordDialog::PasswordDialog(const QString &address, bool refused, const QString &profile, QWidget *parent)
    : QDialog(parent)
    , m_password(new QLineEdit(this))
    , m_remember(new QCheckBox(this))
{
    setObjectName(QStringLiteral("passwordDialog"));
    setWindowTitle(tr("Password"));
    auto *text = new QLabel(refused ? tr("%1 refused the password it was given. Its password:").arg(address)
                                    : tr("%1 answers only with a password. Its password:").arg(address),
                            this);
    text->setWordWrap(true);
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_remember->setObjectName(QStringLiteral("rememberPassword"));
    if (profile.isEmpty()) {
        m_remember->setText(tr("Remember it in the desktop keyring"));
        m_remember->setEnabled(false);
        m_remember->setToolTip(tr("Save these targets as a profile (File > Save Profile As) to remember their passwords."));
    } else {
        m_remember->setText(tr("Remember it in the desktop keyring (profile %1)").arg(profile));
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(m_password);
    layout->addWidget(m_remember);
    layout->addWidget(buttons);
}

QString PasswordDialog::password() const
{
    return m_password->text();
}

bool PasswordDialog::remember() const
{
    return m_remember->isEnabled() && m_remember->isChecked();
}

} // namespace vigil
