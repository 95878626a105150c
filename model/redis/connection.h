// One asynchronous Redis connection over a Qt socket (TCP, TLS or Unix) with a FIFO of commands,
// timeouts, keep-alive round trips, reconnects and pub/sub delivery.
#pragma once

#include "backoff.h"
#include "codec.h"
#include "errors.h"
#include "uri.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <deque>
#include <functional>

class QIODevice;
class QAbstractSocket;
class QLocalSocket;

namespace vigil {

struct TlsOptions
{
    QString caFile;     // PEM bundle; empty means the system's CAs
    QString certFile;   // client certificate (PEM), for tls-auth-clients
    QString keyFile;    // its private key (PEM)
    QString serverName; // name to verify; empty means the URI's host
    bool insecure = false;

    friend bool operator==(const TlsOptions &, const TlsOptions &) = default;
};

struct ConnectionOptions
{
    RedisUri uri;
    QString name; // optional label shown beside the address ("master", "replica-1")
    TlsOptions tls;
    int connectTimeoutMs = 2000;    // socket, TLS handshake and AUTH together
    int commandTimeoutMs = 2000;    // per command, from the moment it is written
    int keepAliveIntervalMs = 1000; // PING period; 0 disables keep-alive
    int keepAliveTimeoutMs = 1000;  // a keep-alive PING overdue past this means the server is hung:
                                    // with the 1 s period, a hang is known within 2 s (two polls)
    bool autoReconnect = true;
    int reconnectMinMs = 100;
    int reconnectMaxMs = 5000;
    QByteArray clientName = QByteArrayLiteral("vigil");
    ReplyLimits replyLimits; // beyond them the connection is reset with a protocol error
};

class Connection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Connection)

public:
    enum class State { Disconnected, Connecting, Handshaking, Ready };
    Q_ENUM(State)
    using Callback = std::function<void(const Reply &)>;

    explicit Connection(ConnectionOptions options, QObject *parent = nullptr);
    ~Connection() override;

    const ConnectionOptions &options() const { return m_options; }
    State state() const { return m_state; }
    bool isReady() const { return m_state == State::Ready; }

    // Starts connecting (and keeps reconnecting if autoReconnect is set).
    void open();
    // Closes for good: pending callbacks get a local error, no reconnect follows.
    void close();

    // Queues a command. The callback runs exactly once (reply, server error or local error such as
    // a timeout) unless `context` is destroyed first, in which case it is dropped. Commands issued
    // while connecting are sent once the handshake is done; otherwise they fail at once.
    void command(const QList<QByteArray> &argv, QObject *context, Callback callback, int timeoutMs = -1);

    // Pub/sub. The sets are remembered and restored after every reconnect.
    void subscribe(const QList<QByteArray> &channels);
    void psubscribe(const QList<QByteArray> &patterns);
    void unsubscribe(const QList<QByteArray> &channels);
    void punsubscribe(const QList<QByteArray> &patterns);
    QSet<QByteArray> channels() const { return m_channels; }
    // Deliveries go to `sink` instead of the message signal, called on this connection's thread
    // with views into its read buffer, valid only for the call: nothing is copied. For a consumer
    // of floods (heartbeats); an empty sink restores the signal.
    using PushSink = std::function<void(const PushMessage &)>;
    void setPushSink(PushSink sink) { m_pushSink = std::move(sink); }
    QSet<QByteArray> patterns() const { return m_patterns; }

    // Round trip of the last keep-alive PING in microseconds, -1 before the first one.
    qint64 lastRoundTripUs() const { return m_lastRttUs; }
    // Bytes and replies received since construction (for benchmarks and status).
    qint64 bytesReceived() const { return m_bytesReceived; }
    qint64 messagesReceived() const { return m_messagesReceived; }

Q_SIGNALS:
    void stateChanged(vigil::Connection::State state);
    // Connected and handshake done (AUTH, SELECT, CLIENT SETNAME).
    void ready();
    // A connection attempt failed or a live connection was lost; a reconnect may follow.
    void disconnected(vigil::ErrorKind reason, const QString &message);
    // AUTH was refused, or the server demands a password that was not given.
    void authFailed(vigil::ErrorKind reason, const QString &message);
    // A server error that is not tied to a caller's command (refused SUBSCRIBE, unsolicited error).
    void serverError(vigil::ErrorKind kind, const QString &message);
    void roundTrip(qint64 microseconds);
    // A pub/sub delivery; `pattern` is empty for plain SUBSCRIBE deliveries. Not emitted once a
    // push sink is set.
    void message(const QByteArray &channel, const QByteArray &pattern, const QByteArray &payload);

private:
    enum class PendingKind { Normal, Subscribe, KeepAlive, Handshake };
    struct Pending
    {
        QPointer<QObject> context;
        bool hasContext = false;
        Callback callback;
        QByteArray name; // command name, for messages
        qint64 sentUs = 0;
        qint64 deadlineUs = 0;
        int timeoutMs = 0;
        PendingKind kind = PendingKind::Normal;
        int remaining = 1; // confirmations still expected (SUBSCRIBE with several channels)
    };
    struct Queued
    {
        QList<QByteArray> argv;
        Pending pending;
    };

    void startAttempt();
    void onTransportConnected();
    void onReadyRead();
    void onTransportError(ErrorKind kind, const QString &message);
    void onTick();
    void onKeepAlive();
    void finishHandshake();
    void sendNow(const QList<QByteArray> &argv, Pending pending);
    void sendSubscription(const QByteArray &verb, const QList<QByteArray> &names);
    void changeSubscriptions(QSet<QByteArray> &set, const QList<QByteArray> &names, bool add, const QByteArray &verb);
    bool takeReplies(quint64 generation); // false when the connection was reset meanwhile
    void releaseReadBuffer();
    // Pushes may come: subscribed, or the next reply due is a subscription's confirmation (replies
    // to commands sent before it come first, and one may look like a delivery).
    bool subscribedMode() const;
    void deliver(const PushMessage &push);
    bool handlePush(Reply &reply);
    void dispatch(Reply &&reply);
    void complete(Pending &pending, const Reply &reply);
    void teardown(ErrorKind kind, const QString &message);
    void failAll(const QByteArray &why);
    void setState(State state);
    void armTick();
    qint64 nowUs() const { return m_clock.nsecsElapsed() / 1000; }

    ConnectionOptions m_options;
    State m_state = State::Disconnected;
    bool m_wanted = false; // open() called and close() not since
    QIODevice *m_io = nullptr;
    QAbstractSocket *m_tcp = nullptr;
    QLocalSocket *m_local = nullptr;
    quint64 m_generation = 0;
    QString m_tlsError;
    QByteArray m_unsolicitedError;

    ReplyDecoder m_decoder;
    ReplyScanner m_scanner;
    QByteArray m_readBuffer; // what was read; [m_readStart, m_readEnd) is not taken yet
    qsizetype m_readStart = 0;
    qsizetype m_readEnd = 0;
    PushSink m_pushSink;
    std::deque<Pending> m_pending;
    std::deque<Queued> m_outbox;
    bool m_handshakeFailed = false;

    QSet<QByteArray> m_channels;
    QSet<QByteArray> m_patterns;
    int m_pendingSubscribes = 0;
    qint64 m_serverSubscriptions = 0;

    QElapsedTimer m_clock;
    qint64 m_lastReplyUs = 0; // the last progress: a complete reply, or kProgressBytes more
    qint64 m_bytesAtProgress = 0;
    qint64 m_readyAtUs = 0;
    bool m_proven = false; // answered commands for a while: its loss is not a failing start
    QTimer m_tick;
    QTimer m_connectTimer;
    qint64 m_connectDeadlineUs = 0; // when the connect timer is due
    int m_connectExtensions = 0;    // given to an attempt whose timer was served late
    QTimer m_keepAlive;
    QTimer m_reconnect;
    Backoff m_backoff;
    bool m_pingOutstanding = false;
    qint64 m_lastRttUs = -1;
    qint64 m_bytesReceived = 0;
    qint64 m_bytesAtConnect = 0; // m_bytesReceived when the transport connected
    qint64 m_messagesReceived = 0;
};

} // namespace vigil
