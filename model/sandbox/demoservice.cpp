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

DemoService::DemoService(QString program, const QList<ConnectionOptions> &sentinels, const QString &masterName, Timing timing,
                         QObject *parent)
    : QObject(parent)
    , m_program(std::move(program))
    , m_timing(timing)
{
    for (const ConnectionOptions &s : sentinels)
        m_arguments << QStringLiteral("--sentinel") << s.uri.toFullString();
    m_arguments << QStringLiteral("--master") << masterName << QStringLiteral("--service") << QStringLiteral("orders")
                << QStringLiteral("--role") << QStringLiteral("auto");
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
    p->setArguments(m_arguments + QStringList{QStringLiteral("--node"), nodeName(index)});
    p->setProcessChannelMode(QProcess::SeparateChannels);
    p->setStandardOutputFile(QProcess::nullDevice());
    // Ends with the demo even if the demo is killed.
    p->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    connect(p, &QProcess::readyReadStandardError, this, [this, p, index] {
        while (p->canReadLine()) {
            const QString line = QString::fromLocal8Bit(p->readLine()).trimmed();
            if (line.contains(QStringLiteral(" is the primary of ")))
                m_primary = index;
            else if (line.contains(QStringLiteral(" is no longer the primary")) && m_primary == index)
                m_primary = -1;
            else
                continue;
            // Once the other instance took over, the next kill is planned.
            if (m_running && m_primary >= 0 && !m_kill.isActive())
                m_kill.start(m_timing.killEveryMs);
        }
    });
    p->setReadChannel(QProcess::StandardError);
    connect(p, &QProcess::errorOccurred, this, [this, index](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            Q_EMIT message(tr("%1 could not be started: %2").arg(nodeName(index), m_processes[size_t(index)]->errorString()));
    });
    p->start();
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
    QProcess *p = m_processes[size_t(victim)];
    m_primary = -1;
    ::kill(pid_t(p->processId()), SIGKILL);
    p->waitForFinished(2000);
    p->deleteLater();
    m_processes[size_t(victim)] = nullptr;
    QTimer::singleShot(m_timing.restartAfterMs, this, [this, victim] {
        if (m_running)
            launch(victim);
    });
}

void DemoService::stop()
{
    m_running = false;
    m_kill.stop();
    for (QProcess *&p : m_processes) {
        if (!p)
            continue;
        if (p->state() != QProcess::NotRunning) {
            p->terminate();
            if (!p->waitForFinished(3000))
                p->kill();
            p->waitForFinished(1000);
        }
        delete p;
        p = nullptr;
    }
}

} // namespace vigil
