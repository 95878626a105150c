// A strip across the top of the window that tells of an incident when no desktop notification
// server can: what happened, a button that shows the incident, and one that dismisses the strip.
#pragma once

#include "incidents/alerts.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace vigil {

class NotificationBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NotificationBanner)

public:
    explicit NotificationBanner(QWidget *parent = nullptr);

    // Shows `notice` (the latest one wins); a resolution of the incident shown replaces it.
    void showNotice(const IncidentNotice &notice);
    QString text() const;
    qint64 incidentId() const { return m_incidentId; }

Q_SIGNALS:
    void showIncidentRequested(qint64 incidentId);

private:
    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_show;
    qint64 m_incidentId = -1;
};

} // namespace vigil
