// The user guide, offline: the README and the operator's documents compiled in, rendered from
// their Markdown a section at a time, with a contents tree; and the keyboard shortcuts.
#pragma once

#include <QList>
#include <QString>
#include <QWidget>

class QDialog;
class QTextBrowser;
class QTreeWidget;
class QUrl;

namespace vigil {

class HelpWindow final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HelpWindow)

public:
    struct Section
    {
        QString document; // "README.md", "docs/incidents.md"
        QString heading;  // the "## " heading, or the document's title for the text before the first
        QString anchor;   // the heading as a link names it ("what-vigil-sends-to-your-servers")
        QString markdown;
    };

    explicit HelpWindow(QWidget *parent = nullptr);

    // Shows the section of `document` whose anchor is `anchor` (its first when empty); false
    // when there is none.
    bool showSection(const QString &document, const QString &anchor = {});
    // Follows a link as the guide's pages give it: another document (and section) of the guide,
    // or, for a web address, the desktop's browser.
    void openLink(const QUrl &url);
    const Section *currentSection() const;

    QTextBrowser *browser() const { return m_browser; }
    QTreeWidget *contents() const { return m_contents; }
    const QList<Section> &sections() const { return m_sections; }

    // The documents of the guide, in the order the contents list them.
    static QStringList documents();
    // A heading as a link's fragment names it: lower case, spaces as hyphens, punctuation dropped.
    static QString anchorOf(const QString &heading);
    // `markdown` cut at its "## " headings (not inside fenced code).
    static QList<Section> split(const QString &document, const QString &markdown);

private:
    void showIndex(int index);

    QTreeWidget *m_contents;
    QTextBrowser *m_browser;
    QList<Section> m_sections;
    int m_current = -1;
};

// The keyboard shortcuts: those of `window`'s actions, then the keys panels take themselves. A
// dialog that deletes itself once closed.
QDialog *shortcutsDialog(QWidget *window);

} // namespace vigil
