// SQLite access shared by the journal's writer and readers (internal to model/journal).
#pragma once

#include "event.h"

#include <QSqlDatabase>
#include <QSqlQuery>

namespace vigil {

// Owns a named QSqlDatabase connection for one scope and removes it afterwards.
class ScopedDb
{
public:
    explicit ScopedDb(const char *role);
    ~ScopedDb();
    ScopedDb(const ScopedDb &) = delete;
    ScopedDb &operator=(const ScopedDb &) = delete;
    QSqlDatabase &db() { return m_db; }

private:
    QString m_name;
    QSqlDatabase m_db;
};

// Runs one statement; false with *error naming it when it fails.
bool exec(QSqlDatabase &db, const QString &sql, QString *error);
// busy_timeout, WAL (waiting for a creator holding the lock) and synchronous=FULL.
bool applyPragmas(QSqlDatabase &db, QString *error);
// The schema version, or -1 with *error when it cannot be read.
int userVersion(QSqlDatabase &db, QString *error = nullptr);
// Whether the file can be (or become) a journal this build understands; reads only.
bool checkSchema(QSqlDatabase &db, QString *error);
// Brings the schema to kJournalSchemaVersion in one transaction.
bool migrate(QSqlDatabase &db, QString *error);
// A row of SELECT id, time_ms, kind, severity, source, message, data.
Event eventFromQuery(const QSqlQuery &q);
// Opens `path` to read (never creating it) and checks it is a journal this build reads; returns
// the schema version, or -1 with *error.
int openForReading(ScopedDb &reader, const QString &path, QString *error);

} // namespace vigil
