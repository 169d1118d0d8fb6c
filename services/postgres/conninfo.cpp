// readConninfo() and friends (conninfo.h): libpq's PQconninfoParse decides, the text edits only
// follow its grammar (fe-connect.c: conninfo_parse and conninfo_uri_parse_options).
#include "services/postgres/conninfo.h"

#include "services/postgres/pglibpq.h"

#include <QStringList>
#include <QUrl>
#include <memory>

namespace vigil::services {

namespace {

bool isPasswordKeyword(QStringView keyword)
{
    return keyword.compare(QLatin1String("password"), Qt::CaseInsensitive) == 0;
}

// libpq's isspace() in the C locale.
bool isBlank(QChar c)
{
    return c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\n') ||
           c == QLatin1Char('\r') || c == QLatin1Char('\f') || c == QLatin1Char('\v');
}

// The keyword=value pairs of the keyword form as written, with their keywords. Lenient where
// libpq is strict (a missing '=' or an unterminated quote ends the pair): it only cuts text.
struct Pair
{
    QStringView keyword;
    QStringView text;
};

QList<Pair> keywordPairs(QStringView s)
{
    QList<Pair> pairs;
    qsizetype i = 0;
    const qsizetype n = s.size();
    while (i < n) {
        if (isBlank(s[i])) {
            ++i;
            continue;
        }
        const qsizetype start = i;
        while (i < n && s[i] != QLatin1Char('=') && !isBlank(s[i]))
            ++i;
        const QStringView keyword = s.sliced(start, i - start);
        while (i < n && isBlank(s[i]))
            ++i;
        if (i < n && s[i] == QLatin1Char('=')) {
            ++i;
            while (i < n && isBlank(s[i]))
                ++i;
            if (i < n && s[i] == QLatin1Char('\'')) {
                for (++i; i < n && s[i] != QLatin1Char('\''); ++i)
                    if (s[i] == QLatin1Char('\\'))
                        ++i;
                i = std::min(i + 1, n);
            } else {
                for (; i < n && !isBlank(s[i]); ++i)
                    if (s[i] == QLatin1Char('\\'))
                        ++i;
                i = std::min(i, n);
            }
        }
        pairs.append({keyword, s.sliced(start, i - start)});
    }
    return pairs;
}

QString uriWithoutPassword(const QString &uri)
{
    QString out = uri;
    // The user info ends at the first '@' before any '/': "user[:password]@".
    const qsizetype authority = out.indexOf(QLatin1String("://")) + 3;
    qsizetype at = authority;
    while (at < out.size() && out[at] != QLatin1Char('@') && out[at] != QLatin1Char('/'))
        ++at;
    qsizetype hosts = authority;
    if (at < out.size() && out[at] == QLatin1Char('@')) {
        const qsizetype colon = out.indexOf(QLatin1Char(':'), authority);
        if (colon >= 0 && colon < at) {
            out.remove(colon, at - colon);
            at = colon;
        }
        hosts = at + 1;
    }
    const qsizetype question = out.indexOf(QLatin1Char('?'), hosts);
    if (question < 0)
        return out;
    QStringList kept;
    for (const QString &param : out.mid(question + 1).split(QLatin1Char('&'))) {
        const QString key =
            QUrl::fromPercentEncoding(param.section(QLatin1Char('='), 0, 0).toUtf8());
        if (!isPasswordKeyword(key))
            kept.append(param);
    }
    out.truncate(question);
    if (!kept.isEmpty())
        out += QLatin1Char('?') + kept.join(QLatin1Char('&'));
    return out;
}

} // namespace

bool conninfoIsUri(const QString &conninfo)
{
    return conninfo.startsWith(QLatin1String("postgresql://")) ||
           conninfo.startsWith(QLatin1String("postgres://"));
}

QString quotedConninfoValue(const QString &value)
{
    QString e = value;
    e.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    e.replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + e + QLatin1Char('\'');
}

ConninfoReading readConninfo(const QString &conninfo)
{
    ConninfoReading reading;
    char *error = nullptr;
    const std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption *)> options(
        PQconninfoParse(conninfo.toUtf8().constData(), &error), PQconninfoFree);
    if (!options) {
        reading.error = error ? QString::fromUtf8(error).trimmed()
                              : QStringLiteral("out of memory"); // libpq's only other reason
        if (error)
            PQfreemem(error);
        return reading;
    }
    for (const PQconninfoOption *o = options.get(); o->keyword; ++o)
        if (qstrcmp(o->keyword, "password") == 0 && o->val && *o->val)
            reading.password = true;
    return reading;
}

bool conninfoCarriesPassword(const QString &conninfo)
{
    const ConninfoReading r = readConninfo(conninfo);
    return r.ok() && r.password;
}

QString conninfoWithoutPassword(const QString &conninfo)
{
    const QString s = conninfo.trimmed();
    if (conninfoIsUri(s))
        return uriWithoutPassword(s);
    QStringList kept;
    for (const Pair &p : keywordPairs(s))
        if (!isPasswordKeyword(p.keyword))
            kept.append(p.text.toString());
    return kept.join(QLatin1Char(' '));
}

QHash<QString, QString> conninfoValues(const QString &conninfo)
{
    QHash<QString, QString> values;
    char *error = nullptr;
    const std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption *)> options(
        PQconninfoParse(conninfo.toUtf8().constData(), &error), PQconninfoFree);
    if (error)
        PQfreemem(error);
    for (const PQconninfoOption *o = options.get(); o && o->keyword; ++o)
        if (o->val && *o->val)
            values.insert(QString::fromUtf8(o->keyword), QString::fromUtf8(o->val));
    return values;
}

QString conninfoWithTlsDefault(const QString &conninfo)
{
    const QString s = conninfo.trimmed();
    if (!readConninfo(s).ok())
        return conninfo;
    const QHash<QString, QString> values = conninfoValues(s);
    if (!values.contains(QStringLiteral("sslrootcert")) ||
        values.contains(QStringLiteral("sslmode")))
        return conninfo;
    if (!conninfoIsUri(s))
        return s + QStringLiteral(" sslmode=verify-full");
    return s + (s.contains(QLatin1Char('?')) ? QLatin1Char('&') : QLatin1Char('?')) +
           QStringLiteral("sslmode=verify-full");
}

} // namespace vigil::services
