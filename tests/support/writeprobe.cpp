#include "writeprobe.h"

#include <QTimer>

#include <algorithm>
#include <chrono>

namespace vigil::test {

namespace {

constexpr int kIntervalMs = 2;
constexpr int kRetryMs = 50;       // while not connected (a refusal is tried again at the interval)
constexpr qint64 kPromptUs = 5000; // a write that ran later than this after it was sent was held

qint64 nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A write that changes nothing: SET ... XX of a key that never exists. A replica refuses it and a
// write pause holds it, as any write; it leaves no trace for `vigil recover` to count as a write
// taken since the split.
const QByteArray kScript = QByteArrayLiteral("redis.call('SET', KEYS[1], ARGV[1], 'XX') return redis.call('TIME')");

} // namespace

WriteProbe::WriteProbe(const QList<ConnectionOptions> &servers, const QStringList &names, QObject *parent)
    : QObject(parent)
{
    for (int i = 0; i < servers.size(); ++i) {
        ConnectionOptions o = servers[i];
        o.clientName = QByteArrayLiteral("vigil-probe");
        o.keepAliveIntervalMs = 0;
        o.commandTimeoutMs = 60'000; // a paused or cut-off server holds the write; it is not refused
        Target t;
        t.connection = new Connection(o, this);
        t.name = names.value(i, servers[i].uri.address());
        m_targets.push_back(std::move(t));
    }
}

WriteProbe::~WriteProbe() = default;

void WriteProbe::start()
{
    m_running = true;
    for (size_t i = 0; i < m_targets.size(); ++i) {
        m_targets[i].connection->open();
        tryWrite(int(i));
    }
}

void WriteProbe::stop()
{
    m_running = false;
    for (Target &t : m_targets)
        t.connection->close();
}

void WriteProbe::tryWrite(int server)
{
    if (!m_running)
        return;
    Target &t = m_targets[size_t(server)];
    const qint64 sent = nowUs();
    t.connection->command({QByteArrayLiteral("EVAL"), kScript, QByteArrayLiteral("1"), key(), QByteArray::number(sent)}, this,
                          [this, server, sent](const Reply &r) {
                              Attempt a{sent, 0};
                              if (r.isArray() && r.elements.size() == 2)
                                  a.serverUs = r.elements[0].string.toLongLong() * 1'000'000 + r.elements[1].string.toLongLong();
                              m_targets[size_t(server)].attempts.push_back(a);
                              QTimer::singleShot(r.isError() && r.local ? kRetryMs : kIntervalMs, this, [this, server] { tryWrite(server); });
                          });
}

int WriteProbe::accepted(int server) const
{
    const auto &attempts = m_targets[size_t(server)].attempts;
    return int(std::count_if(attempts.begin(), attempts.end(), [](const Attempt &a) { return a.serverUs != 0; }));
}

QString WriteProbe::overlap() const
{
    // Every accepted write of each server, in server time.
    std::vector<std::vector<qint64>> acceptedAt(m_targets.size());
    for (size_t i = 0; i < m_targets.size(); ++i) {
        for (const Attempt &a : m_targets[i].attempts)
            if (a.serverUs)
                acceptedAt[i].push_back(a.serverUs);
        std::sort(acceptedAt[i].begin(), acceptedAt[i].end());
    }
    for (size_t i = 0; i < m_targets.size(); ++i) {
        qint64 previous = 0; // the last write S accepted, while nothing was refused since
        for (const Attempt &a : m_targets[i].attempts) {
            if (!a.serverUs) {
                previous = 0;
                continue;
            }
            if (previous && a.serverUs - a.sentUs < kPromptUs)
                for (size_t j = 0; j < m_targets.size(); ++j) {
                    if (j == i)
                        continue;
                    const auto it = std::upper_bound(acceptedAt[j].begin(), acceptedAt[j].end(), previous);
                    if (it != acceptedAt[j].end() && *it < a.serverUs)
                        return QStringLiteral("%1 accepted a write at %2 µs while %3 accepted writes from %4 to %5 µs (%6 and %7 accepted in all)")
                            .arg(m_targets[j].name)
                            .arg(*it)
                            .arg(m_targets[i].name)
                            .arg(previous)
                            .arg(a.serverUs)
                            .arg(accepted(int(j)))
                            .arg(accepted(int(i)));
                }
            previous = a.serverUs;
        }
    }
    return {};
}

} // namespace vigil::test
