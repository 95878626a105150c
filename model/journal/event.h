// One journal event: {time, kind, severity, source, message, data}, as the export contract defines.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace vigil {

enum class Severity { Info = 0, Warning = 1, Critical = 2 };

QString severityName(Severity severity);
// The severity's word in the window's language (translatable); the journal and exports keep
// severityName's.
QString severityLabel(Severity severity);
// Parses "info" / "warning" / "critical"; returns false for anything else.
bool parseSeverity(const QString &text, Severity *out);

struct Event
{
    qint64 id = 0;  // journal row id; 0 until committed
    QDateTime time; // UTC, millisecond precision
    QString kind;   // dotted, lowercase: "redis.unreachable"
    Severity severity = Severity::Info;
    QString source; // node id, "host:port" or "sentinel host:port"
    QString message;
    QJsonObject data;

    static Event make(const QString &kind, Severity severity, const QString &source, const QString &message, const QJsonObject &data = {});
};

// "2026-11-26T04:12:13.123Z"
QString formatTime(const QDateTime &time);

} // namespace vigil

Q_DECLARE_METATYPE(vigil::Event)
