// The promote dialog.
#include "promotedialog.h"

#include "icons.h"
#include "monitor/monitor.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace vigil {

namespace {

QTableWidget *makeTable(QWidget *parent, const QStringList &headers, const QString &name)
{
    auto *t = new QTableWidget(0, int(headers.size()), parent);
    t->setObjectName(name);
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->hide();
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionMode(QAbstractItemView::NoSelection);
    t->setWordWrap(false);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

} // namespace

PromoteDialog::PromoteDialog(Monitor *monitor, const QString &candidate, QWidget *parent)
    : QDialog(parent)
    , m_path(new QLabel(this))
    , m_loss(new QLabel(this))
    , m_checks(makeTable(this, {tr("Check"), tr("Result")}, QStringLiteral("promoteChecks")))
    , m_checksTitle(new QLabel(tr("Pre-flight checks"), this))
    , m_plan(makeTable(this, {tr("Node"), tr("Command"), tr("Timeout"), tr("Status")}, QStringLiteral("promotePlan")))
    , m_reason(new QLineEdit(this))
    , m_acceptWarnings(new QCheckBox(tr("I have read the warnings and want to proceed"), this))
    , m_confirm(new QLineEdit(this))
    , m_confirmLabel(new QLabel(this))
    , m_promote(new QPushButton(tr("Promote"), this))
    , m_abort(new QPushButton(tr("Abort"), this))
    , m_close(new QPushButton(tr("Close"), this))
    , m_result(new QLabel(this))
{
    setObjectName(QStringLiteral("promoteDialog"));
    setWindowTitle(tr("Promote %1").arg(candidate));
    m_request.candidate = candidate;
    m_path->setWordWrap(true);
    m_path->setText(tr("Checking %1 and the servers around it\u2026").arg(candidate));
    m_loss->setObjectName(QStringLiteral("promoteLoss"));
    m_result->setObjectName(QStringLiteral("promoteResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reason->setObjectName(QStringLiteral("promoteReason"));
    m_reason->setPlaceholderText(tr("why (kept in the journal)"));
    m_confirm->setObjectName(QStringLiteral("promoteConfirm"));
    m_confirm->setPlaceholderText(tr("type the address above"));
    m_confirmLabel->setText(tr("Type <b>%1</b> to confirm:").arg(candidate.toHtmlEscaped()));
    m_acceptWarnings->setObjectName(QStringLiteral("promoteAcceptWarnings"));
    m_acceptWarnings->setVisible(false);
    m_promote->setObjectName(QStringLiteral("promoteButton"));
    m_abort->setObjectName(QStringLiteral("promoteAbort"));
    m_promote->setEnabled(false);
    m_abort->setEnabled(false);
    m_abort->setToolTip(tr("Stop and roll back; possible until the point of no return"));
    m_plan->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_plan->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Interactive);
    m_plan->setColumnWidth(1, 330);
    m_checks->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);

    auto *form = new QFormLayout;
    form->addRow(tr("Reason:"), m_reason);
    form->addRow(m_confirmLabel, m_confirm);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_promote, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_abort, QDialogButtonBox::ActionRole);
    buttons->addButton(m_close, QDialogButtonBox::RejectRole);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_path);
    layout->addWidget(m_loss);
    layout->addWidget(m_checksTitle);
    layout->addWidget(m_checks, 2);
    layout->addWidget(new QLabel(tr("Plan"), this));
    layout->addWidget(m_plan, 3);
    layout->addWidget(m_acceptWarnings);
    layout->addLayout(form);
    layout->addWidget(m_result);
    layout->addWidget(buttons);
    resize(860, 680);

    connect(m_confirm, &QLineEdit::textChanged, this, &PromoteDialog::updateButtons);
    connect(m_acceptWarnings, &QCheckBox::toggled, this, &PromoteDialog::updateButtons);
    connect(m_promote, &QPushButton::clicked, this, &PromoteDialog::start);
    connect(m_close, &QPushButton::clicked, this, &PromoteDialog::reject);
    connect(m_abort, &QPushButton::clicked, this, [this] {
        if (m_engine && m_engine->abort()) {
            m_abort->setEnabled(false);
            m_result->setText(tr("Aborting: rolling back before the next step\u2026"));
        }
    });

    m_engine = (new PromotionSession(monitor, m_request, this))->engine();
    connect(m_engine, &PromotionEngine::prepared, this, [this](const PromotionPlan &p) {
        m_prepared = true;
        showPlan(p);
        updateButtons();
        if (!p.blocked())
            m_confirm->setFocus();
    });
    connect(m_engine, &PromotionEngine::stepStarted, this, [this](int index) {
        if (auto *item = m_plan->item(index, 3))
            item->setText(tr("running\u2026"));
        m_plan->scrollToItem(m_plan->item(index, 0));
    });
    connect(m_engine, &PromotionEngine::stepFinished, this, [this](const StepReport &r) {
        if (auto *item = m_plan->item(r.index, 3)) {
            item->setText(QStringLiteral("%1 (%2 ms) %3").arg(r.ok ? tr("done") : tr("FAILED")).arg(r.elapsedMs).arg(r.detail));
            item->setToolTip(r.detail);
            item->setIcon(r.ok ? checkIcon(PreflightCheck::Result::Pass) : checkIcon(PreflightCheck::Result::Fail));
        }
        if (m_engine->pastPointOfNoReturn())
            m_abort->setEnabled(false);
    });
    connect(m_engine, &PromotionEngine::finished, this, [this](const PromotionResult &r) {
        m_finished = true;
        m_outcome = r;
        m_abort->setEnabled(false);
        m_close->setEnabled(true);
        QString text;
        switch (r.outcome) {
        case PromotionResult::Outcome::Succeeded: {
            QStringList verified;
            for (const QString &v : r.verification)
                verified << v.toHtmlEscaped();
            text = tr("<b>Done.</b> %1<br>Verified:<br>%2").arg(r.message.toHtmlEscaped(), verified.join(QStringLiteral("<br>")));
        } break;
        case PromotionResult::Outcome::Refused: text = tr("<b>Refused.</b> %1").arg(r.message.toHtmlEscaped()); break;
        case PromotionResult::Outcome::Failed:
        case PromotionResult::Outcome::Aborted:
            text = tr("<b>%1.</b> %2<br>Rollback: %3")
                       .arg(r.outcome == PromotionResult::Outcome::Failed ? tr("Failed") : tr("Aborted"), r.message.toHtmlEscaped(),
                            r.rollback.toHtmlEscaped());
            break;
        }
        m_result->setText(text);
    });
    m_engine->prepare();
}

void PromoteDialog::showPlan(const PromotionPlan &plan)
{
    m_path->setText(
        tr("<b>%1</b> (master %2) by <b>%3</b>: %4")
            .arg(plan.candidate.toHtmlEscaped(), plan.master.toHtmlEscaped(), promotionPathName(plan.path), plan.summary.toHtmlEscaped()));
    m_loss->setText(plan.expectedLossBytes == 0 ? tr("Expected data loss: <b>none</b>")
                        : plan.expectedLossBytes < 0
                        ? tr("Expected data loss: <b>unknown</b> (the master's last offset was never seen)")
                        : tr("Expected data loss: <b>up to %1</b> (the candidate's last known gap)").arg(humanBytes(plan.expectedLossBytes)));
    // Failures first, then warnings: what stops or needs the operator is on top.
    QList<PreflightCheck> checks = plan.checks;
    std::stable_sort(checks.begin(), checks.end(), [](const PreflightCheck &a, const PreflightCheck &b) { return int(a.result) > int(b.result); });
    int counts[3] = {0, 0, 0};
    for (const PreflightCheck &c : checks)
        ++counts[int(c.result)];
    m_checksTitle->setObjectName(QStringLiteral("promoteChecksSummary"));
    m_checksTitle->setText(tr("Pre-flight checks: %1 pass, %2 warn, %3 fail")
                               .arg(counts[int(PreflightCheck::Result::Pass)])
                               .arg(counts[int(PreflightCheck::Result::Warn)])
                               .arg(counts[int(PreflightCheck::Result::Fail)]));
    m_checks->setRowCount(int(checks.size()));
    for (int i = 0; i < checks.size(); ++i) {
        const PreflightCheck &c = checks.at(i);
        auto *name = new QTableWidgetItem(checkIcon(c.result), c.name);
        name->setData(Qt::UserRole, int(c.result));
        m_checks->setItem(i, 0, name);
        auto *detail = new QTableWidgetItem(QStringLiteral("%1: %2").arg(checkResultName(c.result), c.detail));
        detail->setToolTip(c.detail);
        m_checks->setItem(i, 1, detail);
    }
    m_plan->setRowCount(int(plan.steps.size()));
    for (int i = 0; i < plan.steps.size(); ++i) {
        const PlanStep &s = plan.steps.at(i);
        m_plan->setItem(i, 0, new QTableWidgetItem(QStringLiteral("%1. %2").arg(i + 1).arg(s.node)));
        auto *command = new QTableWidgetItem(s.command + (s.pointOfNoReturn ? tr("   \u2190 point of no return") : QString()));
        command->setToolTip(s.purpose);
        m_plan->setItem(i, 1, command);
        m_plan->setItem(i, 2, new QTableWidgetItem(tr("%1 ms").arg(s.timeoutMs)));
        m_plan->setItem(i, 3, new QTableWidgetItem(s.purpose));
    }
    m_acceptWarnings->setVisible(plan.needsOverride() && !plan.blocked());
    if (plan.blocked())
        m_result->setText(tr("<b>Refused:</b> a check failed; nothing will be changed."));
}

void PromoteDialog::updateButtons()
{
    const PromotionPlan &plan = m_engine->plan();
    const bool typed = m_confirm->text().trimmed() == plan.candidate || m_confirm->text().trimmed() == m_request.candidate;
    const bool allowed = m_prepared && !plan.blocked() && (!plan.needsOverride() || m_acceptWarnings->isChecked());
    m_promote->setEnabled(typed && allowed && !m_engine->isRunning() && !m_finished);
}

void PromoteDialog::start()
{
    m_request.reason = m_reason->text();
    m_promote->setEnabled(false);
    m_confirm->setEnabled(false);
    m_reason->setEnabled(false);
    m_acceptWarnings->setEnabled(false);
    m_close->setEnabled(false);
    m_abort->setEnabled(true);
    m_result->setText(tr("Running\u2026"));
    // The reason typed last goes with the request.
    m_engine->setReason(m_request.reason);
    m_engine->execute(m_acceptWarnings->isChecked());
}

void PromoteDialog::reject()
{
    if (m_engine && m_engine->isRunning())
        return; // closing mid-promotion is not possible: abort first (or wait for it to end)
    QDialog::reject();
}

} // namespace vigil
