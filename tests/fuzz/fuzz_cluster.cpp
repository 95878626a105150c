// Fuzz target: CLUSTER NODES text, and the events between the view it gives and a view of its
// second half (nodes that change, fail, go).
#include "fuzzinput.h"

#include "topology/clusterparser.h"

using namespace vigil;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = fuzz::bytes(data, size);
    ClusterView before, after;
    before.nodes = parseClusterNodes(input);
    after.nodes = parseClusterNodes(input.mid(input.size() / 2));
    compareClusterViews(nullptr, before, 0);
    compareClusterViews(&before, after, 1000);
    return 0;
}
