// SQLite access shared by the journal's writer and readers: connections, schema and rows.
#include "database.h"
#include "journal.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSqlError>
#include <QThread>
#include <QUrl>
#include <QUuid>
#include <QVariant>

namespace vigil {

namespace {

QString uniqueConnectionName(const char *role)
{
    return QStringLiteral("vigil-%1-%2").arg(QLatin1String(role), QUuid::createUuid().toString(QUuid::Id128));
}

} // namespace

ScopedDb::ScopedDb(const char *role)
    : m_name(uniqueConnectionName(role))
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
}

ScopedDb::~ScopedDb()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

bool exec(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(sql.section(QLatin1Char(' '), 0, 2), q.lastError().text());
        return false;
    }
    return true;
}

bool applyPragmas(QSqlDatabase &db, QString *error)
{
    // WAL lets readers (the GUI, `vigil export`) run while a recorder writes. synchronous=FULL
    // makes every commit durable, also across a power cut; commits are batched, so it is cheap.
    if (!exec(db, QStringLiteral("PRAGMA busy_timeout=5000"), error))
        return false;
    // Switching to WAL does not wait for a lock another process holds (one creating the journal at
    // the same moment): ask again for as long as the busy timeout.
    QDeadlineTimer deadline(5000);
    QString why;
    while (!exec(db, QStringLiteral("PRAGMA journal_mode=WAL"), &why)) {
        if (deadline.hasExpired() || !why.contains(QStringLiteral("locked"))) {
            if (error)
                *error = why;
            return false;
        }
        QThread::msleep(20);
    }
    return exec(db, QStringLiteral("PRAGMA synchronous=FULL"), error);
}

// The schema version, or -1 with *error when it cannot be read (unreadable file, read-only
// directory of a WAL journal, not a database).
int userVersion(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(QStringLiteral("PRAGMA user_version")) && q.next())
        return q.value(0).toInt();
    if (error)
        *error = q.lastError().text();
    return -1;
}

// Whether the file can be (or become) a journal this build understands; reads only, so that a
// file that is refused is left exactly as it was.
bool checkSchema(QSqlDatabase &db, QString *error)
{
    // The version and the tables in one statement, so one snapshot: read apart, another process
    // creating the journal in between would make a new journal look foreign.
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT user_version, (SELECT count(*) FROM sqlite_master WHERE type='table')"
                               " FROM pragma_user_version"))
        || !q.next()) {
        if (error)
            *error = QStringLiteral("cannot read the schema version: %1").arg(q.lastError().text());
        return false;
    }
    const int version = q.value(0).toInt();
    const int tables = q.value(1).toInt();
    q.finish();
    if (version > kJournalSchemaVersion) {
        if (error)
            *error = QStringLiteral("journal schema %1 is newer than this Vigil understands (%2)").arg(version).arg(kJournalSchemaVersion);
        return false;
    }
    if (version == 0 && tables > 0) {
        if (error)
            *error = QStringLiteral("the file is an SQLite database but not a Vigil journal");
        return false;
    }
    return true;
}

bool migrate(QSqlDatabase &db, QString *error)
{
    if (userVersion(db) == kJournalSchemaVersion)
        return true; // current: nothing to write
    // BEGIN IMMEDIATE takes the write lock before the version is read: two recorders creating a
    // new journal at once are serialised, and the second finds it created.
    if (!exec(db, QStringLiteral("BEGIN IMMEDIATE"), error))
        return false;
    if (!checkSchema(db, error)) {
        exec(db, QStringLiteral("ROLLBACK"), nullptr);
        return false;
    }
    const int version = userVersion(db);
    // Each step moves the schema from version i to i + 1; later capabilities append steps.
    const QStringList steps[] = {
        {
            QStringLiteral("CREATE TABLE events ("
                           " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                           " time_ms INTEGER NOT NULL,"
                           " kind TEXT NOT NULL,"
                           " severity INTEGER NOT NULL,"
                           " source TEXT NOT NULL,"
                           " message TEXT NOT NULL,"
                           " data TEXT NOT NULL DEFAULT '{}')"),
            QStringLiteral("CREATE INDEX events_time ON events(time_ms)"),
            QStringLiteral("CREATE INDEX events_kind ON events(kind)"),
            QStringLiteral("CREATE INDEX events_source ON events(source)"),
        },
        {
            // Incidents as grouped from the events (see incidentstore.h); an incident's id is its
            // first event's.
            QStringLiteral("CREATE TABLE incidents ("
                           " id INTEGER PRIMARY KEY,"
                           " scope TEXT NOT NULL,"
                           " title TEXT NOT NULL,"
                           " opened_ms INTEGER NOT NULL,"
                           " last_ms INTEGER NOT NULL,"
                           " resolved_ms INTEGER,"
                           " severity INTEGER NOT NULL,"
                           " root_id INTEGER)"),
            QStringLiteral("CREATE INDEX incidents_opened ON incidents(opened_ms)"),
            QStringLiteral("CREATE TABLE incident_members ("
                           " incident_id INTEGER NOT NULL,"
                           " event_id INTEGER NOT NULL,"
                           " role TEXT NOT NULL,"
                           " cause_id INTEGER,"
                           " rule TEXT NOT NULL DEFAULT '',"
                           " repeats INTEGER NOT NULL DEFAULT 1,"
                           " position INTEGER NOT NULL," // its place among the incident's members
                           " PRIMARY KEY (incident_id, event_id)) WITHOUT ROWID"),
            QStringLiteral("CREATE TABLE meta (key TEXT PRIMARY KEY, value NOT NULL) WITHOUT ROWID"),
        },
        {
            // The series incident charts are drawn from (see seriesstore.h).
            QStringLiteral("CREATE TABLE series (id INTEGER PRIMARY KEY, metric TEXT NOT NULL, subject TEXT NOT NULL,"
                           " UNIQUE (metric, subject))"),
            // One b-tree keyed by series and time: a sample is stored once, not once more per index.
            QStringLiteral("CREATE TABLE samples (series_id INTEGER NOT NULL, time_ms INTEGER NOT NULL, value REAL NOT NULL,"
                           " PRIMARY KEY (series_id, time_ms)) WITHOUT ROWID"),
            QStringLiteral("CREATE TABLE buckets (series_id INTEGER NOT NULL, minute INTEGER NOT NULL, min REAL NOT NULL,"
                           " mean REAL NOT NULL, max REAL NOT NULL, count INTEGER NOT NULL,"
                           " PRIMARY KEY (series_id, minute)) WITHOUT ROWID"),
            // Who an incident involves (its members' sources): their series keep every sample
            // around it.
            QStringLiteral("CREATE TABLE incident_subjects (subject TEXT NOT NULL, incident_id INTEGER NOT NULL,"
                           " PRIMARY KEY (subject, incident_id)) WITHOUT ROWID"),
        },
    };
    for (int v = version; v < kJournalSchemaVersion; ++v) {
        for (const QString &sql : steps[v]) {
            if (!exec(db, sql, error)) {
                exec(db, QStringLiteral("ROLLBACK"), nullptr);
                return false;
            }
        }
    }
    if (!exec(db, QStringLiteral("PRAGMA user_version=%1").arg(kJournalSchemaVersion), error) || !exec(db, QStringLiteral("COMMIT"), error)) {
        exec(db, QStringLiteral("ROLLBACK"), nullptr);
        return false;
    }
    return true;
}

Event eventFromQuery(const QSqlQuery &q)
{
    Event e;
    e.id = q.value(0).toLongLong();
    e.time = QDateTime::fromMSecsSinceEpoch(q.value(1).toLongLong(), Qt::UTC);
    e.kind = q.value(2).toString();
    e.severity = Severity(std::clamp(q.value(3).toInt(), 0, 2));
    e.source = q.value(4).toString();
    e.message = q.value(5).toString();
    e.data = QJsonDocument::fromJson(q.value(6).toByteArray()).object();
    return e;
}

int openForReading(ScopedDb &reader, const QString &path, QString *error)
{
    if (!QFileInfo::exists(path)) {
        if (error)
            *error = QStringLiteral("no journal at %1").arg(path);
        return -1;
    }
    // Reading never writes. A journal nobody writes (no -wal beside it: closed cleanly, or sent by
    // a colleague) is read as immutable, so that not even a -wal or -shm file appears next to it;
    // one being written (or left by a crash) is read through its WAL.
    if (QFileInfo::exists(path + QStringLiteral("-wal"))) {
        reader.db().setDatabaseName(path);
        reader.db().setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
    } else {
        reader.db().setDatabaseName(QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath()).toString(QUrl::FullyEncoded)
                                    + QStringLiteral("?immutable=1"));
        reader.db().setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI"));
    }
    if (!reader.db().open()) {
        if (error)
            *error = QStringLiteral("cannot open journal %1: %2").arg(path, reader.db().lastError().text());
        return -1;
    }
    QString why;
    exec(reader.db(), QStringLiteral("PRAGMA busy_timeout=5000"), &why);
    const int version = userVersion(reader.db(), &why);
    if (version < 1 || version > kJournalSchemaVersion) {
        if (error)
            *error = version < 0 ? QStringLiteral("cannot read journal %1: %2").arg(path, why)
                : version == 0   ? QStringLiteral("%1 is not a Vigil journal").arg(path)
                                 : QStringLiteral("journal schema %1 is newer than this Vigil understands").arg(version);
        return -1;
    }
    return version;
}

} // namespace vigil
