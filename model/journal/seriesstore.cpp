// Time series in the journal: samples, one-minute buckets, retention.
#include "seriesstore.h"
#include "database.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>

namespace vigil {

namespace {

bool run(QSqlQuery &q, QString *error)
{
    if (q.exec())
        return true;
    if (error)
        *error = q.lastError().text();
    return false;
}

// The id of the series (metric, subject), created when new.
qint64 seriesId(QSqlDatabase &db, const QString &metric, const QString &subject, QString *error)
{
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT OR IGNORE INTO series (metric, subject) VALUES (?, ?)"));
    insert.addBindValue(metric);
    insert.addBindValue(subject);
    if (!run(insert, error))
        return -1;
    QSqlQuery select(db);
    select.prepare(QStringLiteral("SELECT id FROM series WHERE metric = ? AND subject = ?"));
    select.addBindValue(metric);
    select.addBindValue(subject);
    if (!run(select, error) || !select.next())
        return -1;
    return select.value(0).toLongLong();
}

// Where full resolution is kept: near an incident that involves the series' subject, from 10 min
// before it opened until 10 min after it resolved (an open one: after its latest event, so that
// an incident left open for hours does not keep hours of every sample).
QString awayFromIncidents()
{
    return QStringLiteral("NOT EXISTS (SELECT 1 FROM incident_subjects j JOIN incidents i ON i.id = j.incident_id"
                          " WHERE j.subject = (SELECT subject FROM series WHERE id = s.series_id)"
                          " AND s.time_ms >= i.opened_ms - :window AND s.time_ms <= coalesce(i.resolved_ms, i.last_ms) + :window)");
}

} // namespace

bool storeSamples(QSqlDatabase &db, const QList<Sample> &samples, QString *error, SeriesIds *known)
{
    if (samples.isEmpty())
        return true;
    const bool own = db.transaction();
    SeriesIds ids; // looked up or created by this call
    QSqlQuery insert(db);
    // Two samples of one series at one millisecond: the later one stands.
    insert.prepare(QStringLiteral("INSERT OR REPLACE INTO samples (series_id, time_ms, value) VALUES (?, ?, ?)"));
    for (const Sample &s : samples) {
        const QString key = s.metric + QLatin1Char('\n') + s.subject;
        qint64 id = known ? known->value(key, -1) : -1;
        if (id < 0)
            id = ids.value(key, -1);
        if (id < 0) {
            id = seriesId(db, s.metric, s.subject, error);
            if (id < 0) {
                if (own)
                    db.rollback();
                return false;
            }
            ids.insert(key, id);
        }
        insert.bindValue(0, id);
        insert.bindValue(1, s.timeMs);
        insert.bindValue(2, s.value);
        if (!run(insert, error)) {
            if (own)
                db.rollback();
            return false;
        }
    }
    insert.finish();
    if (own && !db.commit()) {
        if (error)
            *error = db.lastError().text();
        db.rollback();
        return false;
    }
    if (own && known)
        known->insert(ids);
    return true;
}

bool compactSeries(QSqlDatabase &db, qint64 nowMs, const SeriesRetention &retention, QString *error)
{
    // Whole minutes only, so that a minute is folded once (a late sample is merged into its bucket).
    const qint64 boundary = (nowMs - retention.fullResolutionMs) / 60000 * 60000;
    const qint64 oldest = nowMs - retention.retentionMs;
    // Only what aged out since the last compaction, and one window more for late samples: the
    // samples kept around older incidents are not looked at again every minute.
    qint64 from = 0;
    {
        QSqlQuery last(db);
        if (last.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'series_compacted_until'")) && last.next())
            from = std::max<qint64>(0, last.value(0).toLongLong() - retention.fullResolutionMs);
    }
    if (!db.transaction()) {
        if (error)
            *error = db.lastError().text();
        return false;
    }
    // Every condition goes through the (series, time) key: one range per series, no full scan.
    const QString slice = QStringLiteral("series_id IN (SELECT id FROM series) AND time_ms >= :from AND time_ms < :boundary");
    QSqlQuery fold(db);
    fold.prepare(QStringLiteral("INSERT INTO buckets (series_id, minute, min, mean, max, count)"
                                " SELECT series_id, time_ms / 60000, min(value), avg(value), max(value), count(*) FROM samples s"
                                " WHERE %1 AND %2 GROUP BY series_id, time_ms / 60000 ORDER BY 1, 2"
                                " ON CONFLICT (series_id, minute) DO UPDATE SET"
                                " mean = (mean * count + excluded.mean * excluded.count) / (count + excluded.count),"
                                " min = min(min, excluded.min), max = max(max, excluded.max), count = count + excluded.count")
                     .arg(slice, awayFromIncidents()));
    QSqlQuery drop(db);
    drop.prepare(QStringLiteral("DELETE FROM samples AS s WHERE %1 AND %2").arg(slice, awayFromIncidents()));
    for (QSqlQuery *q : {&fold, &drop}) {
        q->bindValue(QStringLiteral(":from"), from);
        q->bindValue(QStringLiteral(":boundary"), boundary);
        q->bindValue(QStringLiteral(":window"), retention.fullResolutionMs);
    }
    QSqlQuery expireSamples(db);
    expireSamples.prepare(QStringLiteral("DELETE FROM samples WHERE series_id IN (SELECT id FROM series) AND time_ms < ?"));
    expireSamples.addBindValue(oldest);
    QSqlQuery expireBuckets(db);
    expireBuckets.prepare(QStringLiteral("DELETE FROM buckets WHERE series_id IN (SELECT id FROM series) AND minute < ?"));
    expireBuckets.addBindValue(oldest / 60000);
    QSqlQuery mark(db);
    mark.prepare(QStringLiteral("INSERT OR REPLACE INTO meta (key, value) VALUES ('series_compacted_until', ?)"));
    mark.addBindValue(boundary);
    if (run(fold, error) && run(drop, error) && run(expireSamples, error) && run(expireBuckets, error) && run(mark, error) && db.commit())
        return true;
    if (error && error->isEmpty())
        *error = db.lastError().text();
    db.rollback();
    return false;
}

QList<QList<SeriesPoint>> splitAtGaps(const QList<SeriesPoint> &points)
{
    QList<qint64> spacings;
    for (qsizetype i = 1; i < points.size(); ++i)
        if (points[i].count <= 1 && points[i - 1].count <= 1)
            spacings << points[i].timeMs - points[i - 1].timeMs;
    qint64 usual = 1000;
    if (!spacings.isEmpty()) {
        std::nth_element(spacings.begin(), spacings.begin() + spacings.size() / 2, spacings.end());
        usual = std::max<qint64>(usual, spacings[spacings.size() / 2]);
    }
    QList<QList<SeriesPoint>> runs;
    for (qsizetype i = 0; i < points.size(); ++i) {
        const bool bucketed = points[i].count > 1 || (i > 0 && points[i - 1].count > 1);
        const qint64 allowed = 3 * (bucketed ? std::max<qint64>(usual, 60'000) : usual);
        if (runs.isEmpty() || points[i].timeMs - points[i - 1].timeMs > allowed)
            runs.append(QList<SeriesPoint>{});
        runs.last() << points[i];
    }
    return runs;
}

bool readSeries(const QString &path, const QString &metric, const QString &subject, qint64 fromMs, qint64 toMs, QList<SeriesPoint> *out,
                QString *error)
{
    out->clear();
    ScopedDb reader("series");
    const int version = openForReading(reader, path, error);
    if (version < 0)
        return false;
    if (version < 3)
        return true; // recorded before series were kept
    QSqlQuery raw(reader.db());
    raw.setForwardOnly(true);
    raw.prepare(QStringLiteral("SELECT s.time_ms, s.value FROM samples s JOIN series ON series.id = s.series_id"
                               " WHERE series.metric = ? AND series.subject = ? AND s.time_ms BETWEEN ? AND ?"));
    raw.addBindValue(metric);
    raw.addBindValue(subject);
    raw.addBindValue(fromMs);
    raw.addBindValue(toMs);
    if (!run(raw, error))
        return false;
    while (raw.next()) {
        const double v = raw.value(1).toDouble();
        out->append({raw.value(0).toLongLong(), v, v, v, 1});
    }
    QSqlQuery buckets(reader.db());
    buckets.setForwardOnly(true);
    buckets.prepare(QStringLiteral("SELECT b.minute, b.min, b.mean, b.max, b.count FROM buckets b JOIN series ON series.id = b.series_id"
                                   " WHERE series.metric = ? AND series.subject = ? AND b.minute BETWEEN ? AND ?"));
    buckets.addBindValue(metric);
    buckets.addBindValue(subject);
    buckets.addBindValue(fromMs / 60000);
    buckets.addBindValue(toMs / 60000);
    if (!run(buckets, error))
        return false;
    while (buckets.next())
        out->append({buckets.value(0).toLongLong() * 60000 + 30000, buckets.value(1).toDouble(), buckets.value(2).toDouble(),
                     buckets.value(3).toDouble(), buckets.value(4).toInt()});
    std::sort(out->begin(), out->end(), [](const SeriesPoint &a, const SeriesPoint &b) { return a.timeMs < b.timeMs; });
    return true;
}

} // namespace vigil
