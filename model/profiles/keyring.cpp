// The keyring through QtKeychain's jobs, each waited for in a local event loop.
#include "keyring.h"

#include <qt6keychain/keychain.h>

#include <QEventLoop>
#include <QTimer>

#include <memory>

namespace vigil::Keyring {

namespace {

const QString kService = QStringLiteral("vigil");

// Starts `job` (which deletes itself when it finishes) and waits for it; `done` reads its outcome.
Result run(QKeychain::Job *job, int timeoutMs, const std::function<void(QKeychain::Job *, Result *)> &done)
{
    auto result = std::make_shared<Result>();
    auto finished = std::make_shared<bool>(false);
    QEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [result, finished, done, &loop](QKeychain::Job *j) {
        *finished = true;
        if (j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound) {
            result->ok = true;
            if (j->error() == QKeychain::NoError)
                done(j, result.get());
        } else {
            result->error = j->errorString().isEmpty() ? QStringLiteral("the keyring refused (error %1)").arg(int(j->error())) : j->errorString();
        }
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job->setInsecureFallback(false); // never a plain file
    job->setAutoDelete(true);
    job->start();
    if (!*finished)
        loop.exec();
    if (!*finished)
        result->error = QStringLiteral("the keyring did not answer within %1 s").arg(timeoutMs / 1000);
    return *result;
}

} // namespace

QString keyFor(const QString &profile, const RedisUri &uri)
{
    return profile + QLatin1Char('/') + uri.toDisplayString();
}

Result read(const QString &key, int timeoutMs)
{
    auto *job = new QKeychain::ReadPasswordJob(kService);
    job->setKey(key);
    return run(job, timeoutMs, [](QKeychain::Job *j, Result *r) {
        r->found = true;
        r->password = static_cast<QKeychain::ReadPasswordJob *>(j)->textData();
    });
}

Result write(const QString &key, const QString &password, int timeoutMs)
{
    auto *job = new QKeychain::WritePasswordJob(kService);
    job->setKey(key);
    job->setTextData(password);
    return run(job, timeoutMs, [](QKeychain::Job *, Result *) {});
}

Result remove(const QString &key, int timeoutMs)
{
    auto *job = new QKeychain::DeletePasswordJob(kService);
    job->setKey(key);
    return run(job, timeoutMs, [](QKeychain::Job *, Result *) {});
}

QString fillPasswords(const QString &profile, QList<ConnectionOptions> *targets)
{
    for (ConnectionOptions &target : *targets) {
        if (!target.uri.password.isEmpty())
            continue;
        const Result result = read(keyFor(profile, target.uri));
        if (!result.ok)
            return result.error;
        if (result.found)
            target.uri.password = result.password;
    }
    return {};
}

} // namespace vigil::Keyring
