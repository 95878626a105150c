// The keyring through QtKeychain's jobs.
#include "keyring.h"

#include <qt6keychain/keychain.h>

#include <QEventLoop>
#include <QTimer>

namespace vigil {

namespace {

const QString kService = QStringLiteral("vigil");

// Starts `job` (it deletes itself when it finishes) and hands its outcome to `done` in `context`.
void start(QKeychain::Job *job, const QObject *context, Keyring::Done done)
{
    QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *j) {
        Keyring::Result result;
        if (j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound) {
            result.ok = true;
            if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(j); read && j->error() == QKeychain::NoError) {
                result.found = true;
                result.password = read->textData();
            }
        } else {
            result.error = j->errorString().isEmpty() ? QStringLiteral("the keyring refused (error %1)").arg(int(j->error())) : j->errorString();
        }
        if (done)
            done(result);
    });
    job->setInsecureFallback(false); // never a plain file
    job->setAutoDelete(true);
    job->start();
}

QKeychain::Job *readJob(const QString &key)
{
    auto *job = new QKeychain::ReadPasswordJob(kService);
    job->setKey(key);
    return job;
}

QKeychain::Job *writeJob(const QString &key, const QString &password)
{
    auto *job = new QKeychain::WritePasswordJob(kService);
    job->setKey(key);
    job->setTextData(password);
    return job;
}

QKeychain::Job *removeJob(const QString &key)
{
    auto *job = new QKeychain::DeletePasswordJob(kService);
    job->setKey(key);
    return job;
}

// Waits for `job` in a local event loop; a job that outlives the wait reports to no one.
Keyring::Result wait(QKeychain::Job *job, int timeoutMs)
{
    Keyring::Result result;
    bool answered = false;
    QEventLoop loop;
    start(job, &loop, [&](const Keyring::Result &r) {
        result = r;
        answered = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!answered)
        loop.exec();
    if (!answered)
        result.error = QStringLiteral("the keyring did not answer within %1 s").arg(timeoutMs / 1000);
    return result;
}

} // namespace

QString Keyring::keyFor(const QString &profile, const RedisUri &uri)
{
    return profile + QLatin1Char('/') + uri.toDisplayString();
}

void Keyring::read(const QString &key, const QObject *context, Done done)
{
    start(readJob(key), context, std::move(done));
}

void Keyring::write(const QString &key, const QString &password, const QObject *context, Done done)
{
    start(writeJob(key, password), context, std::move(done));
}

void Keyring::remove(const QString &key, const QObject *context, Done done)
{
    start(removeJob(key), context, std::move(done));
}

Keyring::Result Keyring::readNow(const QString &key, int timeoutMs)
{
    return wait(readJob(key), timeoutMs);
}

Keyring::Result Keyring::writeNow(const QString &key, const QString &password, int timeoutMs)
{
    return wait(writeJob(key, password), timeoutMs);
}

Keyring::Result Keyring::removeNow(const QString &key, int timeoutMs)
{
    return wait(removeJob(key), timeoutMs);
}

QString Keyring::fillPasswords(const QString &profile, QList<ConnectionOptions> *targets)
{
    for (ConnectionOptions &target : *targets) {
        if (!target.uri.password.isEmpty())
            continue;
        const Result result = readNow(keyFor(profile, target.uri));
        if (!result.ok)
            return result.error;
        if (result.found)
            target.uri.password = result.password;
    }
    return {};
}

} // namespace vigil
