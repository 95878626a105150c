// A network namespace joined to this one by a veth pair, for partitions in tests (root only;
// slow links are DelayRelay's, as this kernel has no netem). The far end is `inside()`, this end `outside()`; a server started in the namespace
// (LocalTopology::placeInNamespace) binds `inside()`, the others bind `outside()` to be reachable
// from it. Traffic goes only between the two ends.
#pragma once

#include <QString>

namespace vigil::test {

class NetworkLab
{
public:
    NetworkLab();
    ~NetworkLab();
    NetworkLab(const NetworkLab &) = delete;
    NetworkLab &operator=(const NetworkLab &) = delete;

    // Empty when the namespace and its link are up; else why not, for QSKIP.
    QString missing() const { return m_missing; }
    QString netns() const { return m_netns; }
    QString inside() const { return m_inside; }
    QString outside() const { return m_outside; }

    // Every packet between the ends is dropped silently, both ways (no reset, no unreachable):
    // connections hang as across a broken network. heal() lets them through again.
    bool partition();
    bool heal();

private:
    bool tc(bool insideEnd, const QStringList &args, QString *error = nullptr) const;

    QString m_netns, m_outerLink, m_innerLink, m_inside, m_outside, m_missing;
};

} // namespace vigil::test
