// The demo's service `orders`.
#include "demoservice.h"

#include <QProcess>

#include <csignal>
#include <sys/prctl.h>

namespace vigil {

namespace {

QString nodeName(int index)
{
    return QStringLiteral("orders-%1").arg(index + 1);
}

} // namespace

DemoService::DemoService(QString program, const QList<ConnectionOptions> &sentinels, const QString &masterName, Timing timing, QObject *parent)
    : QObject(parent)
    , m_program(std::move(program))
    , m_timing(timing)
{
    for (const ConnectionOptions &s : sentinels)
        m_arguments << QStringLiteral("--sentinel") << s.uri.toFullString();
    m_arguments << QStringLiteral("--master") << masterName << QStringLiteral("--service") << QStringLiteral("orders") << QStringLiteral("--role")
                << QStringLiteral("auto");
    m_kill.setSingleShot(true);
    connect(&m_kill, &QTimer::timeout, this, &DemoService::killPrimary);
}

DemoService::~DemoService()
{
    stop();
}

void DemoService::launch(int index)
{
    auto *p = new QProcess(this);
    m_processes[size_t(index)] = p;
    p->setProgram(m_program);
    p->setArguments(m_arguments + QStringList{QStringLiteral("--node"), nodeName(index), QStringLiteral("--quiet")});
    p->setProcessChannelMode(QProcess::ForwardedErrorChannel); // its errors, if any, beside the demo's
    p->setStandardOutputFile(QProcess::nullDevice());
    // Ends with the demo even if the demo is killed.
    p->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    // Killed or ended by itself: it comes back as a standby a little later.
    connect(p, &QProcess::finished, this, [this, p, index] {
        if (m_primary == index)
            m_primary = -1;
        if (m_processes[size_t(index)] == p)
            m_processes[size_t(index)] = nullptr;
        p->deleteLater();
        QTimer::singleShot(m_timing.restartAfterMs, this, [this, index] {
            if (m_running && !m_processes[size_t(index)])
                launch(index);
        });
    });
    connect(p, &QProcess::errorOccurred, this, [this, p, index](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            Q_EMIT message(tr("%1 could not be started: %2").arg(nodeName(index), p->errorString()));
    });
    p->start();
}

void DemoService::observe(const QList<ServiceStatus> &services)
{
    for (const ServiceStatus &s : services) {
        if (s.name != QLatin1String("orders"))
            continue;
        m_primary = -1;
        for (int i = 0; i < int(m_processes.size()); ++i)
            if (s.primaries == QStringList{nodeName(i)} && m_processes[size_t(i)])
                m_primary = i;
    }
    // Once an instance took over, the next kill is planned.
    if (m_running && m_primary >= 0 && !m_kill.isActive())
        m_kill.start(m_timing.killEveryMs);
}

void DemoService::start()
{
    m_running = true;
    launch(0);
    // The second a moment later, so that the first is the primary at the start.
    QTimer::singleShot(500, this, [this] {
        if (m_running)
            launch(1);
    });
}

void DemoService::killPrimary()
{
    if (!m_running || m_primary < 0)
        return;
    const int victim = m_primary;
    m_primary = -1;
    QProcess *p = m_processes[size_t(victim)];
    if (!p || p->state() != QProcess::Running)
        return; // it ended by itself; its restart is planned already
    p->kill();  // SIGKILL: no lease released, no last beat
}

void DemoService::stop()
{
    m_running = false;
    m_kill.stop();
    for (QProcess *&p : m_processes) {
        if (!p)
            continue;
        QProcess *process = p;
        p = nullptr;
        QObject::disconnect(process, nullptr, this, nullptr);
        if (process->state() != QProcess::NotRunning) {
            process->terminate(); // the primary releases its lease
            if (!process->waitForFinished(3000))
                process->kill();
            process->waitForFinished(1000);
        }
        delete process;
    }
}

} // namespace vigil
