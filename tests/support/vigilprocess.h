// `vigil` as a process in tests, the event loop running while it runs (a writer in the test
// process keeps writing meanwhile), and waiting on the event loop without QTest::qWait's sleeps.
#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

class QProcess;

namespace vigil::test {

struct VigilRun
{
    int exitCode = -1;     // -1 when it crashed or never started
    bool crashed = false;  // killed by a signal (VIGIL_CRASH_AT, a SIGKILL)
    bool timedOut = false; // killed here for running past the timeout (crashed too)
    QString output;        // stdout and stderr
};

// $VIGIL_BINARY with `args`, `env` added to the environment; killed after `timeoutMs`.
VigilRun runVigil(const QStringList &args, const QProcessEnvironment &env = {}, int timeoutMs = 60000);
// `vigil` started and left running while the test acts (a server killed mid-way); its output so far
// on request, then finish() waits for it.
class VigilProcess
{
public:
    VigilProcess(const QStringList &args, const QProcessEnvironment &env = {});
    ~VigilProcess();
    QString output();
    VigilRun finish(int timeoutMs);

private:
    std::unique_ptr<QProcess> m_process;
    QString m_output;
};

// Why a test that runs vigil against real servers cannot run here ($VIGIL_BINARY unset, or
// redis-server / redis-sentinel missing), for QSKIP; empty when it can.
QString vigilTestMissing(bool needSentinel = true);
// The environment that makes a vigil process SIGKILL itself at `point` ("after:promote").
QProcessEnvironment crashAt(const QString &point);

// Runs the event loop until `done` holds or `timeoutMs` passes; returns done().
bool spinUntil(const std::function<bool()> &done, int timeoutMs);

} // namespace vigil::test
