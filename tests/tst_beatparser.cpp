// Heartbeat payloads: plain, JSON, and every kind of malformed beat.
#include "heartbeat/beatparser.h"

#include <QTest>

using namespace vigil;

// The rows live outside the test class: moc does not read raw string literals.
void validRows()
{
    QTest::addColumn<QByteArray>("channel");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("node");
    QTest::addColumn<bool>("json");
    QTest::addColumn<qint64>("seq"); // -1: none
    QTest::addColumn<double>("ts");  // 0: none
    QTest::addColumn<int>("intervalMs");
    QTest::addColumn<QByteArray>("role");
    QTest::newRow("classic recipe") << QByteArray("heartbeat") << QByteArray("alive") << QByteArray("heartbeat") << false << qint64(-1) << 0.0 << 0
                                    << QByteArray();
    QTest::newRow("empty plain") << QByteArray("heartbeat:x") << QByteArray() << QByteArray("heartbeat:x") << false << qint64(-1) << 0.0 << 0
                                 << QByteArray();
    QTest::newRow("plain starting with digit") << QByteArray("hb") << QByteArray("1 alive") << QByteArray("hb") << false << qint64(-1) << 0.0 << 0
                                               << QByteArray();
    QTest::newRow("plain unicode") << QByteArray("hb") << QByteArray("vivant ✓") << QByteArray("hb") << false << qint64(-1) << 0.0 << 0
                                   << QByteArray();
    QTest::newRow("full json") << QByteArray("heartbeat:api-1")
                               << QByteArray(R"({"node":"api-1","seq":42,"ts":1764130333.123,"interval_ms":1000,"role":"primary"})")
                               << QByteArray("api-1") << true << qint64(42) << 1764130333.123 << 1000 << QByteArray("primary");
    QTest::newRow("ts in ms") << QByteArray("c") << QByteArray(R"({"ts":1764130333123})") << QByteArray("c") << true << qint64(-1) << 1764130333.123
                              << 0 << QByteArray();
    QTest::newRow("node from channel") << QByteArray("heartbeat:w") << QByteArray(R"({"seq":1})") << QByteArray("heartbeat:w") << true << qint64(1)
                                       << 0.0 << 0 << QByteArray();
    QTest::newRow("empty node uses channel") << QByteArray("c") << QByteArray(R"({"node":""})") << QByteArray("c") << true << qint64(-1) << 0.0 << 0
                                             << QByteArray();
    QTest::newRow("unknown keys kept and ignored") << QByteArray("c")
                                                   << QByteArray(R"( { "extra" : {"a":[1,2,{"b":null}],"t":true}, "node" : "n1" , "x":-1.5e3 } )")
                                                   << QByteArray("n1") << true << qint64(-1) << 0.0 << 0 << QByteArray();
    QTest::newRow("escapes in node") << QByteArray("c") << QByteArray(R"({"node":"a\"b\\c\u00e9\ud83d\ude00"})")
                                     << QByteArray("a\"b\\c\xc3\xa9\xf0\x9f\x98\x80") << true << qint64(-1) << 0.0 << 0 << QByteArray();
    QTest::newRow("empty object") << QByteArray("c") << QByteArray("{}") << QByteArray("c") << true << qint64(-1) << 0.0 << 0 << QByteArray();
    // JSON has no limit on numbers: an integer beyond 64 bits in a field Vigil does not read is fine.
    QTest::newRow("big integer elsewhere") << QByteArray("c") << QByteArray(R"({"node":"a","trace":123456789012345678901234567890})")
                                           << QByteArray("a") << true << qint64(-1) << 0.0 << 0 << QByteArray();
}

void malformedRows()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("error");
    const int json = int(BeatError::InvalidJson), notObject = int(BeatError::NotAnObject), field = int(BeatError::BadField);
    QTest::newRow("truncated") << QByteArray(R"({"node":"a")") << json;
    QTest::newRow("trailing comma") << QByteArray(R"({"node":"a",})") << json;
    QTest::newRow("single quotes") << QByteArray("{'node':'a'}") << json;
    QTest::newRow("trailing garbage") << QByteArray(R"({"seq":1} x)") << json;
    QTest::newRow("bad escape") << QByteArray(R"({"node":"\q"})") << json;
    QTest::newRow("lone surrogate") << QByteArray(R"({"node":"\ud800"})") << json;
    QTest::newRow("control char") << QByteArray("{\"node\":\"a\nb\"}") << json;
    QTest::newRow("leading zero") << QByteArray(R"({"seq":01})") << json;
    QTest::newRow("bare brace") << QByteArray("{") << json;
    QTest::newRow("array") << QByteArray("[1,2,3]") << notObject;
    QTest::newRow("number") << QByteArray("42") << notObject;
    QTest::newRow("string") << QByteArray("\"alive\"") << notObject;
    QTest::newRow("null") << QByteArray("null") << notObject;
    QTest::newRow("seq string") << QByteArray(R"({"seq":"1"})") << field;
    QTest::newRow("seq fraction") << QByteArray(R"({"seq":1.5})") << field;
    QTest::newRow("node number") << QByteArray(R"({"node":7})") << field;
    QTest::newRow("negative ts") << QByteArray(R"({"ts":-5})") << field;
    QTest::newRow("ts 1e308") << QByteArray(R"({"ts":1e308})") << field;
    QTest::newRow("ts past the year 5000") << QByteArray(R"({"ts":1e17})") << field;
    QTest::newRow("seq beyond 9e15") << QByteArray(R"({"seq":9.1e15})") << field;
    QTest::newRow("zero interval") << QByteArray(R"({"interval_ms":0})") << field;
    QTest::newRow("service number") << QByteArray(R"({"service":1})") << field;
    QTest::newRow("negative epoch") << QByteArray(R"({"epoch":-1})") << field;
    QTest::newRow("epoch fraction") << QByteArray(R"({"epoch":2.5})") << field;
    QTest::newRow("epoch string") << QByteArray(R"({"epoch":"3"})") << field;
    QTest::newRow("invalid utf8") << QByteArray("al\xffive") << int(BeatError::InvalidUtf8);
    QTest::newRow("overlong utf8") << QByteArray("\xc0\xaf") << int(BeatError::InvalidUtf8);
    QTest::newRow("utf8 surrogate") << QByteArray("\xed\xa0\x80") << int(BeatError::InvalidUtf8);
    QTest::newRow("truncated utf8") << QByteArray("ok\xe2\x9c") << int(BeatError::InvalidUtf8);
    QTest::newRow("too large") << QByteArray(kMaxBeatPayload + 1, 'a') << int(BeatError::TooLarge);
    // A payload that is not JSON is invalid JSON, even where a field before the fault is wrong.
    QTest::newRow("truncated after a key") << QByteArray(R"({"node":)") << json;
    QTest::newRow("bad field, then invalid") << QByteArray(R"({"seq":"x","y":tru})") << json;
    QTest::newRow("bad field, then valid") << QByteArray(R"({"seq":"x","y":true})") << field;
    QTest::newRow("deep nesting") << QByteArray("{\"a\":" + QByteArray(100, '[') + QByteArray(100, ']') + "}") << json;
}

class TestBeatParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valid_data() { validRows(); }

    void valid()
    {
        QFETCH(QByteArray, channel);
        QFETCH(QByteArray, payload);
        const BeatParse r = parseBeat(channel, payload);
        QVERIFY2(r.ok(), qPrintable(r.detail));
        QTEST(r.beat.node, "node");
        QTEST(r.beat.json, "json");
        QFETCH(qint64, seq);
        QCOMPARE(r.beat.hasSeq, seq >= 0);
        if (seq >= 0)
            QCOMPARE(r.beat.seq, seq);
        QFETCH(double, ts);
        QCOMPARE(r.beat.hasTs, ts > 0);
        if (ts > 0)
            QVERIFY(std::abs(r.beat.ts - ts) < 1e-6);
        QTEST(r.beat.intervalMs, "intervalMs");
        QTEST(r.beat.role, "role");
    }

    void malformed_data() { malformedRows(); }

    void malformed()
    {
        QFETCH(QByteArray, payload);
        QFETCH(int, error);
        const BeatParse r = parseBeat("heartbeat", payload);
        QVERIFY(!r.ok());
        QCOMPARE(int(r.error), error);
        QVERIFY(!r.detail.isEmpty());
        QVERIFY(!beatErrorName(r.error).isEmpty());
    }

    // A service's member: the service it beats for and its primary's fencing token.
    void serviceAndEpoch()
    {
        const BeatParse r = parseBeat("heartbeat", R"({"node":"orders-1","service":"orders","role":"primary","epoch":7,"seq":3})");
        QVERIFY(r.ok());
        QCOMPARE(r.beat.service, QByteArray("orders"));
        QCOMPARE(r.beat.epoch, qint64(7));
        QCOMPARE(r.beat.role, QByteArray("primary"));
        const BeatParse plain = parseBeat("heartbeat:orders-1", "alive");
        QVERIFY(plain.beat.service.isEmpty());
        QCOMPARE(plain.beat.epoch, qint64(-1));
    }

    void exactlyAtTheLimitIsFine() { QVERIFY(parseBeat("c", QByteArray(kMaxBeatPayload, 'a')).ok()); }

    // Every prefix and every single-byte corruption of a valid beat parses or fails cleanly.
    void noCrashOnMutations()
    {
        const QByteArray good(R"({"node":"api-1","seq":42,"ts":1764130333.123,"interval_ms":1000,"role":"primary","x":[1,{"y":"\u00e9"}]})");
        int failures = 0;
        for (int i = 0; i <= good.size(); ++i)
            failures += parseBeat("c", good.left(i)).ok() ? 0 : 1;
        for (int i = 0; i < good.size(); ++i) {
            for (const char c : {'\0', '"', '{', '}', '\\', ',', '\xff', 'x'}) {
                QByteArray m = good;
                m[i] = c;
                failures += parseBeat("c", m).ok() ? 0 : 1;
            }
        }
        QVERIFY(failures > good.size()); // most corruptions are caught
    }
};

QTEST_APPLESS_MAIN(TestBeatParser)
#include "tst_beatparser.moc"
