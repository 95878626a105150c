// vigil as a process in tests.
#include "vigilprocess.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QTimer>

namespace vigil::test {

VigilRun runVigil(const QStringList &args, const QProcessEnvironment &env, int timeoutMs)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment all = QProcessEnvironment::systemEnvironment();
    all.insert(env);
    p.setProcessEnvironment(all);
    p.start(qEnvironmentVariable("VIGIL_BINARY"), args);
    VigilRun run;
    if (!p.waitForStarted(5000))
        return run;
    spinUntil([&p] { return p.state() == QProcess::NotRunning; }, timeoutMs);
    if (p.state() != QProcess::NotRunning) {
        run.timedOut = true;
        p.kill();
        p.waitForFinished();
    }
    run.output = QString::fromUtf8(p.readAll());
    run.crashed = p.exitStatus() == QProcess::CrashExit;
    run.exitCode = run.crashed ? -1 : p.exitCode();
    return run;
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
