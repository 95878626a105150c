// Turns SIGINT and SIGTERM into a Qt signal on the main thread (self-pipe), so shutdown runs
// through the event loop and everything gets committed and cleaned up.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace vigil {

class SignalWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace vigil
