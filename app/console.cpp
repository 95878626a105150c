// Console output: control characters escaped, writes on a thread of their own.
#include "console.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace vigil {

QString escapeControl(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if ((u < 0x20 && u != u'\t') || u == 0x7f || (u >= 0x80 && u < 0xa0))
            out += QStringLiteral("\\x%1").arg(uint(u), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

struct ConsoleWriter::State
{
    int fd = -1;
    qsizetype maxQueuedBytes = 0;
    std::mutex mutex;
    std::condition_variable wake;    // something to write, or stop
    std::condition_variable drained; // the queue became empty
    std::deque<QByteArray> queue;
    qsizetype queuedBytes = 0;
    qint64 dropped = 0;
    qint64 droppedUnreported = 0;
    bool writing = false;
    bool stop = false;
    bool closed = false; // the reader went away
};

namespace {

// False when the reader went away (EPIPE); other errors (a full disk) lose this text only.
bool writeAll(int fd, const QByteArray &bytes)
{
    const char *p = bytes.constData();
    qsizetype left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, size_t(left));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno != EPIPE;
        }
        p += n;
        left -= n;
    }
    return true;
}

void run(const std::shared_ptr<ConsoleWriter::State> &s)
{
    std::unique_lock lock(s->mutex);
    for (;;) {
        s->wake.wait(lock, [&] { return s->stop || !s->queue.empty(); });
        if (s->queue.empty())
            return;
        QByteArray text = std::move(s->queue.front());
        s->queue.pop_front();
        s->queuedBytes -= text.size();
        if (s->queue.empty() && s->droppedUnreported > 0) {
            text += QByteArrayLiteral("vigil: ") + QByteArray::number(s->droppedUnreported)
                + QByteArrayLiteral(" line(s) not printed: the output was not being read (events are in the journal)\n");
            s->droppedUnreported = 0;
        }
        s->writing = true;
        lock.unlock();
        const bool open = writeAll(s->fd, text);
        lock.lock();
        s->writing = false;
        if (!open) {
            s->closed = true;
            s->queue.clear();
            s->queuedBytes = 0;
        }
        if (s->queue.empty())
            s->drained.notify_all();
    }
}

} // namespace

ConsoleWriter::ConsoleWriter(int fd, qsizetype maxQueuedBytes)
    : m_state(std::make_shared<State>())
{
    m_state->fd = fd;
    m_state->maxQueuedBytes = maxQueuedBytes;
    // Detached: a thread stuck in write() on a pipe nobody reads must not keep the process alive.
    // It holds the state, so it outlives this object safely.
    std::thread([state = m_state] { run(state); }).detach();
}

ConsoleWriter::~ConsoleWriter()
{
    flush(1000);
    std::lock_guard lock(m_state->mutex);
    m_state->stop = true;
    m_state->wake.notify_all();
}

void ConsoleWriter::write(const QByteArray &text, bool always)
{
    std::lock_guard lock(m_state->mutex);
    if (m_state->closed)
        return;
    if (!always && m_state->queuedBytes + text.size() > m_state->maxQueuedBytes) {
        ++m_state->dropped;
        ++m_state->droppedUnreported;
        return;
    }
    m_state->queuedBytes += text.size();
    m_state->queue.push_back(text);
    m_state->wake.notify_one();
}

bool ConsoleWriter::flush(int timeoutMs)
{
    std::unique_lock lock(m_state->mutex);
    return m_state->drained.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return m_state->queue.empty() && !m_state->writing; });
}

bool ConsoleWriter::closed() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->closed;
}

void ignoreSigpipe()
{
    std::signal(SIGPIPE, SIG_IGN);
}

qint64 ConsoleWriter::dropped() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->dropped;
}

} // namespace vigil
