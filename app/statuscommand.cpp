// `vigil status`: one INFO poll of every target, printed as a table or as JSON.
#include "commandline.h"

#include "journal/event.h"
#include "topology/inforequest.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace vigil {

namespace {

struct NodeResult
{
    ConnectionOptions target;
    bool done = false;
    bool reachable = false;
    QString error;
    InfoSnapshot info;
};

// The master's view of a replica (the offset it ACKed and the seconds since), when its master was
// among the polled nodes: the master named by the replica's INFO, listing the replica's port.
struct MasterView
{
    const InfoSnapshot *master = nullptr;
    const ReplicaEntry *entry = nullptr;
};

MasterView masterView(const QList<NodeResult> &nodes, const NodeResult &replica)
{
    const QString master = replica.info.masterAddress();
    for (const NodeResult &n : nodes) {
        if (!n.reachable || !n.info.isMaster() || n.target.uri.address() != master)
            continue;
        for (const ReplicaEntry &e : n.info.replicas)
            if (e.port == replica.info.tcpPort && (e.ip == replica.target.uri.host || n.info.replicas.size() == 1))
                return {&n.info, &e};
    }
    return {};
}

QJsonObject nodeJson(const QList<NodeResult> &nodes, const NodeResult &n)
{
    const InfoSnapshot &s = n.info;
    QJsonObject o;
    o.insert(QStringLiteral("address"), n.target.uri.address());
    o.insert(QStringLiteral("reachable"), n.reachable);
    if (!n.reachable) {
        o.insert(QStringLiteral("error"), n.error);
        for (const char *key : {"role", "master", "repl_offset", "lag_bytes", "lag_seconds", "link_status", "last_save_time",
                                "changes_since_save", "bgsave_in_progress", "last_bgsave_status", "aof_enabled", "version"})
            o.insert(QLatin1String(key), QJsonValue());
        return o;
    }
    const auto orNull = [](qint64 v) { return v >= 0 ? QJsonValue(v) : QJsonValue(); };
    const QString role = s.mode == QLatin1String("sentinel") ? QStringLiteral("sentinel") : roleName(s.role);
    o.insert(QStringLiteral("role"), role);
    o.insert(QStringLiteral("master"), s.isReplica() ? QJsonValue(s.masterAddress()) : QJsonValue());
    o.insert(QStringLiteral("repl_offset"), orNull(s.isReplica() ? s.replicaOffset : s.masterReplOffset));
    const MasterView view = s.isReplica() ? masterView(nodes, n) : MasterView{};
    o.insert(QStringLiteral("lag_bytes"), s.isReplica() ? orNull(view.entry ? view.master->byteLag(*view.entry) : -1) : QJsonValue(0));
    o.insert(QStringLiteral("lag_seconds"), s.isReplica() ? orNull(view.entry ? view.entry->lag : -1) : QJsonValue(0));
    o.insert(QStringLiteral("link_status"), s.isReplica() ? QJsonValue(s.linkStatus) : QJsonValue());
    o.insert(QStringLiteral("last_save_time"),
             s.lastSaveTime < 0 || s.neverSaved()
                 ? QJsonValue()
                 : QJsonValue(formatTime(QDateTime::fromSecsSinceEpoch(s.lastSaveTime, Qt::UTC))));
    o.insert(QStringLiteral("changes_since_save"), orNull(s.changesSinceSave));
    o.insert(QStringLiteral("bgsave_in_progress"), s.bgsaveInProgress);
    o.insert(QStringLiteral("last_bgsave_status"), s.lastBgsaveStatus.isEmpty() ? QJsonValue() : QJsonValue(s.lastBgsaveStatus));
    o.insert(QStringLiteral("aof_enabled"), s.aofEnabled);
    o.insert(QStringLiteral("version"), s.version);
    return o;
}

QString cell(const QJsonValue &v)
{
    if (v.isNull() || v.isUndefined())
        return QStringLiteral("-");
    if (v.isBool())
        return v.toBool() ? QStringLiteral("yes") : QStringLiteral("no");
    if (v.isDouble())
        return QString::number(v.toInteger());
    return v.toString();
}

} // namespace

int runStatus(const QStringList &args)
{
    QCommandLineParser parser;
    addConnectionOptions(parser);
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show help.")});
    parseOrThrow(parser, args, QStringLiteral("status"));
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(fullHelpText().toLocal8Bit().constData(), stdout);
        return ExitOk;
    }
    QList<NodeResult> nodes;
    for (const ConnectionOptions &target : readConnectionOptions(parser)) {
        NodeResult node;
        node.target = target;
        nodes.append(node);
    }
    if (nodes.isEmpty())
        throw UsageError{QStringLiteral("status: give at least one --connect URI")};

    QObject context;
    int remaining = int(nodes.size());
    for (NodeResult &n : nodes) {
        ConnectionOptions options = n.target;
        options.autoReconnect = false;
        options.keepAliveIntervalMs = 0;
        auto *c = new Connection(options, &context);
        NodeResult *node = &n;
        auto finish = [node, &remaining, c](bool reachable, const QString &error) {
            if (node->done)
                return;
            node->done = true;
            node->reachable = reachable;
            node->error = error;
            c->close();
            if (--remaining == 0)
                QCoreApplication::quit();
        };
        QObject::connect(c, &Connection::disconnected, c, [finish](ErrorKind, const QString &message) { finish(false, message); });
        QObject::connect(c, &Connection::authFailed, c, [finish](ErrorKind, const QString &message) { finish(false, message); });
        QObject::connect(c, &Connection::ready, c, [c, node, finish] {
            requestInfo(c, c, [node, finish](bool ok, const InfoSnapshot &info, ErrorKind, const QString &error) {
                if (ok)
                    node->info = info;
                finish(ok, ok ? QString() : error);
            });
        });
        c->open();
    }
    if (remaining > 0)
        QCoreApplication::exec();

    QJsonArray array;
    for (const NodeResult &n : nodes)
        array.append(nodeJson(nodes, n));
    const bool allReachable = std::all_of(nodes.begin(), nodes.end(), [](const NodeResult &n) { return n.reachable; });
    if (parser.isSet(QStringLiteral("json"))) {
        const QJsonObject root{{QStringLiteral("time"), formatTime(QDateTime::currentDateTimeUtc())},
                               {QStringLiteral("nodes"), array}};
        std::fputs(QJsonDocument(root).toJson(QJsonDocument::Indented).constData(), stdout);
    } else {
        const QStringList columns{QStringLiteral("address"), QStringLiteral("role"), QStringLiteral("master"),
                                  QStringLiteral("repl_offset"), QStringLiteral("lag_bytes"), QStringLiteral("lag_seconds"),
                                  QStringLiteral("link_status"), QStringLiteral("last_save_time"),
                                  QStringLiteral("changes_since_save"), QStringLiteral("bgsave_in_progress"),
                                  QStringLiteral("aof_enabled"), QStringLiteral("version")};
        const QStringList headers{QStringLiteral("ADDRESS"), QStringLiteral("ROLE"), QStringLiteral("MASTER"), QStringLiteral("OFFSET"),
                                  QStringLiteral("LAG B"), QStringLiteral("LAG S"), QStringLiteral("LINK"), QStringLiteral("LAST SAVE"),
                                  QStringLiteral("CHANGES"), QStringLiteral("BGSAVE"), QStringLiteral("AOF"), QStringLiteral("VERSION")};
        QList<QStringList> rows{headers};
        for (const QJsonValue &v : array) {
            const QJsonObject o = v.toObject();
            QStringList row;
            for (const QString &c : columns) {
                QString text = cell(o.value(c));
                if (c == QLatin1String("last_save_time") && o.value(QStringLiteral("reachable")).toBool() && o.value(c).isNull())
                    text = QStringLiteral("never");
                if (c == QLatin1String("role") && !o.value(QStringLiteral("reachable")).toBool())
                    text = QStringLiteral("unreachable");
                row << text;
            }
            rows << row;
        }
        QList<qsizetype> widths(columns.size(), 0);
        for (const QStringList &row : rows)
            for (int i = 0; i < row.size(); ++i)
                widths[i] = std::max(widths[i], row[i].size());
        for (const QStringList &row : rows) {
            QString line;
            for (int i = 0; i < row.size(); ++i)
                line += row[i].leftJustified(widths[i] + 2);
            std::printf("%s\n", qPrintable(line.trimmed()));
        }
        for (const NodeResult &n : nodes)
            if (!n.reachable)
                std::fprintf(stderr, "vigil: %s unreachable: %s\n", qPrintable(n.target.uri.address()), qPrintable(n.error));
    }
    return allReachable ? ExitOk : ExitFailure;
}

} // namespace vigil
