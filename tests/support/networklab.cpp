#include "networklab.h"

#include "redisfixture.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <unistd.h>

namespace vigil::test {

namespace {

int ip(const QStringList &args, QString *error = nullptr)
{
    QByteArray out;
    const int code = runProcess(QStringLiteral("ip"), args, &out, 10000);
    if (code != 0 && error)
        *error = QStringLiteral("ip %1: %2").arg(args.join(QLatin1Char(' ')), QString::fromUtf8(out).trimmed());
    return code;
}

// Namespaces left by a test process that was killed: theirs is gone, so is any use of them.
void removeOrphans()
{
    const QDir named(QStringLiteral("/run/netns"));
    for (const QString &name : named.entryList({QStringLiteral("vigil-lab-*")}, QDir::Files)) {
        const QString pid = name.section(QLatin1Char('-'), 2, 2);
        if (!QFileInfo::exists(QStringLiteral("/proc/") + pid))
            ip({QStringLiteral("netns"), QStringLiteral("del"), name});
    }
}

} // namespace

NetworkLab::NetworkLab()
{
    static int serial = 0;
    ++serial;
    if (::geteuid() != 0) {
        m_missing = QStringLiteral("network namespaces need root");
        return;
    }
    removeOrphans();
    const qint64 pid = QCoreApplication::applicationPid();
    m_netns = QStringLiteral("vigil-lab-%1-%2").arg(pid).arg(serial);
    // Interface names have at most 15 characters.
    m_outerLink = QStringLiteral("vl%1o%2").arg(pid).arg(serial);
    m_innerLink = QStringLiteral("vl%1i%2").arg(pid).arg(serial);
    const QString subnet = QStringLiteral("10.%1.%2.").arg(100 + pid % 100).arg(serial % 250);
    m_outside = subnet + QLatin1Char('1');
    m_inside = subnet + QLatin1Char('2');
    const QString in = QStringLiteral("netns");
    const QList<QStringList> steps{
        {in, QStringLiteral("add"), m_netns},
        {QStringLiteral("link"), QStringLiteral("add"), m_outerLink, QStringLiteral("type"), QStringLiteral("veth"), QStringLiteral("peer"),
         QStringLiteral("name"), m_innerLink},
        {QStringLiteral("link"), QStringLiteral("set"), m_innerLink, in, m_netns},
        {QStringLiteral("addr"), QStringLiteral("add"), m_outside + QStringLiteral("/30"), QStringLiteral("dev"), m_outerLink},
        {QStringLiteral("link"), QStringLiteral("set"), m_outerLink, QStringLiteral("up")},
        {QStringLiteral("-n"), m_netns, QStringLiteral("addr"), QStringLiteral("add"), m_inside + QStringLiteral("/30"), QStringLiteral("dev"),
         m_innerLink},
        {QStringLiteral("-n"), m_netns, QStringLiteral("link"), QStringLiteral("set"), m_innerLink, QStringLiteral("up")},
        {QStringLiteral("-n"), m_netns, QStringLiteral("link"), QStringLiteral("set"), QStringLiteral("lo"), QStringLiteral("up")},
    };
    for (const QStringList &step : steps)
        if (ip(step, &m_missing) != 0) {
            m_missing = QStringLiteral("cannot make a network namespace: ") + m_missing;
            return;
        }
}

NetworkLab::~NetworkLab()
{
    if (m_netns.isEmpty())
        return;
    // The veth pair goes with its inner end.
    ip({QStringLiteral("netns"), QStringLiteral("del"), m_netns});
    ip({QStringLiteral("link"), QStringLiteral("del"), m_outerLink});
}

bool NetworkLab::tc(bool insideEnd, const QStringList &args, QString *error) const
{
    QStringList argv;
    if (insideEnd)
        argv << QStringLiteral("netns") << QStringLiteral("exec") << m_netns;
    argv << QStringLiteral("tc") << QStringLiteral("qdisc") << args.first() << QStringLiteral("dev") << (insideEnd ? m_innerLink : m_outerLink)
         << QStringLiteral("root") << args.mid(1);
    QByteArray out;
    const int code = insideEnd ? runProcess(QStringLiteral("ip"), argv, &out) : runProcess(QStringLiteral("tc"), argv.mid(1), &out);
    if (code != 0 && error)
        *error = QString::fromUtf8(out).trimmed();
    return code == 0;
}

bool NetworkLab::partition()
{
    // A token bucket one byte deep holding one byte: every packet is larger, and is dropped.
    const QStringList drop{QStringLiteral("replace"), QStringLiteral("tbf"), QStringLiteral("rate"),  QStringLiteral("1kbit"),
                           QStringLiteral("burst"),   QStringLiteral("1"),   QStringLiteral("limit"), QStringLiteral("1")};
    return tc(false, drop) && tc(true, drop);
}

bool NetworkLab::heal()
{
    const bool outer = tc(false, {QStringLiteral("del")});
    const bool inner = tc(true, {QStringLiteral("del")});
    return outer && inner;
}

} // namespace vigil::test
