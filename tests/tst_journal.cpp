// The journal: round trip, queries, schema, concurrent readers, exports and durability after SIGKILL.
#include "journal/exporter.h"
#include "journal/database.h"
#include "journal/incidentstore.h"
#include "journal/seriesstore.h"
#include "journal/journal.h"
#include "redisfixture.h"

#include <QBuffer>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <QDeadlineTimer>
#include <QFileInfo>

#include <csignal>

using namespace vigil;
using namespace vigil::test;

namespace {

Event at(const QString &iso, const QString &kind, Severity severity, const QString &source, const QString &message, const QJsonObject &data = {})
{
    Event e = Event::make(kind, severity, source, message, data);
    e.time = QDateTime::fromString(iso, Qt::ISODateWithMs);
    return e;
}

QList<Event> sample()
{
    return {
        at(QStringLiteral("2026-11-26T04:12:13.123Z"), QStringLiteral("heartbeat.down"), Severity::Critical, QStringLiteral("api-1"),
           QStringLiteral("no heartbeat for 1.52 s (phi 9.1)"), {{QStringLiteral("silence_ms"), 1520}, {QStringLiteral("phi"), 9.1}}),
        at(QStringLiteral("2026-11-26T04:12:14.000Z"), QStringLiteral("redis.unreachable"), Severity::Warning, QStringLiteral("127.0.0.1:6379"),
           QStringLiteral("lost connection: closed, \"quoted\"\nsecond line"), {{QStringLiteral("reason"), QStringLiteral("closed")}}),
        at(QStringLiteral("2026-11-26T04:15:00.500Z"), QStringLiteral("redis.reachable"), Severity::Info, QStringLiteral("127.0.0.1:6379"),
           QStringLiteral("reconnected, ünïcode ✓")),
    };
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestJournal : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("j.sqlite"));
        Journal journal;
        QString error;
        QVERIFY2(journal.open(path, &error), qPrintable(error));
        QSignalSpy committed(&journal, &Journal::committed);
        QElapsedTimer clock;
        clock.start();
        for (const Event &e : sample())
            journal.append(e);
        QVERIFY(committed.wait(2000));
        // Within the commit window (plus scheduling slack): the contract is 250 ms.
        QVERIFY2(clock.elapsed() < 250, qPrintable(QString::number(clock.elapsed())));
        QTRY_COMPARE(journal.committedCount(), 3);
        const auto batch = committed.first().first().value<QList<Event>>();
        QVERIFY(batch.first().id > 0);

        const QList<Event> back = journal.query({});
        QCOMPARE(back.size(), 3);
        const QList<Event> in = sample();
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(back[i].time, in[i].time);
            QCOMPARE(back[i].kind, in[i].kind);
            QCOMPARE(back[i].severity, in[i].severity);
            QCOMPARE(back[i].source, in[i].source);
            QCOMPARE(back[i].message, in[i].message);
            QCOMPARE(back[i].data, in[i].data);
        }
        journal.close();
        QCOMPARE(readJournal(path, {}).size(), 3);
    }

    void queries()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("j.sqlite"));
        Journal journal;
        QVERIFY(journal.open(path));
        for (const Event &e : sample())
            journal.append(e);
        journal.close();

        JournalQuery q;
        q.kindPrefix = QStringLiteral("redis");
        QCOMPARE(readJournal(path, q).size(), 2);
        q.kindPrefix = QStringLiteral("redis.reach");
        QCOMPARE(readJournal(path, q).size(), 1);
        q = {};
        q.source = QStringLiteral("api-1");
        QCOMPARE(readJournal(path, q).size(), 1);
        q = {};
        q.since = QDateTime::fromString(QStringLiteral("2026-11-26T04:12:14Z"), Qt::ISODate);
        QCOMPARE(readJournal(path, q).size(), 2);
        q.until = QDateTime::fromString(QStringLiteral("2026-11-26T04:12:14Z"), Qt::ISODate);
        QCOMPARE(readJournal(path, q).size(), 1);
        q = {};
        q.limit = 2;
        const auto last = readJournal(path, q);
        QCOMPARE(last.size(), 2);
        QCOMPARE(last[0].kind, QStringLiteral("redis.unreachable")); // oldest first
        q = {};
        q.afterId = last[0].id;
        QCOMPARE(readJournal(path, q).size(), 1);
    }

    void schemaAndBadFiles()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("nested/dir/j.sqlite"));
        {
            Journal journal;
            QVERIFY(journal.open(path));
        }
        {
            const QString name = QStringLiteral("check");
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
                db.setDatabaseName(path);
                QVERIFY(db.open());
                QSqlQuery q(db);
                QVERIFY(q.exec(QStringLiteral("PRAGMA user_version")) && q.next());
                QCOMPARE(q.value(0).toInt(), kJournalSchemaVersion);
                QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
                QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
                // A journal from a newer Vigil is refused, not silently rewritten.
                QVERIFY(q.exec(QStringLiteral("PRAGMA user_version=99")));
            }
            QSqlDatabase::removeDatabase(name);
        }
        Journal newer;
        QString error;
        QVERIFY(!newer.open(path, &error));
        QVERIFY2(error.contains(QStringLiteral("newer")), qPrintable(error));
        QVERIFY(readJournal(path, {}, &error).isEmpty());
        QVERIFY(error.contains(QStringLiteral("newer")));

        const QString text = dir.filePath(QStringLiteral("notes.txt"));
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not a database at all, just some text that is long enough to matter\n");
        f.close();
        Journal garbage;
        QVERIFY(!garbage.open(text, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(readJournal(dir.filePath(QStringLiteral("missing.sqlite")), {}, &error).isEmpty());
        QVERIFY(error.contains(QStringLiteral("no journal")));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("missing.sqlite"))));
    }

    // Incidents are grouped and stored as events are committed; what is stored equals grouping
    // the journal's events afterwards, and it changes (or goes) as later events re-parent it.
    void incidentsStoredAsEventsCommit()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("j.sqlite"));
        IncidentOptions options;
        options.gapMs = 30'000;
        options.quietMs = 2'000;
        const qint64 t0 = QDateTime::currentMSecsSinceEpoch() - 10'000;
        const QString m = QStringLiteral("10.0.0.1:6379"), r = QStringLiteral("10.0.0.2:6379"), s = QStringLiteral("10.0.0.9:26379");
        auto event = [&](qint64 atMs, const char *kind, Severity severity, const QString &source, QJsonObject data = {}) {
            Event e = Event::make(QLatin1String(kind), severity, source, QLatin1String(kind), data);
            e.data.insert(QStringLiteral("scope"), QStringLiteral("sentinel:orders"));
            e.time = QDateTime::fromMSecsSinceEpoch(t0 + atMs, Qt::UTC);
            return e;
        };
        Journal journal;
        journal.setIncidentOptions(options);
        QSignalSpy changes(&journal, &Journal::incidentsChanged);
        QStringList failures;
        connect(&journal, &Journal::writeFailed, this, [&failures](const QString &why) { failures << why; });
        QVERIFY(journal.open(path));
        // Sentinel's +sdown first (as if Vigil reached the master), then the outage journalled
        // late with an earlier time: the root moves and so does the incident's id.
        journal.append(event(2000, "sentinel.+sdown", Severity::Warning, s, {{QStringLiteral("instance"), m}}));
        QTRY_VERIFY_WITH_TIMEOUT(!changes.isEmpty(), 5000);
        journal.append(event(0, "redis.unreachable", Severity::Critical, m, {{QStringLiteral("scope_master"), m}}));
        journal.append(event(5, "replication.link_down", Severity::Critical, r, {{QStringLiteral("master"), m}}));
        QTRY_VERIFY_WITH_TIMEOUT(changes.size() >= 2 && !changes.last().at(1).value<QList<qint64>>().isEmpty(), 5000);
        journal.append(
            event(3000, "sentinel.+switch-master", Severity::Critical, s, {{QStringLiteral("old_master"), m}, {QStringLiteral("new_master"), r}}));
        journal.append(event(3050, "redis.role_changed", Severity::Warning, r, {{QStringLiteral("to"), QStringLiteral("master")}}));
        journal.append(event(4000, "sentinel.-sdown", Severity::Info, s, {{QStringLiteral("instance"), m}}));
        journal.append(event(5000, "redis.reachable", Severity::Info, m));
        const int before = int(changes.size());
        QTRY_VERIFY2_WITH_TIMEOUT(changes.size() > before, qPrintable(failures.join(QLatin1Char('\n'))), 5000);
        const qint64 firstId = changes.last().at(0).value<QList<Incident>>().value(0).id;
        Event note = Event::make(QString::fromLatin1(kNoteKind), Severity::Info, QStringLiteral("operator"), QStringLiteral("master's disk was full"),
                                 {{QStringLiteral("incident"), firstId}});
        note.time = QDateTime::fromMSecsSinceEpoch(t0 + 1000, Qt::UTC);
        journal.append(note);
        journal.close();
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));

        QList<Incident> stored;
        bool hasStore = false;
        QString error;
        QVERIFY2(readStoredIncidents(path, {}, &stored, &hasStore, &error), qPrintable(error));
        QVERIFY(hasStore);
        const QList<Incident> grouped = groupIncidents(readJournal(path, {}), options, QDateTime::currentMSecsSinceEpoch());
        QCOMPARE(stored.size(), 1);
        QCOMPARE(grouped.size(), 1);
        QCOMPARE(stored.first(), grouped.first());
        const Incident &incident = stored.first();
        QCOMPARE(incident.member(incident.rootId)->kind, QStringLiteral("redis.unreachable"));
        QCOMPARE(incident.members.size(), 8); // seven events and the note
        QVERIFY(incident.title.startsWith(QStringLiteral("master 10.0.0.1:6379 unreachable")));
        QVERIFY(incident.title.endsWith(QStringLiteral("Sentinel promoted 10.0.0.2:6379")));
        // The id is the outage's (committed second), not the +sdown's that opened it at first.
        QCOMPARE(incident.id, incident.rootId);
        const auto noted = std::find_if(incident.members.cbegin(), incident.members.cend(),
                                        [](const IncidentMember &member) { return member.role == MemberRole::Note; });
        QVERIFY(noted != incident.members.cend());
        QCOMPARE(noted->timeMs, t0 + 1000);
    }

    // A lag incident is journalled by the master about its replica: the replica's byte lag is
    // what it charts, and whose samples it keeps.
    void lagChartIsTheReplicas()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("j.sqlite"));
        const QString m = QStringLiteral("10.0.0.1:6379"), r = QStringLiteral("10.0.0.2:6379");
        const qint64 t0 = QDateTime::currentMSecsSinceEpoch() - 10'000;
        Journal journal;
        QSignalSpy changes(&journal, &Journal::incidentsChanged);
        QVERIFY(journal.open(path));
        for (int i = 0; i < 5; ++i)
            journal.appendSample({QStringLiteral("replication.lag_bytes"), r, t0 + i * 1000, 1000.0 * i});
        Event lag = Event::make(QStringLiteral("replication.lag_high"), Severity::Warning, m, QStringLiteral("replica lagging"),
                                {{QStringLiteral("scope"), QString(QStringLiteral("replication:") + m)}, {QStringLiteral("replica"), r}});
        lag.time = QDateTime::fromMSecsSinceEpoch(t0 + 4000, Qt::UTC);
        journal.append(lag);
        QTRY_VERIFY_WITH_TIMEOUT(!changes.isEmpty(), 5000);
        journal.close();
        QList<Incident> stored;
        bool hasStore = false;
        QString error;
        QVERIFY2(readStoredIncidents(path, {}, &stored, &hasStore, &error), qPrintable(error));
        QCOMPARE(stored.size(), 1);
        const QList<IncidentChart> charts = readIncidentCharts(path, stored.first());
        QCOMPARE(charts.size(), 1);
        QCOMPARE(charts.first().metric, QStringLiteral("replication.lag_bytes"));
        QCOMPARE(charts.first().series.size(), 1);
        QCOMPARE(charts.first().series.first().first, r);
        QCOMPARE(charts.first().series.first().second.size(), 5);
        ScopedDb reader("lag-subjects");
        QVERIFY(openForReading(reader, path, &error) >= 0);
        QSqlQuery q(reader.db());
        QVERIFY(q.exec(QStringLiteral("SELECT subject FROM incident_subjects ORDER BY subject")));
        QStringList subjects;
        while (q.next())
            subjects << q.value(0).toString();
        QCOMPARE(subjects, (QStringList{m, r}));
    }

    // Chart series: every sample for the last 10 minutes and 10 minutes around the incidents that
    // involve their subject,
    // one-minute buckets otherwise (a late sample merged into its bucket), nothing past retention.
    void seriesKeptAroundIncidents()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("j.sqlite"));
        {
            Journal journal;
            QVERIFY(journal.open(path));
        }
        constexpr qint64 t0 = 1'764'000'000'000 / 60000 * 60000, minute = 60'000;
        const QString node = QStringLiteral("api-1");
        {
            ScopedDb writer("series-test");
            writer.db().setDatabaseName(path);
            QVERIFY(writer.db().open());
            QList<Sample> samples;
            for (qint64 t = t0; t < t0 + 30 * minute; t += 1000) {
                samples << Sample{QStringLiteral("heartbeat.latency_ms"), node, t, double((t - t0) / minute)};
                samples << Sample{QStringLiteral("heartbeat.latency_ms"), QStringLiteral("api-2"), t, 1.0};
            }
            samples << Sample{QStringLiteral("redis.rtt_ms"), QStringLiteral("10.0.0.1:6379"), t0, 0.25};
            QString error;
            QVERIFY2(storeSamples(writer.db(), samples, &error), qPrintable(error));
            QSqlQuery incident(writer.db());
            QVERIFY(incident.exec(QStringLiteral("INSERT INTO incidents (id, scope, title, opened_ms, last_ms, resolved_ms, severity)"
                                                 " VALUES (1, 's', 't', %1, %1, %2, 2)")
                                      .arg(t0 + 15 * minute)
                                      .arg(t0 + 16 * minute)));
            // It involves the node; the server's series is no concern of it.
            QVERIFY(incident.exec(QStringLiteral("INSERT INTO incident_subjects (subject, incident_id) VALUES ('api-1', 1)")));
            // Still open, its last event at 12 min: every sample of api-2 until 22 min, not for as
            // long as it stays open.
            QVERIFY(incident.exec(QStringLiteral("INSERT INTO incidents (id, scope, title, opened_ms, last_ms, severity)"
                                                 " VALUES (2, 's', 't', %1, %2, 2)")
                                      .arg(t0 + 11 * minute)
                                      .arg(t0 + 12 * minute)));
            QVERIFY(incident.exec(QStringLiteral("INSERT INTO incident_subjects (subject, incident_id) VALUES ('api-2', 2)")));
            QVERIFY2(compactSeries(writer.db(), t0 + 40 * minute, {}, &error), qPrintable(error));
            // A sample arriving late for a minute already folded joins its bucket.
            QVERIFY(storeSamples(writer.db(), {Sample{QStringLiteral("heartbeat.latency_ms"), node, t0 + 27 * minute + 500, 1000.0}}, &error));
            QVERIFY2(compactSeries(writer.db(), t0 + 40 * minute, {}, &error), qPrintable(error));
        }
        QList<SeriesPoint> points;
        QString error;
        QVERIFY2(readSeries(path, QStringLiteral("heartbeat.latency_ms"), node, t0, t0 + 40 * minute, &points, &error), qPrintable(error));
        const auto raw = std::count_if(points.cbegin(), points.cend(), [](const SeriesPoint &p) { return p.count == 1; });
        QCOMPARE(raw, qsizetype(21 * 60 + 1)); // 10 min before the incident to 10 min after it
        QList<SeriesPoint> buckets;
        std::copy_if(points.cbegin(), points.cend(), std::back_inserter(buckets), [](const SeriesPoint &p) { return p.count > 1; });
        QCOMPARE(buckets.size(), 9); // minutes 0-4 and 26-29
        QCOMPARE(buckets.first().timeMs, t0 + 30'000);
        QCOMPARE(buckets.first().count, 60);
        QCOMPARE(buckets.at(1).min, 1.0);
        QCOMPARE(buckets.at(5).count, 59); // minute 26 after its first second
        QCOMPARE(buckets.at(6).count, 61); // minute 27 with the late sample
        QCOMPARE(buckets.at(6).max, 1000.0);
        QCOMPARE(buckets.at(6).min, 27.0);
        QVERIFY(std::is_sorted(points.cbegin(), points.cend(), [](const SeriesPoint &a, const SeriesPoint &b) { return a.timeMs < b.timeMs; }));
        QVERIFY(readSeries(path, QStringLiteral("heartbeat.latency_ms"), QStringLiteral("api-2"), t0, t0 + 40 * minute, &points, &error));
        QCOMPARE(std::count_if(points.cbegin(), points.cend(), [](const SeriesPoint &p) { return p.count == 1; }), qsizetype(21 * 60 + 1));
        // Another series is its own (and, not involved, folded like any other).
        QVERIFY(readSeries(path, QStringLiteral("redis.rtt_ms"), QStringLiteral("10.0.0.1:6379"), t0, t0 + minute, &points, &error));
        QCOMPARE(points.size(), 1);
        QCOMPARE(points.first().mean, 0.25);
        QCOMPARE(points.first().count, 1);
        QCOMPARE(points.first().timeMs, t0 + 30'000); // the minute's bucket

        // Past the retention, nothing.
        {
            ScopedDb writer("series-retention");
            writer.db().setDatabaseName(path);
            QVERIFY(writer.db().open());
            QVERIFY2(compactSeries(writer.db(), t0 + qint64(31) * 24 * 3600 * 1000, {}, &error), qPrintable(error));
        }
        QVERIFY(readSeries(path, QStringLiteral("heartbeat.latency_ms"), node, t0, t0 + 40 * minute, &points, &error));
        QCOMPARE(points.size(), 0);
    }

    // A writer's series ids, kept from one batch to the next: taken once its transaction has
    // committed, never from a transaction that may still roll back.
    void seriesIdsKeptOnceCommitted()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("j.sqlite"));
        {
            Journal journal;
            QVERIFY(journal.open(path));
        }
        const QString metric = QStringLiteral("heartbeat.latency_ms");
        auto sample = [&](const char *node, qint64 t) { return Sample{metric, QString::fromLatin1(node), t, double(t)}; };
        SeriesIds known;
        QString error;
        {
            ScopedDb writer("series-ids");
            writer.db().setDatabaseName(path);
            QVERIFY(writer.db().open());
            QVERIFY2(storeSamples(writer.db(), {sample("api-1", 1000), sample("api-2", 1000)}, &error, &known), qPrintable(error));
            QCOMPARE(known.size(), 2);
            QVERIFY2(storeSamples(writer.db(), {sample("api-1", 2000), sample("api-3", 2000)}, &error, &known), qPrintable(error));
            QCOMPARE(known.size(), 3);
            // The cached ids are the stored ones.
            QSqlQuery q(writer.db());
            QVERIFY(q.exec(QStringLiteral("SELECT metric || char(10) || subject, id FROM series")));
            SeriesIds stored;
            while (q.next())
                stored.insert(q.value(0).toString(), q.value(1).toLongLong());
            QCOMPARE(known, stored);

            // In the caller's transaction, rolled back: the series it created is not kept.
            QVERIFY(writer.db().transaction());
            QVERIFY2(storeSamples(writer.db(), {sample("api-4", 3000)}, &error, &known), qPrintable(error));
            QVERIFY(writer.db().rollback());
            QCOMPARE(known.size(), 3);
            QVERIFY2(storeSamples(writer.db(), {sample("api-4", 4000)}, &error, &known), qPrintable(error));
            QCOMPARE(known.size(), 4);
        }
        QList<SeriesPoint> points;
        QVERIFY2(readSeries(path, metric, QStringLiteral("api-1"), 0, 10000, &points, &error), qPrintable(error));
        QCOMPARE(points.size(), 2);
        QVERIFY(readSeries(path, metric, QStringLiteral("api-4"), 0, 10000, &points, &error));
        QCOMPARE(points.size(), 1);
        QCOMPARE(points.first().timeMs, 4000);
    }

    // Charts break a line where samples stop, judged by the series' own spacing.
    void seriesGaps()
    {
        auto raw = [](std::initializer_list<qint64> seconds) {
            QList<SeriesPoint> points;
            for (const qint64 s : seconds)
                points << SeriesPoint{s * 1000, 1, 1, 1, 1};
            return points;
        };
        QCOMPARE(splitAtGaps(raw({0, 1, 2, 3, 13, 14, 15})).size(), 2); // 10 s without a sample
        QCOMPARE(splitAtGaps(raw({0, 5, 10, 15, 20, 25})).size(), 1);   // polled every 5 s: no gap
        QCOMPARE(splitAtGaps(raw({0, 5, 10, 15, 60, 65})).size(), 2);
        // From minute buckets to every sample (near an incident): one line.
        QList<SeriesPoint> mixed{{30'000, 1, 1, 1, 60}, {90'000, 1, 1, 1, 60}};
        mixed += raw({120, 121, 122, 123});
        QCOMPARE(splitAtGaps(mixed).size(), 1);
        QCOMPARE(splitAtGaps({}).size(), 0);
    }

    // A journal written before incidents were stored is upgraded in place: its events unchanged,
    // its tables added; read without being opened for writing, it says it stores none.
    void olderJournalUpgraded()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.sqlite"));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, time_ms INTEGER NOT NULL,"
                                          " kind TEXT NOT NULL, severity INTEGER NOT NULL, source TEXT NOT NULL,"
                                          " message TEXT NOT NULL, data TEXT NOT NULL DEFAULT '{}')")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO events (time_ms, kind, severity, source, message, data) VALUES"
                                          " (1764000000000, 'redis.unreachable', 2, '10.0.0.1:6379', 'gone',"
                                          " '{\"scope\":\"replication:10.0.0.1:6379\"}')")));
            // Three days before: an incident of its own, older than what the writer groups.
            QVERIFY(q.exec(QStringLiteral("INSERT INTO events (time_ms, kind, severity, source, message, data) VALUES"
                                          " (1763740800000, 'redis.unreachable', 2, '10.0.0.2:6379', 'long gone',"
                                          " '{\"scope\":\"replication:10.0.0.2:6379\"}')")));
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version=1")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("old"));
        QList<Incident> stored;
        bool hasStore = true;
        QString error;
        QVERIFY2(readStoredIncidents(path, {}, &stored, &hasStore, &error), qPrintable(error));
        QVERIFY(!hasStore);
        {
            Journal journal;
            QVERIFY2(journal.open(path, &error), qPrintable(error));
        }
        QVERIFY2(readStoredIncidents(path, {}, &stored, &hasStore, &error), qPrintable(error));
        QVERIFY(hasStore);
        const QList<Event> events = readJournal(path, {});
        QCOMPARE(events.size(), 2); // in time order
        QCOMPARE(events.first().message, QStringLiteral("long gone"));
        QCOMPARE(events.last().message, QStringLiteral("gone"));
        // Its last day's incident was grouped when the writer started...
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.first().rootId, events.last().id);
        // ...and the older ones are grouped from the events when they are read, and said so.
        QList<Incident> all;
        QString note;
        QVERIFY2(loadIncidents(path, {}, nullptr, &all, &note, &error), qPrintable(error));
        QCOMPARE(all.size(), 2);
        QCOMPARE(all.first().rootId, events.first().id);
        QCOMPARE(all.last(), stored.first());
        QVERIFY2(note.contains(QStringLiteral("were recorded by an older Vigil")), qPrintable(note));
        // Opened again, nothing changes: the mark is the first upgrade's.
        {
            Journal journal;
            QVERIFY2(journal.open(path, &error), qPrintable(error));
        }
        QVERIFY(loadIncidents(path, {}, nullptr, &all, &note, &error));
        QCOMPARE(all.size(), 2);
    }

    // Another program's SQLite file is refused and left exactly as it was (not switched to WAL).
    void foreignDatabaseLeftUnchanged()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("app.db"));
        const QString name = QStringLiteral("foreign");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT)")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO accounts (owner) VALUES ('someone')")));
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        const QByteArray before = readFile(path);
        QVERIFY(!before.isEmpty());
        Journal journal;
        QString error;
        QVERIFY(!journal.open(path, &error));
        QVERIFY2(error.contains(QStringLiteral("not a Vigil journal")), qPrintable(error));
        QVERIFY(readJournal(path, {}, &error).isEmpty());
        QVERIFY2(error.contains(QStringLiteral("not a Vigil journal")), qPrintable(error));
        QCOMPARE(readFile(path), before);
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
    }

    // Two recorders starting at once on a journal that does not exist yet both run.
    void concurrentCreation()
    {
        const QString writer = qEnvironmentVariable("JOURNAL_WRITER");
        if (writer.isEmpty())
            QSKIP("JOURNAL_WRITER not set (run through CTest)");
        QTemporaryDir dir;
        for (int round = 0; round < 5; ++round) {
            const QString path = dir.filePath(QStringLiteral("j%1.sqlite").arg(round));
            // At a recorder's pace (200 events a second each), not the flood of the durability test.
            QProcess a, b;
            a.start(writer, {path, QStringLiteral("1")});
            b.start(writer, {path, QStringLiteral("1")});
            QVERIFY(a.waitForStarted() && b.waitForStarted());
            QByteArray outA, outB;
            QDeadlineTimer deadline(15000);
            while (!deadline.hasExpired() && !(outA.contains("committed") && outB.contains("committed"))) {
                a.waitForReadyRead(50);
                b.waitForReadyRead(50);
                outA += a.readAllStandardOutput();
                outB += b.readAllStandardOutput();
            }
            a.kill();
            b.kill();
            a.waitForFinished();
            b.waitForFinished();
            const QByteArray errors = a.readAllStandardError() + b.readAllStandardError();
            QVERIFY2(outA.contains("committed") && outB.contains("committed"),
                     qPrintable(QStringLiteral("round %1: a %2, b %3: %4")
                                    .arg(round)
                                    .arg(outA.contains("committed") ? QStringLiteral("wrote") : QStringLiteral("did not write"),
                                         outB.contains("committed") ? QStringLiteral("wrote") : QStringLiteral("did not write"),
                                         QString::fromUtf8(errors))));
            QString error;
            QVERIFY(!readJournal(path, {}, &error).isEmpty());
            QVERIFY2(error.isEmpty(), qPrintable(error));
        }
    }

    // With the disk full the events wait; once there is room, every one of them is written.
    void writesAgainAfterDiskFull()
    {
        ScopedTmpfs disk(2 << 20);
        if (!disk.missing().isEmpty())
            QSKIP(qPrintable(disk.missing()));
        // Most of the disk taken by a file that is deleted later.
        const QString filler = disk.path() + QStringLiteral("/filler");
        {
            QFile f(filler);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(1500 << 10, 'x'));
        }
        Journal journal;
        QString error;
        QVERIFY2(journal.open(disk.path() + QStringLiteral("/j.sqlite"), &error), qPrintable(error));
        QSignalSpy failed(&journal, &Journal::writeFailed);
        QSignalSpy recovered(&journal, &Journal::writeRecovered);
        const QString big(2000, QLatin1Char('e'));
        int appended = 0;
        for (; appended < 2000 && failed.isEmpty(); ++appended) {
            journal.append(Event::make(QStringLiteral("test.fill"), Severity::Info, QStringLiteral("t"), big));
            if (appended % 50 == 49)
                QTest::qWait(60);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 10000);
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("full")), qPrintable(failed.first().first().toString()));
        const qint64 committedWhileFull = journal.committedCount();
        QVERIFY(committedWhileFull < appended);
        // More events arrive while the disk is full; one failure is reported, not one per retry.
        for (int i = 0; i < 500; ++i, ++appended)
            journal.append(Event::make(QStringLiteral("test.fill"), Severity::Info, QStringLiteral("t"), big));
        QTest::qWait(2500);
        QCOMPARE(failed.size(), 1);
        QVERIFY(QFile::remove(filler));
        QTRY_COMPARE_WITH_TIMEOUT(journal.committedCount(), qint64(appended), 10000);
        // The count is shared with the writer's thread; its signal is queued and may come after.
        QTRY_COMPARE_WITH_TIMEOUT(recovered.size(), 1, 5000);
        journal.close();
        QCOMPARE(readJournal(journal.path(), {}, &error).size(), appended);
    }

    // Chart samples that cannot be written are dropped, but not in silence: said once when it
    // starts, recovered when they are written again, and counted at the close.
    void lostSamplesAreSaid()
    {
        ScopedTmpfs disk(2 << 20);
        if (!disk.missing().isEmpty())
            QSKIP(qPrintable(disk.missing()));
        Journal journal;
        QString error;
        QVERIFY2(journal.open(disk.path() + QStringLiteral("/j.sqlite"), &error), qPrintable(error));
        QSignalSpy failed(&journal, &Journal::writeFailed);
        QSignalSpy recovered(&journal, &Journal::writeRecovered);
        // Open and writing before the disk fills up.
        journal.append(Event::make(QStringLiteral("test.one"), Severity::Info, QStringLiteral("t"), QStringLiteral("one")));
        QTRY_COMPARE_WITH_TIMEOUT(journal.committedCount(), qint64(1), 5000);
        const QString filler = disk.path() + QStringLiteral("/filler");
        {
            QFile f(filler);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
            const QByteArray chunk(4096, 'x');
            while (f.write(chunk) == chunk.size()) { }
        }
        const qint64 t0 = QDateTime::currentMSecsSinceEpoch();
        for (int round = 0; round < 20 && failed.isEmpty(); ++round) {
            for (int i = 0; i < 500; ++i)
                journal.appendSample({QStringLiteral("heartbeat.latency_ms"), QStringLiteral("node-%1").arg(i), t0 + round * 1000, 1.0});
            QTest::qWait(100);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 10000);
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("chart samples")), qPrintable(failed.first().first().toString()));
        for (int i = 0; i < 500; ++i)
            journal.appendSample({QStringLiteral("heartbeat.latency_ms"), QStringLiteral("node-%1").arg(i), t0 + 30'000, 1.0});
        QTest::qWait(500);
        QCOMPARE(failed.size(), 1); // said once
        QVERIFY(QFile::remove(filler));
        journal.appendSample({QStringLiteral("heartbeat.latency_ms"), QStringLiteral("node-0"), t0 + 40'000, 1.0});
        QTRY_COMPARE_WITH_TIMEOUT(recovered.size(), 1, 5000);
        journal.close();
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, 5000);
        QVERIFY2(failed.last().first().toString().contains(QStringLiteral("chart samples could not be written")),
                 qPrintable(failed.last().first().toString()));
    }

    // The disk filling up while the journal opens: whether its writer could not open it or only
    // its samples cannot be written, it says so and closes without a crash (the writer once took
    // a journal whose set-up failed for one ready to write).
    void diskFillingAtOpenIsSaid()
    {
        ScopedTmpfs probe(1 << 20);
        if (!probe.missing().isEmpty())
            QSKIP(qPrintable(probe.missing()));
        for (int round = 0; round < 15; ++round) {
            ScopedTmpfs disk(2 << 20);
            Journal journal;
            QString error;
            QVERIFY2(journal.open(disk.path() + QStringLiteral("/j.sqlite"), &error), qPrintable(error));
            QSignalSpy failed(&journal, &Journal::writeFailed);
            {
                QFile f(disk.path() + QStringLiteral("/filler"));
                QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
                const QByteArray chunk(4096, 'x');
                while (f.write(chunk) == chunk.size()) { }
            }
            for (int i = 0; i < 500; ++i)
                journal.appendSample({QStringLiteral("heartbeat.latency_ms"), QStringLiteral("node-%1").arg(i), 1000, 1.0});
            journal.append(Event::make(QStringLiteral("test.one"), Severity::Info, QStringLiteral("t"), QStringLiteral("one")));
            QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 5000);
            journal.close();
            const QString first = failed.first().first().toString();
            QVERIFY2(first.contains(QStringLiteral("cannot open journal")) || first.contains(QStringLiteral("chart samples"))
                         || first.contains(QStringLiteral("full")),
                     qPrintable(first));
        }
    }

    // A journal on a read-only file system says why it cannot be used.
    void readOnlyJournal()
    {
        ScopedTmpfs disk(1 << 20);
        if (!disk.missing().isEmpty())
            QSKIP(qPrintable(disk.missing()));
        const QString path = disk.path() + QStringLiteral("/j.sqlite");
        {
            Journal journal;
            QVERIFY(journal.open(path));
            journal.append(Event::make(QStringLiteral("test.one"), Severity::Info, QStringLiteral("t"), QStringLiteral("one")));
        }
        QVERIFY(disk.remountReadOnly());
        QString error;
        Journal journal;
        QVERIFY(!journal.open(path, &error));
        QVERIFY2(!error.contains(QStringLiteral("not a Vigil journal")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("read")), qPrintable(error));
        // Reading it still works, or says why not.
        const QList<Event> events = readJournal(path, {}, &error);
        QVERIFY2(events.size() == 1 || (!error.isEmpty() && !error.contains(QStringLiteral("not a Vigil journal"))), qPrintable(error));
    }

    // `vigil export` streams: a journal of 200,000 events (330 MB when it was read into a list first)
    // is exported in a few tens of MB. Its peak RSS (VmHWM) is read while it runs.
    void exportStreams()
    {
        const QString vigil = qEnvironmentVariable("VIGIL_BINARY");
        if (vigil.isEmpty())
            QSKIP("VIGIL_BINARY not set (run through CTest)");
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("big.sqlite"));
        constexpr int kEvents = 200'000;
        {
            Journal journal;
            QVERIFY(journal.open(path));
            const QString message(300, QLatin1Char('m'));
            for (int i = 0; i < kEvents; ++i)
                journal.append(Event::make(QStringLiteral("test.bulk"), Severity::Info, QStringLiteral("source-%1").arg(i % 100), message,
                                           {{QStringLiteral("i"), i}, {QStringLiteral("text"), message}}));
            journal.close();
            QCOMPARE(journal.committedCount(), qint64(kEvents));
        }
        const QString out = dir.filePath(QStringLiteral("out.jsonl"));
        QProcess exporter;
        exporter.start(vigil, {QStringLiteral("export"), QStringLiteral("--journal"), path, QStringLiteral("-o"), out});
        QVERIFY(exporter.waitForStarted());
        const QString status = QStringLiteral("/proc/%1/status").arg(exporter.processId());
        qint64 peakKb = 0;
        while (!exporter.waitForFinished(10)) {
            QFile f(status);
            if (!f.open(QIODevice::ReadOnly))
                continue;
            for (const QByteArray &line : f.readAll().split('\n'))
                if (line.startsWith("VmHWM:"))
                    peakKb = std::max(peakKb, line.mid(6).trimmed().split(' ').first().toLongLong());
        }
        QCOMPARE(exporter.exitCode(), 0);
        const qint64 peakMb = peakKb / 1024;
        qInfo("exported %d events with a peak RSS of %lld MB", kEvents, static_cast<long long>(peakMb));
#ifdef __SANITIZE_ADDRESS__
        // AddressSanitizer's shadow memory and quarantine say nothing of the exporter's own use.
        QVERIFY2(peakMb > 0, qPrintable(QString::number(peakMb)));
#else
        QVERIFY2(peakMb > 0 && peakMb < 100, qPrintable(QString::number(peakMb)));
#endif
        QFile exported(out);
        QVERIFY(exported.open(QIODevice::ReadOnly));
        int lines = 0;
        while (!exported.atEnd()) {
            exported.readLine();
            ++lines;
        }
        QCOMPARE(lines, kEvents);
    }

    // An export to a device is written in place and its failure reported: /dev/full once said
    // "exported" (and, as root, was replaced by a regular file).
    void exportToFullDevice()
    {
        const QString vigil = qEnvironmentVariable("VIGIL_BINARY");
        if (vigil.isEmpty())
            QSKIP("VIGIL_BINARY not set (run through CTest)");
        if (!QFileInfo(QStringLiteral("/dev/full")).exists())
            QSKIP("no /dev/full");
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("j.sqlite"));
        {
            Journal journal;
            QVERIFY(journal.open(path));
            for (const Event &e : sample())
                journal.append(e);
        }
        QByteArray out;
        QCOMPARE(
            runProcess(vigil, {QStringLiteral("export"), QStringLiteral("--journal"), path, QStringLiteral("-o"), QStringLiteral("/dev/full")}, &out),
            1);
        QVERIFY2(out.contains("No space left"), out.constData());
        QVERIFY2(!QFileInfo(QStringLiteral("/dev/full")).isFile(), "/dev/full was replaced by a file");
        // The standard output on /dev/full: the same.
        QProcess p;
        p.setStandardOutputFile(QStringLiteral("/dev/full"));
        p.start(vigil, {QStringLiteral("export"), QStringLiteral("--journal"), path});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(p.readAllStandardError().contains("cannot write the standard output"));
    }

    void exportsMatchGoldenFiles()
    {
        for (const auto &[format, file] :
             {std::pair{ExportFormat::JsonLines, QStringLiteral("events.jsonl")}, std::pair{ExportFormat::Csv, QStringLiteral("events.csv")}}) {
            QBuffer buffer;
            buffer.open(QIODevice::WriteOnly);
            QString error;
            QVERIFY(writeEvents(&buffer, format, sample(), &error));
            const QString golden = QFINDTESTDATA(QStringLiteral("data/export/") + file);
            QVERIFY2(!golden.isEmpty(), qPrintable(file));
            QCOMPARE(buffer.data(), readFile(golden));
        }
    }

    void jsonLineKeysInContractOrder()
    {
        const QByteArray line = eventToJsonLine(sample().first());
        QVERIFY(line.startsWith("{\"time\":\"2026-11-26T04:12:13.123Z\",\"kind\":\"heartbeat.down\","
                                "\"severity\":\"critical\",\"source\":\"api-1\",\"message\":"));
        const QJsonObject parsed = QJsonDocument::fromJson(line).object();
        QCOMPARE(parsed.keys().size(), 6);
        QCOMPARE(parsed.value(QStringLiteral("data")).toObject().value(QStringLiteral("silence_ms")).toInt(), 1520);
    }

    void readerWhileWriterRuns()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("j.sqlite"));
        Journal journal;
        QVERIFY(journal.open(path));
        for (int round = 0; round < 5; ++round) {
            for (int i = 0; i < 100; ++i)
                journal.append(Event::make(QStringLiteral("test.load"), Severity::Info, QStringLiteral("t"), QString::number(i)));
            QTRY_COMPARE(journal.committedCount(), qint64(round + 1) * 100);
            QString error;
            QCOMPARE(readJournal(path, {}, &error).size(), (round + 1) * 100);
            QVERIFY(error.isEmpty());
        }
    }

    void durableAfterSigkill()
    {
        // Events appended every 5 ms: 10,000 a second; 2,000 in a sanitizer build, whose SQLite is
        // several times slower (the commit window is judged here, not the build's throughput).
#if defined(__SANITIZE_ADDRESS__)
        constexpr int kWriterBurst = 10;
#else
        constexpr int kWriterBurst = 50;
#endif
        const QString writer = qEnvironmentVariable("JOURNAL_WRITER");
        if (writer.isEmpty())
            QSKIP("JOURNAL_WRITER not set (run through CTest)");
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("j.sqlite"));
        qsizetype earlier = 0; // the events of the runs before
        for (int run = 0; run < 3; ++run) {
            QProcess child;
            child.start(writer, {path, QString::number(kWriterBurst)});
            QVERIFY(child.waitForStarted());
            qint64 lastCommitted = 0;
            QList<std::pair<qint64, qint64>> appended; // (events appended so far, when)
            QByteArray output;
            auto readOutput = [&] {
                output += child.readAllStandardOutput();
                const qsizetype end = output.lastIndexOf('\n') + 1; // whole lines only
                const QList<QByteArray> lines = output.first(end).split('\n');
                output.remove(0, end);
                for (const QByteArray &l : lines) {
                    const QList<QByteArray> words = l.split(' ');
                    if (words.size() == 2 && words[0] == "committed")
                        lastCommitted = std::max(lastCommitted, words[1].toLongLong());
                    else if (words.size() == 3 && words[0] == "appended")
                        appended.append({words[1].toLongLong(), words[2].toLongLong()});
                }
            };
            // Let it commit a few batches over several commit windows, then kill it mid-stream.
            QTRY_VERIFY_WITH_TIMEOUT(
                [&] {
                    readOutput();
                    return lastCommitted > (run + 1) * 300 && !appended.isEmpty()
                        && appended.first().second < QDateTime::currentMSecsSinceEpoch() - 3 * Journal::kCommitWindowMs;
                }(),
                10000);
            const qint64 killedAtMs = QDateTime::currentMSecsSinceEpoch();
            ::kill(pid_t(child.processId()), SIGKILL);
            QVERIFY(child.waitForFinished());
            readOutput();

            // Every id the writer reported committed is there, and the file is intact.
            QString error;
            JournalQuery q;
            q.afterId = lastCommitted - 1;
            const QList<Event> tail = readJournal(path, q, &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QVERIFY(!tail.isEmpty());
            QCOMPARE(tail.first().id, lastCommitted);
            const QList<Event> all = readJournal(path, {}, &error);
            QVERIFY(all.size() >= lastCommitted);
            // What was appended more than the commit window before the kill is in the file (a
            // writer starved of CPU appends nothing for a while: the newest event's age alone
            // cannot tell).
            qint64 due = 0;
            for (const auto &[count, atMs] : std::as_const(appended))
                if (atMs <= killedAtMs - Journal::kCommitWindowMs)
                    due = std::max(due, count);
            const qint64 newestMs = all.last().time.toMSecsSinceEpoch();
            const qsizetype kept = all.size() - earlier;
            earlier = all.size();
            qInfo("run %d: %lld events in the file, %lld appended over %d ms before the kill; the newest appended %lld ms before it", run,
                  static_cast<long long>(kept), static_cast<long long>(due), Journal::kCommitWindowMs, static_cast<long long>(killedAtMs - newestMs));
            QVERIFY(due > 0);
            QVERIFY2(kept >= due,
                     qPrintable(QStringLiteral("%1 events appended over %2 ms before the kill, %3 in the file")
                                    .arg(due)
                                    .arg(Journal::kCommitWindowMs)
                                    .arg(kept)));
            for (int i = 0; i < all.size(); ++i)
                QCOMPARE(all[i].id, qint64(i + 1)); // no holes
            const QString name = QStringLiteral("integrity%1").arg(run);
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
                db.setDatabaseName(path);
                QVERIFY(db.open());
                QSqlQuery check(db);
                QVERIFY(check.exec(QStringLiteral("PRAGMA integrity_check")) && check.next());
                QCOMPARE(check.value(0).toString(), QStringLiteral("ok"));
            }
            QSqlDatabase::removeDatabase(name);
        }
    }
};

QTEST_GUILESS_MAIN(TestJournal)
#include "tst_journal.moc"
