// A topology as plain data, for tests that need no server: what the monitor would hold after its
// polls, written as JSON. Servers carry their INFO text line by line (parsed as a poll's would be),
// sentinels the groups they watch, and a cluster its CLUSTER NODES lines:
//
//   {"servers": [{"address": "10.0.0.1:6379", "connected": true, "error": "",
//                 "info": ["role:master", "slave0:ip=10.0.0.2,port=6379,state=online,offset=1000,lag=0", ...]}],
//    "sentinels": [{"address": "10.0.0.9:26379",
//                   "groups": [{"name": "orders", "master": "10.0.0.1:6379", "flags": ["master"],
//                               "failover_state": "", "down_after_ms": 5000, "failover_timeout_ms": 60000,
//                               "replicas": ["10.0.0.2:6379"],
//                               "sentinels": ["10.0.0.9:26380"]}]}],
//    "cluster": {"observer": "10.0.0.1:7000", "nodes": ["<CLUSTER NODES line>", ...]}}
#pragma once

#include "monitor/targetstatus.h"
#include "topology/clusterparser.h"

#include <QJsonObject>

#include <optional>

namespace vigil::test {

struct TopologyFixture
{
    QList<TargetStatus> servers; // then the sentinels, as Monitor::status() lists them
    std::optional<ClusterView> cluster;

    const ClusterView *clusterView() const { return cluster ? &*cluster : nullptr; }
};

// False, with `error` set, when the JSON is not a topology.
bool loadTopology(const QJsonObject &json, TopologyFixture *out, QString *error);

} // namespace vigil::test
