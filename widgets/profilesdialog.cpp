// The profiles dialog.
#include "profilesdialog.h"

#include "profiles/keyring.h"
#include "redis/uri.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace vigil {

ProfilesDialog::ProfilesDialog(ProfileStore store, const QString &current, QWidget *parent)
    : QDialog(parent)
    , m_store(std::move(store))
    , m_current(current)
    , m_list(new QListWidget(this))
    , m_open(new QPushButton(tr("&Open"), this))
    , m_delete(new QPushButton(tr("&Delete"), this))
    , m_export(new QPushButton(tr("&Export\u2026"), this))
    , m_message(new QLabel(this))
{
    setObjectName(QStringLiteral("profilesDialog"));
    setWindowTitle(tr("Profiles"));
    m_list->setObjectName(QStringLiteral("profileList"));
    m_open->setObjectName(QStringLiteral("profileOpen"));
    m_delete->setObjectName(QStringLiteral("profileDelete"));
    m_export->setObjectName(QStringLiteral("profileExport"));
    m_message->setObjectName(QStringLiteral("profileMessage"));
    m_message->setWordWrap(true);
    auto *import = new QPushButton(tr("&Import\u2026"), this);
    import->setObjectName(QStringLiteral("profileImport"));
    auto *hint = new QLabel(tr("A profile holds the targets, sentinels, heartbeat channels, services, TLS files, poll period "
                               "and incident settings; never a password. Opening another one restarts Vigil on it."),
                            this);
    hint->setWordWrap(true);
    hint->setEnabled(false);

    auto *side = new QVBoxLayout;
    side->addWidget(m_open);
    side->addWidget(m_delete);
    side->addSpacing(12);
    side->addWidget(import);
    side->addWidget(m_export);
    side->addStretch(1);
    auto *top = new QHBoxLayout;
    top->addWidget(m_list, 1);
    top->addLayout(side);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_message);
    layout->addWidget(hint);
    layout->addWidget(buttons);

    connect(m_list, &QListWidget::currentRowChanged, this, &ProfilesDialog::selectionChanged);
    connect(m_list, &QListWidget::itemActivated, m_open, &QPushButton::click);
    connect(m_open, &QPushButton::clicked, this, [this] {
        m_chosen = selected();
        if (!m_chosen.isEmpty())
            accept();
    });
    connect(m_delete, &QPushButton::clicked, this, [this] {
        const QString name = selected();
        if (name.isEmpty()
            || QMessageBox::question(this, tr("Delete Profile"), tr("Delete the profile %1?").arg(name), QMessageBox::Yes | QMessageBox::No)
                != QMessageBox::Yes)
            return;
        QString error;
        const std::optional<Profile> profile = m_store.load(name, &error);
        if (!m_store.remove(name, &error)) {
            m_message->setText(error);
        } else if (profile && profile->rememberPasswords) {
            // Its passwords leave the keyring with it (whenever the keyring answers).
            for (const QStringList *uris : {&profile->servers, &profile->sentinels})
                for (const QString &text : *uris)
                    if (const std::optional<RedisUri> uri = parseRedisUri(text))
                        Keyring::remove(Keyring::keyFor(name, *uri), QCoreApplication::instance(), {});
        }
        reload(QString());
    });
    connect(import, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import Profile"), QDir::homePath(), tr("Vigil profiles (*.json);;All files (*)"));
        if (!path.isEmpty())
            importFrom(path);
    });
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString name = selected();
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Profile"), QDir::home().filePath(name + QStringLiteral(".json")),
                                                          tr("Vigil profiles (*.json)"));
        if (!name.isEmpty() && !path.isEmpty())
            exportTo(name, path);
    });
    reload(current);
    resize(480, 320);
}

QString ProfilesDialog::selected() const
{
    const QListWidgetItem *item = m_list->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

void ProfilesDialog::reload(const QString &select)
{
    m_list->clear();
    for (const QString &name : m_store.names()) {
        auto *item = new QListWidgetItem(name == m_current ? tr("%1 (open)").arg(name) : name, m_list);
        item->setData(Qt::UserRole, name);
        if (name == select)
            m_list->setCurrentItem(item);
    }
    if (!m_list->currentItem() && m_list->count() > 0)
        m_list->setCurrentRow(0);
    if (m_list->count() == 0)
        m_message->setText(tr("No profile is saved yet: File > Save Profile As saves what this window watches."));
    selectionChanged();
}

void ProfilesDialog::selectionChanged()
{
    const QString name = selected();
    m_open->setEnabled(!name.isEmpty() && name != m_current);
    m_delete->setEnabled(!name.isEmpty() && name != m_current);
    m_export->setEnabled(!name.isEmpty());
}

bool ProfilesDialog::importFrom(const QString &path)
{
    QString error;
    std::optional<Profile> profile = importProfile(path, &error);
    if (!profile) {
        m_message->setText(tr("Not imported: %1").arg(error));
        return false;
    }
    // A profile of the same name is kept: the import takes the next free name.
    const QString wanted = profile->name;
    for (int n = 2; m_store.contains(profile->name); ++n)
        profile->name = QStringLiteral("%1 %2").arg(wanted.left(60)).arg(n);
    if (!m_store.save(*profile, &error)) {
        m_message->setText(tr("Not imported: %1").arg(error));
        return false;
    }
    m_message->setText(profile->name == wanted ? tr("Imported %1.").arg(wanted)
                                               : tr("Imported as %1 (a profile %2 exists).").arg(profile->name, wanted));
    reload(profile->name);
    return true;
}

bool ProfilesDialog::exportTo(const QString &name, const QString &path)
{
    QString error;
    const std::optional<Profile> profile = m_store.load(name, &error);
    if (!profile || !exportProfile(*profile, path, &error)) {
        m_message->setText(tr("Not exported: %1").arg(error));
        return false;
    }
    m_message->setText(tr("Exported %1 to %2 (without passwords).").arg(name, QDir::toNativeSeparators(path)));
    return true;
}

} // namespace vigil
