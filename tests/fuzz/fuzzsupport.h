#pragma once

#include "services/core/error.h"
#include "services/postgres/pgresult.h"
#include "support/psqlcsv.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QtGlobal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

// What every libFuzzer target of tests/fuzz shares: the input as Qt types, and SQL result rows
// made from the input so that a target drives the real parser of a query's answer.
namespace vigil::fuzz {

// Qt's messages are dropped (a parser may warn on every malformed input, and printing them
// would slow the fuzzer down to a crawl); a fatal one still aborts, so libFuzzer reports it.
inline void quietQt()
{
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &message) {
        if (type == QtFatalMsg) {
            std::fprintf(stderr, "qFatal: %s\n", qPrintable(message));
            std::abort();
        }
    });
}

// Splits "a,b,c" into the column names of a query's answer (built once per target: keep the list
// in a function-local static).
inline QStringList columnList(const char *commaSeparated)
{
    return QString::fromLatin1(commaSeparated).split(QLatin1Char(','));
}

// True when the parser refused the input; its error is turned into the words a person reads, so
// the message formatting of every refusal is fuzzed too.
inline bool refused(const services::ServiceError &error)
{
    if (!error)
        return false;
    (void)error.toText();
    return true;
}
template <typename T> bool refused(const services::Result<T> &parsed)
{
    return !parsed.ok() && refused(parsed.error());
}

// A deep copy: the parsers keep views of their input in places, and libFuzzer frees its buffer.
inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

// The input as the rows of one SQL answer: psql CSV records (support/psqlcsv.h, the reader of
// the recorded fixtures; \N is NULL) under `columns`, the real query's column names in the order
// it returns them. Each row is cut or padded with NULLs to the header's width, as libpq's rows
// always are. An input whose first line starts with '#' names its own columns on that line
// (comma-separated): the parsers' handling of a missing, renamed or repeated column is fuzzed
// too, and a recorded fixture with its header is a seed as it is ('#' + the file).
inline services::PgResult rowsFrom(const uint8_t *data, size_t size, const QStringList &columns)
{
    services::PgResult result;
    result.columns = columns;
    QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    if (text.startsWith(QLatin1Char('#'))) {
        const qsizetype end = text.indexOf(QLatin1Char('\n'));
        const QString header = text.mid(1, end < 0 ? -1 : end - 1);
        result.columns.clear();
        for (const QVariant &name : test::parsePsqlCsvRecords(header).value(0))
            result.columns.append(name.toString());
        text = end < 0 ? QString() : text.mid(end + 1);
    }
    result.rows = test::parsePsqlCsvRecords(text);
    for (auto &row : result.rows)
        row.resize(result.columns.size());
    result.commandTag = QStringLiteral("SELECT %1").arg(result.rows.size());
    return result;
}

// Stops the run when a property the parser promises does not hold (a round trip that changes
// its value): libFuzzer keeps the input as a crash.
inline void check(bool condition, const char *what, const QByteArray &detail = {})
{
    if (condition)
        return;
    std::fprintf(stderr, "fuzz check failed: %s\n%s\n", what, detail.constData());
    std::abort();
}

} // namespace vigil::fuzz

// libFuzzer's LLVMFuzzerInitialize for a target: Qt's messages quiet (quietQt()).
#define VIGIL_FUZZ_QUIET_QT_INITIALIZE()                                                           \
    extern "C" int LLVMFuzzerInitialize(int *, char ***)                                           \
    {                                                                                              \
        vigil::fuzz::quietQt();                                                                    \
        return 0;                                                                                  \
    }
