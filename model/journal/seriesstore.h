// The time series incident charts are drawn from (heartbeat latency per node, round trip, ops/s
// and memory per server, byte lag per replica), kept in the journal: every sample while it is
// recent or near an incident that involves its subject, one-minute buckets (min, mean, max,
// count) otherwise, for a retention period.
#pragma once

#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace vigil {

struct Sample
{
    QString metric;  // "heartbeat.latency_ms", "redis.rtt_ms", "redis.ops_per_sec",
                     // "redis.used_memory_bytes", "replication.lag_bytes"
    QString subject; // the node or server it is about
    qint64 timeMs = 0;
    double value = 0;
};

// A sample as stored (count 1, min = mean = max) or a minute's bucket (at the minute's middle).
struct SeriesPoint
{
    qint64 timeMs = 0;
    double min = 0;
    double mean = 0;
    double max = 0;
    int count = 0;
};

struct SeriesRetention
{
    qint64 fullResolutionMs = 10 * 60 * 1000;           // every sample this long, and this long around incidents
    qint64 retentionMs = qint64(30) * 24 * 3600 * 1000; // nothing older is kept
};

// The ids of the series a journal holds, by metric and subject ("metric\nsubject"): a writer keeps
// them from one batch to the next (series are never deleted), so that a sample costs one INSERT,
// not the two statements that look its series up.
using SeriesIds = QHash<QString, qint64>;

// Appends samples (in the caller's transaction, or one of its own when none is open). With
// `known`, series ids are taken from it, and the ones this call created are added to it once its
// own transaction has committed (in the caller's transaction they are not: it may roll back).
bool storeSamples(QSqlDatabase &db, const QList<Sample> &samples, QString *error, SeriesIds *known = nullptr);
// Folds samples older than the full-resolution window and away from every incident into
// one-minute buckets, and drops what is past the retention; as of `nowMs`.
bool compactSeries(QSqlDatabase &db, qint64 nowMs, const SeriesRetention &retention, QString *error);

// A series cut where its samples stop (a server unreachable, Vigil not running): runs to draw as
// separate lines. A gap is three times the series' usual spacing (its median), at least 3 s; a
// minute's bucket is spaced by the minute.
QList<QList<SeriesPoint>> splitAtGaps(const QList<SeriesPoint> &points);

// One series between two times, oldest first; false with *error when the journal cannot be read.
bool readSeries(const QString &path, const QString &metric, const QString &subject, qint64 fromMs, qint64 toMs, QList<SeriesPoint> *out,
                QString *error);

} // namespace vigil
