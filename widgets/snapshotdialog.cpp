// The snapshot dialog.
#include "snapshotdialog.h"

#include "icons.h"
#include "monitor/monitor.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace vigil {

SnapshotDialog::SnapshotDialog(Monitor *monitor, const QString &node, QWidget *parent)
    : QDialog(parent)
    , m_monitor(monitor)
    , m_node(node)
    , m_checks(new QTableWidget(0, 2, this))
    , m_schedule(new QCheckBox(tr("If an AOF rewrite is running, start the save after it (BGSAVE SCHEDULE)"), this))
    , m_acceptWarnings(new QCheckBox(tr("I have read the warnings and want to proceed"), this))
    , m_progress(new QProgressBar(this))
    , m_start(new QPushButton(tr("Take snapshot"), this))
    , m_close(new QPushButton(tr("Close"), this))
    , m_result(new QLabel(this))
{
    setObjectName(QStringLiteral("snapshotDialog"));
    setWindowTitle(tr("Snapshot of %1").arg(node));
    m_checks->setObjectName(QStringLiteral("snapshotChecks"));
    m_checks->setHorizontalHeaderLabels({tr("Check"), tr("Result")});
    m_checks->verticalHeader()->hide();
    m_checks->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_checks->horizontalHeader()->setStretchLastSection(true);
    m_checks->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_progress->setObjectName(QStringLiteral("snapshotProgress"));
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_progress->setVisible(false);
    m_start->setObjectName(QStringLiteral("snapshotStart"));
    m_start->setEnabled(false);
    m_result->setObjectName(QStringLiteral("snapshotResult"));
    m_result->setWordWrap(true);
    m_acceptWarnings->setVisible(false);

    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_start, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_close, QDialogButtonBox::RejectRole);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("A background save (BGSAVE) of %1: the server forks and writes its dataset to disk.").arg(node), this));
    layout->addWidget(m_checks, 1);
    layout->addWidget(m_schedule);
    layout->addWidget(m_acceptWarnings);
    layout->addWidget(m_progress);
    layout->addWidget(m_result);
    layout->addWidget(buttons);
    resize(640, 380);

    connect(m_schedule, &QCheckBox::toggled, this, &SnapshotDialog::recheck);
    connect(m_acceptWarnings, &QCheckBox::toggled, this, &SnapshotDialog::updateButtons);
    connect(m_close, &QPushButton::clicked, this, &SnapshotDialog::reject);
    connect(m_start, &QPushButton::clicked, this, [this] {
        m_running = true;
        m_schedule->setEnabled(false);
        m_acceptWarnings->setEnabled(false);
        m_progress->setVisible(true);
        m_progress->setRange(0, 0); // busy until the save reports keys
        m_result->setText(tr("Saving\u2026"));
        updateButtons();
        m_action->start(m_acceptWarnings->isChecked());
    });
    recheck();
}

void SnapshotDialog::recheck()
{
    if (m_session)
        m_session->deleteLater();
    m_checked = false;
    SnapshotRequest request;
    request.node = m_node;
    request.schedule = m_schedule->isChecked();
    m_session = new SnapshotSession(m_monitor, request, this);
    m_action = m_session->action();
    connect(m_action, &SnapshotAction::checked, this, [this](const QList<PreflightCheck> &checks) {
        m_checked = true;
        m_checks->setRowCount(int(checks.size()));
        bool warned = false, failed = false;
        for (int i = 0; i < checks.size(); ++i) {
            const PreflightCheck &c = checks.at(i);
            m_checks->setItem(i, 0, new QTableWidgetItem(checkIcon(c.result), c.name));
            m_checks->setItem(i, 1, new QTableWidgetItem(QStringLiteral("%1: %2").arg(checkResultName(c.result), c.detail)));
            warned |= c.result == PreflightCheck::Result::Warn;
            failed |= c.result == PreflightCheck::Result::Fail;
        }
        m_acceptWarnings->setVisible(warned && !failed);
        m_result->setText(failed ? tr("<b>Refused:</b> a check failed.") : QString());
        updateButtons();
    });
    connect(m_action, &SnapshotAction::started, this, [this](const QString &reply) { m_result->setText(reply); });
    connect(m_action, &SnapshotAction::progress, this, [this](const SnapshotProgress &p) {
        if (p.percent() >= 0) {
            m_progress->setRange(0, 100);
            m_progress->setValue(p.percent());
            m_progress->setFormat(tr("%p % of %1 keys").arg(p.keysTotal));
        }
    });
    connect(m_action, &SnapshotAction::finished, this, [this](const SnapshotResult &r) {
        m_running = false;
        m_finished = true;
        m_progress->setRange(0, 100);
        m_progress->setValue(r.ok ? 100 : m_progress->value());
        m_result->setText(r.ok ? tr("<b>Saved.</b> %1").arg(r.message.toHtmlEscaped())
                               : tr("<b>%1</b> %2").arg(r.refused ? tr("Refused.") : tr("Failed."), r.message.toHtmlEscaped()));
        updateButtons();
    });
    m_action->check();
    updateButtons();
}

void SnapshotDialog::reject()
{
    if (m_running)
        return; // the save runs on the server either way; the dialog follows it to its end
    QDialog::reject();
}

void SnapshotDialog::updateButtons()
{
    bool failed = false, warned = false;
    if (m_action)
        for (const PreflightCheck &c : m_action->checks()) {
            failed |= c.result == PreflightCheck::Result::Fail;
            warned |= c.result == PreflightCheck::Result::Warn;
        }
    m_start->setEnabled(m_checked && !failed && (!warned || m_acceptWarnings->isChecked()) && !m_running && !m_finished);
    m_close->setEnabled(!m_running);
}

} // namespace vigil
