// Asynchronous Redis connection over Qt sockets with hiredis as the RESP codec.
#include "connection.h"

#include <QFile>
#include <QLocalSocket>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpSocket>

#include <cstring>

#include <poll.h>
#include <sys/socket.h>

namespace vigil {

namespace {

constexpr int kTickMs = 50;
// A reply overdue while data keeps arriving (a pub/sub backlog being drained, a large reply on a
// slow link) is queued behind it, not lost. Progress is a complete reply or another 4 KiB: a
// server trickling a byte now and then is not making any.
constexpr qint64 kStreamingGraceUs = 300'000;
constexpr qint64 kProgressBytes = 4096;
constexpr qsizetype kReadChunk = 64 * 1024; // read at most this at once
// However long a backlog, a reply is given up on this long after its own deadline.
constexpr qint64 kMaxStreamingExtensionUs = 30'000'000;
// A connect timer served this late means the event loop stalled; the attempt gets a few short
// extensions to read what arrived meanwhile.
constexpr qint64 kConnectLateUs = 100'000;
constexpr int kConnectExtensionMs = 250;
constexpr int kMaxConnectExtensions = 4;
// A connection counts as healthy once it has answered commands for this long: only then does a
// close by the server mean a reconnect at once and the back-off start again from its first step.
// A server that accepts the handshake and closes on the first poll is retried ever more slowly.
constexpr qint64 kProvenHealthyUs = 1'000'000;

// Whether bytes wait to be read on `io`, in its buffer or still in the kernel's.
bool unreadBytesWaiting(QIODevice *io)
{
    if (!io)
        return false;
    if (io->bytesAvailable() > 0)
        return true;
    qintptr fd = -1;
    if (const auto *socket = qobject_cast<QAbstractSocket *>(io))
        fd = socket->socketDescriptor();
    else if (const auto *local = qobject_cast<QLocalSocket *>(io))
        fd = local->socketDescriptor();
    if (fd < 0)
        return false;
    pollfd p{int(fd), POLLIN, 0};
    return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

// Makes closing the socket reset the connection, dropping what the kernel still holds to send.
void resetOnClose(qintptr fd)
{
    if (fd < 0)
        return;
    const linger now{1, 0};
    ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &now, sizeof now);
}

QByteArray upperName(const QList<QByteArray> &argv)
{
    return argv.isEmpty() ? QByteArray() : argv.first().toUpper();
}

ErrorKind kindForSocketError(QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError: return ErrorKind::Refused;
    case QAbstractSocket::RemoteHostClosedError: return ErrorKind::Closed;
    case QAbstractSocket::HostNotFoundError: return ErrorKind::HostNotFound;
    case QAbstractSocket::SocketTimeoutError: return ErrorKind::Timeout;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError: return ErrorKind::Tls;
    default: return ErrorKind::Socket;
    }
}

ErrorKind kindForLocalError(QLocalSocket::LocalSocketError error)
{
    switch (error) {
    case QLocalSocket::ConnectionRefusedError:
    case QLocalSocket::ServerNotFoundError: return ErrorKind::Refused;
    case QLocalSocket::PeerClosedError: return ErrorKind::Closed;
    case QLocalSocket::SocketTimeoutError: return ErrorKind::Timeout;
    default: return ErrorKind::Socket;
    }
}

QString describeSocketError(ErrorKind kind, const QString &address, const QString &detail)
{
    switch (kind) {
    case ErrorKind::Refused: return QStringLiteral("connection refused by %1").arg(address);
    case ErrorKind::Closed: return QStringLiteral("connection closed by %1").arg(address);
    case ErrorKind::HostNotFound: return QStringLiteral("host not found: %1").arg(address);
    default: return QStringLiteral("%1: %2").arg(address, detail);
    }
}

} // namespace

Connection::Connection(ConnectionOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_decoder(m_options.replyLimits)
    , m_scanner(m_options.replyLimits)
    , m_backoff(m_options.reconnectMinMs, m_options.reconnectMaxMs)
{
    m_clock.start();
    m_readBuffer.resize(2 * kReadChunk);

    m_tick.setInterval(kTickMs);
    connect(&m_tick, &QTimer::timeout, this, &Connection::onTick);

    m_connectTimer.setSingleShot(true);
    m_connectTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        // The timer was served late (this process's event loop stalled: a GUI discovering hundreds
        // of servers at once), or the server's answer is waiting unread: the socket is served
        // before the attempt is judged, a few short extensions at most. A server that does not
        // answer is judged on time.
        const qint64 now = nowUs();
        if ((now - m_connectDeadlineUs > kConnectLateUs || unreadBytesWaiting(m_io)) && m_connectExtensions < kMaxConnectExtensions) {
            ++m_connectExtensions;
            m_connectDeadlineUs = now + kConnectExtensionMs * 1000;
            m_connectTimer.start(kConnectExtensionMs);
            return;
        }
        // Connected, yet the TLS handshake went unanswered: a plain server waits for a line that
        // never comes. Say so rather than "timed out".
        if (m_state == State::Connecting && m_options.uri.isTls() && m_tcp && m_tcp->state() == QAbstractSocket::ConnectedState) {
            teardown(ErrorKind::Tls,
                     QStringLiteral("TLS handshake with %1 not answered within %2 ms: the port does not seem to "
                                    "serve TLS (use redis:// for a plain port)")
                         .arg(m_options.uri.address())
                         .arg(m_options.connectTimeoutMs));
            return;
        }
        teardown(ErrorKind::Timeout,
                 QStringLiteral("connect to %1 timed out after %2 ms").arg(m_options.uri.address()).arg(m_options.connectTimeoutMs));
    });

    m_keepAlive.setTimerType(Qt::PreciseTimer);
    connect(&m_keepAlive, &QTimer::timeout, this, &Connection::onKeepAlive);

    m_reconnect.setSingleShot(true);
    connect(&m_reconnect, &QTimer::timeout, this, &Connection::startAttempt);
}

Connection::~Connection()
{
    m_wanted = false;
    if (m_io) {
        QObject::disconnect(m_io, nullptr, this, nullptr);
        delete m_io;
        m_io = nullptr;
    }
    // Callbacks are not run from the destructor: their owners may be half-destroyed too.
}

void Connection::open()
{
    if (m_wanted)
        return;
    m_wanted = true;
    m_backoff.reset();
    startAttempt();
}

void Connection::close()
{
    m_wanted = false;
    m_reconnect.stop();
    if (m_state != State::Disconnected || m_io)
        teardown(ErrorKind::None, QStringLiteral("closed by Vigil"));
}

void Connection::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void Connection::startAttempt()
{
    if (!m_wanted || m_io)
        return;
    ++m_generation;
    m_decoder.reset();
    m_scanner.reset();
    releaseReadBuffer();
    m_tlsError.clear();
    m_unsolicitedError.clear();
    m_handshakeFailed = false;
    m_pingOutstanding = false;
    m_serverSubscriptions = 0;
    m_pendingSubscribes = 0;
    setState(State::Connecting);
    m_connectTimer.start(m_options.connectTimeoutMs);
    m_connectDeadlineUs = nowUs() + qint64(m_options.connectTimeoutMs) * 1000;
    m_connectExtensions = 0;

    const RedisUri &uri = m_options.uri;
    if (uri.isUnix()) {
        auto *socket = new QLocalSocket(this);
        m_local = socket;
        m_io = socket;
        connect(socket, &QLocalSocket::connected, this, &Connection::onTransportConnected);
        connect(socket, &QLocalSocket::readyRead, this, &Connection::onReadyRead);
        connect(socket, &QLocalSocket::errorOccurred, this, [this, socket](QLocalSocket::LocalSocketError e) {
            const ErrorKind kind = kindForLocalError(e);
            onTransportError(kind, describeSocketError(kind, m_options.uri.path, socket->errorString()));
        });
        connect(socket, &QLocalSocket::disconnected, this,
                [this] { onTransportError(ErrorKind::Closed, describeSocketError(ErrorKind::Closed, m_options.uri.path, {})); });
        socket->connectToServer(uri.path);
        return;
    }

    QTcpSocket *socket = nullptr;
    if (uri.isTls()) {
        auto *ssl = new QSslSocket(this);
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        const TlsOptions &tls = m_options.tls;
        if (!tls.caFile.isEmpty()) {
            const auto cas = QSslCertificate::fromPath(tls.caFile, QSsl::Pem);
            if (cas.isEmpty()) {
                delete ssl;
                m_io = nullptr;
                onTransportError(ErrorKind::Tls, QStringLiteral("no CA certificate could be read from %1").arg(tls.caFile));
                return;
            }
            config.setCaCertificates(cas);
        }
        if (!tls.certFile.isEmpty()) {
            const auto certs = QSslCertificate::fromPath(tls.certFile, QSsl::Pem);
            QFile keyFile(tls.keyFile.isEmpty() ? tls.certFile : tls.keyFile);
            QSslKey key;
            if (keyFile.open(QIODevice::ReadOnly)) {
                const QByteArray pem = keyFile.readAll();
                for (auto algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
                    key = QSslKey(pem, algorithm, QSsl::Pem);
                    if (!key.isNull())
                        break;
                }
            }
            if (certs.isEmpty() || key.isNull()) {
                delete ssl;
                onTransportError(ErrorKind::Tls,
                                 QStringLiteral("cannot read the client certificate %1 or its key %2").arg(tls.certFile, keyFile.fileName()));
                return;
            }
            config.setLocalCertificate(certs.first());
            config.setPrivateKey(key);
        }
        config.setPeerVerifyMode(tls.insecure ? QSslSocket::VerifyNone : QSslSocket::VerifyPeer);
        ssl->setSslConfiguration(config);
        connect(ssl, &QSslSocket::encrypted, this, &Connection::onTransportConnected);
        connect(ssl, &QSslSocket::sslErrors, this, [this, ssl](const QList<QSslError> &errors) {
            if (m_options.tls.insecure) {
                ssl->ignoreSslErrors();
                return;
            }
            QStringList texts;
            for (const QSslError &e : errors)
                texts << e.errorString();
            m_tlsError =
                QStringLiteral("TLS certificate verification of %1 failed: %2").arg(m_options.uri.address(), texts.join(QStringLiteral("; ")));
        });
        socket = ssl;
    } else {
        socket = new QTcpSocket(this);
        connect(socket, &QTcpSocket::connected, this, &Connection::onTransportConnected);
    }
    m_tcp = socket;
    m_io = socket;
    connect(socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
    connect(socket, &QTcpSocket::errorOccurred, this, [this, socket](QAbstractSocket::SocketError e) {
        ErrorKind kind = kindForSocketError(e);
        QString text = describeSocketError(kind, m_options.uri.address(), socket->errorString());
        if (!m_tlsError.isEmpty()) {
            kind = ErrorKind::Tls;
            text = m_tlsError;
        } else if (kind == ErrorKind::Tls) {
            text = QStringLiteral("TLS handshake with %1 failed: %2").arg(m_options.uri.address(), socket->errorString());
        }
        onTransportError(kind, text);
    });
    connect(socket, &QTcpSocket::disconnected, this,
            [this] { onTransportError(ErrorKind::Closed, describeSocketError(ErrorKind::Closed, m_options.uri.address(), {})); });
    if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
        const QString peer = m_options.tls.serverName.isEmpty() ? uri.host : m_options.tls.serverName;
        ssl->connectToHostEncrypted(uri.host, uri.port, peer);
    } else {
        socket->connectToHost(uri.host, uri.port);
    }
}

void Connection::onTransportConnected()
{
    if (m_tcp) {
        m_tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_tcp->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    }
    setState(State::Handshaking);
    m_lastReplyUs = 0;
    m_bytesAtConnect = m_bytesReceived;
    m_bytesAtProgress = m_bytesReceived;

    const RedisUri &uri = m_options.uri;
    const quint64 generation = m_generation;
    auto failHandshake = [this, generation](const QByteArray &step, const Reply &r) {
        if (generation != m_generation || m_handshakeFailed)
            return;
        m_handshakeFailed = true;
        ErrorKind kind = r.local ? ErrorKind::Timeout : classifyServerError(r.string);
        const QString text = QStringLiteral("%1 on %2 failed: %3").arg(QString::fromUtf8(step), m_options.uri.address(), r.text());
        if (kind == ErrorKind::WrongPass || kind == ErrorKind::NoAuth || kind == ErrorKind::Denied) {
            Q_EMIT authFailed(kind, text);
        } else if (step == "AUTH" && !r.local) {
            // "AUTH <password> called without any password configured" and the like.
            kind = ErrorKind::WrongPass;
            Q_EMIT authFailed(kind, text);
        }
        teardown(kind, text);
    };

    auto internal = [this](const QByteArray &name) {
        Pending p;
        p.kind = PendingKind::Handshake;
        p.name = name;
        p.timeoutMs = m_options.commandTimeoutMs;
        return p;
    };

    if (!uri.password.isEmpty()) {
        QList<QByteArray> argv{QByteArrayLiteral("AUTH")};
        if (!uri.user.isEmpty())
            argv << uri.user.toUtf8();
        argv << uri.password.toUtf8();
        Pending p = internal("AUTH");
        p.callback = [failHandshake](const Reply &r) {
            if (r.isError())
                failHandshake("AUTH", r);
        };
        sendNow(argv, std::move(p));
    }
    if (uri.db != 0) {
        Pending p = internal("SELECT");
        p.callback = [failHandshake](const Reply &r) {
            if (r.isError())
                failHandshake("SELECT", r);
        };
        sendNow({QByteArrayLiteral("SELECT"), QByteArray::number(uri.db)}, std::move(p));
    }
    // CLIENT SETNAME ends the handshake. A refusal by ACL or an old server is tolerated, but NOAUTH
    // tells us the server wants a password, and DENIED that it admits no client from here.
    Pending p = internal("CLIENT");
    p.callback = [this, generation, failHandshake](const Reply &r) {
        if (generation != m_generation || m_handshakeFailed)
            return;
        if (r.isError() && (r.local || classifyServerError(r.string) == ErrorKind::NoAuth || classifyServerError(r.string) == ErrorKind::Denied)) {
            failHandshake("CLIENT SETNAME", r);
            return;
        }
        finishHandshake();
    };
    sendNow({QByteArrayLiteral("CLIENT"), QByteArrayLiteral("SETNAME"), m_options.clientName}, std::move(p));
}

void Connection::finishHandshake()
{
    m_connectTimer.stop();
    m_readyAtUs = nowUs();
    m_proven = false;
    setState(State::Ready);
    if (m_options.keepAliveIntervalMs > 0)
        m_keepAlive.start(m_options.keepAliveIntervalMs);

    if (!m_channels.isEmpty())
        sendSubscription(QByteArrayLiteral("SUBSCRIBE"), m_channels.values());
    if (!m_patterns.isEmpty())
        sendSubscription(QByteArrayLiteral("PSUBSCRIBE"), m_patterns.values());

    std::deque<Queued> outbox;
    outbox.swap(m_outbox);
    for (Queued &q : outbox)
        sendNow(q.argv, std::move(q.pending));

    Q_EMIT ready();
}

void Connection::command(const QList<QByteArray> &argv, QObject *context, Callback callback, int timeoutMs)
{
    Pending p;
    p.context = context;
    p.hasContext = context != nullptr;
    p.callback = std::move(callback);
    p.name = upperName(argv);
    p.timeoutMs = timeoutMs > 0 ? timeoutMs : m_options.commandTimeoutMs;

    switch (m_state) {
    case State::Ready: sendNow(argv, std::move(p)); return;
    case State::Connecting:
    case State::Handshaking: m_outbox.push_back({argv, std::move(p)}); return;
    case State::Disconnected: break;
    }
    Reply notConnected = Reply::error("ERR not connected to " + m_options.uri.address().toUtf8());
    notConnected.unsent = true;
    complete(p, notConnected);
}

void Connection::sendNow(const QList<QByteArray> &argv, Pending pending)
{
    const QByteArray encoded = encodeCommand(argv);
    pending.sentUs = nowUs();
    pending.deadlineUs = pending.sentUs + qint64(pending.timeoutMs) * 1000;
    m_pending.push_back(std::move(pending));
    m_io->write(encoded);
    armTick();
}

void Connection::armTick()
{
    if (!m_tick.isActive())
        m_tick.start();
}

void Connection::changeSubscriptions(QSet<QByteArray> &set, const QList<QByteArray> &names, bool add, const QByteArray &verb)
{
    // Only what changes the remembered set goes to the server.
    QList<QByteArray> changed;
    for (const QByteArray &name : names) {
        if (add ? set.contains(name) : !set.contains(name))
            continue;
        if (add)
            set.insert(name);
        else
            set.remove(name);
        changed << name;
    }
    if (isReady() && !changed.isEmpty())
        sendSubscription(verb, changed);
}

void Connection::subscribe(const QList<QByteArray> &channels)
{
    changeSubscriptions(m_channels, channels, true, QByteArrayLiteral("SUBSCRIBE"));
}

void Connection::psubscribe(const QList<QByteArray> &patterns)
{
    changeSubscriptions(m_patterns, patterns, true, QByteArrayLiteral("PSUBSCRIBE"));
}

void Connection::unsubscribe(const QList<QByteArray> &channels)
{
    changeSubscriptions(m_channels, channels, false, QByteArrayLiteral("UNSUBSCRIBE"));
}

void Connection::punsubscribe(const QList<QByteArray> &patterns)
{
    changeSubscriptions(m_patterns, patterns, false, QByteArrayLiteral("PUNSUBSCRIBE"));
}

void Connection::sendSubscription(const QByteArray &verb, const QList<QByteArray> &names)
{
    QList<QByteArray> argv{verb};
    argv << names;
    Pending p;
    p.kind = PendingKind::Subscribe;
    p.name = verb;
    p.remaining = int(names.size());
    p.timeoutMs = m_options.commandTimeoutMs;
    ++m_pendingSubscribes;
    sendNow(argv, std::move(p));
}

void Connection::onKeepAlive()
{
    if (m_state != State::Ready || m_pingOutstanding)
        return;
    m_pingOutstanding = true;
    Pending p;
    p.kind = PendingKind::KeepAlive;
    p.name = QByteArrayLiteral("PING");
    p.timeoutMs = m_options.keepAliveTimeoutMs > 0 ? m_options.keepAliveTimeoutMs : m_options.commandTimeoutMs;
    sendNow({QByteArrayLiteral("PING")}, std::move(p));
}

void Connection::onTick()
{
    if (m_pending.empty()) {
        m_tick.stop();
        return;
    }
    const qint64 now = nowUs();
    const bool streaming = now - m_lastReplyUs < kStreamingGraceUs;
    const auto late = std::find_if(m_pending.cbegin(), m_pending.cend(), [&](const Pending &p) {
        return now > p.deadlineUs && (!streaming || now > p.deadlineUs + kMaxStreamingExtensionUs);
    });
    if (late == m_pending.cend())
        return;
    // This process may have been too busy to read or even to write (its event loop stalled, a
    // timer served before the socket): with bytes waiting to be read, or the command still in the
    // socket's buffer, the socket is served before the deadline is judged again, at the next tick,
    // up to the longest extension a backlog gets.
    if (now <= late->deadlineUs + kMaxStreamingExtensionUs && (unreadBytesWaiting(m_io) || (m_io && m_io->bytesToWrite() > 0)))
        return;
    const QString what = late->kind == PendingKind::KeepAlive ? QStringLiteral("keep-alive PING") : QString::fromUtf8(late->name);
    teardown(
        ErrorKind::Timeout,
        QStringLiteral("no reply from %1 to %2 within %3 ms (server hung or unreachable)").arg(m_options.uri.address(), what).arg(late->timeoutMs));
}

void Connection::onReadyRead()
{
    const quint64 generation = m_generation;
    for (;;) {
        // Room for a read: what is left of a reply (a part of one frame, usually) moved to the
        // front; the buffer grows only for a reply larger than a read.
        if (m_readBuffer.size() - m_readEnd < kReadChunk) {
            if (m_readStart > 0) {
                std::memmove(m_readBuffer.data(), m_readBuffer.constData() + m_readStart, size_t(m_readEnd - m_readStart));
                m_readEnd -= m_readStart;
                m_readStart = 0;
            }
            if (m_readBuffer.size() - m_readEnd < kReadChunk)
                m_readBuffer.resize(m_readEnd + 2 * kReadChunk);
        }
        const qint64 n = m_io->read(m_readBuffer.data() + m_readEnd, std::min<qint64>(m_readBuffer.size() - m_readEnd, kReadChunk));
        if (n <= 0)
            break;
        m_readEnd += n;
        m_bytesReceived += n;
        if (m_bytesReceived - m_bytesAtProgress >= kProgressBytes) {
            m_bytesAtProgress = m_bytesReceived;
            m_lastReplyUs = nowUs();
        }
        if (!takeReplies(generation))
            return;
    }
    // A large reply's buffer is given back once it is taken.
    if (m_readStart == m_readEnd && m_readBuffer.size() > 4 * kReadChunk)
        releaseReadBuffer();
}

void Connection::releaseReadBuffer()
{
    m_readStart = m_readEnd = 0;
    m_readBuffer.resize(2 * kReadChunk);
    m_readBuffer.squeeze();
}

bool Connection::takeReplies(quint64 generation)
{
    const qint64 before = m_messagesReceived;
    while (m_readStart < m_readEnd) {
        const char *data = m_readBuffer.constData() + m_readStart;
        const qsizetype size = m_readEnd - m_readStart;
        // Subscribed, deliveries are read in place: nothing is decoded or copied. Not while the
        // replies of commands sent before SUBSCRIBE are still due: one may look like a delivery.
        if (m_scanner.isIdle() && subscribedMode()) {
            PushMessage push;
            const qsizetype length = scanPushMessage(data, size, m_options.replyLimits, &push);
            if (length > 0) {
                m_readStart += length;
                ++m_messagesReceived;
                deliver(push);
                if (generation != m_generation || !m_io)
                    return false; // a receiver closed or reset the connection
                continue;
            }
            if (length == 0 && size < kReadChunk)
                break; // the rest of a delivery is still to come
        }
        const ReplyScan scan = m_scanner.scan(data, size);
        if (!scan.error.isEmpty() || (scan.length == 0 && size > m_options.replyLimits.maxBytes)) {
            teardown(ErrorKind::Protocol,
                     QStringLiteral("protocol error from %1: %2; connection reset")
                         .arg(m_options.uri.address(),
                              scan.error.isEmpty()
                                  ? QStringLiteral("a reply needs more than the %1 bytes allowed").arg(m_options.replyLimits.maxBytes)
                                  : scan.error));
            return false;
        }
        if (scan.length == 0)
            break;
        // A whole reply, decoded on its own.
        Reply reply;
        if (!m_decoder.feed(data, scan.length) || m_decoder.next(&reply) != ReplyDecoder::Status::Ok || !m_decoder.isIdle()) {
            teardown(
                ErrorKind::Protocol,
                QStringLiteral("protocol error from %1: %2; connection reset")
                    .arg(m_options.uri.address(), m_decoder.errorString().isEmpty() ? QStringLiteral("malformed reply") : m_decoder.errorString()));
            return false;
        }
        m_readStart += scan.length;
        ++m_messagesReceived;
        m_lastReplyUs = nowUs();
        m_bytesAtProgress = m_bytesReceived;
        dispatch(std::move(reply));
        if (generation != m_generation || !m_io)
            return false; // a callback closed or reset the connection
    }
    if (m_messagesReceived != before) {
        m_lastReplyUs = nowUs();
        m_bytesAtProgress = m_bytesReceived;
    }
    if (m_readStart == m_readEnd)
        m_readStart = m_readEnd = 0;
    return true;
}

bool Connection::subscribedMode() const
{
    return m_serverSubscriptions > 0 || (!m_pending.empty() && m_pending.front().kind == PendingKind::Subscribe);
}

void Connection::deliver(const PushMessage &push)
{
    if (m_pushSink)
        m_pushSink(push);
    else
        Q_EMIT message(push.channel.toByteArray(), push.pattern.toByteArray(), push.payload.toByteArray());
}

bool Connection::handlePush(Reply &reply)
{
    if (!reply.isArray() || reply.elements.size() < 3 || !reply.elements[0].isString())
        return false;
    const QByteArray &kind = reply.elements[0].string;
    if (kind == "message" && reply.elements.size() == 3) {
        deliver({reply.elements[1].string, {}, reply.elements[2].string});
        return true;
    }
    if (kind == "pmessage" && reply.elements.size() == 4) {
        deliver({reply.elements[2].string, reply.elements[1].string, reply.elements[3].string});
        return true;
    }
    if (kind == "subscribe" || kind == "psubscribe" || kind == "unsubscribe" || kind == "punsubscribe") {
        m_serverSubscriptions = reply.elements[2].integer;
        if (!m_pending.empty() && m_pending.front().kind == PendingKind::Subscribe) {
            if (--m_pending.front().remaining <= 0) {
                m_pending.pop_front();
                --m_pendingSubscribes;
            }
        }
        return true;
    }
    return false;
}

void Connection::dispatch(Reply &&reply)
{
    if (subscribedMode() && handlePush(reply))
        return;

    if (m_pending.empty()) {
        // Servers send an error and close when they refuse a client (maxclients, protected mode).
        if (reply.isError()) {
            m_unsolicitedError = reply.string;
            Q_EMIT serverError(classifyServerError(reply.string), QStringLiteral("%1 says: %2").arg(m_options.uri.address(), reply.text()));
            return;
        }
        teardown(ErrorKind::Protocol, QStringLiteral("unexpected reply from %1; connection reset").arg(m_options.uri.address()));
        return;
    }

    Pending pending = std::move(m_pending.front());
    m_pending.pop_front();
    if (!m_proven && pending.kind != PendingKind::Handshake && m_state == State::Ready && nowUs() - m_readyAtUs >= kProvenHealthyUs) {
        m_proven = true;
        m_backoff.reset();
    }
    switch (pending.kind) {
    case PendingKind::KeepAlive:
        m_pingOutstanding = false;
        if (reply.isError()) {
            const ErrorKind kind = classifyServerError(reply.string);
            if (kind == ErrorKind::NoAuth)
                Q_EMIT authFailed(kind, QStringLiteral("%1 requires authentication: %2").arg(m_options.uri.address(), reply.text()));
            else
                Q_EMIT serverError(kind, QStringLiteral("PING refused by %1: %2").arg(m_options.uri.address(), reply.text()));
        } else {
            m_lastRttUs = nowUs() - pending.sentUs;
            Q_EMIT roundTrip(m_lastRttUs);
        }
        return;
    case PendingKind::Subscribe:
        --m_pendingSubscribes;
        if (reply.isError())
            Q_EMIT serverError(classifyServerError(reply.string),
                               QStringLiteral("%1 refused by %2: %3").arg(QString::fromUtf8(pending.name), m_options.uri.address(), reply.text()));
        return;
    case PendingKind::Handshake:
    case PendingKind::Normal: complete(pending, reply); return;
    }
}

void Connection::complete(Pending &pending, const Reply &reply)
{
    if (!pending.callback)
        return;
    if (pending.hasContext && !pending.context)
        return;
    pending.callback(reply);
}

void Connection::onTransportError(ErrorKind kind, const QString &message)
{
    if (m_state == State::Disconnected && !m_io)
        return;
    QString text = message;
    if (kind == ErrorKind::Closed && !m_unsolicitedError.isEmpty()) {
        text += QStringLiteral(" (%1)").arg(QString::fromUtf8(m_unsolicitedError));
    } else if (kind == ErrorKind::Closed && m_state == State::Handshaking && !m_options.uri.isTls() && m_bytesReceived == m_bytesAtConnect) {
        // Closed without a byte in answer to the first command: what a TLS port does with plain text.
        text += QStringLiteral(" before answering anything; if the port serves TLS, use rediss://");
    }
    teardown(kind, text);
}

void Connection::failAll(const QByteArray &why)
{
    std::deque<Pending> pending;
    pending.swap(m_pending);
    std::deque<Queued> outbox;
    outbox.swap(m_outbox);
    m_pendingSubscribes = 0;
    const Reply error = Reply::error(why);
    for (Pending &p : pending)
        if (p.kind == PendingKind::Normal)
            complete(p, error);
    Reply unsent = error;
    unsent.unsent = true;
    for (Queued &q : outbox)
        complete(q.pending, unsent);
}

void Connection::teardown(ErrorKind kind, const QString &message)
{
    ++m_generation;
    m_connectTimer.stop();
    m_keepAlive.stop();
    m_tick.stop();
    m_pingOutstanding = false;
    m_serverSubscriptions = 0;
    if (m_io) {
        QIODevice *io = m_io;
        m_io = nullptr;
        m_tcp = nullptr;
        m_local = nullptr;
        QObject::disconnect(io, nullptr, this, nullptr);
        if (auto *tcp = qobject_cast<QAbstractSocket *>(io)) {
            // Unanswered across a cut link, a command still queued for resending would reach the
            // server once the link heals, long after it was reported failed: withdraw it.
            if (kind == ErrorKind::Timeout)
                resetOnClose(tcp->socketDescriptor());
            tcp->abort();
        } else if (auto *local = qobject_cast<QLocalSocket *>(io))
            local->abort();
        io->deleteLater();
    }
    const bool wasDown = m_state == State::Disconnected;
    const bool wasHealthy = m_state == State::Ready && m_proven;
    m_proven = false;
    setState(State::Disconnected);
    failAll(QByteArrayLiteral("ERR connection lost: ") + message.toUtf8());

    if (!m_options.autoReconnect)
        m_wanted = false; // open() starts a new attempt
    if (kind != ErrorKind::None && !wasDown)
        Q_EMIT disconnected(kind, message);
    // A server that closed a working connection (CLIENT KILL, a Sentinel reconfiguration, a restart)
    // is asked again at once: that tells a reconnect from an outage without waiting a backoff step.
    if (m_wanted && !m_reconnect.isActive())
        m_reconnect.start(kind == ErrorKind::Closed && wasHealthy ? 0 : m_backoff.next());
}

} // namespace vigil
