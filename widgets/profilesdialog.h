// File > Open Profile: the saved profiles, to open, delete, import from a file or export to one.
#pragma once

#include "profiles/profile.h"

#include <QDialog>

class QLabel;
class QListWidget;
class QPushButton;

namespace vigil {

class ProfilesDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfilesDialog)

public:
    // `current` is the profile the window shows (selected first; it cannot be deleted).
    ProfilesDialog(ProfileStore store, const QString &current, QWidget *parent = nullptr);

    // The profile chosen with Open (empty until then).
    QString chosen() const { return m_chosen; }

    // What the Import and Export buttons do after asking for a file; public for tests.
    bool importFrom(const QString &path);
    bool exportTo(const QString &name, const QString &path);

private:
    void reload(const QString &select);
    void selectionChanged();
    QString selected() const;

    ProfileStore m_store;
    QString m_current;
    QString m_chosen;
    QListWidget *m_list;
    QPushButton *m_open;
    QPushButton *m_delete;
    QPushButton *m_export;
    QLabel *m_message;
};

} // namespace vigil
