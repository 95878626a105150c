// One INFO poll: one command on Redis 7 and later, one per section before.
#include "inforequest.h"

#include <QPointer>

#include <memory>

namespace vigil {

namespace {

const QList<QByteArray> kSections = {"server", "replication", "persistence", "clients", "memory", "stats"};

QString notText(const QString &what, const Reply &r)
{
    return QStringLiteral("%1 answered with %2, not text")
        .arg(what,
             r.isInteger()     ? QStringLiteral("an integer")
                 : r.isArray() ? QStringLiteral("an array")
                               : QStringLiteral("nil"));
}

void deliver(const InfoCallback &done, const QByteArray &text, bool combinedRefused)
{
    InfoSnapshot snapshot = parseInfo(text);
    snapshot.combinedRefused = combinedRefused;
    done(true, snapshot, ErrorKind::None, {});
}

// One command per section, pipelined.
void requestEach(Connection *connection, QObject *context, InfoCallback done, bool combinedRefused)
{
    struct Poll
    {
        QList<QByteArray> texts;
        qsizetype pending = kSections.size();
        ErrorKind kind = ErrorKind::None;
        QString error;
        InfoCallback done;
    };
    auto poll = std::make_shared<Poll>();
    poll->done = std::move(done);
    for (const QByteArray &section : kSections) {
        connection->command({QByteArrayLiteral("INFO"), section}, context, [poll, section, combinedRefused](const Reply &r) {
            if (r.isError() && poll->error.isEmpty()) {
                poll->kind = r.local ? ErrorKind::Closed : classifyServerError(r.string);
                poll->error = r.text();
            } else if (!r.isString() && !r.isError() && poll->error.isEmpty()) {
                // An integer, an array or nil where text belongs: nothing in it can be trusted, and
                // defaults must not pass for values the server reported.
                poll->kind = ErrorKind::Protocol;
                poll->error = notText(QStringLiteral("INFO %1").arg(QString::fromLatin1(section)), r);
            } else if (r.isString()) {
                poll->texts.append(r.string);
            }
            if (--poll->pending > 0)
                return;
            if (!poll->error.isEmpty())
                poll->done(false, {}, poll->kind, poll->error);
            else
                deliver(poll->done, poll->texts.join('\n'), combinedRefused);
        });
    }
}

} // namespace

void requestInfo(Connection *connection, QObject *context, InfoCallback done, InfoCommands commands)
{
    if (commands == InfoCommands::OnePerSection) {
        requestEach(connection, context, std::move(done), false);
        return;
    }
    QList<QByteArray> argv{QByteArrayLiteral("INFO")};
    argv += kSections;
    QPointer<Connection> guard(connection);
    connection->command(argv, context, [guard, context, done = std::move(done)](const Reply &r) mutable {
        if (r.isString()) {
            deliver(done, r.string, false);
        } else if (r.isError() && !r.local && guard) {
            // A server that calls itself 7.0 or later but takes one section per command.
            requestEach(guard, context, std::move(done), true);
        } else if (r.isError()) {
            done(false, {}, ErrorKind::Closed, r.text());
        } else {
            done(false, {}, ErrorKind::Protocol, notText(QStringLiteral("INFO"), r));
        }
    });
}

bool takesSeveralInfoSections(const QString &version)
{
    bool ok = false;
    const int major = version.section(QLatin1Char('.'), 0, 0).toInt(&ok);
    return ok && major >= 7;
}

} // namespace vigil
