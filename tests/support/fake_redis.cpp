// A Redis server that misbehaves on purpose, for the cases a real one cannot show: replies that
// announce too much, trickle, close on a command, unsolicited errors, thousands of nodes named.
//
//   fake_redis --port-file FILE [--info FILE] [--reply "CMD[ SUB]=FILE"]... [--trickle-ms N]
//              [--close-on CMD] [--error-every-ms N] [--cluster-nodes N] [--one-info-section]
//
// It answers the handshake (AUTH, SELECT, CLIENT), PING and INFO (the --info file, read at every
// INFO, "{port}" replaced by its own port; a plain master otherwise). --reply sends a file's bytes as they are for a command
// ("INFO", "CLUSTER NODES"). --trickle-ms sends INFO and --reply answers one byte at a time.
// --close-on closes the connection when that command arrives. --error-every-ms sends an error with
// changing text on every connection after its handshake. --cluster-nodes N says it is a cluster
// node and names N nodes in CLUSTER NODES. --one-info-section refuses INFO with several sections (as
// servers before 7.0 do, whatever version it claims) and prints "info refused" each time. Each
// accepted connection prints "connection <ms>".
#include "redis/codec.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <cstdio>
#include <memory>

using namespace vigil;

namespace {

QByteArray readFile(const QString &path);

struct Script
{
    QString infoFile;                      // read at every INFO, so a test may rewrite it (to name another fake's port)
    QByteArray info;                       // the default when there is no file
    QHash<QByteArray, QByteArray> replies; // "INFO", "CLUSTER NODES" -> raw bytes
    int trickleMs = 0;
    QByteArray closeOn;
    int errorEveryMs = 0;
    int clusterNodes = 0;
    bool oneInfoSection = false;
    quint16 port = 0;

    QByteArray infoText() const
    {
        QByteArray text = infoFile.isEmpty() ? info : readFile(infoFile);
        if (clusterNodes > 0)
            text += "redis_mode:cluster\r\n";
        return text.replace("{port}", QByteArray::number(port));
    }
};

QByteArray bulk(const QByteArray &text)
{
    return '$' + QByteArray::number(text.size()) + "\r\n" + text + "\r\n";
}

// Nodes on loopback addresses of their own (127.77.x.y), port 1: nothing listens there, so every
// one is refused at once, and no other test's server can be among them.
QByteArray clusterNodesText(int count)
{
    QByteArray text;
    for (int i = 0; i < count; ++i) {
        const QByteArray id = QByteArray::number(i).rightJustified(40, '0');
        text += id + " 127.77." + QByteArray::number(i / 250) + '.' + QByteArray::number(i % 250 + 1) + ":1@2"
            + (i == 0 ? " myself,master" : " master") + " - 0 0 " + QByteArray::number(i + 1) + " connected\n";
    }
    return text;
}

// One client: decodes its commands and answers them as the script says.
class Session final : public QObject
{
public:
    Session(QTcpSocket *socket, const Script &script)
        : QObject(socket)
        , m_socket(socket)
        , m_script(script)
    {
        connect(socket, &QTcpSocket::readyRead, this, &Session::onReadyRead);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        m_trickle.setInterval(script.trickleMs);
        connect(&m_trickle, &QTimer::timeout, this, [this] {
            if (m_slow.isEmpty()) {
                m_trickle.stop();
                return;
            }
            m_socket->write(m_slow.left(1));
            m_slow.remove(0, 1);
        });
        m_errors.setInterval(script.errorEveryMs);
        connect(&m_errors, &QTimer::timeout, this,
                [this] { m_socket->write("-ERR unexpected condition number " + QByteArray::number(++m_errorCount) + "\r\n"); });
    }

private:
    void onReadyRead()
    {
        if (!m_decoder.feed(m_socket->readAll())) {
            m_socket->abort();
            return;
        }
        Reply request;
        while (m_decoder.next(&request) == ReplyDecoder::Status::Ok) {
            QList<QByteArray> argv;
            for (const Reply &e : request.elements)
                argv << e.string;
            if (argv.isEmpty())
                continue;
            answer(argv);
            if (m_socket->state() != QAbstractSocket::ConnectedState)
                return;
        }
    }

    void answer(const QList<QByteArray> &argv)
    {
        const QByteArray name = argv.first().toUpper();
        const QByteArray full = argv.size() > 1 ? name + ' ' + argv.at(1).toUpper() : name;
        if (!m_script.closeOn.isEmpty() && (full == m_script.closeOn || name == m_script.closeOn)) {
            m_socket->disconnectFromHost();
            return;
        }
        if (m_script.replies.contains(full) || m_script.replies.contains(name)) {
            send(m_script.replies.value(full, m_script.replies.value(name)), true);
            return;
        }
        if (name == "AUTH" || name == "SELECT") {
            send("+OK\r\n", false);
        } else if (name == "CLIENT") {
            send("+OK\r\n", false);
            if (m_script.errorEveryMs > 0)
                m_errors.start();
        } else if (name == "PING") {
            send("+PONG\r\n", false);
        } else if (name == "INFO" && argv.size() > 2 && m_script.oneInfoSection) {
            send("-ERR syntax error\r\n", false);
            std::printf("info refused\n");
            std::fflush(stdout);
        } else if (name == "INFO") {
            send(bulk(m_script.infoText()), true);
        } else if (full == "CLUSTER INFO") {
            send(bulk("cluster_state:ok\r\ncluster_known_nodes:" + QByteArray::number(m_script.clusterNodes) + "\r\n"), true);
        } else if (full == "CLUSTER NODES") {
            send(bulk(clusterNodesText(m_script.clusterNodes)), true);
        } else {
            send("-ERR unknown command '" + name + "'\r\n", false);
        }
    }

    void send(const QByteArray &bytes, bool mayTrickle)
    {
        // Once something trickles, everything after it waits its turn: replies stay in order.
        if ((mayTrickle && m_script.trickleMs > 0) || !m_slow.isEmpty()) {
            m_slow += bytes;
            if (!m_trickle.isActive())
                m_trickle.start();
            return;
        }
        m_socket->write(bytes);
    }

    QTcpSocket *m_socket;
    const Script &m_script;
    ReplyDecoder m_decoder;
    QByteArray m_slow;
    QTimer m_trickle;
    QTimer m_errors;
    int m_errorCount = 0;
};

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "fake_redis: cannot read %s\n", qPrintable(path));
        std::exit(2);
    }
    return f.readAll();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({
        {QStringLiteral("port-file"), QStringLiteral("Where to write the port."), QStringLiteral("FILE")},
        {QStringLiteral("info"), QStringLiteral("INFO reply text."), QStringLiteral("FILE")},
        {QStringLiteral("reply"), QStringLiteral("Raw reply to a command."), QStringLiteral("CMD=FILE")},
        {QStringLiteral("trickle-ms"), QStringLiteral("Send replies a byte at a time."), QStringLiteral("N")},
        {QStringLiteral("close-on"), QStringLiteral("Close on this command."), QStringLiteral("CMD")},
        {QStringLiteral("error-every-ms"), QStringLiteral("Unsolicited errors."), QStringLiteral("N")},
        {QStringLiteral("cluster-nodes"), QStringLiteral("Cluster nodes to name."), QStringLiteral("N")},
        {QStringLiteral("one-info-section"), QStringLiteral("Refuse INFO with several sections.")},
    });
    parser.process(app);

    Script script;
    script.trickleMs = parser.value(QStringLiteral("trickle-ms")).toInt();
    script.closeOn = parser.value(QStringLiteral("close-on")).toUpper().toUtf8();
    script.errorEveryMs = parser.value(QStringLiteral("error-every-ms")).toInt();
    script.clusterNodes = parser.value(QStringLiteral("cluster-nodes")).toInt();
    script.oneInfoSection = parser.isSet(QStringLiteral("one-info-section"));
    for (const QString &r : parser.values(QStringLiteral("reply"))) {
        const qsizetype eq = r.indexOf(QLatin1Char('='));
        script.replies.insert(r.left(eq).toUpper().toUtf8(), readFile(r.mid(eq + 1)));
    }

    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost)) {
        std::fprintf(stderr, "fake_redis: cannot listen: %s\n", qPrintable(server.errorString()));
        return 2;
    }
    script.port = server.serverPort();
    script.infoFile = parser.value(QStringLiteral("info"));
    script.info = "# Server\r\nredis_version:7.0.15\r\nrun_id:fake{port}\r\ntcp_port:{port}\r\n"
                  "# Replication\r\nrole:master\r\nconnected_slaves:0\r\n";

    QObject::connect(&server, &QTcpServer::newConnection, &server, [&server, &script] {
        while (QTcpSocket *socket = server.nextPendingConnection()) {
            new Session(socket, script);
            std::printf("connection %lld\n", static_cast<long long>(QDateTime::currentMSecsSinceEpoch()));
            std::fflush(stdout);
        }
    });

    QFile portFile(parser.value(QStringLiteral("port-file")));
    if (!portFile.open(QIODevice::WriteOnly)) {
        std::fprintf(stderr, "fake_redis: cannot write the port file\n");
        return 2;
    }
    portFile.write(QByteArray::number(script.port));
    portFile.close();
    return app.exec();
}
