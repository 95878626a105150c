// The durable event journal: SQLite in WAL mode, written in batches on a thread of its own.
#pragma once

#include "event.h"
#include "incidents/grouping.h"
#include "seriesstore.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

namespace vigil {

class JournalWriter;
struct JournalInbox;

struct JournalQuery
{
    QDateTime since;    // inclusive; invalid means unbounded
    QDateTime until;    // inclusive; invalid means unbounded
    QString kindPrefix; // "heartbeat" matches "heartbeat.down"
    QString source;     // exact match; empty means any
    qint64 afterId = 0; // only events with a larger id
    int limit = -1;     // newest `limit` events when positive (still returned oldest first)
};

// The schema version this build writes (PRAGMA user_version).
constexpr int kJournalSchemaVersion = 3;

// Where the journal lives unless --journal says otherwise.
QString defaultJournalPath();

// Reads events from a journal file (which another process may be writing), oldest first.
// Does not create the file. On failure returns an empty list and sets *error.
QList<Event> readJournal(const QString &path, const JournalQuery &query, QString *error = nullptr);
// The same, one event at a time without holding them all (oldest first; newest first with a
// limit); `visit` returns false to stop. False with *error when the journal cannot be read.
bool forEachJournalEvent(const QString &path, const JournalQuery &query, const std::function<bool(const Event &)> &visit, QString *error = nullptr);

class Journal final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Journal)

public:
    // Events are committed at most this long after append().
    static constexpr int kCommitWindowMs = 100;

    explicit Journal(QObject *parent = nullptr);
    ~Journal() override;

    // How incidents are grouped as events are committed (before open()).
    void setIncidentOptions(const IncidentOptions &options) { m_incidentOptions = options; }
    const IncidentOptions &incidentOptions() const { return m_incidentOptions; }

    // Creates or migrates the file and starts the writer thread.
    bool open(const QString &path, QString *error = nullptr);
    // Commits everything appended so far and stops the writer; blocks only for that last commit.
    void close();
    bool isOpen() const { return m_writer != nullptr; }
    QString path() const { return m_path; }

    // Queues an event; thread-safe. It is committed within kCommitWindowMs and then reported
    // through committed().
    void append(const Event &event);

    // Commits what has been appended so far and waits for it (an fsync): for what must be on disk
    // before Vigil acts. False when the journal is closed or the commit failed (the events wait).
    bool commitNow();

    // Queues a chart sample; thread-safe. Stored with the next commit.
    void appendSample(const Sample &sample);

    qint64 appendedCount() const { return m_appended.load(); }
    qint64 committedCount() const { return m_committed.load(); }

    QList<Event> query(const JournalQuery &query, QString *error = nullptr) const;

Q_SIGNALS:
    // Emitted on the thread that owns the Journal, with row ids filled in, oldest first.
    void committed(const QList<vigil::Event> &events);
    // A write failed (a full disk, a lock held too long): the events wait and are retried every
    // second, a bounded batch at a time. Emitted once per failure spell; writeRecovered() ends it.
    void writeFailed(const QString &message);
    void writeRecovered(const QString &path);
    // Incidents grouped anew and stored (at most once a second while events come or incidents
    // are open): those new or changed, and the ids of those no longer given.
    void incidentsChanged(const QList<vigil::Incident> &changed, const QList<qint64> &removed);

private:
    QString m_path;
    QThread m_thread;
    JournalWriter *m_writer = nullptr;
    std::shared_ptr<JournalInbox> m_inbox;
    IncidentOptions m_incidentOptions;
    std::atomic<qint64> m_appended{0};
    std::atomic<qint64> m_committed{0};
};

} // namespace vigil
