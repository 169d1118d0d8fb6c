#include "services/proxies/haproxytypes.h"

#include <QHash>

namespace vigil::services {

namespace {

using Kind = ServiceError::Kind;
const char kParseWhat[] = "HAProxy stats CSV";

ServiceError csvError(const QString &message)
{
    return ServiceError::make(Kind::Parse, QString::fromLatin1(kParseWhat), {}, {}, message);
}

// One CSV line. HAProxy quotes a field only when it holds a comma or a quote (csv_enc), with
// quotes doubled inside; an unterminated quote means the line was cut.
std::optional<QStringList> splitCsvLine(const QString &line)
{
    if (!line.contains(QLatin1Char('"')))
        return line.split(QLatin1Char(',')); // the common case: nothing quoted
    QStringList fields;
    QString field;
    bool quoted = false;
    for (int i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < line.size() && line.at(i + 1) == QLatin1Char('"')) {
                    field += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"') && field.isEmpty()) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            fields << field;
            field.clear();
        } else {
            field += c;
        }
    }
    if (quoted)
        return std::nullopt;
    fields << field;
    return fields;
}

} // namespace

bool HaproxyStatRow::isUp() const
{
    return status.startsWith(QLatin1String("UP")) || status == QLatin1String("OPEN");
}

QList<HaproxyStatRow> HaproxyStats::servers(const QString &proxy) const
{
    QList<HaproxyStatRow> out;
    for (const HaproxyStatRow &r : rows) {
        if (r.proxy == proxy && r.type == HaproxyStatRow::Type::Server)
            out << r;
    }
    return out;
}

const HaproxyStatRow *HaproxyStats::backend(const QString &proxy) const
{
    for (const HaproxyStatRow &r : rows) {
        if (r.proxy == proxy && r.type == HaproxyStatRow::Type::Backend)
            return &r;
    }
    return nullptr;
}

namespace {

// What makes an answer HAProxy's CSV at all: not empty, not an HTML page, the "# pxname,..."
// header, and complete (HAProxy ends every line, the last one included, with a newline: without
// it the answer was cut off in the middle of a line).
ServiceError checkCsvShape(const QByteArray &body)
{
    const QByteArray trimmed = body.trimmed();
    if (trimmed.isEmpty())
        return csvError(Tr::tr("The answer is empty."));
    if (trimmed.startsWith('<') || trimmed.left(512).toLower().contains("<html")) {
        return csvError(Tr::tr("The answer is an HTML page, not CSV. The stats URL must end in "
                               "\";csv\", e.g. http://127.0.0.1:7000/;csv."));
    }
    if (!trimmed.startsWith('#')) {
        return csvError(Tr::tr("The answer does not start with HAProxy's CSV header "
                               "(\"# pxname,svname,...\")."));
    }
    if (!body.endsWith('\n'))
        return csvError(Tr::tr("The answer is cut off: its last line is incomplete."));
    return {};
}

// The positions of the columns read, looked up once (the answer is parsed every cycle); -1 for
// a column this HAProxy does not send.
struct CsvColumns
{
    int fieldCount = 0;
    int px = -1, sv = -1, status = -1, addr = -1, scur = -1, smax = -1, slim = -1, stot = -1,
        check = -1, lastchg = -1, downtime = -1, type = -1;
};

Result<CsvColumns> csvColumns(QString headerLine)
{
    headerLine.remove(QLatin1Char('\r'));
    headerLine = headerLine.mid(1).trimmed(); // drop "#"
    const QStringList header = headerLine.split(QLatin1Char(','));
    QHash<QString, int> column;
    for (int i = 0; i < header.size(); ++i) {
        const QString name = header.at(i).trimmed();
        if (!name.isEmpty() && !column.contains(name))
            column.insert(name, i);
    }
    for (const char *required : {"pxname", "svname", "status"}) {
        if (!column.contains(QString::fromLatin1(required))) {
            return csvError(
                Tr::tr("The CSV header has no \"%1\" column.").arg(QString::fromLatin1(required)));
        }
    }
    const auto indexOf = [&](const char *name) {
        return column.value(QString::fromLatin1(name), -1);
    };
    CsvColumns c;
    c.fieldCount = int(header.size());
    c.px = indexOf("pxname");
    c.sv = indexOf("svname");
    c.status = indexOf("status");
    c.addr = indexOf("addr");
    c.scur = indexOf("scur");
    c.smax = indexOf("smax");
    c.slim = indexOf("slim");
    c.stot = indexOf("stot");
    c.check = indexOf("check_status");
    c.lastchg = indexOf("lastchg");
    c.downtime = indexOf("downtime");
    c.type = indexOf("type");
    return c;
}

// HAProxy's "type" column (0 frontend, 1 backend, 2 server, 3 listener); HAProxy before 1.5 had
// none, and named the frontend and backend rows instead.
HaproxyStatRow::Type rowType(bool hasTypeColumn, std::optional<qint64> type, const QString &name)
{
    if (hasTypeColumn) {
        switch (type.value_or(-1)) {
        case 0:
            return HaproxyStatRow::Type::Frontend;
        case 1:
            return HaproxyStatRow::Type::Backend;
        case 2:
            return HaproxyStatRow::Type::Server;
        case 3:
            return HaproxyStatRow::Type::Listener;
        default:
            return HaproxyStatRow::Type::Unknown;
        }
    }
    if (name == QLatin1String("FRONTEND"))
        return HaproxyStatRow::Type::Frontend;
    if (name == QLatin1String("BACKEND"))
        return HaproxyStatRow::Type::Backend;
    return HaproxyStatRow::Type::Server;
}

// One data line (`lineNumber` counts from 1, the header being line 1).
Result<HaproxyStatRow> csvRow(const QStringList &fields, int lineNumber, const CsvColumns &c)
{
    QString error;
    auto field = [&](int i) -> QString {
        return i < 0 ? QString() : fields.at(i).trimmed();
    };
    // A numeric column: empty means "not applicable" (nullopt); anything else must be a number.
    auto number = [&](int i, const char *name) -> std::optional<qint64> {
        const QString v = field(i);
        if (v.isEmpty())
            return std::nullopt;
        bool ok = false;
        const qint64 x = v.toLongLong(&ok);
        if (!ok && error.isEmpty()) {
            error = Tr::tr("Line %1: the \"%2\" column should be a number, but it is \"%3\".")
                        .arg(lineNumber)
                        .arg(QString::fromLatin1(name), v.left(40));
        }
        return ok ? std::optional<qint64>(x) : std::nullopt;
    };

    HaproxyStatRow row;
    row.proxy = field(c.px);
    row.name = field(c.sv);
    if (row.proxy.isEmpty() || row.name.isEmpty()) {
        return csvError(Tr::tr("Line %1 has no proxy or server name; the answer is malformed.")
                            .arg(lineNumber));
    }
    row.status = field(c.status);
    row.address = field(c.addr);
    row.currentSessions = number(c.scur, "scur").value_or(0);
    row.maxSessions = number(c.smax, "smax").value_or(0);
    row.sessionLimit = number(c.slim, "slim");
    row.totalSessions = number(c.stot, "stot").value_or(0);
    row.checkStatus = field(c.check);
    // "If a check is currently running, the last known status will be reported, prefixed with
    // '* '" (HAProxy's management guide).
    if (row.checkStatus.startsWith(QLatin1String("* "))) {
        row.checkStatus = row.checkStatus.mid(2);
        row.checkRunning = true;
    }
    row.lastChangeSeconds = number(c.lastchg, "lastchg");
    row.downtimeSeconds = number(c.downtime, "downtime");
    row.type = rowType(c.type >= 0, c.type >= 0 ? number(c.type, "type") : std::nullopt, row.name);
    if (!error.isEmpty())
        return csvError(error);
    return row;
}

} // namespace

Result<HaproxyStats> parseHaproxyCsv(const QByteArray &body)
{
    if (const ServiceError shape = checkCsvShape(body))
        return shape;
    const QStringList lines = QString::fromUtf8(body).split(QLatin1Char('\n'));
    const Result<CsvColumns> columns = csvColumns(lines.first());
    if (!columns.ok())
        return columns.error();

    HaproxyStats stats;
    for (int n = 1; n < lines.size(); ++n) {
        QString line = lines.at(n);
        line.remove(QLatin1Char('\r'));
        if (line.trimmed().isEmpty())
            continue;
        const auto fields = splitCsvLine(line);
        if (!fields || fields->size() != columns.value().fieldCount) {
            return csvError(Tr::tr("Line %1 has %2 fields, but the header has %3; the answer is "
                                   "malformed or cut off.")
                                .arg(n + 1)
                                .arg(fields ? fields->size() : 0)
                                .arg(columns.value().fieldCount));
        }
        const Result<HaproxyStatRow> row = csvRow(*fields, n + 1, columns.value());
        if (!row.ok())
            return row.error();
        stats.rows << row.value();
    }
    return stats;
}

} // namespace vigil::services
