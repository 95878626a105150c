// Benchmark: the journal's growth with its chart series. N heartbeat nodes and S servers (a third
// of them replicas) sampled once a second for H simulated hours, as the recorder stores them, with
// an incident every hour (a master lost, its replica's link, sentinels, 50 nodes' beats) grouped
// and stored as the writer does, and the series compacted every simulated minute. Prints the
// file's size as it grows, and beside it what keeping every sample would take.
//
//   bench_journal [--nodes N] [--servers S] [--hours H] [--file PATH]
#include "benchutil.h"
#include "incidents/book.h"
#include "journal/database.h"
#include "journal/incidentstore.h"
#include "journal/journal.h"
#include "journal/seriesstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <cstdio>

using namespace vigil;

namespace {

double sizeMb(const QString &path)
{
    return double(QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size()) / 1e6;
}

qint64 count(QSqlDatabase &db, const char *table)
{
    QSqlQuery q(db);
    return q.exec(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table))) && q.next() ? q.value(0).toLongLong() : -1;
}

// The events of one incident as a failover journals them: about 40, over 30 s.
QList<Event> failoverEvents(qint64 atMs, const QString &master, const QString &replica, int nodes)
{
    QList<Event> events;
    const QJsonObject scope{{QStringLiteral("scope"), QStringLiteral("sentinel:orders")}, {QStringLiteral("scope_master"), master}};
    auto add = [&](qint64 offsetMs, const char *kind, Severity severity, const QString &source, const QString &message, QJsonObject data) {
        for (auto it = scope.begin(); it != scope.end(); ++it)
            data.insert(it.key(), it.value());
        Event e = Event::make(QLatin1String(kind), severity, source, message, data);
        e.time = QDateTime::fromMSecsSinceEpoch(atMs + offsetMs, Qt::UTC);
        events << e;
    };
    add(0, "redis.unreachable", Severity::Critical, master, QStringLiteral("lost connection: connection closed by %1").arg(master),
        {{QStringLiteral("reason"), QStringLiteral("closed")}, {QStringLiteral("was_connected"), true}});
    add(900, "replication.link_down", Severity::Critical, replica, QStringLiteral("link to master %1 down").arg(master),
        {{QStringLiteral("master"), master}});
    for (int n = 0; n < nodes; ++n)
        add(1000 + n, "heartbeat.unknown", Severity::Warning, QStringLiteral("node-%1").arg(n),
            QStringLiteral("no heartbeat: its server is unreachable"), {{QStringLiteral("carrier"), master}});
    for (int s = 0; s < 3; ++s)
        add(1100 + s * 50, "sentinel.+sdown", Severity::Warning, QStringLiteral("sentinel 10.0.9.%1:26379").arg(s),
            QStringLiteral("+sdown master %1 (orders)").arg(master),
            {{QStringLiteral("instance"), master}, {QStringLiteral("master_name"), QStringLiteral("orders")}});
    add(2300, "sentinel.+switch-master", Severity::Critical, QStringLiteral("sentinel 10.0.9.0:26379"),
        QStringLiteral("+switch-master orders: master %1 -> %2").arg(master, replica),
        {{QStringLiteral("old_master"), master}, {QStringLiteral("new_master"), replica}, {QStringLiteral("master_name"), QStringLiteral("orders")}});
    add(2350, "redis.role_changed", Severity::Warning, replica, QStringLiteral("promoted: was a replica, now a master"),
        {{QStringLiteral("from"), QStringLiteral("replica")}, {QStringLiteral("to"), QStringLiteral("master")}});
    for (int n = 0; n < nodes; ++n)
        add(3000 + n, "heartbeat.up", Severity::Info, QStringLiteral("node-%1").arg(n), QStringLiteral("beating again"),
            {{QStringLiteral("carrier"), replica}});
    add(30000, "redis.reachable", Severity::Info, master, QStringLiteral("reconnected"), {});
    return events;
}

bool insertEvents(QSqlDatabase &db, QList<Event> *events)
{
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT INTO events (time_ms, kind, severity, source, message, data) VALUES (?, ?, ?, ?, ?, ?)"));
    for (Event &e : *events) {
        insert.bindValue(0, e.time.toMSecsSinceEpoch());
        insert.bindValue(1, e.kind);
        insert.bindValue(2, int(e.severity));
        insert.bindValue(3, e.source);
        insert.bindValue(4, e.message);
        insert.bindValue(5, QString::fromUtf8(QJsonDocument(e.data).toJson(QJsonDocument::Compact)));
        if (!insert.exec())
            return false;
        e.id = insert.lastInsertId().toLongLong();
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("nodes"), QStringLiteral("Heartbeat nodes."), QStringLiteral("N"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("servers"), QStringLiteral("Redis servers."), QStringLiteral("S"), QStringLiteral("30")});
    parser.addOption({QStringLiteral("hours"), QStringLiteral("Simulated hours."), QStringLiteral("H"), QStringLiteral("24")});
    parser.addOption({QStringLiteral("file"), QStringLiteral("Journal to write (default: a temporary one)."), QStringLiteral("PATH")});
    parser.addHelpOption();
    parser.process(app);
    const int nodes = parser.value(QStringLiteral("nodes")).toInt();
    const int servers = parser.value(QStringLiteral("servers")).toInt();
    const double hours = parser.value(QStringLiteral("hours")).toDouble();
    QTemporaryDir dir;
    const QString path = parser.isSet(QStringLiteral("file")) ? parser.value(QStringLiteral("file")) : dir.filePath(QStringLiteral("growth.sqlite"));

    {
        Journal journal; // creates the schema
        QString error;
        if (!journal.open(path, &error)) {
            std::fprintf(stderr, "bench_journal: %s\n", qPrintable(error));
            return 1;
        }
    }
    ScopedDb writer("bench");
    writer.db().setDatabaseName(path);
    if (!writer.db().open()) {
        std::fprintf(stderr, "bench_journal: cannot open %s\n", qPrintable(path));
        return 1;
    }
    QString error;
    applyPragmas(writer.db(), &error);
    // What is measured is the size, not the fsyncs (the recorder's commits are durable).
    exec(writer.db(), QStringLiteral("PRAGMA synchronous=OFF"), &error);

    QStringList subjects;
    QList<int> kinds; // 0 latency, 1 rtt, 2 memory, 3 ops, 4 lag
    for (int n = 0; n < nodes; ++n) {
        subjects << QStringLiteral("node-%1").arg(n);
        kinds << 0;
    }
    for (int s = 0; s < servers; ++s) {
        const QString address = QStringLiteral("10.0.0.%1:6379").arg(s + 1);
        for (int k = 1; k <= 3; ++k) {
            subjects << address;
            kinds << k;
        }
        if (s % 3 != 0) {
            subjects << address;
            kinds << 4;
        }
    }
    const char *metrics[] = {"heartbeat.latency_ms", "redis.rtt_ms", "redis.used_memory_bytes", "redis.ops_per_sec", "replication.lag_bytes"};
    std::printf("journal growth: %d nodes and %d servers (%lld series) sampled at 1 Hz for %.1f simulated hours, "
                "an incident an hour; %s\n",
                nodes, servers, static_cast<long long>(subjects.size()), hours, qPrintable(path));

    constexpr qint64 t0 = 1'764'000'000'000 / 3'600'000 * 3'600'000;
    const qint64 seconds = qint64(hours * 3600);
    IncidentOptions options;
    options.gapMs = 30'000;
    options.quietMs = 60'000;
    IncidentBook book(options);
    QElapsedTimer wall;
    wall.start();
    qint64 samples = 0, events = 0;
    double bytesPerSample = 0;
    QList<Sample> batch;
    for (qint64 s = 0; s < seconds; ++s) {
        const qint64 now = t0 + s * 1000;
        for (qsizetype i = 0; i < subjects.size(); ++i) {
            const int k = kinds[i];
            const double value = k == 0 ? 0.3 + double((s * 7 + i) % 50) / 100.0
                : k == 1                ? 0.2 + double((s + i) % 10) / 100.0
                : k == 2                ? 1.5e9 + double((s * 1000 + i) % 100000)
                : k == 3                ? double(2000 + (s + i) % 500)
                                        : double((s * 13 + i) % 4096);
            batch << Sample{QLatin1String(metrics[k]), subjects[i], now + i % 1000, value};
        }
        samples += subjects.size();
        if (s % 3600 == 600) { // an incident ten minutes into every hour
            QList<Event> failover = failoverEvents(now, QStringLiteral("10.0.0.1:6379"), QStringLiteral("10.0.0.2:6379"), std::min(nodes, 50));
            writer.db().transaction();
            insertEvents(writer.db(), &failover);
            writer.db().commit();
            events += failover.size();
            book.add(failover);
        }
        if (s % 60 == 59) {
            writer.db().transaction();
            storeSamples(writer.db(), batch, &error);
            writer.db().commit();
            batch.clear();
            const IncidentBook::Update update = book.regroup(now);
            storeIncidents(writer.db(), update, &error);
            if (!compactSeries(writer.db(), now, {}, &error)) {
                std::fprintf(stderr, "bench_journal: %s\n", qPrintable(error));
                return 1;
            }
        }
        if (s == 599) {
            // The first ten minutes are all kept whole: what a sample costs stored as it is.
            QSqlQuery q(writer.db());
            q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
            bytesPerSample = sizeMb(path) * 1e6 / double(samples);
        }
        if (s % 3600 == 3599 || s == seconds - 1) {
            std::printf("  %5.1f h: %7.1f MB, %9lld samples kept, %8lld buckets, %lld incidents (%.0f s of wall time)\n", double(s + 1) / 3600.0,
                        sizeMb(path), static_cast<long long>(count(writer.db(), "samples")), static_cast<long long>(count(writer.db(), "buckets")),
                        static_cast<long long>(count(writer.db(), "incidents")), double(wall.elapsed()) / 1000.0);
            std::fflush(stdout);
        }
    }
    QSqlQuery checkpoint(writer.db());
    checkpoint.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    std::printf("journal after %.1f h: %.1f MB (%lld samples taken, %lld events); every sample kept would be about %.0f MB "
                "(%.1f bytes a sample, measured over the first ten minutes)\n",
                hours, sizeMb(path), static_cast<long long>(samples), static_cast<long long>(events), bytesPerSample * double(samples) / 1e6,
                bytesPerSample);
    return 0;
}
