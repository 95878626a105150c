// A slow link where the kernel has no netem: a TCP relay on a loopback port that forwards to a
// server, every byte held `delayMs` in each direction. It runs in a thread of its own, so that a
// test blocked in a wait does not stall it. A server reached only through it (its
// replica-announce-port set to the relay's port) is on a slow link for Vigil and the other nodes.
#pragma once

#include <QThread>

#include <memory>

namespace vigil::test {

class DelayRelay
{
public:
    DelayRelay(quint16 listenPort, quint16 targetPort, int delayMs);
    ~DelayRelay();
    DelayRelay(const DelayRelay &) = delete;
    DelayRelay &operator=(const DelayRelay &) = delete;

    // False when it could not listen.
    bool isListening() const { return m_listening; }

private:
    QThread m_thread;
    bool m_listening = false;
};

} // namespace vigil::test
