// ROLE parser.
#include "roleparser.h"

namespace vigil {

namespace {

bool toInt(const Reply &r, qint64 *out)
{
    if (r.isInteger()) {
        *out = r.integer;
        return true;
    }
    bool ok = false;
    const qint64 v = r.isString() ? r.string.toLongLong(&ok) : 0;
    if (ok)
        *out = v;
    return ok;
}

bool toPort(const Reply &r, quint16 *out)
{
    qint64 v = 0;
    if (!toInt(r, &v) || v <= 0 || v > 65535)
        return false;
    *out = quint16(v);
    return true;
}

} // namespace

bool parseRole(const Reply &reply, RoleInfo *out)
{
    if (!reply.isArray() || reply.elements.empty() || !reply.elements[0].isString())
        return false;
    const QByteArray kind = reply.elements[0].string;
    const auto &e = reply.elements;
    RoleInfo role;
    if (kind == "master") {
        if (e.size() != 3 || !toInt(e[1], &role.offset) || !e[2].isArray())
            return false;
        role.kind = RoleInfo::Kind::Master;
        for (const Reply &r : e[2].elements) {
            RoleInfo::Replica replica;
            if (!r.isArray() || r.elements.size() < 3 || !r.elements[0].isString() || !toPort(r.elements[1], &replica.port)
                || !toInt(r.elements[2], &replica.offset))
                return false;
            replica.host = r.elements[0].text();
            role.replicas << replica;
        }
    } else if (kind == "slave") {
        if (e.size() != 5 || !e[1].isString() || !toPort(e[2], &role.masterPort) || !e[3].isString() || !toInt(e[4], &role.offset))
            return false;
        role.kind = RoleInfo::Kind::Replica;
        role.masterHost = e[1].text();
        role.linkState = e[3].text();
    } else if (kind == "sentinel") {
        if (e.size() != 2 || !e[1].isArray())
            return false;
        role.kind = RoleInfo::Kind::Sentinel;
        for (const Reply &name : e[1].elements) {
            if (!name.isString())
                return false;
            role.monitoredMasters << name.text();
        }
    } else {
        return false;
    }
    *out = role;
    return true;
}

} // namespace vigil
