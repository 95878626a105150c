// Profiles and their passwords: the JSON file (never a password), the store, the import and export,
// `vigil status --profile` against a real server whose password is in a real keyring
// (gnome-keyring-daemon on a private D-Bus), and the window asking for a password and keeping it.
#include "mainwindow.h"
#include "passworddialog.h"
#include "profiles/keyring.h"
#include "profiles/profile.h"
#include "profilesdialog.h"
#include "targetsdialog.h"

#include "journal/eventmodel.h"
#include "journal/journal.h"
#include "incidents/incidentmodel.h"
#include "privatebus.h"
#include "redisfixture.h"
#include "vigilprocess.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace vigil;
using namespace vigil::test;

namespace {

Profile fullProfile()
{
    Profile p;
    p.name = QStringLiteral("prod-eu");
    p.servers = {QStringLiteral("redis://ops@10.0.0.5:6379/2"), QStringLiteral("rediss://10.0.0.6:6380")};
    p.sentinels = {QStringLiteral("redis://10.0.0.9:26379")};
    p.masters = {QStringLiteral("orders")};
    p.channels = {QStringLiteral("beats")};
    p.patterns = {QStringLiteral("beats:*")};
    p.services = {{QStringLiteral("payments"), {QStringLiteral("pay-1"), QStringLiteral("pay-2")}}};
    p.tls.caFile = QStringLiteral("/etc/ssl/ca.pem");
    p.tls.insecure = true;
    p.pollIntervalMs = 2500;
    p.incidentGapMs = 120'000;
    p.incidentQuietMs = 60'000;
    p.rememberPasswords = true;
    return p;
}

// A main window over a fresh journal and a monitor of `targets`, showing the profile `profile`.
struct Window
{
    QTemporaryDir dir;
    Journal journal;
    EventModel events;
    IncidentModel incidents;
    std::unique_ptr<Monitor> monitor;
    std::unique_ptr<MainWindow> window;

    explicit Window(const QString &profile, const QList<ConnectionOptions> &targets = {})
    {
        if (!journal.open(dir.filePath(QStringLiteral("j.sqlite"))))
            return;
        monitor = std::make_unique<Monitor>(&journal);
        monitor->setTargets(targets);
        window = std::make_unique<MainWindow>(monitor.get(), &journal, &events, &incidents,
                                              MainWindow::Options{.demo = false, .profile = profile, .rememberPasswords = false});
        window->show();
    }
    bool isValid() const { return window != nullptr; }
};

// In the Targets dialog that File > Targets opens: adds `uri`.
TargetsDialog *addTarget(const QString &uri)
{
    auto *dialog = qobject_cast<TargetsDialog *>(QApplication::activeModalWidget());
    if (!dialog)
        return nullptr;
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("targetUri")), uri);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("targetAdd")), Qt::LeftButton);
    return dialog;
}

} // namespace

class TestProfiles : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<PrivateBus> m_bus;
    std::unique_ptr<PrivateKeyring> m_keyring;

    // The keyring is there, or the test says why it cannot run here.
    bool keyringRuns() { return m_keyring && m_keyring->isRunning(); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("vigil-test"));
        QCoreApplication::setApplicationName(QStringLiteral("vigil-profiles-test"));
        QSettings().clear();
        QDir(ProfileStore::defaultDirectory()).removeRecursively();
        // One private bus for the whole run (the keyring library keeps the first bus it meets),
        // with a keyring on it: set before anything in this process touches D-Bus.
        m_bus = std::make_unique<PrivateBus>();
        if (!m_bus->address().isEmpty()) {
            qputenv("DBUS_SESSION_BUS_ADDRESS", m_bus->address().toUtf8());
            m_keyring = std::make_unique<PrivateKeyring>(*m_bus);
        } else {
            // Never the desktop's own keyring.
            qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/vigil-test-bus");
        }
    }

    void cleanupTestCase()
    {
        m_keyring.reset();
        m_bus.reset();
    }

    // Every field survives the file; a password left in a URI does not reach it.
    void jsonKeepsEverythingButPasswords()
    {
        Profile p = fullProfile();
        const QByteArray json = profileToJson(p);
        QString error;
        const std::optional<Profile> back = profileFromJson(json, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(*back, p);

        p.servers[0] = QStringLiteral("redis://ops:hunter2@10.0.0.5:6379/2");
        const QByteArray withPassword = profileToJson(p);
        QVERIFY(!withPassword.contains("hunter2"));
        QCOMPARE(profileFromJson(withPassword, &error)->servers.first(), QStringLiteral("redis://ops@10.0.0.5:6379/2"));
    }

    void badFilesAreRefusedWithAReason_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("says");
        QTest::newRow("not json") << QByteArray("{\"format\":") << QStringLiteral("not JSON");
        QTest::newRow("an array") << QByteArray("[1,2]") << QStringLiteral("not a Vigil profile");
        QTest::newRow("another format") << QByteArray("{\"format\":\"x\",\"version\":1,\"name\":\"a\"}") << QStringLiteral("not a Vigil profile");
        QTest::newRow("a later version") << QByteArray("{\"format\":\"vigil-profile\",\"version\":7,\"name\":\"a\"}") << QStringLiteral("version 7");
        QTest::newRow("no name") << QByteArray("{\"format\":\"vigil-profile\",\"version\":1}") << QStringLiteral("needs a name");
        QTest::newRow("a path for a name") << QByteArray("{\"format\":\"vigil-profile\",\"version\":1,\"name\":\"../x\"}")
                                           << QStringLiteral("not start with a dot");
        QTest::newRow("a password") << QByteArray("{\"format\":\"vigil-profile\",\"version\":1,\"name\":\"a\",\"servers\":[\"redis://:pw@h:1\"]}")
                                    << QStringLiteral("holds a password");
        QTest::newRow("a bad URI") << QByteArray("{\"format\":\"vigil-profile\",\"version\":1,\"name\":\"a\",\"sentinels\":[\"http://h\"]}")
                                   << QStringLiteral("\"sentinels\"");
        QTest::newRow("servers not a list") << QByteArray("{\"format\":\"vigil-profile\",\"version\":1,\"name\":\"a\",\"servers\":\"redis://h\"}")
                                            << QStringLiteral("not a list");
        QTest::newRow("a poll too fast") << QByteArray("{\"format\":\"vigil-profile\",\"version\":1,\"name\":\"a\",\"pollIntervalMs\":5}")
                                         << QStringLiteral("pollIntervalMs");
    }

    void badFilesAreRefusedWithAReason()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, says);
        QString error;
        QVERIFY(!profileFromJson(json, &error));
        QVERIFY2(error.contains(says), qPrintable(error));
    }

    void namesAreChecked()
    {
        QVERIFY(profileNameError(QStringLiteral("prod eu-1")).isEmpty());
        QVERIFY(profileNameError(QStringLiteral("生产环境")).isEmpty());
        for (const QString &bad : {QString(), QStringLiteral("a/b"), QStringLiteral(".hidden"), QStringLiteral(" x"), QString(65, QLatin1Char('a'))})
            QVERIFY2(!profileNameError(bad).isEmpty(), qPrintable(bad));
    }

    void storeSavesLoadsAndRemoves()
    {
        QTemporaryDir dir;
        const ProfileStore store(dir.filePath(QStringLiteral("profiles")));
        QVERIFY(store.names().isEmpty());
        QString error;
        QVERIFY(!store.load(QStringLiteral("nope"), &error));
        QVERIFY2(error.contains(QStringLiteral("none is saved yet")), qPrintable(error));
        Profile b = fullProfile();
        b.name = QStringLiteral("b");
        Profile a = b;
        a.name = QStringLiteral("a");
        QVERIFY2(store.save(b, &error), qPrintable(error));
        QVERIFY2(store.save(a, &error), qPrintable(error));
        QCOMPARE(store.names(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(store.load(QStringLiteral("b"), &error).value_or(Profile{}), b);
        QVERIFY(!store.load(QStringLiteral("c"), &error));
        QVERIFY2(error.contains(QStringLiteral("saved: a, b")), qPrintable(error));
        QVERIFY(store.remove(QStringLiteral("a"), &error));
        QCOMPARE(store.names(), QStringList{QStringLiteral("b")});
        ProfileStore::setLastUsed(QStringLiteral("b"));
        QCOMPARE(store.lastUsed(), QStringLiteral("b"));
        QVERIFY(store.remove(QStringLiteral("b"), &error));
        QCOMPARE(store.lastUsed(), QString()); // gone, so not offered
    }

    // The targets kept in the settings before profiles existed become the profile "Default".
    void savedTargetsMoveIntoAProfile()
    {
        QTemporaryDir dir;
        const ProfileStore store(dir.filePath(QStringLiteral("profiles")));
        QCOMPARE(migrateSavedTargets(store), QString()); // nothing to move
        QSettings settings;
        settings.setValue(QStringLiteral("targets"), QStringList{QStringLiteral("redis://10.1.1.1:6379")});
        settings.setValue(QStringLiteral("sentinels"), QStringList{QStringLiteral("redis://10.1.1.2:26379")});
        settings.setValue(QStringLiteral("masters"), QStringList{QStringLiteral("main")});
        settings.setValue(QStringLiteral("services/groups"), QVariantMap{{QStringLiteral("api"), QStringList{QStringLiteral("api-1")}}});
        settings.sync();
        QCOMPARE(migrateSavedTargets(store), QStringLiteral("Default"));
        QString error;
        const std::optional<Profile> moved = store.load(QStringLiteral("Default"), &error);
        QVERIFY2(moved, qPrintable(error));
        QCOMPARE(moved->servers, QStringList{QStringLiteral("redis://10.1.1.1:6379")});
        QCOMPARE(moved->sentinels, QStringList{QStringLiteral("redis://10.1.1.2:26379")});
        QCOMPARE(moved->masters, QStringList{QStringLiteral("main")});
        QCOMPARE(moved->services.value(QStringLiteral("api")), QStringList{QStringLiteral("api-1")});
        QVERIFY(!QSettings().contains(QStringLiteral("targets")));
        QCOMPARE(store.lastUsed(), QStringLiteral("Default"));
        QCOMPARE(migrateSavedTargets(store), QString()); // once
        QSettings().remove(QStringLiteral("profiles/last"));
    }

    // Import keeps a profile of the same name (the import takes the next free name); export writes
    // the same file; a broken file says why in the dialog.
    void profilesDialogImportsAndExports()
    {
        QTemporaryDir dir;
        const ProfileStore store(dir.filePath(QStringLiteral("profiles")));
        QString error;
        QVERIFY(store.save(fullProfile(), &error));
        ProfilesDialog dialog(store, QString());
        const QString exported = dir.filePath(QStringLiteral("out.json"));
        QVERIFY(dialog.exportTo(QStringLiteral("prod-eu"), exported));
        QVERIFY(dialog.importFrom(exported));
        QCOMPARE(store.names(), (QStringList{QStringLiteral("prod-eu"), QStringLiteral("prod-eu 2")}));
        QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("profileMessage"))->text().contains(QStringLiteral("prod-eu 2")));
        Profile renamed = *store.load(QStringLiteral("prod-eu 2"), &error);
        renamed.name = QStringLiteral("prod-eu");
        QCOMPARE(renamed, fullProfile());

        QFile broken(dir.filePath(QStringLiteral("broken.json")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{\"format\":\"vigil-profile\",\"version\":1,\"name\":\"x\",\"servers\":[\"redis://:secret@h:1\"]}");
        broken.close();
        QVERIFY(!dialog.importFrom(broken.fileName()));
        QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("profileMessage"))->text().contains(QStringLiteral("holds a password")));
        QCOMPARE(store.names().size(), 2);

        // Opening returns the chosen name; the open profile cannot be deleted or reopened.
        ProfilesDialog current(store, QStringLiteral("prod-eu"));
        auto *list = current.findChild<QListWidget *>(QStringLiteral("profileList"));
        QCOMPARE(list->currentItem()->data(Qt::UserRole).toString(), QStringLiteral("prod-eu"));
        QVERIFY(!current.findChild<QPushButton *>(QStringLiteral("profileDelete"))->isEnabled());
        list->setCurrentRow(1);
        QTest::mouseClick(current.findChild<QPushButton *>(QStringLiteral("profileOpen")), Qt::LeftButton);
        QCOMPARE(current.chosen(), QStringLiteral("prod-eu 2"));
    }

    void keyringKeepsPasswords()
    {
        if (!keyringRuns())
            QSKIP(qPrintable(QStringLiteral("no keyring: %1").arg(m_keyring ? m_keyring->why() : m_bus->why())));
        const RedisUri uri = *parseRedisUri(QStringLiteral("redis://ops@10.0.0.5:6379"));
        const QString key = Keyring::keyFor(QStringLiteral("prod"), uri);
        QCOMPARE(key, QStringLiteral("prod/redis://ops@10.0.0.5:6379"));
        Keyring::Result r = Keyring::readNow(key);
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY(!r.found);
        r = Keyring::writeNow(key, QStringLiteral("s3cret"));
        QVERIFY2(r.ok, qPrintable(r.error));
        r = Keyring::readNow(key);
        QVERIFY(r.ok && r.found);
        QCOMPARE(r.password, QStringLiteral("s3cret"));

        QList<ConnectionOptions> targets(2);
        targets[0].uri = uri;
        targets[1].uri = *parseRedisUri(QStringLiteral("redis://:given@10.0.0.7:6379"));
        QCOMPARE(Keyring::fillPasswords(QStringLiteral("prod"), &targets), QString());
        QCOMPARE(targets[0].uri.password, QStringLiteral("s3cret"));
        QCOMPARE(targets[1].uri.password, QStringLiteral("given")); // a given one stays
        QVERIFY(Keyring::removeNow(key).ok);
        QVERIFY(!Keyring::readNow(key).found);
    }

    // `vigil status --profile NAME` reaches a server that requires a password with the one the
    // keyring keeps; without a keyring it says so and the server refuses it.
    void commandLineReadsProfileAndKeyring()
    {
        if (!keyringRuns())
            QSKIP(qPrintable(QStringLiteral("no keyring: %1").arg(m_keyring ? m_keyring->why() : m_bus->why())));
        if (const QString missing = vigilTestMissing(false); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        RedisFixture redis;
        const int node = redis.startServer(QStringLiteral("locked"), {QStringLiteral("requirepass kept-in-keyring")});
        QVERIFY2(node >= 0, qPrintable(redis.error()));
        QTemporaryDir config;
        const ProfileStore store(config.filePath(QStringLiteral("vigil/vigil/profiles")));
        Profile profile;
        profile.name = QStringLiteral("locked");
        profile.servers = {redis.uri(node).toDisplayString()};
        profile.rememberPasswords = true;
        QString error;
        QVERIFY2(store.save(profile, &error), qPrintable(error));
        QVERIFY(Keyring::writeNow(Keyring::keyFor(profile.name, redis.uri(node)), QStringLiteral("kept-in-keyring")).ok);

        QProcessEnvironment env;
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), m_bus->address());
        env.insert(QStringLiteral("REDISCLI_AUTH"), QString());
        VigilRun run = runVigil({QStringLiteral("status"), QStringLiteral("--profile"), QStringLiteral("locked")}, env);
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QVERIFY2(run.output.contains(QStringLiteral("master")), qPrintable(run.output));
        QVERIFY(!run.output.contains(QStringLiteral("kept-in-keyring")));

        // The command line's targets add to the profile's.
        const int open = redis.startServer(QStringLiteral("open"));
        QVERIFY2(open >= 0, qPrintable(redis.error()));
        run = runVigil({QStringLiteral("status"), QStringLiteral("--profile"), QStringLiteral("locked"), QStringLiteral("--connect"),
                        redis.uri(open).toDisplayString()},
                       env);
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QVERIFY2(run.output.contains(redis.uri(node).address()) && run.output.contains(redis.uri(open).address()), qPrintable(run.output));

        run = runVigil({QStringLiteral("status"), QStringLiteral("--profile"), QStringLiteral("nosuch")}, env);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.output.contains(QStringLiteral("no profile \"nosuch\" (saved: locked)")), qPrintable(run.output));

        // A bus with no keyring on it: said, and the server's refusal reported.
        PrivateBus bare;
        QVERIFY2(!bare.address().isEmpty(), qPrintable(bare.why()));
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), bare.address());
        run = runVigil({QStringLiteral("status"), QStringLiteral("--profile"), QStringLiteral("locked")}, env);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains(QStringLiteral("cannot be read from the keyring")), qPrintable(run.output));
        QVERIFY2(run.output.contains(QStringLiteral("auth failed")) && run.output.contains(QStringLiteral("NOAUTH")), qPrintable(run.output));
    }

    // A target given without its password: the window asks for it once, connects with it, and
    // keeps it in the keyring when asked to; the profile's file never holds it.
    void windowAsksForPasswordAndKeepsIt()
    {
        if (!keyringRuns())
            QSKIP(qPrintable(QStringLiteral("no keyring: %1").arg(m_keyring ? m_keyring->why() : m_bus->why())));
        if (const QString missing = RedisFixture::missing(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        RedisFixture redis;
        const int node = redis.startServer(QStringLiteral("locked"), {QStringLiteral("requirepass typed-once")});
        QVERIFY2(node >= 0, qPrintable(redis.error()));
        ConnectionOptions target = redis.options(node);
        target.uri.password.clear();
        Window w(QStringLiteral("asks"), {target});
        QVERIFY(w.isValid());
        MainWindow &window = *w.window;
        Monitor &monitor = *w.monitor;
        Journal &journal = w.journal;
        monitor.start();

        PasswordDialog *dialog = nullptr;
        QVERIFY(spinUntil(
            [&] {
                dialog = window.findChild<PasswordDialog *>();
                return dialog && dialog->isVisible();
            },
            10000));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("password")), QStringLiteral("typed-once"));
        dialog->findChild<QCheckBox *>(QStringLiteral("rememberPassword"))->setChecked(true);
        dialog->accept();
        QVERIFY(spinUntil([&] { return monitor.connectedCount() == 1; }, 10000));
        const QString key = Keyring::keyFor(QStringLiteral("asks"), target.uri);
        QVERIFY(spinUntil([&] { return Keyring::readNow(key).found; }, 10000));
        QCOMPARE(Keyring::readNow(key).password, QStringLiteral("typed-once"));
        QString error;
        const std::optional<Profile> saved = ProfileStore().load(QStringLiteral("asks"), &error);
        QVERIFY2(saved, qPrintable(error));
        QVERIFY(saved->rememberPasswords);
        QFile file(ProfileStore().directory() + QStringLiteral("/asks.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("typed-once"));
        QTest::qWait(1500); // connected now: no second question
        QCOMPARE(window.findChildren<PasswordDialog *>().size(), 0);
        // Nor did the password reach the journal, which says the server was reconnected with it.
        QVERIFY(journal.commitNow());
        JournalQuery changes;
        changes.kindPrefix = QStringLiteral("monitor.targets_changed");
        const QList<Event> changed = journal.query(changes);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().data.value(QStringLiteral("reconnected")).toArray().size(), 1);
        QVERIFY(changed.first().data.value(QStringLiteral("added")).toArray().isEmpty());
        QVERIFY(changed.first().data.value(QStringLiteral("removed")).toArray().isEmpty());
        for (const Event &e : journal.query({}))
            QVERIFY2(!e.message.contains(QStringLiteral("typed-once")) && !QJsonDocument(e.data).toJson().contains("typed-once"),
                     qPrintable(e.message));
        monitor.stop();
        window.close();
    }

    // File > Targets edits the rest of the profile too: the poll period applies at once, channels
    // are saved for the next start, a TLS file that is not there keeps the dialog open.
    void targetsDialogEditsTheProfile()
    {
        Window w(QStringLiteral("settings"));
        QVERIFY(w.isValid());
        MainWindow &window = *w.window;
        QString refusal;
        bool stayedOpen = false;
        QTimer::singleShot(0, this, [&] {
            TargetsDialog *dialog = addTarget(QStringLiteral("redis://127.0.0.1:1"));
            if (!dialog)
                return;
            dialog->findChild<QLineEdit *>(QStringLiteral("settingsChannels"))->setText(QStringLiteral("beats, more-beats"));
            dialog->findChild<QSpinBox *>(QStringLiteral("settingsPoll"))->setValue(2500);
            dialog->findChild<QSpinBox *>(QStringLiteral("settingsIncidentGap"))->setValue(2);
            auto *ca = dialog->findChild<QLineEdit *>(QStringLiteral("settingsTlsCa"));
            ca->setText(QStringLiteral("/nonexistent/ca.pem"));
            dialog->accept();
            stayedOpen = dialog->isVisible();
            refusal = dialog->findChild<QLabel *>(QStringLiteral("targetError"))->text();
            ca->clear();
            dialog->accept();
        });
        window.editTargets();
        QVERIFY(stayedOpen);
        QVERIFY2(refusal.contains(QStringLiteral("/nonexistent/ca.pem")), qPrintable(refusal));
        QCOMPARE(w.monitor->pollInterval(), 2500);
        QString error;
        const std::optional<Profile> saved = ProfileStore().load(QStringLiteral("settings"), &error);
        QVERIFY2(saved, qPrintable(error));
        QCOMPARE(saved->channels, (QStringList{QStringLiteral("beats"), QStringLiteral("more-beats")}));
        QCOMPARE(saved->patterns, QStringList{});
        QCOMPARE(saved->pollIntervalMs, 2500);
        QCOMPARE(saved->incidentGapMs, 120'000);
        QCOMPARE(saved->servers, QStringList{QStringLiteral("redis://127.0.0.1:1")});
        window.close();
    }

    // Without a keyring, asking to remember passwords says that it cannot, and the profile does not
    // claim to keep them. Runs last: it stops this run's keyring.
    void withoutKeyringRememberingIsRefused()
    {
        if (m_keyring)
            m_keyring->stop();
        Window w(QStringLiteral("nokeyring"));
        QVERIFY(w.isValid());
        MainWindow &window = *w.window;
        QString warning;
        bool sawRemember = false;
        QTimer::singleShot(0, this, [&] {
            TargetsDialog *dialog = addTarget(QStringLiteral("redis://:pw@127.0.0.1:1"));
            if (!dialog)
                return;
            auto *remember = dialog->findChild<QCheckBox *>(QStringLiteral("rememberPasswords"));
            sawRemember = remember->isEnabled();
            remember->setChecked(true);
            dialog->accept();
        });
        window.editTargets();
        QVERIFY(sawRemember);
        // The keyring answers later; the window says so then.
        QMessageBox *box = nullptr;
        QVERIFY(spinUntil([&] { return (box = window.findChild<QMessageBox *>()) != nullptr && box->isVisible(); }, 70'000));
        warning = box->text();
        box->accept();
        QVERIFY2(warning.contains(QStringLiteral("cannot remember passwords")), qPrintable(warning));
        QString error;
        const std::optional<Profile> saved = ProfileStore().load(QStringLiteral("nokeyring"), &error);
        QVERIFY2(saved, qPrintable(error));
        QVERIFY(!saved->rememberPasswords);
        QCOMPARE(saved->servers, QStringList{QStringLiteral("redis://127.0.0.1:1")});
        window.close();
    }
};

QTEST_MAIN(TestProfiles)
#include "tst_profiles.moc"
