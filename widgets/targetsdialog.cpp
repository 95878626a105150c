// The targets dialog.
#include "targetsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QSpinBox>
#include <QDialogButtonBox>
#include <QKeyEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace vigil {

namespace {

// The items of a comma-separated field, trimmed, empty ones left out.
QStringList commaList(const QLineEdit *edit)
{
    QStringList items;
    for (const QString &item : edit->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!item.trimmed().isEmpty())
            items << item.trimmed();
    return items;
}

} // namespace

TargetsDialog::TargetsDialog(const TargetSet &targets, const Profile &profile, QWidget *parent)
    : QDialog(parent)
    , m_list(new QListWidget(this))
    , m_kind(new QComboBox(this))
    , m_uri(new QLineEdit(this))
    , m_masters(new QLineEdit(this))
    , m_add(new QPushButton(tr("&Add"), this))
    , m_update(new QPushButton(tr("&Update"), this))
    , m_remove(new QPushButton(tr("&Remove"), this))
    , m_error(new QLabel(this))
    , m_remember(new QCheckBox(this))
    , m_profile(profile)
    , m_channels(new QLineEdit(profile.channels.join(QStringLiteral(", ")), this))
    , m_patterns(new QLineEdit(profile.patterns.join(QStringLiteral(", ")), this))
    , m_poll(new QSpinBox(this))
    , m_tlsCa(new QLineEdit(profile.tls.caFile, this))
    , m_tlsCert(new QLineEdit(profile.tls.certFile, this))
    , m_tlsKey(new QLineEdit(profile.tls.keyFile, this))
    , m_tlsInsecure(new QCheckBox(tr("Do not verify the servers' certificates"), this))
    , m_incidentGap(new QSpinBox(this))
    , m_incidentQuiet(new QSpinBox(this))
{
    setWindowTitle(tr("Targets"));
    for (const ConnectionOptions &o : targets.servers)
        m_entries.append({o, false});
    for (const ConnectionOptions &o : targets.sentinels)
        m_entries.append({o, true});
    m_list->setObjectName(QStringLiteral("targetList"));
    m_kind->setObjectName(QStringLiteral("targetKind"));
    m_kind->addItem(tr("Server"));
    m_kind->addItem(tr("Sentinel"));
    m_masters->setObjectName(QStringLiteral("targetMasters"));
    m_masters->setPlaceholderText(tr("every group the sentinels watch"));
    m_masters->setText(targets.masters.join(QStringLiteral(", ")));
    m_uri->setObjectName(QStringLiteral("targetUri"));
    m_add->setObjectName(QStringLiteral("targetAdd"));
    m_update->setObjectName(QStringLiteral("targetUpdate"));
    m_remove->setObjectName(QStringLiteral("targetRemove"));
    m_error->setObjectName(QStringLiteral("targetError"));

    m_uri->setPlaceholderText(QStringLiteral("redis://[user@]host[:port][/db], rediss://..., unix:///path"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828"));
    auto *hint = new QLabel(tr("Passwords are never written to a file. Give one in the URI (redis://:password@host); "
                               "Vigil asks for it when a server requires one and none was given."),
                            this);
    m_remember->setObjectName(QStringLiteral("rememberPasswords"));
    m_remember->setChecked(profile.rememberPasswords && !profile.name.isEmpty());
    if (profile.name.isEmpty()) {
        m_remember->setText(tr("Remember passwords in the desktop keyring"));
        m_remember->setEnabled(false);
        m_remember->setToolTip(tr("Save these targets as a profile (File > Save Profile As) to remember their passwords."));
    } else {
        setWindowTitle(tr("Targets of %1").arg(profile.name));
        m_remember->setText(tr("Remember passwords in the desktop keyring (profile %1)").arg(profile.name));
    }
    hint->setWordWrap(true);
    hint->setEnabled(false);

    auto *input = new QHBoxLayout;
    input->addWidget(m_kind);
    input->addWidget(m_uri, 1);
    auto *masters = new QHBoxLayout;
    masters->addWidget(new QLabel(tr("Master groups on the sentinels:"), this));
    masters->addWidget(m_masters, 1);

    auto *grid = new QGridLayout;
    grid->addWidget(m_list, 0, 0, 4, 1);
    grid->addWidget(m_remove, 0, 1);
    grid->addLayout(input, 4, 0);
    grid->addWidget(m_add, 4, 1);
    grid->addWidget(m_update, 5, 1);
    grid->addWidget(m_error, 5, 0);
    grid->addLayout(masters, 6, 0);

    // The rest of the profile.
    m_channels->setObjectName(QStringLiteral("settingsChannels"));
    m_channels->setPlaceholderText(QStringLiteral("heartbeat"));
    m_patterns->setObjectName(QStringLiteral("settingsPatterns"));
    m_patterns->setPlaceholderText(QStringLiteral("heartbeat:*"));
    m_poll->setObjectName(QStringLiteral("settingsPoll"));
    m_poll->setRange(100, 3'600'000);
    m_poll->setSingleStep(100);
    m_poll->setSuffix(tr(" ms"));
    m_poll->setValue(profile.pollIntervalMs);
    m_tlsCa->setObjectName(QStringLiteral("settingsTlsCa"));
    m_tlsCa->setPlaceholderText(tr("the system's CAs"));
    m_tlsCert->setObjectName(QStringLiteral("settingsTlsCert"));
    m_tlsCert->setPlaceholderText(tr("none"));
    m_tlsKey->setObjectName(QStringLiteral("settingsTlsKey"));
    m_tlsInsecure->setObjectName(QStringLiteral("settingsTlsInsecure"));
    m_tlsInsecure->setChecked(profile.tls.insecure);
    for (auto [box, ms] : {std::pair{m_incidentGap, profile.incidentGapMs}, std::pair{m_incidentQuiet, profile.incidentQuietMs}}) {
        box->setRange(1, 7 * 24 * 60);
        box->setSuffix(tr(" min"));
        box->setValue(int(std::clamp<qint64>(ms / 60'000, 1, 7 * 24 * 60)));
    }
    m_incidentGap->setObjectName(QStringLiteral("settingsIncidentGap"));
    m_incidentQuiet->setObjectName(QStringLiteral("settingsIncidentQuiet"));
    auto *settings = new QGroupBox(tr("Settings"), this);
    auto *form = new QFormLayout(settings);
    form->addRow(tr("Heartbeat channels:"), m_channels);
    form->addRow(tr("Channel patterns:"), m_patterns);
    form->addRow(tr("Poll every:"), m_poll);
    form->addRow(tr("TLS CA file:"), m_tlsCa);
    form->addRow(tr("Client certificate:"), m_tlsCert);
    form->addRow(tr("Its key:"), m_tlsKey);
    form->addRow(QString(), m_tlsInsecure);
    form->addRow(tr("Incident gap:"), m_incidentGap);
    form->addRow(tr("Incident quiet time:"), m_incidentQuiet);
    auto *settingsHint = new QLabel(
        tr("The poll period and TLS files apply at once; channels and patterns (comma-separated) and the incident settings at the next start."),
        settings);
    settingsHint->setEnabled(false);
    settingsHint->setWordWrap(true);
    form->addRow(settingsHint);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addWidget(settings);
    layout->addWidget(m_remember);
    layout->addWidget(hint);
    layout->addWidget(buttons);

    m_add->setDefault(false);
    m_add->setAutoDefault(false);
    connect(m_add, &QPushButton::clicked, this, [this] { apply(false); });
    connect(m_update, &QPushButton::clicked, this, [this] { apply(true); });
    connect(m_remove, &QPushButton::clicked, this, &TargetsDialog::removeSelected);
    connect(m_list, &QListWidget::currentRowChanged, this, &TargetsDialog::selectionChanged);
    connect(m_uri, &QLineEdit::textChanged, m_error, &QLabel::clear);

    rebuildList();
    selectionChanged();
    resize(600, 640);
}

void TargetsDialog::keyPressEvent(QKeyEvent *event)
{
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && m_uri->hasFocus() && !m_uri->text().trimmed().isEmpty()) {
        apply(false);
        return;
    }
    QDialog::keyPressEvent(event);
}

void TargetsDialog::accept()
{
    for (const QLineEdit *file : {m_tlsCa, m_tlsCert, m_tlsKey}) {
        if (const QString path = file->text().trimmed(); !path.isEmpty() && !QFileInfo(path).isReadable()) {
            m_error->setText(tr("No such file (or not readable): %1").arg(path));
            return;
        }
    }
    if (!m_tlsKey->text().trimmed().isEmpty() && m_tlsCert->text().trimmed().isEmpty()) {
        m_error->setText(tr("A client key needs its certificate."));
        return;
    }
    QDialog::accept();
}

Profile TargetsDialog::profile() const
{
    Profile p = m_profile;
    const TargetSet set = targets();
    setProfileTargets(&p, set.servers, set.sentinels, set.masters);
    p.tls = tls();
    p.channels = commaList(m_channels);
    p.patterns = commaList(m_patterns);
    p.pollIntervalMs = m_poll->value();
    p.incidentGapMs = qint64(m_incidentGap->value()) * 60'000;
    p.incidentQuietMs = qint64(m_incidentQuiet->value()) * 60'000;
    p.rememberPasswords = m_remember->isEnabled() && m_remember->isChecked();
    return p;
}

TlsOptions TargetsDialog::tls() const
{
    TlsOptions tls = m_profile.tls;
    tls.caFile = m_tlsCa->text().trimmed();
    tls.certFile = m_tlsCert->text().trimmed();
    tls.keyFile = m_tlsKey->text().trimmed();
    tls.insecure = m_tlsInsecure->isChecked();
    return tls;
}

TargetSet TargetsDialog::targets() const
{
    TargetSet set;
    const TlsOptions shared = tls();
    for (Entry e : m_entries) {
        e.options.tls = shared;
        (e.sentinel ? set.sentinels : set.servers) << e.options;
    }
    set.masters = commaList(m_masters);
    return set;
}

void TargetsDialog::rebuildList()
{
    const int row = m_list->currentRow();
    m_list->clear();
    for (const Entry &e : m_entries)
        m_list->addItem(e.sentinel ? tr("sentinel %1").arg(e.options.uri.toDisplayString()) : e.options.uri.toDisplayString());
    if (row >= 0 && row < m_list->count())
        m_list->setCurrentRow(row);
}

bool TargetsDialog::parse(ConnectionOptions *out)
{
    QString error;
    auto uri = parseRedisUri(m_uri->text(), &error);
    if (!uri) {
        m_error->setText(error);
        return false;
    }
    applyPasswordFromEnvironment(*uri);
    // Every target takes the TLS settings of the dialog (targets()).
    out->uri = *uri;
    return true;
}

void TargetsDialog::apply(bool updating)
{
    ConnectionOptions target;
    const int row = m_list->currentRow();
    updating = updating && row >= 0 && row < m_entries.size();
    if (updating)
        target = m_entries.at(row).options;
    const bool sentinel = m_kind->currentIndex() == 1;
    const QString keptPassword = target.uri.password;
    const QString keptUser = target.uri.user;
    if (!parse(&target))
        return;
    // The list shows URIs without passwords: editing one must not drop the password it had.
    if (updating && target.uri.password.isEmpty() && target.uri.user == keptUser)
        target.uri.password = keptPassword;
    if (sentinel)
        target.uri.db = 0; // sentinels have no databases
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).options.uri.address() == target.uri.address() && !(updating && i == row)) {
            m_error->setText(tr("%1 is already a target").arg(target.uri.address()));
            return;
        }
    }
    if (updating)
        m_entries[row] = {target, sentinel};
    else
        m_entries.append({target, sentinel});
    rebuildList();
    m_list->setCurrentRow(updating ? row : int(m_entries.size()) - 1);
    m_uri->clear();
}

void TargetsDialog::removeSelected()
{
    const int row = m_list->currentRow();
    if (row < 0)
        return;
    m_entries.removeAt(row);
    rebuildList();
    selectionChanged();
}

void TargetsDialog::selectionChanged()
{
    const int row = m_list->currentRow();
    const bool selected = row >= 0 && row < m_entries.size();
    m_remove->setEnabled(selected);
    m_update->setEnabled(selected);
    if (selected) {
        m_uri->setText(m_entries.at(row).options.uri.toDisplayString());
        m_kind->setCurrentIndex(m_entries.at(row).sentinel ? 1 : 0);
    }
}

} // namespace vigil
