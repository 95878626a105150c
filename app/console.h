// Console output of the command-line tools: text made safe for a terminal, and a writer that a
// reader who stops reading cannot block.
#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

namespace vigil {

// `text` with control characters (C0 but tab, DEL, C1) written as \xNN, so that a node name or a
// message from a server cannot move the cursor, recolour or retitle the terminal.
QString escapeControl(const QString &text);

// Makes a write to a pipe whose reader left fail with EPIPE instead of killing the process.
void ignoreSigpipe();

// Writes to a file descriptor on a thread of its own. A pipe nobody drains (a stuck `| grep`,
// Ctrl-S on the terminal) fills the queue, not the caller's time: beyond `maxQueuedBytes` lines are
// dropped and counted, and a note says how many once the reader catches up. A reader that went
// away (`| head`) closes the writer; SIGPIPE must be ignored by the process (see ignoreSigpipe).
class ConsoleWriter final
{
public:
    explicit ConsoleWriter(int fd, qsizetype maxQueuedBytes = qsizetype(4) << 20);
    // Waits for the queue to drain for at most the last flush() budget, then leaves the thread to
    // the process's exit if the reader is still stuck.
    ~ConsoleWriter();
    ConsoleWriter(const ConsoleWriter &) = delete;
    ConsoleWriter &operator=(const ConsoleWriter &) = delete;

    // Queues `text` (one line, or a few that belong together). `always` queues it even over the
    // bound (a last summary line).
    void write(const QByteArray &text, bool always = false);
    // The reader went away (EPIPE): nothing more is written.
    bool closed() const;
    // Waits until everything queued is written, at most `timeoutMs`; false if it was not.
    bool flush(int timeoutMs);
    qint64 dropped() const;

    struct State;

private:
    std::shared_ptr<State> m_state;
};

} // namespace vigil
