// The durable event journal: schema, batched writer thread, and readers.
#include "journal.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QMutex>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTimeZone>
#include <QTimer>
#include <QUuid>
#include <QVariant>

namespace vigil {

namespace {

QString uniqueConnectionName(const char *role)
{
    return QStringLiteral("vigil-%1-%2").arg(QLatin1String(role), QUuid::createUuid().toString(QUuid::Id128));
}

// Owns a named QSqlDatabase connection for one scope and removes it afterwards.
class ScopedDb
{
public:
    explicit ScopedDb(const char *role)
        : m_name(uniqueConnectionName(role))
    {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    }
    ~ScopedDb()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    ScopedDb(const ScopedDb &) = delete;
    ScopedDb &operator=(const ScopedDb &) = delete;
    QSqlDatabase &db() { return m_db; }

private:
    QString m_name;
    QSqlDatabase m_db;
};

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
int userVersion(QSqlDatabase &db, QString *error = nullptr)
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
            *error = QStringLiteral("journal schema %1 is newer than this Vigil understands (%2)")
                         .arg(version)
                         .arg(kJournalSchemaVersion);
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
    };
    for (int v = version; v < kJournalSchemaVersion; ++v) {
        for (const QString &sql : steps[v]) {
            if (!exec(db, sql, error)) {
                exec(db, QStringLiteral("ROLLBACK"), nullptr);
                return false;
            }
        }
    }
    if (!exec(db, QStringLiteral("PRAGMA user_version=%1").arg(kJournalSchemaVersion), error)
        || !exec(db, QStringLiteral("COMMIT"), error)) {
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

} // namespace

// Events appended and not yet taken by the writer; shared by the appending threads and the writer.
struct JournalInbox
{
    QMutex mutex;
    QList<Event> events;
};

// Lives on the journal thread; the only code that writes to the file.
class JournalWriter final : public QObject
{
    Q_OBJECT

public:
    JournalWriter(QString path, std::shared_ptr<JournalInbox> inbox, std::atomic<qint64> *committedCounter)
        : m_path(std::move(path))
        , m_inbox(std::move(inbox))
        , m_counter(committedCounter)
    {
    }

    ~JournalWriter() override
    {
        if (m_db) {
            m_db->db().close();
            m_db.reset();
        }
    }

    void start()
    {
        m_db = std::make_unique<ScopedDb>("writer");
        m_db->db().setDatabaseName(m_path);
        QString error;
        if (!m_db->db().open() || !applyPragmas(m_db->db(), &error)) {
            Q_EMIT failed(QStringLiteral("cannot open journal %1: %2")
                              .arg(m_path, error.isEmpty() ? m_db->db().lastError().text() : error));
            return;
        }
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        m_timer->setTimerType(Qt::PreciseTimer);
        connect(m_timer, &QTimer::timeout, this, &JournalWriter::commit);
        schedule();
    }

    // Something was appended to an empty inbox: commit it (and whatever follows) within the window.
    void schedule()
    {
        if (m_timer && !m_timer->isActive() && !m_retrying)
            m_timer->start(kFirstCommitDelayMs);
    }

    // Writes the backlog in bounded transactions: one that does not fit (a full disk) does not
    // keep the others out, and once space is back the backlog drains a batch at a time.
    void commit()
    {
        if (!m_db || !m_db->db().isOpen())
            return;
        {
            QMutexLocker lock(&m_inbox->mutex);
            m_backlog += std::exchange(m_inbox->events, {});
        }
        while (!m_backlog.isEmpty()) {
            const qsizetype n = std::min<qsizetype>(m_backlog.size(), kBatchSize);
            QString why;
            QList<Event> done = m_backlog.mid(0, n);
            if (!writeBatch(&done, &why)) {
                retryLater(why);
                return;
            }
            m_backlog.remove(0, n);
            if (m_retrying) {
                m_retrying = false;
                Q_EMIT recovered(m_path);
            }
            m_counter->fetch_add(done.size());
            Q_EMIT committed(done);
        }
    }

    // The last commit, at close: what still cannot be written is lost, and said so.
    void finish()
    {
        if (!m_db || !m_db->db().isOpen()) {
            QMutexLocker lock(&m_inbox->mutex);
            m_backlog += std::exchange(m_inbox->events, {});
        } else {
            commit();
        }
        if (!m_backlog.isEmpty())
            Q_EMIT failed(QStringLiteral("journal %1: %2 events could not be written before closing and are lost")
                              .arg(m_path)
                              .arg(m_backlog.size()));
    }

Q_SIGNALS:
    void committed(const QList<vigil::Event> &events);
    void failed(const QString &message);
    void recovered(const QString &path);

private:
    // Events wait this long for company before the first commit: the commit itself (an fsync)
    // must fit in what is left of the documented window.
    static constexpr int kFirstCommitDelayMs = Journal::kCommitWindowMs / 2;
    static constexpr qsizetype kBatchSize = 2000;
    static constexpr int kRetryMs = 1000;

    bool writeBatch(QList<Event> *events, QString *why)
    {
        QSqlDatabase &db = m_db->db();
        if (!db.transaction()) {
            *why = db.lastError().text();
            return false;
        }
        QSqlQuery insert(db);
        insert.prepare(QStringLiteral("INSERT INTO events (time_ms, kind, severity, source, message, data)"
                                      " VALUES (?, ?, ?, ?, ?, ?)"));
        for (Event &e : *events) {
            insert.bindValue(0, e.time.toMSecsSinceEpoch());
            insert.bindValue(1, e.kind);
            insert.bindValue(2, int(e.severity));
            insert.bindValue(3, e.source);
            insert.bindValue(4, e.message);
            insert.bindValue(5, QString::fromUtf8(QJsonDocument(e.data).toJson(QJsonDocument::Compact)));
            if (!insert.exec()) {
                *why = insert.lastError().text();
                insert.finish();
                db.rollback();
                return false;
            }
            e.id = insert.lastInsertId().toLongLong();
        }
        insert.finish();
        if (!db.commit()) {
            *why = db.lastError().text();
            db.rollback();
            return false;
        }
        return true;
    }

    void retryLater(const QString &why)
    {
        if (!m_retrying)
            Q_EMIT failed(QStringLiteral("journal write to %1 failed, retrying every second (%2 events waiting): %3")
                              .arg(m_path)
                              .arg(m_backlog.size())
                              .arg(why));
        m_retrying = true;
        if (m_timer)
            m_timer->start(kRetryMs);
    }

    QString m_path;
    std::shared_ptr<JournalInbox> m_inbox;
    std::atomic<qint64> *m_counter;
    std::unique_ptr<ScopedDb> m_db;
    QTimer *m_timer = nullptr;
    QList<Event> m_backlog;
    bool m_retrying = false;
};

QString defaultJournalPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/journal.sqlite");
}

Journal::Journal(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<vigil::Event>();
    qRegisterMetaType<QList<vigil::Event>>();
    m_thread.setObjectName(QStringLiteral("journal"));
}

Journal::~Journal()
{
    close();
}

bool Journal::open(const QString &path, QString *error)
{
    if (m_writer) {
        if (error)
            *error = QStringLiteral("journal already open");
        return false;
    }
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        if (error)
            *error = QStringLiteral("cannot create the directory %1").arg(info.absolutePath());
        return false;
    }
    {
        ScopedDb setup("setup");
        setup.db().setDatabaseName(path);
        QString why;
        if (!setup.db().open()) {
            if (error)
                *error = QStringLiteral("cannot open journal %1: %2").arg(path, setup.db().lastError().text());
            return false;
        }
        if (!exec(setup.db(), QStringLiteral("PRAGMA busy_timeout=5000"), &why) || !checkSchema(setup.db(), &why)
            || !applyPragmas(setup.db(), &why) || !migrate(setup.db(), &why)) {
            if (error)
                *error = QStringLiteral("cannot use journal %1: %2").arg(path, why);
            return false;
        }
    }
    m_path = info.absoluteFilePath();
    m_inbox = std::make_shared<JournalInbox>();
    m_writer = new JournalWriter(m_path, m_inbox, &m_committed);
    m_writer->moveToThread(&m_thread);
    connect(m_writer, &JournalWriter::committed, this, &Journal::committed);
    connect(m_writer, &JournalWriter::failed, this, &Journal::writeFailed);
    connect(m_writer, &JournalWriter::recovered, this, &Journal::writeRecovered);
    connect(&m_thread, &QThread::finished, m_writer, &QObject::deleteLater);
    m_thread.start();
    QMetaObject::invokeMethod(m_writer, &JournalWriter::start, Qt::QueuedConnection);
    return true;
}

void Journal::close()
{
    if (!m_writer)
        return;
    QMetaObject::invokeMethod(m_writer, &JournalWriter::finish, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_writer = nullptr;
}

void Journal::append(const Event &event)
{
    if (!m_writer)
        return;
    m_appended.fetch_add(1);
    bool first = false;
    {
        QMutexLocker lock(&m_inbox->mutex);
        first = m_inbox->events.isEmpty();
        m_inbox->events.append(event);
    }
    // One wake-up per commit, not one queued call per event.
    if (first)
        QMetaObject::invokeMethod(m_writer, &JournalWriter::schedule, Qt::QueuedConnection);
}

QList<Event> Journal::query(const JournalQuery &q, QString *error) const
{
    return readJournal(m_path, q, error);
}

QList<Event> readJournal(const QString &path, const JournalQuery &query, QString *error)
{
    QList<Event> events;
    if (!forEachJournalEvent(path, query, [&events](const Event &e) { events.append(e); return true; }, error))
        return {};
    if (query.limit > 0)
        std::reverse(events.begin(), events.end());
    return events;
}

bool forEachJournalEvent(const QString &path, const JournalQuery &query, const std::function<bool(const Event &)> &visit,
                         QString *error)
{
    if (!QFileInfo::exists(path)) {
        if (error)
            *error = QStringLiteral("no journal at %1").arg(path);
        return false;
    }
    ScopedDb reader("reader");
    reader.db().setDatabaseName(path);
    if (!reader.db().open()) {
        if (error)
            *error = QStringLiteral("cannot open journal %1: %2").arg(path, reader.db().lastError().text());
        return false;
    }
    QString why;
    exec(reader.db(), QStringLiteral("PRAGMA busy_timeout=5000"), &why);
    const int version = userVersion(reader.db(), &why);
    if (version < 1 || version > kJournalSchemaVersion) {
        if (error)
            *error = version < 0    ? QStringLiteral("cannot read journal %1: %2").arg(path, why)
                     : version == 0 ? QStringLiteral("%1 is not a Vigil journal").arg(path)
                                    : QStringLiteral("journal schema %1 is newer than this Vigil understands").arg(version);
        return false;
    }

    QStringList where;
    QVariantList binds;
    if (query.since.isValid()) {
        where << QStringLiteral("time_ms >= ?");
        binds << query.since.toMSecsSinceEpoch();
    }
    if (query.until.isValid()) {
        where << QStringLiteral("time_ms <= ?");
        binds << query.until.toMSecsSinceEpoch();
    }
    if (!query.kindPrefix.isEmpty()) {
        where << QStringLiteral("substr(kind, 1, ?) = ?");
        binds << query.kindPrefix.size() << query.kindPrefix;
    }
    if (!query.source.isEmpty()) {
        where << QStringLiteral("source = ?");
        binds << query.source;
    }
    if (query.afterId > 0) {
        where << QStringLiteral("id > ?");
        binds << query.afterId;
    }
    QString sql = QStringLiteral("SELECT id, time_ms, kind, severity, source, message, data FROM events");
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    // In time order (an event can be recorded after a later one: Sentinel's are merged across
    // sentinels for a moment first). Newest first with a limit, then reversed, so "the last N" is
    // cheap on a large journal.
    const bool limited = query.limit > 0;
    sql += limited ? QStringLiteral(" ORDER BY time_ms DESC, id DESC LIMIT %1").arg(query.limit)
                   : QStringLiteral(" ORDER BY time_ms ASC, id ASC");

    QSqlQuery q(reader.db());
    q.setForwardOnly(true);
    if (!q.prepare(sql)) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    for (int i = 0; i < binds.size(); ++i)
        q.bindValue(i, binds.at(i));
    if (!q.exec()) {
        if (error)
            *error = QStringLiteral("cannot read journal %1: %2").arg(path, q.lastError().text());
        return false;
    }
    while (q.next())
        if (!visit(eventFromQuery(q)))
            break;
    if (q.lastError().isValid()) {
        if (error)
            *error = QStringLiteral("cannot read journal %1: %2").arg(path, q.lastError().text());
        return false;
    }
    return true;
}

} // namespace vigil

#include "journal.moc"
