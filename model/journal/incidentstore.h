// Incidents kept in the journal: written by its writer thread as they evolve, read by
// `vigil incidents`, reports and the GUI. The events themselves are never rewritten.
#pragma once

#include "incidents/book.h"
#include "journal.h"
#include "seriesstore.h"

#include <QSqlDatabase>

namespace vigil {

// Writes what changed in one transaction: incidents new or different (with all their members),
// incidents gone, notes on settled incidents, and the point before which everything is settled.
bool storeIncidents(QSqlDatabase &db, const IncidentBook::Update &update, QString *error);
// The point the last storeIncidents() recorded (0 for a journal that has stored none).
qint64 storedSettledUntil(QSqlDatabase &db);
// The stored incidents with these ids, members in time order.
QList<Incident> storedIncidents(QSqlDatabase &db, const QList<qint64> &ids, QString *error);

// The incidents stored in the journal at `path` that overlap the query's since/until, oldest
// first. False with *error when it cannot be read; true with *stored false when the journal was
// written by a Vigil that stored none (schema 1): its incidents must be grouped from the events.
bool readStoredIncidents(const QString &path, const JournalQuery &window, QList<Incident> *out, bool *stored, QString *error);

// A journal upgraded from a Vigil that kept no incidents stores them from `fromMs` on (the first
// upgrade's mark stays); 0 when it stores them all.
void markIncidentsStoredFrom(QSqlDatabase &db, qint64 fromMs);
qint64 incidentsStoredFrom(const QString &path);

// The journal's incidents overlapping the window: those stored, or its events in the window
// grouped afresh (as they stood at the window's end) when `regroupWith` is given or the journal
// stores none. A journal upgraded from a Vigil that kept no incidents stores those of its last
// day before the upgrade and later: the ones before are grouped from its events. *note says, in
// a sentence for the reader, what was grouped rather than read (empty when nothing was).
// False with *error when the journal cannot be read.
bool loadIncidents(const QString &path, const JournalQuery &window, const IncidentOptions *regroupWith, QList<Incident> *out, QString *note,
                   QString *error);

// One chart of an incident: a metric of the servers or nodes it involves.
struct IncidentChart
{
    QString metric;
    QString title;                                        // short, for an axis: "latency ms"
    QList<std::pair<QString, QList<SeriesPoint>>> series; // by subject, only those with samples
    int omitted = 0;                                      // subjects involved beyond the first kMaxChartSubjects
};

// A chart draws at most this many subjects (the first the incident involved): an incident of
// thousands of nodes would otherwise read thousands of series, and draw lines no one can tell apart.
constexpr int kMaxChartSubjects = 24;

// The stored charts of what `incident` involves (heartbeat latency of its nodes, round trip of its
// servers, byte lag of its replicas), from 10 min before it to 10 min after; charts with no
// samples are left out.
QList<IncidentChart> readIncidentCharts(const QString &path, const Incident &incident);

// The events of an incident's members, with their data (what a report writes up).
bool readIncidentEvents(const QString &path, const Incident &incident, QList<Event> *out, QString *error);

} // namespace vigil
