#include "delayrelay.h"

#include <QDeadlineTimer>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <deque>

namespace vigil::test {

namespace {

// One direction of one connection: what `from` sent reaches `to` after the delay, in order.
class DelayedPipe : public QObject
{
public:
    DelayedPipe(QTcpSocket *from, QTcpSocket *to, int delayMs)
        : QObject(from)
        , m_to(to)
        , m_delayMs(delayMs)
    {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, &DelayedPipe::release);
        connect(from, &QTcpSocket::readyRead, this, [this, from] {
            m_queue.push_back({QDeadlineTimer(m_delayMs, Qt::PreciseTimer), from->readAll()});
            if (!m_timer.isActive())
                m_timer.start(m_delayMs);
        });
    }

private:
    void release()
    {
        while (!m_queue.empty() && m_queue.front().due.hasExpired()) {
            if (m_to)
                m_to->write(m_queue.front().bytes);
            m_queue.pop_front();
        }
        if (!m_queue.empty())
            m_timer.start(int(m_queue.front().due.remainingTime()));
    }

    struct Chunk
    {
        QDeadlineTimer due;
        QByteArray bytes;
    };
    QPointer<QTcpSocket> m_to;
    int m_delayMs;
    std::deque<Chunk> m_queue;
    QTimer m_timer;
};

} // namespace

DelayRelay::DelayRelay(quint16 listenPort, quint16 targetPort, int delayMs)
{
    auto *server = new QTcpServer;
    m_listening = server->listen(QHostAddress::LocalHost, listenPort);
    QObject::connect(server, &QTcpServer::newConnection, server, [server, targetPort, delayMs] {
        while (QTcpSocket *client = server->nextPendingConnection()) {
            auto *upstream = new QTcpSocket(client);
            new DelayedPipe(client, upstream, delayMs);
            new DelayedPipe(upstream, client, delayMs);
            // A side that closes closes the other, once what it sent has gone through.
            QObject::connect(client, &QTcpSocket::disconnected, upstream,
                             [upstream, delayMs] { QTimer::singleShot(delayMs + 1, upstream, [upstream] { upstream->disconnectFromHost(); }); });
            QObject::connect(upstream, &QTcpSocket::disconnected, client, [client, delayMs] {
                QTimer::singleShot(delayMs + 1, client, [client] {
                    client->disconnectFromHost();
                    client->deleteLater();
                });
            });
            upstream->connectToHost(QHostAddress::LocalHost, targetPort);
        }
    });
    server->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, server, &QObject::deleteLater);
    m_thread.start();
}

DelayRelay::~DelayRelay()
{
    m_thread.quit();
    m_thread.wait();
}

} // namespace vigil::test
