#include "services/backup/pgdumpprogress.h"

#include <QRegularExpression>
#include <algorithm>

namespace vigil::services {

void PgDumpProgress::setTables(const QList<BackupTable> &tables)
{
    m_tables = tables;
    m_weights.clear();
    m_total = 0;
    for (const BackupTable &t : tables) {
        const qint64 w = std::max(t.bytes, kMinimumWeight);
        m_weights.insert(t.qualifiedName(), w);
        m_total += w;
    }
    // The sizes may come after pg_dump began (PgDumpRunner reads them while it runs): weigh the
    // tables it has already started as takeLine() would have.
    m_done = 0;
    for (qsizetype i = 0; i < m_startedNames.size(); ++i) {
        qint64 w = m_weights.value(m_startedNames[i], -1);
        if (w < 0) {
            w = kMinimumWeight;
            m_total += w;
        }
        if (i + 1 < m_startedNames.size())
            m_done += w;
        else
            m_currentWeight = w;
    }
}

QString PgDumpProgress::tableInLine(const QString &line)
{
    // pg_dump 12+ quotes the name ("schema.table"); older ones printed it bare. pg_restore -v
    // says "processing data for table "schema.table"" when it starts loading one.
    static const QRegularExpression re(
        QStringLiteral("(?:dumping contents of|processing data for) table \"?(.+?)\"?\\s*$"));
    const QRegularExpressionMatch m = re.match(line);
    return m.hasMatch() ? m.captured(1) : QString();
}

bool PgDumpProgress::takeLine(const QString &line)
{
    const QString table = tableInLine(line);
    if (table.isEmpty()) {
        // pg_restore names the TOC entry (and so the table) an error belongs to just before it.
        static const QRegularExpression notable(
            QStringLiteral("^pg_(dump|restore): (error|detail|hint|warning|fatal|from TOC entry)"));
        static const QRegularExpression tool(QStringLiteral("^pg_(dump|restore): "));
        if (notable.match(line).hasMatch() || !tool.match(line).hasMatch()) {
            m_messages << line;
            if (m_messages.size() > kMaxMessageLines)
                m_messages.removeFirst();
        }
        return false;
    }
    m_done += m_currentWeight;
    m_current = table;
    m_startedNames.append(table);
    // A table missing from the sizes (created after the query) weighs the minimum; the total
    // grows with it so the fraction never passes 1.
    m_currentWeight = m_weights.value(table, -1);
    if (m_currentWeight < 0) {
        m_currentWeight = kMinimumWeight;
        m_total += kMinimumWeight;
    }
    ++m_started;
    return true;
}

bool PgDumpProgress::feed(const QByteArray &stderrChunk)
{
    m_partial += stderrChunk;
    bool moved = false;
    qsizetype start = 0;
    for (qsizetype nl = m_partial.indexOf('\n'); nl >= 0; nl = m_partial.indexOf('\n', start)) {
        const QString line = QString::fromUtf8(m_partial.constData() + start, nl - start).trimmed();
        if (!line.isEmpty())
            moved = takeLine(line) || moved;
        start = nl + 1;
    }
    m_partial.remove(0, start);
    return moved;
}

void PgDumpProgress::finish()
{
    if (!m_partial.trimmed().isEmpty())
        takeLine(QString::fromUtf8(m_partial).trimmed());
    m_partial.clear();
    m_finished = true;
}

double PgDumpProgress::fraction() const
{
    if (m_finished)
        return 1.0;
    if (m_total <= 0)
        return 0.0;
    return std::clamp(double(m_done) / double(m_total), 0.0, 1.0);
}

QString PgDumpProgress::errorText() const
{
    QStringList out;
    bool inError = false;
    static const QRegularExpression tool(QStringLiteral("^pg_(dump|restore): "));
    for (const QString &line : m_messages) {
        if (line.startsWith(QLatin1String("pg_dump: error:")) ||
            line.startsWith(QLatin1String("pg_restore: error:")) ||
            line.startsWith(QLatin1String("pg_restore: from TOC entry")))
            inError = true;
        if (!inError)
            continue;
        QString l = line;
        l.remove(tool);
        out << l;
    }
    return out.join(QLatin1Char('\n'));
}

} // namespace vigil::services
