// Services: the nodes that beat for one application (a primary and its standbys) watched as one.
// Who is active, whether a standby is ready, how long each takeover left the service without a
// primary, and two primaries at once. Pure logic on injected clocks, like the heartbeat tracker:
// callers pass the beats, the nodes' detector states and the time in, and journal the events.
#pragma once

#include "heartbeat/tracker.h"
#include "journal/event.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace vigil {

enum class ServiceState { Healthy, Degraded, Down, Split };
QString serviceStateName(ServiceState state);

// One beat, as much of it as a service needs.
struct ServiceBeat
{
    QString node;
    QString service;      // from the beat ("service"), or empty (the operator may group the node)
    QString role;         // "primary", "standby", any other word; empty for a plain beat
    qint64 epoch = -1;    // the primary's fencing token, -1 when the beat carries none
    qint64 seq = -1;      // the beat's sequence number, -1 when it carries none
    qint64 senderMs = -1; // the sender's clock, -1 when the beat carries none
    qint64 arrivalMs = 0; // ours
    int intervalMs = 0;   // announced period, 0 when not announced
    QString carrier;      // the server it came through
};

struct ServiceMember
{
    QString node;
    QString role; // its latest role ("primary" for a plain node of a grouped service)
    NodeState state = NodeState::Unknown;
    qint64 lastBeatMs = -1; // arrival of its latest beat
    qint64 epoch = -1;      // the epoch of its latest beat (a primary's lease), -1 if none
    QString carrier;        // the server its beats come through
};

struct ServiceTakeover
{
    QString from, to;
    qint64 atMs = 0; // the new primary's first beat as primary (arrival)
    qint64 gapMs = 0;
    QString clock; // "sender" when both senders' clocks agree with ours, else "arrival"
};

struct ServiceStatus
{
    QString name;
    ServiceState state = ServiceState::Down;
    QStringList primaries; // up and claiming primary
    QList<ServiceMember> members;
    QList<ServiceTakeover> takeovers; // the latest first, at most kHistory
};

class ServiceTracker
{
public:
    static constexpr int kHistory = 50;
    // Senders' clocks within this of ours (both ends of a takeover) measure its gap.
    static constexpr qint64 kClockAgreementMs = 250;
    // A new service is judged once its members had this long to be heard (and two intervals).
    static constexpr qint64 kSettleMs = 3000;

    // The operator's grouping: service name -> nodes (`--service NAME=NODE[,NODE...]`). A node of
    // a grouped service that beats plain text is its primary while it beats. May change at any time.
    void setGroups(const QHash<QString, QStringList> &groups);

    // A node's beat. Returns what it says at once: a role change, a takeover, a stale primary.
    QList<Event> beat(const ServiceBeat &b);
    // A node's detector state changed.
    void setState(const QString &node, NodeState state);
    // Judges every service at `nowMs`: returns the state changes (down, degraded, healthy, split).
    QList<Event> update(qint64 nowMs);

    QList<ServiceStatus> services() const;
    const ServiceStatus *service(const QString &name) const;

private:
    // A node's claims to be primary: the latest, and the first of the current run of them.
    struct Claim
    {
        qint64 arrivalMs = -1;
        qint64 senderMs = -1;
        qint64 firstArrivalMs = -1;
        qint64 firstSenderMs = -1;
        qint64 seq = -1;
    };
    struct Service
    {
        ServiceStatus status;
        qint64 createdMs = -1; // its first beat, or the first judgement of a group none beat in yet
        bool judged = false;   // a state was reported once
        qint64 highestEpoch = -1;
        QSet<QString> staleReported;  // node@epoch said stale once
        QString primary;              // the primary of the latest takeover, or the first one seen
        QHash<QString, Claim> claims; // by node
        qint64 splitSinceMs = -1;     // two claimed primary within one interval since then
        qint64 intervalMs = 1000;     // the longest announced period of its members (1 s if none)
        bool announced = false;
        bool hadStandby = false; // a member beat as a standby once: redundancy is expected
    };
    QString serviceOf(const ServiceBeat &b) const;
    ServiceMember &member(Service &s, const QString &node);

    QHash<QString, QStringList> m_groups;
    QHash<QString, QString> m_groupOf;   // node -> grouped service
    QHash<QString, QString> m_serviceOf; // node -> service it beats for
    QSet<QString> m_named;               // nodes whose beats name their service
    QHash<QString, Service> m_services;
};

} // namespace vigil
