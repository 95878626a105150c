// The two-masters check of the fault matrix: a client per server that tries a write on it every
// few milliseconds (a script that runs a write changing nothing and returns the server's clock),
// and records when each server accepted one. Afterwards it tells whether two servers ever accepted writes at the
// same time.
#pragma once

#include "redis/connection.h"

#include <QObject>

#include <memory>
#include <vector>

namespace vigil::test {

class WriteProbe : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WriteProbe)

public:
    // `names` label the servers in the report ("the old master", "the candidate"...).
    WriteProbe(const QList<ConnectionOptions> &servers, const QStringList &names, QObject *parent = nullptr);
    // The key it writes: in a cluster, the servers of the shard that holds it are the ones to probe.
    static QByteArray key() { return QByteArrayLiteral("vigil:probe:never-set"); }
    ~WriteProbe() override;

    void start();
    void stop();

    int accepted(int server) const;
    // Empty when no two servers accepted writes at the same time; else the first such moment.
    // Server S is taken to accept writes from one write it accepted to its next when nothing was
    // refused between them and the second ran as soon as it arrived (it was not held by a write
    // pause, during which S accepted nothing). Another server accepting a write strictly between
    // them is two masters at once.
    QString overlap() const;

private:
    struct Attempt
    {
        qint64 sentUs = 0;   // the probe's clock (CLOCK_REALTIME, as the server's TIME)
        qint64 serverUs = 0; // when the server ran it; 0 when refused or lost
    };
    struct Target
    {
        Connection *connection = nullptr;
        QString name;
        std::vector<Attempt> attempts;
    };

    void tryWrite(int server);

    std::vector<Target> m_targets;
    bool m_running = false;
};

} // namespace vigil::test
