// The server log parser (services/logs/serverlogparser.h): the text of a log file as the
// logging collector writes it (stderr format). The input is read twice: under the sandbox's
// log_line_prefix, and with its first line taken as the log_line_prefix of the rest, so the
// compilation of arbitrary prefixes into a regular expression is fuzzed too.
#include "fuzzsupport.h"
#include "services/logs/serverlogparser.h"

using namespace vigil::services;

VIGIL_FUZZ_QUIET_QT_INITIALIZE()

namespace {
void consume(const QList<ServerLogEntry> &entries)
{
    for (const ServerLogEntry &e : entries) {
        (void)e.fullText();
        (void)e.origin();
        (void)e.contains(QStringLiteral("error"));
        (void)serverLogLevelName(e.level);
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const ServerLogParser sandbox(QStringLiteral("%m [%p] %q%u@%d/%a "));
    const QString text = QString::fromUtf8(vigil::fuzz::bytes(data, size));
    consume(sandbox.parse(text, QStringLiteral("fuzz.log")));
    const qsizetype newline = text.indexOf(QLatin1Char('\n'));
    if (newline >= 0 && newline < 200) {
        const ServerLogParser own(text.left(newline));
        consume(own.parse(text.mid(newline + 1)));
    }
    return 0;
}
