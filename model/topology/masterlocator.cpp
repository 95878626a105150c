// Following a Sentinel group's master.
#include "masterlocator.h"

#include "sentinelparser.h"

namespace vigil {

MasterLocator::MasterLocator(const QList<ConnectionOptions> &sentinels, const QString &masterName, QObject *parent)
    : QObject(parent)
    , m_name(masterName)
{
    m_refresh.setInterval(5000);
    connect(&m_refresh, &QTimer::timeout, this, [this] {
        for (Sentinel &s : m_sentinels)
            ask(s);
    });
    for (ConnectionOptions options : sentinels) {
        options.uri.db = 0;
        options.clientName = QByteArrayLiteral("vigil-locator");
        Sentinel s;
        s.query = new Connection(options, this);
        s.events = new Connection(options, this);
        m_sentinels.push_back(s);
    }
    for (size_t i = 0; i < m_sentinels.size(); ++i) {
        Sentinel &s = m_sentinels[i];
        const QString sentinel = s.query->options().uri.address();
        connect(s.query, &Connection::ready, this, [this, i] { ask(m_sentinels[i]); });
        // A sentinel that cannot be asked has no say: its last answer must not block agreement.
        connect(s.query, &Connection::disconnected, this, [this, i] { m_sentinels[i].answer.clear(); });
        connect(s.events, &Connection::message, this, [this, sentinel](const QByteArray &channel, const QByteArray &, const QByteArray &payload) {
            const SentinelEvent e = parseSentinelEvent(channel, payload);
            if (e.type == QLatin1String("+switch-master") && e.masterName == m_name && !e.newAddress.isEmpty()) {
                // Sentinels that did not lead the failover announce it first: take the first.
                for (Sentinel &other : m_sentinels)
                    other.answer = e.newAddress;
                setMaster(e.newAddress, QStringLiteral("+switch-master from %1").arg(sentinel));
            }
        });
        s.events->subscribe({QByteArrayLiteral("+switch-master")});
    }
}

MasterLocator::~MasterLocator()
{
    for (Sentinel &s : m_sentinels)
        for (Connection *c : {s.query, s.events})
            QObject::disconnect(c, nullptr, this, nullptr);
}

void MasterLocator::start()
{
    for (Sentinel &s : m_sentinels) {
        s.query->open();
        s.events->open();
    }
    m_refresh.start();
}

void MasterLocator::stop()
{
    m_refresh.stop();
    for (Sentinel &s : m_sentinels) {
        s.query->close();
        s.events->close();
    }
}

void MasterLocator::ask(Sentinel &sentinel)
{
    if (!sentinel.query->isReady())
        return;
    Sentinel *s = &sentinel;
    const QString address = sentinel.query->options().uri.address();
    sentinel.query->command({QByteArrayLiteral("SENTINEL"), QByteArrayLiteral("GET-MASTER-ADDR-BY-NAME"), m_name.toUtf8()}, this,
                            [this, s, address](const Reply &r) {
                                if (r.isArray() && r.elements.size() == 2 && r.elements[0].isString()) {
                                    s->answer = QStringLiteral("%1:%2").arg(r.elements[0].text(), r.elements[1].text());
                                    judgeAnswers(address);
                                } else if (r.isNil()) {
                                    s->answer.clear();
                                    Q_EMIT problem(QStringLiteral("sentinel %1 does not monitor a master named %2").arg(address, m_name));
                                } else if (r.isError()) {
                                    s->answer.clear();
                                    if (!r.local)
                                        Q_EMIT problem(QStringLiteral("sentinel %1: %2").arg(address, r.text()));
                                }
                            });
}

// Answers to the periodic question move the master only when every sentinel that answered agrees:
// one sentinel that has not heard of a failover yet must not send clients back to the old master.
void MasterLocator::judgeAnswers(const QString &from)
{
    QString agreed;
    for (const Sentinel &s : m_sentinels) {
        if (s.answer.isEmpty())
            continue;
        if (!agreed.isEmpty() && s.answer != agreed)
            return;
        agreed = s.answer;
    }
    if (!agreed.isEmpty() && (m_master.isEmpty() || agreed != m_master))
        setMaster(agreed, QStringLiteral("sentinel %1").arg(from));
}

void MasterLocator::setMaster(const QString &address, const QString &how)
{
    if (address == m_master)
        return;
    m_master = address;
    Q_EMIT masterChanged(address, how);
}

} // namespace vigil
