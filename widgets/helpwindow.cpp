// The user guide window and the shortcuts dialog.
#include "helpwindow.h"

#include <QAction>
#include <QDesktopServices>
#include <QDir>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QHeaderView>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextImageFormat>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace vigil {

namespace {

const QString kRoot = QStringLiteral(":/vigil/guide/");
constexpr int kImageWidth = 640; // screenshots fit the page instead of widening it

// Screenshots drawn at a width the page holds, their proportions kept.
void fitImages(QTextDocument *document)
{
    QTextCursor cursor(document);
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next())
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.charFormat().isImageFormat())
                continue;
            QTextImageFormat image = fragment.charFormat().toImageFormat();
            const QImage loaded = document->resource(QTextDocument::ImageResource, QUrl(image.name())).value<QImage>();
            if (loaded.isNull() || loaded.width() <= kImageWidth)
                continue;
            image.setWidth(kImageWidth);
            image.setHeight(double(kImageWidth) * loaded.height() / loaded.width());
            cursor.setPosition(fragment.position());
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            cursor.setCharFormat(image);
        }
}

} // namespace

QStringList HelpWindow::documents()
{
    // The operator's documents first, then any other compiled in (the developers').
    QStringList documents{QStringLiteral("README.md"), QStringLiteral("docs/heartbeats.md"), QStringLiteral("docs/incidents.md"),
                          QStringLiteral("docs/events.md")};
    for (const QString &name : QDir(kRoot + QStringLiteral("docs")).entryList({QStringLiteral("*.md")}, QDir::Files, QDir::Name))
        if (!documents.contains(QStringLiteral("docs/") + name))
            documents << QStringLiteral("docs/") + name;
    return documents;
}

QString HelpWindow::anchorOf(const QString &heading)
{
    QString anchor = heading.toLower();
    anchor.remove(QRegularExpression(QStringLiteral("[^\\w\\- ]"), QRegularExpression::UseUnicodePropertiesOption));
    anchor.replace(QLatin1Char(' '), QLatin1Char('-'));
    return anchor;
}

QList<HelpWindow::Section> HelpWindow::split(const QString &document, const QString &markdown)
{
    QList<Section> sections;
    Section current{document, document, QString(), QString()};
    bool fenced = false;
    for (const QString &line : markdown.split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1String("```")))
            fenced = !fenced;
        if (!fenced && line.startsWith(QLatin1String("# ")) && current.markdown.trimmed().isEmpty())
            current.heading = line.mid(2).trimmed();
        if (!fenced && line.startsWith(QLatin1String("## "))) {
            if (!current.markdown.trimmed().isEmpty())
                sections << current;
            const QString heading = line.mid(3).trimmed();
            current = {document, heading, anchorOf(heading), QString()};
        }
        current.markdown += line + QLatin1Char('\n');
    }
    if (!current.markdown.trimmed().isEmpty())
        sections << current;
    return sections;
}

HelpWindow::HelpWindow(QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_contents(new QTreeWidget(this))
    , m_browser(new QTextBrowser(this))
{
    setObjectName(QStringLiteral("helpWindow"));
    setWindowTitle(tr("Vigil User Guide"));
    m_contents->setHeaderHidden(true);
    m_contents->setObjectName(QStringLiteral("guideContents"));
    m_browser->setObjectName(QStringLiteral("guidePage"));
    m_browser->setOpenLinks(false);
    m_browser->setSearchPaths({kRoot});
    connect(m_browser, &QTextBrowser::anchorClicked, this, &HelpWindow::openLink);

    for (const QString &document : documents()) {
        QFile file(kRoot + document);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QList<Section> sections = split(document, QString::fromUtf8(file.readAll()));
        if (sections.isEmpty())
            continue;
        // Headings as read, without their Markdown (`code` spans).
        auto label = [](const Section &section) { return QString(section.heading).remove(QLatin1Char('`')); };
        auto *top = new QTreeWidgetItem(m_contents, {label(sections.first())});
        top->setData(0, Qt::UserRole, int(m_sections.size()));
        for (qsizetype i = 1; i < sections.size(); ++i) {
            auto *item = new QTreeWidgetItem(top, {label(sections[i])});
            item->setData(0, Qt::UserRole, int(m_sections.size() + i));
        }
        m_sections << sections;
    }
    m_contents->expandToDepth(0);
    connect(m_contents, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item)
            showIndex(item->data(0, Qt::UserRole).toInt());
    });

    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_contents);
    splitter->addWidget(m_browser);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({260, 760});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
    resize(1040, 760);
    if (!m_sections.isEmpty())
        m_contents->setCurrentItem(m_contents->topLevelItem(0));
}

bool HelpWindow::showSection(const QString &document, const QString &anchor)
{
    // A "## " heading is a section; a deeper one ("### ") is found in the section that holds it.
    auto holds = [&anchor](const Section &section) {
        if (anchor.isEmpty() || section.anchor == anchor)
            return true;
        for (const QString &line : section.markdown.split(QLatin1Char('\n')))
            if (line.startsWith(QLatin1String("###")) && anchorOf(line.section(QLatin1Char(' '), 1).trimmed()) == anchor)
                return true;
        return false;
    };
    for (qsizetype i = 0; i < m_sections.size(); ++i)
        if (m_sections[i].document == document && holds(m_sections[i])) {
            // Through the contents, so that the tree follows.
            for (QTreeWidgetItemIterator it(m_contents); *it; ++it)
                if ((*it)->data(0, Qt::UserRole).toInt() == i) {
                    m_contents->setCurrentItem(*it);
                    break;
                }
            showIndex(int(i));
            return true;
        }
    return false;
}

void HelpWindow::openLink(const QUrl &url)
{
    if (!url.scheme().isEmpty() && url.scheme() != QLatin1String("qrc")) {
        QDesktopServices::openUrl(url);
        return;
    }
    const Section *here = currentSection();
    if (url.path().isEmpty()) { // "#section" within the page's document
        showSection(here ? here->document : documents().first(), url.fragment());
        return;
    }
    // Relative to the document shown: "docs/incidents.md" from the README, "heartbeats.md" from docs/.
    const QString base =
        here && here->document.contains(QLatin1Char('/')) ? here->document.section(QLatin1Char('/'), 0, -2) + QLatin1Char('/') : QString();
    const QString path = QUrl(base).resolved(QUrl(url.path())).path();
    if (!showSection(path, url.fragment()))
        showSection(path); // a section renamed since the link was written: its document
}

const HelpWindow::Section *HelpWindow::currentSection() const
{
    return m_current >= 0 && m_current < m_sections.size() ? &m_sections[m_current] : nullptr;
}

void HelpWindow::showIndex(int index)
{
    if (index < 0 || index >= m_sections.size() || index == m_current)
        return;
    m_current = index;
    const Section &s = m_sections[index];
    const QString dir = s.document.contains(QLatin1Char('/')) ? s.document.section(QLatin1Char('/'), 0, -2) + QLatin1Char('/') : QString();
    m_browser->setSearchPaths({kRoot + dir, kRoot});
    m_browser->setMarkdown(s.markdown);
    fitImages(m_browser->document());
    m_browser->verticalScrollBar()->setValue(0);
}

QDialog *shortcutsDialog(QWidget *window)
{
    QList<QStringList> rows;
    for (const QAction *action : window->findChildren<QAction *>()) {
        if (action->shortcut().isEmpty())
            continue;
        QString text = action->text();
        text.remove(QLatin1Char('&'));
        text.remove(QChar(0x2026));
        rows << QStringList{action->shortcut().toString(QKeySequence::NativeText), text};
    }
    std::sort(rows.begin(), rows.end(), [](const QStringList &a, const QStringList &b) { return a[1] < b[1]; });
    // Keys a panel takes while it has the focus (not actions of the window).
    rows << QStringList{QStringLiteral("N"), HelpWindow::tr("Incident timeline: next event")}
         << QStringList{QStringLiteral("P"), HelpWindow::tr("Incident timeline: previous event")}
         << QStringList{QStringLiteral("F"), HelpWindow::tr("Incident timeline: fit the incident")}
         << QStringList{HelpWindow::tr("Enter"), HelpWindow::tr("Incident members: show the event in the Events panel")};

    auto *dialog = new QDialog(window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("shortcutsDialog"));
    dialog->setWindowTitle(HelpWindow::tr("Keyboard Shortcuts"));
    auto *table = new QTableWidget(int(rows.size()), 2, dialog);
    table->setObjectName(QStringLiteral("shortcuts"));
    table->setHorizontalHeaderLabels({HelpWindow::tr("Keys"), HelpWindow::tr("What they do")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    for (int r = 0; r < rows.size(); ++r)
        for (int c = 0; c < 2; ++c)
            table->setItem(r, c, new QTableWidgetItem(rows[r][c]));
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(table);
    layout->addWidget(buttons);
    dialog->resize(520, 420);
    return dialog;
}

} // namespace vigil
