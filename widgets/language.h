// The GUI's language: English, or a translation built in (Simplified Chinese), chosen from the
// system's locale or --lang. Only the window speaks it: journal text, event kinds, exports and the
// command line stay in English.
#pragma once

#include <QString>
#include <QStringList>

namespace vigil {

// The languages the GUI speaks: "en" and one entry per translation built in ("zh_CN").
QStringList availableLanguages();

// Installs the translation for `language` ("zh_CN", also "zh-CN" or "zh"; "en"; empty: the system
// locale's, English when there is none for it), with Qt's own for its dialogs where installed. Returns the language in
// use, or an empty string when `language` was named and is not available.
QString installTranslations(const QString &language);

// Removes what installTranslations installed (back to English).
void removeTranslations();

// The language installTranslations last put in use ("en" before it ran).
QString currentLanguage();

} // namespace vigil
