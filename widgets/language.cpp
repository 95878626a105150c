// Translators for Vigil's strings (built in) and Qt's (from the system's Qt translations).
#include "language.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QRegularExpression>
#include <QTranslator>

#include <memory>
#include <vector>

namespace vigil {

namespace {

const QString kResourceDirectory = QStringLiteral(":/vigil/i18n");

std::vector<std::unique_ptr<QTranslator>> &installed()
{
    static std::vector<std::unique_ptr<QTranslator>> translators;
    return translators;
}

QString &inUse()
{
    static QString language = QStringLiteral("en");
    return language;
}

} // namespace

QStringList availableLanguages()
{
    QStringList languages{QStringLiteral("en")};
    for (const QString &file : QDir(kResourceDirectory).entryList({QStringLiteral("vigil_*.qm")}, QDir::Files, QDir::Name))
        languages << file.mid(6).chopped(3);
    return languages;
}

QString installTranslations(const QString &language)
{
    removeTranslations();
    QLocale locale = QLocale::system();
    if (!language.isEmpty()) {
        // "zh-CN" as "zh_CN"; a bare language ("zh") as its one translation.
        QString wanted = language;
        wanted.replace(QLatin1Char('-'), QLatin1Char('_'));
        const QStringList available = availableLanguages();
        if (!available.contains(wanted) && !wanted.contains(QLatin1Char('_'))) {
            const QStringList matching = available.filter(QRegularExpression(QStringLiteral("^%1_").arg(QRegularExpression::escape(wanted))));
            if (matching.size() == 1)
                wanted = matching.first();
        }
        if (!available.contains(wanted))
            return {};
        if (wanted == QLatin1String("en"))
            return inUse() = wanted;
        locale = QLocale(wanted);
    }
    auto vigil = std::make_unique<QTranslator>();
    // Looks for vigil_zh_CN.qm, then vigil_zh.qm, for each of the locale's UI languages.
    if (!vigil->load(locale, QStringLiteral("vigil"), QStringLiteral("_"), kResourceDirectory))
        return inUse() = QStringLiteral("en");
    const QString used = vigil->language();
    QCoreApplication::installTranslator(vigil.get());
    installed().push_back(std::move(vigil));
    // Qt's own strings (standard buttons, file dialogs), when Debian's qt6-translations-l10n is there.
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        installed().push_back(std::move(qt));
    }
    return inUse() = used.isEmpty() ? locale.name() : used;
}

void removeTranslations()
{
    for (const auto &translator : installed())
        QCoreApplication::removeTranslator(translator.get());
    installed().clear();
    inUse() = QStringLiteral("en");
}

QString currentLanguage()
{
    return inUse();
}

} // namespace vigil
