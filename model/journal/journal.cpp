// The durable event journal: schema, batched writer thread, and readers.
#include "journal.h"
#include "database.h"
#include "incidentstore.h"

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

#include <limits>

namespace vigil {

// Events appended and not yet taken by the writer; shared by the appending threads and the writer.
struct JournalInbox
{
    QMutex mutex;
    QList<Event> events;
    QList<Sample> samples;
};

// Lives on the journal thread; the only code that writes to the file.
class JournalWriter final : public QObject
{
    Q_OBJECT

public:
    JournalWriter(QString path, std::shared_ptr<JournalInbox> inbox, std::atomic<qint64> *committedCounter, const IncidentOptions &incidentOptions)
        : m_path(std::move(path))
        , m_inbox(std::move(inbox))
        , m_counter(committedCounter)
        , m_book(incidentOptions)
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
            Q_EMIT failed(QStringLiteral("cannot open journal %1: %2").arg(m_path, error.isEmpty() ? m_db->db().lastError().text() : error));
            // Closed, so that nothing later takes it for a journal ready to write (its timers
            // were never made).
            m_db->db().close();
            return;
        }
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        m_timer->setTimerType(Qt::PreciseTimer);
        connect(m_timer, &QTimer::timeout, this, &JournalWriter::commit);
        m_compactTimer = new QTimer(this);
        m_compactTimer->setInterval(kCompactIntervalMs);
        connect(m_compactTimer, &QTimer::timeout, this, [this] {
            QString why;
            if (compactSeries(m_db->db(), QDateTime::currentMSecsSinceEpoch(), {}, &why))
                fine(Trouble::Compaction);
            else
                trouble(Trouble::Compaction, QStringLiteral("journal %1: charts cannot be compacted, retrying every minute: %2").arg(m_path, why));
        });
        m_compactTimer->start();
        m_groupTimer = new QTimer(this);
        m_groupTimer->setInterval(kGroupIntervalMs);
        connect(m_groupTimer, &QTimer::timeout, this, &JournalWriter::group);
        loadBook();
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
        if (!m_db || !m_db->db().isOpen()) {
            // Never opened (its failure was reported): samples are not kept waiting for it.
            QMutexLocker lock(&m_inbox->mutex);
            m_inbox->samples.clear();
            return;
        }
        QList<Sample> samples;
        {
            QMutexLocker lock(&m_inbox->mutex);
            m_backlog += std::exchange(m_inbox->events, {});
            samples = std::exchange(m_inbox->samples, {});
        }
        // Chart samples are worth less than events: when they cannot be written they are dropped.
        QString lost;
        if (!samples.isEmpty() && !storeSamples(m_db->db(), samples, &lost, &m_seriesIds)) {
            m_samplesLost += samples.size();
            trouble(Trouble::Samples,
                    QStringLiteral("journal %1: chart samples cannot be written and are dropped until they can: %2").arg(m_path, lost));
        } else if (!samples.isEmpty()) {
            fine(Trouble::Samples);
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
                if (m_troubles == 0)
                    Q_EMIT recovered(m_path);
            }
            m_counter->fetch_add(done.size());
            absorb(done);
            Q_EMIT committed(done);
        }
    }

    // Groups the held events again and stores what changed; what cannot be stored now is kept
    // and stored with the next round.
    void group()
    {
        if (!m_db || !m_db->db().isOpen())
            return;
        absorbForeign();
        if (m_bookDirty || m_book.hasUnsettled()) {
            m_bookDirty = false;
            const IncidentBook::Update update = m_book.regroup(QDateTime::currentMSecsSinceEpoch());
            for (const Incident &incident : update.changed) {
                m_unstored.removed.removeAll(incident.id);
                m_unstored.changed.removeIf([&](const Incident &i) { return i.id == incident.id; });
                m_unstored.changed << incident;
            }
            for (const qint64 id : update.removed) {
                m_unstored.changed.removeIf([id](const Incident &i) { return i.id == id; });
                m_unstored.removed << id;
            }
            m_unstored.lateNotes += update.lateNotes;
            m_unstored.settledUntilMs = update.settledUntilMs;
        }
        if (m_unstored.changed.isEmpty() && m_unstored.removed.isEmpty() && m_unstored.lateNotes.isEmpty()) {
            if (!m_book.hasUnsettled())
                m_groupTimer->stop();
            return;
        }
        QString why;
        if (!storeIncidents(m_db->db(), m_unstored, &why)) {
            trouble(Trouble::Incidents, QStringLiteral("journal %1: incidents cannot be stored, retrying every second: %2").arg(m_path, why));
            return;
        }
        fine(Trouble::Incidents);
        QList<Incident> changed = std::exchange(m_unstored.changed, {});
        QList<qint64> noted;
        for (const Event &note : std::as_const(m_unstored.lateNotes))
            noted << noteIncident(note);
        changed += storedIncidents(m_db->db(), noted, &why);
        m_unstored.lateNotes.clear();
        Q_EMIT incidentsChanged(changed, std::exchange(m_unstored.removed, {}));
    }

    // The last commit, at close: what still cannot be written is lost, and said so.
    void finish()
    {
        if (!m_db || !m_db->db().isOpen()) {
            QMutexLocker lock(&m_inbox->mutex);
            m_backlog += std::exchange(m_inbox->events, {});
        } else {
            commit();
            m_bookDirty = true;
            group();
        }
        if (!m_backlog.isEmpty())
            Q_EMIT failed(QStringLiteral("journal %1: %2 events could not be written before closing and are lost").arg(m_path).arg(m_backlog.size()));
        if (m_samplesLost > 0)
            Q_EMIT failed(
                QStringLiteral("journal %1: %2 chart samples could not be written and are missing from its charts").arg(m_path).arg(m_samplesLost));
    }

Q_SIGNALS:
    void committed(const QList<vigil::Event> &events);
    void failed(const QString &message);
    void recovered(const QString &path);
    void incidentsChanged(const QList<vigil::Incident> &changed, const QList<qint64> &removed);

private:
    // Events wait this long for company before the first commit: the commit itself (an fsync)
    // must fit in what is left of the documented window.
    static constexpr int kFirstCommitDelayMs = Journal::kCommitWindowMs / 2;
    static constexpr qsizetype kBatchSize = 2000;
    static constexpr int kRetryMs = 1000;
    static constexpr int kGroupIntervalMs = 1000;
    static constexpr int kCompactIntervalMs = 60 * 1000;

    // The events incidents may still change with: from the point before which all are settled.
    void loadBook()
    {
        QSqlDatabase &db = m_db->db();
        qint64 from = storedSettledUntil(db);
        if (from == 0) {
            // Stored by a Vigil that kept no incidents: only the last day's events can still be
            // part of an open one (older incidents are grouped on demand, `--recompute`).
            QSqlQuery newest(db);
            if (newest.exec(QStringLiteral("SELECT coalesce(max(time_ms), 0) FROM events")) && newest.next())
                from = newest.value(0).toLongLong() - m_book.options().maxDurationMs - m_book.options().gapMs;
            QSqlQuery older(db);
            older.prepare(QStringLiteral("SELECT 1 FROM events WHERE time_ms < ? LIMIT 1"));
            older.addBindValue(from);
            if (older.exec() && older.next())
                markIncidentsStoredFrom(db, from);
        }
        QSqlQuery q(db);
        q.setForwardOnly(true);
        // Notes too, whatever their time: one may be dated before its incident opened.
        q.prepare(QStringLiteral("SELECT id, time_ms, kind, severity, source, message, data FROM events"
                                 " WHERE time_ms >= ? OR kind = ?"));
        q.addBindValue(from);
        q.addBindValue(QString::fromLatin1(kNoteKind));
        QList<Event> events;
        if (q.exec())
            while (q.next())
                events << eventFromQuery(q);
        q.finish();
        QSqlQuery last(db);
        if (last.exec(QStringLiteral("SELECT coalesce(max(id), 0) FROM events")) && last.next())
            m_lastId = last.value(0).toLongLong();
        m_book.add(events);
        m_bookDirty = !events.isEmpty();
        if (m_bookDirty)
            m_groupTimer->start();
    }

    // Events another process committed to the same journal since the last ones seen (up to
    // `beforeId`, exclusive, or all of them).
    void absorbForeign(qint64 beforeId = std::numeric_limits<qint64>::max())
    {
        QSqlQuery q(m_db->db());
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT id, time_ms, kind, severity, source, message, data FROM events WHERE id > ? AND id < ?"));
        q.addBindValue(m_lastId);
        q.addBindValue(beforeId);
        QList<Event> foreign;
        if (q.exec())
            while (q.next())
                foreign << eventFromQuery(q);
        if (foreign.isEmpty())
            return;
        m_book.add(foreign);
        m_lastId = std::max(m_lastId, foreign.last().id);
        m_bookDirty = true;
    }

    // Events just committed, and those another process committed in between (ids skipped).
    void absorb(const QList<Event> &done)
    {
        if (done.isEmpty())
            return;
        if (done.first().id > m_lastId + 1)
            absorbForeign(done.first().id);
        m_book.add(done);
        m_lastId = std::max(m_lastId, done.last().id);
        m_bookDirty = true;
        if (!m_groupTimer->isActive())
            m_groupTimer->start();
    }

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

    // A part of the work other than the events' (incidents, chart samples, compaction) failing:
    // said once, until it works again; the journal has recovered once every part works.
    enum class Trouble { Incidents = 1, Samples = 2, Compaction = 4 };
    void trouble(Trouble part, const QString &message)
    {
        if (m_troubles & int(part))
            return;
        m_troubles |= int(part);
        Q_EMIT failed(message);
    }
    void fine(Trouble part)
    {
        if (!(m_troubles & int(part)))
            return;
        m_troubles &= ~int(part);
        if (m_troubles == 0 && !m_retrying)
            Q_EMIT recovered(m_path);
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
    SeriesIds m_seriesIds; // the series of this journal, as stored
    QTimer *m_timer = nullptr;
    QList<Event> m_backlog;
    bool m_retrying = false;
    IncidentBook m_book;
    QTimer *m_groupTimer = nullptr;
    QTimer *m_compactTimer = nullptr;
    qint64 m_samplesLost = 0;
    qint64 m_lastId = 0;
    bool m_bookDirty = false;
    int m_troubles = 0; // the Trouble parts failing now
    IncidentBook::Update m_unstored;
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
    qRegisterMetaType<QList<vigil::Incident>>();
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
        if (!exec(setup.db(), QStringLiteral("PRAGMA busy_timeout=5000"), &why) || !checkSchema(setup.db(), &why) || !applyPragmas(setup.db(), &why)
            || !migrate(setup.db(), &why)) {
            if (error)
                *error = QStringLiteral("cannot use journal %1: %2").arg(path, why);
            return false;
        }
    }
    m_path = info.absoluteFilePath();
    m_inbox = std::make_shared<JournalInbox>();
    m_writer = new JournalWriter(m_path, m_inbox, &m_committed, m_incidentOptions);
    m_writer->moveToThread(&m_thread);
    connect(m_writer, &JournalWriter::committed, this, &Journal::committed);
    connect(m_writer, &JournalWriter::failed, this, &Journal::writeFailed);
    connect(m_writer, &JournalWriter::recovered, this, &Journal::writeRecovered);
    connect(m_writer, &JournalWriter::incidentsChanged, this, &Journal::incidentsChanged);
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
        first = m_inbox->events.isEmpty() && m_inbox->samples.isEmpty();
        m_inbox->events.append(event);
    }
    // One wake-up per commit, not one queued call per event.
    if (first)
        QMetaObject::invokeMethod(m_writer, &JournalWriter::schedule, Qt::QueuedConnection);
}

bool Journal::commitNow()
{
    if (!m_writer)
        return false;
    const qint64 wanted = m_appended.load();
    QMetaObject::invokeMethod(m_writer, &JournalWriter::commit, Qt::BlockingQueuedConnection);
    return m_committed.load() >= wanted;
}

void Journal::appendSample(const Sample &sample)
{
    if (!m_writer)
        return;
    bool first = false;
    {
        QMutexLocker lock(&m_inbox->mutex);
        first = m_inbox->events.isEmpty() && m_inbox->samples.isEmpty();
        m_inbox->samples.append(sample);
    }
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
    if (!forEachJournalEvent(
            path, query,
            [&events](const Event &e) {
                events.append(e);
                return true;
            },
            error))
        return {};
    if (query.limit > 0)
        std::reverse(events.begin(), events.end());
    return events;
}

bool forEachJournalEvent(const QString &path, const JournalQuery &query, const std::function<bool(const Event &)> &visit, QString *error)
{
    ScopedDb reader("reader");
    if (openForReading(reader, path, error) < 0)
        return false;

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
    sql += limited ? QStringLiteral(" ORDER BY time_ms DESC, id DESC LIMIT %1").arg(query.limit) : QStringLiteral(" ORDER BY time_ms ASC, id ASC");

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
