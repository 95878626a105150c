// The targets dialog: add, edit and remove the Redis servers and sentinels Vigil monitors, the
// master groups to follow on the sentinels, and the rest of the profile: heartbeat channels, poll
// period, TLS files, incident settings, whether passwords are remembered.
#pragma once

#include "monitor/monitor.h"
#include "profiles/profile.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace vigil {

class TargetsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TargetsDialog)

public:
    // `profile` holds the settings shown beside the targets; its name is empty when the window
    // has no profile (passwords cannot be remembered then).
    TargetsDialog(const TargetSet &targets, const Profile &profile, QWidget *parent = nullptr);

    // The edited set, with the passwords typed in URIs and the TLS files of the settings.
    TargetSet targets() const;
    // The edited settings (channels, patterns, poll period, TLS, incident settings, whether the
    // passwords are to be kept in the desktop keyring); its targets are those of targets().
    Profile profile() const;

    // Refuses TLS files that cannot be read (the message says which).
    void accept() override;

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
    bool parse(ConnectionOptions *out);
    // The TLS settings of the fields, which every target takes.
    TlsOptions tls() const;

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
    Profile m_profile;
    QLineEdit *m_channels;
    QLineEdit *m_patterns;
    QSpinBox *m_poll;
    QLineEdit *m_tlsCa;
    QLineEdit *m_tlsCert;
    QLineEdit *m_tlsKey;
    QCheckBox *m_tlsInsecure;
    QSpinBox *m_incidentGap;
    QSpinBox *m_incidentQuiet;
};

} // namespace vigil
