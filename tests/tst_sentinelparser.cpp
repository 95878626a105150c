// Sentinel replies, Sentinel event payloads and their de-duplication across sentinels.
#include "redis/codec.h"
#include "topology/failoversummary.h"
#include "topology/sentinelparser.h"

#include "redisfixture.h"

#include <QJsonArray>
#include <QTest>

using namespace vigil;

namespace {

QByteArray fixture(const QString &name)
{
    return test::readTestData(QStringLiteral("sentinel/") + name);
}

Reply decode(const QByteArray &resp)
{
    ReplyDecoder decoder;
    Reply reply;
    if (!decoder.feed(resp) || decoder.next(&reply) != ReplyDecoder::Status::Ok)
        qFatal("fixture is not one complete RESP reply");
    return reply;
}

struct Line
{
    QByteArray channel;
    QByteArray payload;
};

QList<Line> eventLines(const QString &name)
{
    QList<Line> lines;
    for (const QByteArray &line : fixture(name).split('\n')) {
        const qsizetype tab = line.indexOf('\t');
        if (tab > 0)
            lines.append({line.left(tab), line.mid(tab + 1)});
    }
    return lines;
}

} // namespace

class TestSentinelParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void master()
    {
        SentinelInstance m;
        QVERIFY(parseSentinelInstance(decode(fixture(QStringLiteral("master.resp"))), &m));
        QCOMPARE(m.name, QStringLiteral("demo"));
        QCOMPARE(m.address(), QStringLiteral("127.0.0.1:17001"));
        QCOMPARE(m.flags, QStringList{QStringLiteral("master")});
        QCOMPARE(m.quorum, 2);
        QCOMPARE(m.configEpoch, 0);
        QCOMPARE(m.numReplicas, 1);
        QCOMPARE(m.numOtherSentinels, 1);
        QVERIFY(!m.subjectivelyDown());
        QVERIFY(!m.objectivelyDown());
        QCOMPARE(m.runId.size(), 40);
        QCOMPARE(m.fields.value(QStringLiteral("down-after-milliseconds")), QStringLiteral("1000"));
    }

    void replicasAndSentinels()
    {
        const QList<SentinelInstance> replicas = parseSentinelInstances(decode(fixture(QStringLiteral("replicas.resp"))));
        QCOMPARE(replicas.size(), 1);
        QCOMPARE(replicas[0].address(), QStringLiteral("127.0.0.1:17002"));
        QCOMPARE(replicas[0].name, QStringLiteral("127.0.0.1:17002"));
        QVERIFY(replicas[0].hasFlag("slave"));
        QCOMPARE(replicas[0].masterHost, QStringLiteral("127.0.0.1"));
        QCOMPARE(replicas[0].masterPort, quint16(17001));
        QCOMPARE(replicas[0].replicaPriority, 100);
        QVERIFY(replicas[0].replicaReplOffset >= 0);

        const QList<SentinelInstance> sentinels = parseSentinelInstances(decode(fixture(QStringLiteral("sentinels.resp"))));
        QCOMPARE(sentinels.size(), 1);
        QCOMPARE(sentinels[0].address(), QStringLiteral("127.0.0.1:17012"));
        QVERIFY(sentinels[0].hasFlag("sentinel"));
    }

    void malformedReplies()
    {
        SentinelInstance s;
        QVERIFY(!parseSentinelInstance(Reply::error("ERR No such master with that name"), &s));
        QVERIFY(!parseSentinelInstance(Reply::bulk("text"), &s));
        Reply odd;
        odd.type = Reply::Type::Array;
        odd.elements = {Reply::bulk("ip"), Reply::bulk("10.0.0.1"), Reply::bulk("port"), Reply::bulk("99999")};
        QVERIFY(!parseSentinelInstance(odd, &s)); // port out of range
        odd.elements.back() = Reply::bulk("6379");
        odd.elements.push_back(Reply::bulk("dangling-key"));
        QVERIFY(parseSentinelInstance(odd, &s));
        QCOMPARE(s.address(), QStringLiteral("10.0.0.1:6379"));
        QVERIFY(parseSentinelInstances(Reply::error("ERR")).isEmpty());
    }

    void eventPayloads()
    {
        const SentinelEvent odown = parseSentinelEvent("+odown", "master demo 127.0.0.1 17001 #quorum 2/2");
        QCOMPARE(odown.instanceType, QStringLiteral("master"));
        QCOMPARE(odown.masterName, QStringLiteral("demo"));
        QCOMPARE(odown.instanceAddress(), QStringLiteral("127.0.0.1:17001"));
        QCOMPARE(odown.data().value(QStringLiteral("quorum")).toString(), QStringLiteral("2/2"));
        QCOMPARE(odown.severity(), Severity::Critical);

        const SentinelEvent selected = parseSentinelEvent("+selected-slave", "slave 127.0.0.1:17002 127.0.0.1 17002 @ demo 127.0.0.1 17001");
        QCOMPARE(selected.instanceType, QStringLiteral("slave"));
        QCOMPARE(selected.instanceAddress(), QStringLiteral("127.0.0.1:17002"));
        QCOMPARE(selected.masterName, QStringLiteral("demo"));
        QCOMPARE(selected.data().value(QStringLiteral("master")).toString(), QStringLiteral("127.0.0.1:17001"));
        QCOMPARE(selected.severity(), Severity::Info);

        const SentinelEvent roleChange =
            parseSentinelEvent("-role-change", "slave 127.0.0.1:17002 127.0.0.1 17002 @ demo 127.0.0.1 17001 new reported role is master");
        QCOMPARE(roleChange.extra, QStringLiteral("new reported role is master"));

        const SentinelEvent sw = parseSentinelEvent("+switch-master", "demo 127.0.0.1 17001 127.0.0.1 17002");
        QCOMPARE(sw.masterName, QStringLiteral("demo"));
        QCOMPARE(sw.oldAddress, QStringLiteral("127.0.0.1:17001"));
        QCOMPARE(sw.newAddress, QStringLiteral("127.0.0.1:17002"));
        QCOMPARE(sw.describe(), QStringLiteral("+switch-master demo: master 127.0.0.1:17001 -> 127.0.0.1:17002"));
        QCOMPARE(sw.data().value(QStringLiteral("new_master")).toString(), QStringLiteral("127.0.0.1:17002"));

        const SentinelEvent epoch = parseSentinelEvent("+new-epoch", "1");
        QVERIFY(epoch.instanceType.isEmpty());
        QCOMPARE(epoch.describe(), QStringLiteral("+new-epoch 1"));

        const SentinelEvent tilt = parseSentinelEvent("+tilt", "#tilt mode entered");
        QCOMPARE(tilt.severity(), Severity::Warning);
        // Garbage never throws and keeps the payload.
        const SentinelEvent junk = parseSentinelEvent("+sdown", "master demo 127.0.0.1 notaport");
        QVERIFY(junk.instanceType.isEmpty());
        QCOMPARE(junk.payload, QStringLiteral("master demo 127.0.0.1 notaport"));
        QVERIFY(parseSentinelEvent("+switch-master", "demo 1.2.3.4").newAddress.isEmpty());
    }

    // The recorded failover, as two sentinels published it: one +switch-master, +sdown, +odown
    // each in the journal, stamped with the earliest sighting and naming both sentinels.
    // Events of one millisecond keep their publication order.
    void equalTimesKeepTheirOrder()
    {
        SentinelEventMerger merger(100);
        merger.add(QStringLiteral("s:1"), "+selected-slave", "slave 127.0.0.1:2 127.0.0.1 2 @ g 127.0.0.1 1", 500);
        merger.add(QStringLiteral("s:1"), "+failover-state-send-slaveof-noone", "slave 127.0.0.1:2 127.0.0.1 2 @ g 127.0.0.1 1", 500);
        const QList<Event> events = merger.flushAll();
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].kind, QStringLiteral("sentinel.+selected-slave"));
        QCOMPARE(events[1].kind, QStringLiteral("sentinel.+failover-state-send-slaveof-noone"));
    }

    // The recorded failover becomes one summary with its phases in order.
    void failoverSummary()
    {
        SentinelEventMerger merger(2500);
        qint64 t = 1'000'000;
        for (const Line &l : eventLines(QStringLiteral("events-17011.txt")))
            merger.add(QStringLiteral("127.0.0.1:17011"), l.channel, l.payload, t += 100);
        FailoverSummary summary;
        QList<Event> summaries;
        for (const Event &e : merger.flushAll())
            summaries << summary.add(e);
        QCOMPARE(summaries.size(), 1);
        const Event &f = summaries.first();
        QCOMPARE(f.kind, QStringLiteral("sentinel.failover"));
        QCOMPARE(f.data.value(QStringLiteral("master_name")).toString(), QStringLiteral("demo"));
        QCOMPARE(f.data.value(QStringLiteral("old_master")).toString(), QStringLiteral("127.0.0.1:17001"));
        QCOMPARE(f.data.value(QStringLiteral("new_master")).toString(), QStringLiteral("127.0.0.1:17002"));
        QVERIFY(f.data.value(QStringLiteral("completed")).toBool());
        QStringList phases;
        for (const QJsonValue &p : f.data.value(QStringLiteral("phases")).toArray())
            phases << p.toObject().value(QStringLiteral("phase")).toString();
        QCOMPARE(phases,
                 (QStringList{QStringLiteral("sdown"), QStringLiteral("odown"), QStringLiteral("leader elected"), QStringLiteral("replica selected"),
                              QStringLiteral("promoted"), QStringLiteral("failover end"), QStringLiteral("switch-master")}));
        // The replica's +sdown after the switch belongs to no failover: nothing more.
        QVERIFY(summary.add(f).isEmpty());
    }

    // +failover-end-for-timeout (a replica not reconfigured in time) is followed by +failover-end and
    // +switch-master: a completed failover that timed out, in one summary, not an abort.
    void failoverEndForTimeoutIsNotAnAbort()
    {
        SentinelEventMerger merger(10);
        qint64 t = 1'000'000;
        const QList<QPair<QByteArray, QByteArray>> lines{
            {"+sdown", "master g 127.0.0.1 1"},
            {"+odown", "master g 127.0.0.1 1 #quorum 2/2"},
            {"+elected-leader", "master g 127.0.0.1 1"},
            {"+promoted-slave", "slave 127.0.0.1:2 127.0.0.1 2 @ g 127.0.0.1 1"},
            {"+failover-end-for-timeout", "master g 127.0.0.1 1"},
            {"+failover-end", "master g 127.0.0.1 1"},
            {"+switch-master", "g 127.0.0.1 1 127.0.0.1 2"},
        };
        for (const auto &[channel, payload] : lines)
            merger.add(QStringLiteral("127.0.0.1:26379"), channel, payload, t += 100);
        FailoverSummary summary;
        QList<Event> summaries;
        for (const Event &e : merger.flushAll())
            summaries << summary.add(e);
        QCOMPARE(summaries.size(), 1);
        QVERIFY(summaries.first().data.value(QStringLiteral("completed")).toBool());
        QVERIFY(summaries.first().data.value(QStringLiteral("timed_out")).toBool());
        QCOMPARE(summaries.first().data.value(QStringLiteral("new_master")).toString(), QStringLiteral("127.0.0.1:2"));
    }

    // With no replica fit to promote Sentinel aborts, and retries every failover timeout from the
    // leader's election on (no +sdown again): each attempt's summary names the master.
    void retriedFailoverNamesItsMaster()
    {
        SentinelEventMerger merger(10);
        qint64 t = 1'000'000;
        const QList<QPair<QByteArray, QByteArray>> lines{
            {"+sdown", "master g 127.0.0.1 1"},
            {"+odown", "master g 127.0.0.1 1 #quorum 2/2"},
            {"+elected-leader", "master g 127.0.0.1 1"},
            {"-failover-abort-no-good-slave", "master g 127.0.0.1 1"},
            {"+try-failover", "master g 127.0.0.1 1"},
            {"+elected-leader", "master g 127.0.0.1 1"},
            {"+failover-state-select-slave", "master g 127.0.0.1 1"},
            {"-failover-abort-no-good-slave", "master g 127.0.0.1 1"},
        };
        FailoverSummary summary;
        QList<Event> summaries;
        for (const auto &[channel, payload] : lines) {
            merger.add(QStringLiteral("127.0.0.1:26379"), channel, payload, t += 100);
            for (const Event &e : merger.flushAll())
                summaries << summary.add(e);
        }
        QCOMPARE(summaries.size(), 2);
        for (const Event &f : summaries) {
            QVERIFY(!f.data.value(QStringLiteral("completed")).toBool());
            QCOMPARE(f.data.value(QStringLiteral("old_master")).toString(), QStringLiteral("127.0.0.1:1"));
            QVERIFY2(f.message.contains(QStringLiteral("(127.0.0.1:1)")), qPrintable(f.message));
        }
    }

    void mergesTheRecordedFailover()
    {
        SentinelEventMerger merger(2500);
        const QList<Line> a = eventLines(QStringLiteral("events-17011.txt"));
        const QList<Line> b = eventLines(QStringLiteral("events-17012.txt"));
        QVERIFY(a.size() > 10);
        // 17012 reports +switch-master 800 ms before the leader: it must win the time stamp.
        qint64 t = 1'000'000;
        for (const Line &l : b)
            merger.add(QStringLiteral("127.0.0.1:17012"), l.channel, l.payload, l.channel == "+switch-master" ? t + 200 : t);
        for (const Line &l : a)
            merger.add(QStringLiteral("127.0.0.1:17011"), l.channel, l.payload, l.channel == "+switch-master" ? t + 1000 : t + 50);
        QVERIFY(merger.flush(t + 2400).isEmpty());
        QCOMPARE(merger.nextDeadline(), t + 2500);
        const QList<Event> events = merger.flush(t + 3600);
        QVERIFY(merger.flush(t + 10'000).isEmpty());
        QCOMPARE(merger.nextDeadline(), -1);

        auto ofKind = [&](const char *kind) {
            QList<Event> list;
            for (const Event &e : events)
                if (e.kind == QLatin1String(kind))
                    list << e;
            return list;
        };
        QCOMPARE(ofKind("sentinel.+switch-master").size(), 1);
        const Event sw = ofKind("sentinel.+switch-master").first();
        QCOMPARE(sw.time.toMSecsSinceEpoch(), t + 200);
        QCOMPARE(sw.source, QStringLiteral("sentinel 127.0.0.1:17012"));
        const QJsonArray seen = sw.data.value(QStringLiteral("sentinels")).toArray();
        QCOMPARE(seen.size(), 2);
        QCOMPARE(seen[1].toObject().value(QStringLiteral("sentinel")).toString(), QStringLiteral("127.0.0.1:17011"));
        QCOMPARE(sw.severity, Severity::Critical);
        QCOMPARE(ofKind("sentinel.+odown").size(), 1);
        QCOMPARE(ofKind("sentinel.+odown").first().data.value(QStringLiteral("sentinels")).toArray().size(), 2);
        // +sdown of the master and +sdown of the old master as a replica are two things.
        QCOMPARE(ofKind("sentinel.+sdown").size(), 2);
        // Only the leader went through the failover states.
        QCOMPARE(ofKind("sentinel.+elected-leader").size(), 1);
        QCOMPARE(ofKind("sentinel.+elected-leader").first().data.value(QStringLiteral("sentinels")).toArray().size(), 1);
        for (int i = 1; i < events.size(); ++i)
            QVERIFY(events[i - 1].time <= events[i].time);
    }

    void sameEventAfterTheWindowIsNew()
    {
        SentinelEventMerger merger(1000);
        QVERIFY(merger.add(QStringLiteral("s1"), "+sdown", "master demo 10.0.0.1 6379", 0));
        QVERIFY(!merger.add(QStringLiteral("s2"), "+sdown", "master demo 10.0.0.1 6379", 900));
        QCOMPARE(merger.flush(1000).size(), 1);
        QVERIFY(merger.add(QStringLiteral("s1"), "+sdown", "master demo 10.0.0.1 6379", 5000));
        QCOMPARE(merger.flushAll().size(), 1);
    }

    // Each sentinel counts the quorum it saw: still one +odown, each count kept.
    void quorumCountsDiffer()
    {
        SentinelEventMerger merger(1000);
        QVERIFY(merger.add(QStringLiteral("s1"), "+odown", "master demo 10.0.0.1 6379 #quorum 2/2", 0));
        QVERIFY(!merger.add(QStringLiteral("s2"), "+odown", "master demo 10.0.0.1 6379 #quorum 3/2", 10));
        QVERIFY(merger.add(QStringLiteral("s2"), "+odown", "master other 10.0.0.2 6379 #quorum 3/2", 10));
        const QList<Event> events = merger.flushAll();
        QCOMPARE(events.size(), 2);
        const QJsonArray seen = events[0].data.value(QStringLiteral("sentinels")).toArray();
        QCOMPARE(seen.size(), 2);
        QCOMPARE(events[0].data.value(QStringLiteral("quorum")).toString(), QStringLiteral("2/2"));
        QVERIFY(!seen[0].toObject().contains(QStringLiteral("extra")));
        QCOMPARE(seen[1].toObject().value(QStringLiteral("extra")).toString(), QStringLiteral("#quorum 3/2"));
    }
};

QTEST_GUILESS_MAIN(TestSentinelParser)
#include "tst_sentinelparser.moc"
