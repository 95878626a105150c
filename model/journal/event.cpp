// Journal events and their textual forms.
#include "event.h"

#include <QCoreApplication>
#include <QTimeZone>

namespace vigil {

QString severityLabel(Severity severity)
{
    switch (severity) {
    case Severity::Info: return QCoreApplication::translate("vigil::Severity", "info");
    case Severity::Warning: return QCoreApplication::translate("vigil::Severity", "warning");
    case Severity::Critical: break;
    }
    return QCoreApplication::translate("vigil::Severity", "critical");
}

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info: return QStringLiteral("info");
    case Severity::Warning: return QStringLiteral("warning");
    case Severity::Critical: return QStringLiteral("critical");
    }
    return QStringLiteral("info");
}

bool parseSeverity(const QString &text, Severity *out)
{
    for (Severity s : {Severity::Info, Severity::Warning, Severity::Critical}) {
        if (text.compare(severityName(s), Qt::CaseInsensitive) == 0) {
            *out = s;
            return true;
        }
    }
    return false;
}

Event Event::make(const QString &kind, Severity severity, const QString &source, const QString &message, const QJsonObject &data)
{
    Event e;
    const qint64 ms = QDateTime::currentMSecsSinceEpoch();
    e.time = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    e.kind = kind;
    e.severity = severity;
    e.source = source;
    e.message = message;
    e.data = data;
    return e;
}

QString formatTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace vigil
