#include "services/core/jsonfields.h"

#include "services/core/error.h"

#include <QStringList>
#include <cmath>

namespace vigil::services {

namespace {

bool absent(const QJsonValue &v)
{
    return v.isUndefined() || v.isNull();
}

std::optional<qint64> wholeNumber(const QJsonValue &v)
{
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.2e18)
        return std::nullopt;
    return v.toInteger(qint64(d));
}

} // namespace

JsonFields::JsonFields(const QJsonObject &object, QString path, QString *error)
    : m_object(object)
    , m_path(std::move(path))
    , m_error(error)
{
}

QString JsonFields::path(const QString &key) const
{
    return m_path.isEmpty() ? key : m_path + QLatin1Char('.') + key;
}

bool JsonFields::present(const QString &key) const
{
    return !absent(m_object.value(key));
}

QString JsonFields::text(const QString &key, bool required)
{
    const QJsonValue v = m_object.value(key);
    if (v.isString())
        return v.toString();
    if (required || !absent(v))
        fail(key, Tr::tr("a text"), v);
    return {};
}

std::optional<qint64> JsonFields::integer(const QString &key)
{
    const QJsonValue v = m_object.value(key);
    if (absent(v))
        return std::nullopt;
    if (auto n = wholeNumber(v))
        return n;
    fail(key, Tr::tr("a whole number"), v);
    return std::nullopt;
}

std::optional<qint64> JsonFields::lenientInteger(const QString &key)
{
    const QJsonValue v = m_object.value(key);
    if (v.isString()) {
        bool ok = false;
        const qint64 n = v.toString().trimmed().toLongLong(&ok);
        if (ok)
            return n;
        fail(key, Tr::tr("a whole number"), v);
        return std::nullopt;
    }
    return integer(key);
}

std::optional<double> JsonFields::number(const QString &key)
{
    const QJsonValue v = m_object.value(key);
    if (v.isDouble())
        return v.toDouble();
    if (v.isString()) {
        bool ok = false;
        const double n = v.toString().toDouble(&ok);
        if (ok)
            return n;
    }
    if (!absent(v))
        fail(key, Tr::tr("a number"), v);
    return std::nullopt;
}

bool JsonFields::flag(const QString &key, bool fallback)
{
    const QJsonValue v = m_object.value(key);
    if (v.isBool())
        return v.toBool();
    if (!absent(v))
        fail(key, Tr::tr("true or false"), v);
    return fallback;
}

bool JsonFields::lenientFlag(const QString &key)
{
    const QJsonValue v = m_object.value(key);
    if (v.isString()) {
        const QString s = v.toString().trimmed().toLower();
        static const QStringList yes{QStringLiteral("on"), QStringLiteral("true"),
                                     QStringLiteral("yes"), QStringLiteral("1")};
        static const QStringList no{QStringLiteral("off"), QStringLiteral("false"),
                                    QStringLiteral("no"), QStringLiteral("0")};
        if (yes.contains(s) || s == QLatin1String("quorum")) // quorum: Patroni 4
            return true;
        if (no.contains(s))
            return false;
        fail(key, Tr::tr("true or false"), v);
        return false;
    }
    return flag(key);
}

QJsonObject JsonFields::object(const QString &key)
{
    return container(key, QJsonValue::Object, false).toObject();
}

QJsonArray JsonFields::array(const QString &key, bool required)
{
    return container(key, QJsonValue::Array, required).toArray();
}

std::optional<QDateTime> JsonFields::timestamp(const QString &key, TimeParser parse)
{
    const QJsonValue v = m_object.value(key);
    if (absent(v))
        return std::nullopt;
    if (v.isString()) {
        if (auto t = (parse ? parse : isoTime)(v.toString()))
            return t;
    }
    fail(key, Tr::tr("a timestamp"), v);
    return std::nullopt;
}

QMap<QString, int> JsonFields::counts(const QString &key)
{
    QMap<QString, int> out;
    const QJsonObject o = object(key);
    for (auto it = o.begin(); it != o.end(); ++it)
        out.insert(it.key(), it.value().toInt());
    return out;
}

void JsonFields::fail(const QString &key, const QString &expected, const QJsonValue &got)
{
    if (m_error && m_error->isEmpty())
        *m_error = Tr::tr("%1 should be %2, but it is %3.").arg(path(key), expected, describe(got));
}

QJsonValue JsonFields::container(const QString &key, QJsonValue::Type type, bool required)
{
    const QJsonValue v = m_object.value(key);
    if (v.type() == type)
        return v;
    if (required || !absent(v))
        fail(key, typeName(type), v);
    return {};
}

QString JsonFields::describe(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return Tr::tr("null");
    case QJsonValue::Bool:
        return v.toBool() ? Tr::tr("true") : Tr::tr("false");
    case QJsonValue::Double:
        return Tr::tr("a number (%1)").arg(v.toDouble());
    case QJsonValue::String: {
        QString s = v.toString();
        if (s.size() > 40)
            s = s.left(40) + QChar(0x2026);
        return Tr::tr("a text (\"%1\")").arg(s);
    }
    case QJsonValue::Array:
        return Tr::tr("a list");
    case QJsonValue::Object:
        return Tr::tr("an object");
    case QJsonValue::Undefined:
        return Tr::tr("missing");
    }
    return {};
}

QString JsonFields::typeName(QJsonValue::Type t)
{
    switch (t) {
    case QJsonValue::Array:
        return Tr::tr("a list");
    case QJsonValue::Object:
        return Tr::tr("an object");
    default:
        return Tr::tr("a value");
    }
}

std::optional<QDateTime> JsonFields::isoTime(const QString &text)
{
    const QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        return std::nullopt;
    return t;
}

} // namespace vigil::services
