// `vigil export`: journal events as JSON Lines or CSV.
#include "commandline.h"

#include "journal/exporter.h"
#include "journal/journal.h"

#include <QFile>

#include <cstdio>
#include <unistd.h>

namespace vigil {

int runExport(const QStringList &args)
{
    QCommandLineParser parser;
    addJournalOption(parser);
    parser.addOption({QStringLiteral("format"), QStringLiteral("jsonl or csv."), QStringLiteral("FORMAT"), QStringLiteral("jsonl")});
    addTimeWindowOptions(parser);
    parser.addOption({QStringLiteral("kind"), QStringLiteral("Kind prefix."), QStringLiteral("PREFIX")});
    parser.addOption({QStringLiteral("source"), QStringLiteral("Source."), QStringLiteral("SOURCE")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Output file."), QStringLiteral("FILE")});
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show help.")});
    parseOrThrow(parser, args, QStringLiteral("export"));
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(fullHelpText().toLocal8Bit().constData(), stdout);
        return ExitOk;
    }

    const QString formatName = parser.value(QStringLiteral("format")).toLower();
    ExportFormat format;
    if (formatName == QLatin1String("jsonl") || formatName == QLatin1String("json"))
        format = ExportFormat::JsonLines;
    else if (formatName == QLatin1String("csv"))
        format = ExportFormat::Csv;
    else
        throw UsageError{QStringLiteral("export: unknown format '%1' (use jsonl or csv)").arg(formatName)};

    JournalQuery query;
    readTimeWindow(parser, QStringLiteral("export"), &query);
    query.kindPrefix = parser.value(QStringLiteral("kind"));
    query.source = parser.value(QStringLiteral("source"));

    // Streamed: one event at a time from the journal to the output, whatever the journal's size.
    const QString path = journalPathFrom(parser);
    const QString output = parser.value(QStringLiteral("output"));
    const bool toStdout = output.isEmpty() || output == QLatin1String("-");
    QFile stdoutFile;
    ExportFile file(output);
    QString error;
    if (toStdout ? !stdoutFile.open(STDOUT_FILENO, QIODevice::WriteOnly) : !file.open(&error)) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(toStdout ? stdoutFile.errorString() : error));
        return ExitFailure;
    }
    EventWriter writer(toStdout ? static_cast<QIODevice *>(&stdoutFile) : file.device(), format);
    if (!forEachJournalEvent(
            path, query, [&writer](const Event &e) { return writer.write(e); }, &error)) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(error));
        return ExitFailure;
    }
    bool written = writer.finish();
    if (toStdout)
        written = written && stdoutFile.flush() && stdoutFile.error() == QFileDevice::NoError;
    else
        written = written && file.commit(&error);
    if (!written) {
        const QString where = toStdout ? QStringLiteral("the standard output") : output;
        if (!writer.errorString().isEmpty())
            error = QStringLiteral("cannot write %1: %2").arg(where, writer.errorString());
        else if (toStdout)
            error = QStringLiteral("cannot write %1: %2").arg(where, stdoutFile.errorString());
        std::fprintf(stderr, "vigil: %s\n", qPrintable(error));
        return ExitFailure;
    }
    if (!toStdout)
        std::fprintf(stderr, "vigil: exported %lld events to %s\n", static_cast<long long>(writer.count()), qPrintable(output));
    return ExitOk;
}

} // namespace vigil
