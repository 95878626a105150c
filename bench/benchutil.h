// Helpers shared by the benchmarks: waiting on the event loop, reading the process's memory.
#pragma once

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QTimer>

#include <functional>
#include <unistd.h>

namespace vigil::bench {

// Runs the event loop until done() holds, checking it every `stepMs`; false on timeout.
inline bool spinUntil(const std::function<bool()> &done, int timeoutMs, int stepMs = 2)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer check;
    QDeadlineTimer deadline(timeoutMs);
    bool ok = false;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done()) {
            ok = true;
            loop.quit();
        } else if (deadline.hasExpired()) {
            loop.quit();
        }
    });
    check.start(stepMs);
    loop.exec();
    return ok;
}

// Resident set size of this process in MB.
inline double rssMb()
{
    QFile f(QStringLiteral("/proc/self/statm"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = f.readAll().split(' ');
    return fields.size() > 1 ? double(fields[1].toLongLong()) * double(sysconf(_SC_PAGESIZE)) / 1e6 : 0;
}

} // namespace vigil::bench
