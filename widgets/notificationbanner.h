// A strip across the top of the window that tells of an incident when no desktop notification
// server can: what happened, a button that shows the incident, and one that dismisses the strip.
#pragma once

#include "incidents/alerts.h"

#include <QFrame>
#include <QHash>

class QLabel;
class QPushButton;

namespace vigil {

class NotificationBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NotificationBanner)

public:
    explicit NotificationBanner(QWidget *parent = nullptr);

    // Takes `notice` in: the banner shows the worst incident still open (the most recent of the
    // worst), or when none is, the latest resolution. Dismissing it forgets what it held.
    void showNotice(const IncidentNotice &notice);
    QString text() const;
    // The key of the notice shown (IncidentNotice::key), -1 when none.
    qint64 key() const { return m_shown; }

Q_SIGNALS:
    // "Show Incident": the key of the notice shown.
    void showRequested(qint64 key);

protected:
    void changeEvent(QEvent *event) override;

private:
    void present(const IncidentNotice &notice);
    // The ground tinted with the severity shown, over the palette's base of the moment.
    void tint();

    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_show;
    QHash<qint64, IncidentNotice> m_open; // by key: notices of incidents not yet resolved
    QHash<qint64, qint64> m_order;        // by key: when its last notice came, in arrival order
    qint64 m_arrivals = 0;
    qint64 m_shown = -1;
    Severity m_shownSeverity = Severity::Info;
    bool m_tinting = false;
};

} // namespace vigil
