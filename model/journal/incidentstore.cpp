// Incidents kept in the journal.
#include "incidentstore.h"
#include "database.h"

#include <QSet>
#include <QSqlError>
#include <QVariant>

namespace vigil {

namespace {

constexpr int kFirstSchemaWithIncidents = 2;

bool run(QSqlQuery &q, QString *error)
{
    if (q.exec())
        return true;
    if (error)
        *error = q.lastError().text();
    return false;
}

// The replicas an incident's lag events are about: the master journals them (their source),
// naming the replica in their data, and it is the replica whose lag is charted.
QStringList lagReplicas(QSqlDatabase &db, const Incident &incident)
{
    QList<qint64> ids;
    for (const IncidentMember &m : incident.members)
        if (m.kind == QLatin1String("replication.lag_high") || m.kind == QLatin1String("replication.lag_ok"))
            ids << m.eventId;
    QStringList replicas;
    if (ids.isEmpty())
        return replicas;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT DISTINCT json_extract(data, '$.replica') FROM events WHERE id IN (%1)")
                  .arg(QStringList(ids.size(), QStringLiteral("?")).join(QLatin1Char(','))));
    for (const qint64 id : std::as_const(ids))
        q.addBindValue(id);
    if (!q.exec())
        return replicas;
    while (q.next())
        if (const QString replica = q.value(0).toString(); !replica.isEmpty())
            replicas << replica;
    return replicas;
}

bool writeIncident(QSqlDatabase &db, const Incident &incident, QString *error)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO incidents (id, scope, title, opened_ms, last_ms, resolved_ms, severity, root_id)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(incident.id);
    q.addBindValue(incident.scope);
    q.addBindValue(incident.title);
    q.addBindValue(incident.openedMs);
    q.addBindValue(incident.lastMs);
    q.addBindValue(incident.isOpen() ? QVariant() : QVariant(incident.resolvedMs));
    q.addBindValue(int(incident.severity));
    q.addBindValue(incident.rootId < 0 ? QVariant() : QVariant(incident.rootId));
    if (!run(q, error))
        return false;
    QSqlQuery clear(db);
    clear.prepare(QStringLiteral("DELETE FROM incident_members WHERE incident_id = ?"));
    clear.addBindValue(incident.id);
    if (!run(clear, error))
        return false;
    QSqlQuery forget(db);
    forget.prepare(QStringLiteral("DELETE FROM incident_subjects WHERE incident_id = ?"));
    forget.addBindValue(incident.id);
    if (!run(forget, error))
        return false;
    QSqlQuery subject(db);
    subject.prepare(QStringLiteral("INSERT OR IGNORE INTO incident_subjects (subject, incident_id) VALUES (?, ?)"));
    QStringList subjects = lagReplicas(db, incident);
    for (const IncidentMember &m : incident.members)
        subjects << m.source;
    for (const QString &s : std::as_const(subjects)) {
        subject.bindValue(0, s);
        subject.bindValue(1, incident.id);
        if (!run(subject, error))
            return false;
    }
    QSqlQuery member(db);
    member.prepare(QStringLiteral("INSERT INTO incident_members (incident_id, event_id, role, cause_id, rule, repeats, position)"
                                  " VALUES (?, ?, ?, ?, ?, ?, ?)"));
    for (qsizetype i = 0; i < incident.members.size(); ++i) {
        const IncidentMember &m = incident.members[i];
        member.bindValue(0, incident.id);
        member.bindValue(1, m.eventId);
        member.bindValue(2, memberRoleName(m.role));
        member.bindValue(3, m.causeId < 0 ? QVariant() : QVariant(m.causeId));
        member.bindValue(4, m.rule.isNull() ? QStringLiteral("") : m.rule); // NULL for a null QString
        member.bindValue(5, m.repeats);
        member.bindValue(6, i);
        if (!run(member, error))
            return false;
    }
    return true;
}

// Incidents and their members for a WHERE clause on `incidents i`.
QList<Incident> selectIncidents(QSqlDatabase &db, const QString &where, const QVariantList &binds, QString *error)
{
    QList<Incident> incidents;
    QHash<qint64, qsizetype> index;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT id, scope, title, opened_ms, last_ms, resolved_ms, severity, root_id FROM incidents i WHERE %1"
                             " ORDER BY opened_ms, id")
                  .arg(where));
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!run(q, error))
        return {};
    while (q.next()) {
        Incident i;
        i.id = q.value(0).toLongLong();
        i.scope = q.value(1).toString();
        i.title = q.value(2).toString();
        i.openedMs = q.value(3).toLongLong();
        i.lastMs = q.value(4).toLongLong();
        i.resolvedMs = q.value(5).isNull() ? -1 : q.value(5).toLongLong();
        i.severity = Severity(std::clamp(q.value(6).toInt(), 0, 2));
        i.rootId = q.value(7).isNull() ? -1 : q.value(7).toLongLong();
        index.insert(i.id, incidents.size());
        incidents << i;
    }
    QSqlQuery m(db);
    m.setForwardOnly(true);
    m.prepare(QStringLiteral("SELECT m.incident_id, m.event_id, e.time_ms, e.kind, e.severity, e.source, m.role, m.cause_id,"
                             " m.rule, m.repeats FROM incident_members m JOIN events e ON e.id = m.event_id"
                             " WHERE m.incident_id IN (SELECT id FROM incidents i WHERE %1) ORDER BY e.time_ms, m.position")
                  .arg(where));
    for (const QVariant &b : binds)
        m.addBindValue(b);
    if (!run(m, error))
        return {};
    while (m.next()) {
        const qsizetype at = index.value(m.value(0).toLongLong(), -1);
        if (at < 0)
            continue;
        IncidentMember member;
        member.eventId = m.value(1).toLongLong();
        member.timeMs = m.value(2).toLongLong();
        member.kind = m.value(3).toString();
        member.severity = Severity(std::clamp(m.value(4).toInt(), 0, 2));
        member.source = m.value(5).toString();
        parseMemberRole(m.value(6).toString(), &member.role);
        member.causeId = m.value(7).isNull() ? -1 : m.value(7).toLongLong();
        member.rule = m.value(8).toString();
        member.repeats = m.value(9).toInt();
        incidents[at].members << member;
    }
    return incidents;
}

} // namespace

bool storeIncidents(QSqlDatabase &db, const IncidentBook::Update &update, QString *error)
{
    if (!db.transaction()) {
        if (error)
            *error = db.lastError().text();
        return false;
    }
    bool ok = true;
    for (const Incident &incident : update.changed)
        ok = ok && writeIncident(db, incident, error);
    for (const qint64 id : update.removed) {
        for (const char *sql : {"DELETE FROM incident_members WHERE incident_id = ?", "DELETE FROM incident_subjects WHERE incident_id = ?",
                                "DELETE FROM incidents WHERE id = ?"}) {
            QSqlQuery q(db);
            q.prepare(QLatin1String(sql));
            q.addBindValue(id);
            ok = ok && run(q, error);
        }
    }
    for (const Event &note : update.lateNotes) {
        QSqlQuery q(db);
        // After its incident's other members (a note at the same millisecond as one comes after it).
        q.prepare(QStringLiteral("INSERT OR REPLACE INTO incident_members (incident_id, event_id, role, cause_id, rule, repeats, position)"
                                 " SELECT id, ?, ?, NULL, '', 1,"
                                 " (SELECT coalesce(max(position), -1) + 1 FROM incident_members WHERE incident_id = ?)"
                                 " FROM incidents WHERE id = ?"));
        q.addBindValue(note.id);
        q.addBindValue(memberRoleName(MemberRole::Note));
        q.addBindValue(noteIncident(note));
        q.addBindValue(noteIncident(note));
        ok = ok && run(q, error);
    }
    QSqlQuery meta(db);
    meta.prepare(QStringLiteral("INSERT OR REPLACE INTO meta (key, value) VALUES ('settled_until_ms', ?)"));
    meta.addBindValue(update.settledUntilMs);
    ok = ok && run(meta, error);
    if (ok && db.commit())
        return true;
    if (ok && error)
        *error = db.lastError().text();
    db.rollback();
    return false;
}

qint64 storedSettledUntil(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (q.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'settled_until_ms'")) && q.next())
        return q.value(0).toLongLong();
    return 0;
}

QList<Incident> storedIncidents(QSqlDatabase &db, const QList<qint64> &ids, QString *error)
{
    if (ids.isEmpty())
        return {};
    QStringList marks;
    QVariantList binds;
    for (const qint64 id : ids) {
        marks << QStringLiteral("?");
        binds << id;
    }
    return selectIncidents(db, QStringLiteral("i.id IN (%1)").arg(marks.join(QLatin1Char(','))), binds, error);
}

void markIncidentsStoredFrom(QSqlDatabase &db, qint64 fromMs)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT OR IGNORE INTO meta (key, value) VALUES ('incidents_from_ms', ?)"));
    q.addBindValue(fromMs);
    q.exec();
}

qint64 incidentsStoredFrom(const QString &path)
{
    ScopedDb reader("incidents-from");
    if (openForReading(reader, path, nullptr) < kFirstSchemaWithIncidents)
        return 0;
    QSqlQuery q(reader.db());
    if (q.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'incidents_from_ms'")) && q.next())
        return q.value(0).toLongLong();
    return 0;
}

bool readStoredIncidents(const QString &path, const JournalQuery &window, QList<Incident> *out, bool *stored, QString *error)
{
    ScopedDb reader("incidents");
    const int version = openForReading(reader, path, error);
    if (version < 0)
        return false;
    *stored = version >= kFirstSchemaWithIncidents;
    if (!*stored)
        return true;
    QStringList where{QStringLiteral("1")};
    QVariantList binds;
    if (window.until.isValid()) {
        where << QStringLiteral("i.opened_ms <= ?");
        binds << window.until.toMSecsSinceEpoch();
    }
    if (window.since.isValid()) {
        where << QStringLiteral("(i.resolved_ms IS NULL OR i.resolved_ms >= ?)");
        binds << window.since.toMSecsSinceEpoch();
    }
    QString why;
    *out = selectIncidents(reader.db(), where.join(QStringLiteral(" AND ")), binds, &why);
    if (!why.isEmpty()) {
        if (error)
            *error = QStringLiteral("cannot read the incidents of %1: %2").arg(path, why);
        return false;
    }
    return true;
}

bool loadIncidents(const QString &path, const JournalQuery &window, const IncidentOptions *regroupWith, QList<Incident> *out, QString *note,
                   QString *error)
{
    note->clear();
    bool stored = false;
    if (!regroupWith && !readStoredIncidents(path, window, out, &stored, error))
        return false;
    qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (window.until.isValid())
        nowMs = std::min(nowMs, window.until.toMSecsSinceEpoch());
    auto grouped = [&](const JournalQuery &part, QList<Incident> *incidents) {
        QString why;
        const QList<Event> events = readJournal(path, part, &why);
        if (!why.isEmpty()) {
            if (error)
                *error = why;
            return false;
        }
        *incidents = groupIncidents(events, regroupWith ? *regroupWith : IncidentOptions{}, nowMs);
        return true;
    };
    if (!stored) {
        if (!regroupWith)
            *note = QStringLiteral("it stores no incidents (recorded by an older Vigil): grouped from its events");
        return grouped(window, out);
    }
    // Upgraded from a Vigil that kept none: what came before its stored incidents.
    const qint64 from = incidentsStoredFrom(path);
    if (from <= 0 || (window.since.isValid() && window.since.toMSecsSinceEpoch() >= from))
        return true;
    JournalQuery before = window;
    const QDateTime fromTime = QDateTime::fromMSecsSinceEpoch(from, Qt::UTC);
    if (!before.until.isValid() || before.until > fromTime)
        before.until = fromTime.addMSecs(-1);
    QList<Incident> older;
    if (!grouped(before, &older))
        return false;
    older.removeIf([from](const Incident &i) { return i.openedMs >= from; });
    if (older.isEmpty())
        return true;
    *out = older + *out;
    *note = QStringLiteral("incidents before %1 were recorded by an older Vigil, which kept none: grouped from its events").arg(formatTime(fromTime));
    return true;
}

QList<IncidentChart> readIncidentCharts(const QString &path, const Incident &incident)
{
    struct Kind
    {
        const char *metric;
        const char *title;
        bool (*involves)(const IncidentMember &);
    };
    static const Kind kinds[] = {
        {"heartbeat.latency_ms", "latency ms", [](const IncidentMember &m) { return m.kind.startsWith(QLatin1String("heartbeat.")); }},
        {"redis.rtt_ms", "RTT ms", [](const IncidentMember &m) { return m.kind.startsWith(QLatin1String("redis.")); }},
        {"replication.lag_bytes", "lag bytes",
         [](const IncidentMember &m) { return m.kind.startsWith(QLatin1String("replication.")) || m.kind == QLatin1String("redis.role_changed"); }},
    };
    constexpr qint64 kMarginMs = 10 * 60 * 1000;
    if (incident.members.isEmpty())
        return {};
    qint64 earliest = incident.openedMs;
    for (const IncidentMember &m : incident.members)
        earliest = std::min(earliest, m.timeMs);
    const qint64 fromMs = earliest - kMarginMs;
    const qint64 toMs = std::max(incident.isOpen() ? incident.lastMs : incident.resolvedMs, incident.lastMs) + kMarginMs;
    QStringList replicas;
    {
        ScopedDb reader("incident-charts");
        if (openForReading(reader, path, nullptr) >= 0)
            replicas = lagReplicas(reader.db(), incident);
    }
    QList<IncidentChart> charts;
    for (const Kind &kind : kinds) {
        IncidentChart chart{QLatin1String(kind.metric), QLatin1String(kind.title), {}};
        QStringList subjects;
        if (chart.metric == QLatin1String("replication.lag_bytes"))
            subjects = replicas;
        QSet<QString> listed(subjects.cbegin(), subjects.cend());
        for (const IncidentMember &m : incident.members)
            if (kind.involves(m) && !listed.contains(m.source)) {
                listed.insert(m.source);
                subjects << m.source;
            }
        if (subjects.size() > kMaxChartSubjects) {
            chart.omitted = int(subjects.size()) - kMaxChartSubjects;
            chart.title += QStringLiteral(", first %1 of %2").arg(kMaxChartSubjects).arg(subjects.size());
            subjects.resize(kMaxChartSubjects);
        }
        for (const QString &subject : std::as_const(subjects)) {
            QList<SeriesPoint> points;
            QString error;
            if (readSeries(path, chart.metric, subject, fromMs, toMs, &points, &error) && !points.isEmpty())
                chart.series.append({subject, points});
        }
        if (!chart.series.isEmpty())
            charts << chart;
    }
    return charts;
}

bool readIncidentEvents(const QString &path, const Incident &incident, QList<Event> *out, QString *error)
{
    out->clear();
    ScopedDb reader("incident-events");
    if (openForReading(reader, path, error) < 0)
        return false;
    // By id, a few hundred at a time: an incident of a day holds a fraction of that day's events.
    constexpr qsizetype kChunk = 500;
    for (qsizetype at = 0; at < incident.members.size(); at += kChunk) {
        const qsizetype n = std::min(kChunk, incident.members.size() - at);
        QSqlQuery q(reader.db());
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT id, time_ms, kind, severity, source, message, data FROM events WHERE id IN (%1)")
                      .arg(QStringList(n, QStringLiteral("?")).join(QLatin1Char(','))));
        for (qsizetype i = at; i < at + n; ++i)
            q.addBindValue(incident.members[i].eventId);
        if (!run(q, error))
            return false;
        while (q.next())
            out->append(eventFromQuery(q));
    }
    std::sort(out->begin(), out->end(), eventBefore);
    return true;
}

} // namespace vigil
