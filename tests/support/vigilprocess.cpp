// vigil as a process in tests.
#include "vigilprocess.h"

#include "redisfixture.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QTimer>

namespace vigil::test {

VigilProcess::VigilProcess(const QStringList &args, const QProcessEnvironment &env)
    : m_process(std::make_unique<QProcess>())
{
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment all = QProcessEnvironment::systemEnvironment();
    all.insert(env);
    m_process->setProcessEnvironment(all);
    m_process->start(qEnvironmentVariable("VIGIL_BINARY"), args);
    m_process->waitForStarted(5000);
}

VigilProcess::~VigilProcess()
{
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished();
    }
}

QString VigilProcess::output()
{
    m_output += QString::fromUtf8(m_process->readAll());
    return m_output;
}

VigilRun VigilProcess::finish(int timeoutMs)
{
    VigilRun run;
    if (m_process->state() == QProcess::NotRunning && m_process->exitStatus() == QProcess::NormalExit
        && m_process->error() == QProcess::FailedToStart)
        return run;
    spinUntil([this] { return m_process->state() == QProcess::NotRunning; }, timeoutMs);
    if (m_process->state() != QProcess::NotRunning) {
        run.timedOut = true;
        m_process->kill();
        m_process->waitForFinished();
    }
    run.output = output();
    run.crashed = m_process->exitStatus() == QProcess::CrashExit;
    run.exitCode = run.crashed ? -1 : m_process->exitCode();
    return run;
}

VigilRun runVigil(const QStringList &args, const QProcessEnvironment &env, int timeoutMs)
{
    return VigilProcess(args, env).finish(timeoutMs);
}

QString vigilTestMissing(bool needSentinel)
{
    if (qEnvironmentVariable("VIGIL_BINARY").isEmpty())
        return QStringLiteral("VIGIL_BINARY not set (run through CTest)");
    return RedisFixture::missing(needSentinel);
}

QProcessEnvironment crashAt(const QString &point)
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("VIGIL_CRASH_AT"), point);
    return env;
}

bool spinUntil(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer check;
    QElapsedTimer clock;
    clock.start();
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done() || clock.elapsed() > timeoutMs)
            loop.quit();
    });
    check.start(2);
    loop.exec();
    return done();
}

} // namespace vigil::test
