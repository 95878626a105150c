// One pipelined INFO poll.
#include "inforequest.h"

#include <memory>

namespace vigil {

void requestInfo(Connection *connection, QObject *context, InfoCallback done)
{
    static const QList<QByteArray> sections = {"server", "replication", "persistence", "clients", "memory", "stats"};
    struct Poll
    {
        QList<QByteArray> texts;
        qsizetype pending = sections.size();
        ErrorKind kind = ErrorKind::None;
        QString error;
        InfoCallback done;
    };
    auto poll = std::make_shared<Poll>();
    poll->done = std::move(done);
    for (const QByteArray &section : sections) {
        connection->command({QByteArrayLiteral("INFO"), section}, context, [poll, section](const Reply &r) {
            if (r.isError() && poll->error.isEmpty()) {
                poll->kind = r.local ? ErrorKind::Closed : classifyServerError(r.string);
                poll->error = r.text();
            } else if (!r.isString() && !r.isError() && poll->error.isEmpty()) {
                // An integer, an array or nil where text belongs: nothing in it can be trusted, and
                // defaults must not pass for values the server reported.
                poll->kind = ErrorKind::Protocol;
                poll->error = QStringLiteral("INFO %1 answered with %2, not text")
                                  .arg(QString::fromLatin1(section),
                                       r.isInteger()     ? QStringLiteral("an integer")
                                           : r.isArray() ? QStringLiteral("an array")
                                                         : QStringLiteral("nil"));
            } else if (r.isString()) {
                poll->texts.append(r.string);
            }
            if (--poll->pending > 0)
                return;
            if (!poll->error.isEmpty())
                poll->done(false, {}, poll->kind, poll->error);
            else {
                const QByteArray text = poll->texts.join('\n');
                InfoSnapshot snapshot = parseInfo(text);
                snapshot.raw = text;
                poll->done(true, snapshot, ErrorKind::None, {});
            }
        });
    }
}

} // namespace vigil
