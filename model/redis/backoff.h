// Reconnect delays: exponential backoff with "equal jitter", so many clients do not reconnect in step.
#pragma once

#include <functional>

namespace vigil {

class Backoff final
{
public:
    // random() must return a value in [0, 1); the default draws from QRandomGenerator.
    explicit Backoff(int minMs = 100, int maxMs = 5000, std::function<double()> random = {});

    // The delay before the next attempt: half of the current step plus a random half.
    int next();
    void reset() { m_attempt = 0; }
    int attempt() const { return m_attempt; }

private:
    int m_minMs;
    int m_maxMs;
    int m_attempt = 0;
    std::function<double()> m_random;
};

} // namespace vigil
