// Reconnect backoff: exponential growth from the minimum to the cap, with jitter in [step/2, step).
#include "redis/backoff.h"

#include <QTest>

using namespace vigil;

class TestBackoff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void growsAndCaps()
    {
        Backoff low(100, 5000, [] { return 0.0; });
        QList<int> delays;
        for (int i = 0; i < 9; ++i)
            delays << low.next();
        QCOMPARE(delays, (QList<int>{50, 100, 200, 400, 800, 1600, 2500, 2500, 2500}));

        Backoff high(100, 5000, [] { return 0.999999; });
        QCOMPARE(high.next(), 99);
        for (int i = 0; i < 30; ++i)
            high.next();
        QCOMPARE(high.next(), 4999);
    }

    void resetStartsOver()
    {
        Backoff b(100, 5000, [] { return 0.5; });
        b.next();
        b.next();
        b.next();
        QCOMPARE(b.attempt(), 3);
        b.reset();
        QCOMPARE(b.next(), 75);
    }

    void defaultRandomStaysInRange()
    {
        Backoff b(100, 5000);
        for (int i = 0; i < 200; ++i) {
            const int step = std::min(100 << std::min(i, 20), 5000);
            const int d = b.next();
            QVERIFY2(d >= step / 2 && d <= step, qPrintable(QString::number(d)));
        }
    }
};

QTEST_APPLESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
