#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QMap>
#include <QString>
#include <optional>

namespace vigil::services {

// The one reader of JSON object fields: Patroni's answers, the SQL probe's json row and the
// status snapshot JSON all read their fields through it.
//
// Every getter returns the default (empty, nullopt, false) when the field is absent or null.
// A field of another type also reads as the default; with an error sink (`error` not null), the
// first such mismatch is remembered there, named by its JSON path ("members[1].port should be a
// whole number, but it is a text ("x")."), and later ones are ignored. Without a sink the reader
// is lenient: meant for answers whose shape Vigil itself wrote (the probe's SQL, its own snapshot
// JSON). `required` fields also complain when absent.
class JsonFields
{
public:
    using TimeParser = std::optional<QDateTime> (*)(const QString &);

    explicit JsonFields(const QJsonObject &object, QString path = {}, QString *error = nullptr);

    // "members[0].name": the JSON path of one field, for messages.
    QString path(const QString &key) const;
    QJsonValue raw(const QString &key) const { return m_object.value(key); }
    // Neither absent nor null.
    bool present(const QString &key) const;

    QString text(const QString &key, bool required = false);
    // A number that is whole (and fits a qint64).
    std::optional<qint64> integer(const QString &key);
    // Also a text holding a whole number ("30"), as in Patroni's YAML configuration or a bigint
    // printed by PostgreSQL's json functions as text.
    std::optional<qint64> lenientInteger(const QString &key);
    // A number, or a text holding one.
    std::optional<double> number(const QString &key);
    bool flag(const QString &key, bool fallback = false);
    // Also on/off, yes/no, true/false, 1/0 and "quorum" (Patroni 4) as texts.
    bool lenientFlag(const QString &key);
    QJsonObject object(const QString &key);
    QJsonArray array(const QString &key, bool required = false);
    // A text read by `parse` (default: ISO 8601 with milliseconds, as Qt::ISODateWithMs).
    std::optional<QDateTime> timestamp(const QString &key, TimeParser parse = nullptr);
    // An object of counts ({"active": 3, "idle": 5}); other values count 0.
    QMap<QString, int> counts(const QString &key);

    // Remembers "PATH.key should be EXPECTED, but it is GOT." unless an error is already noted.
    void fail(const QString &key, const QString &expected, const QJsonValue &got);

    // Words for a JSON value as it appears in messages: "a number (5)", "a text ("x")", ...
    static QString describe(const QJsonValue &value);
    // "a list", "an object", or "a value".
    static QString typeName(QJsonValue::Type type);
    // The ISO 8601 reader (Qt::ISODateWithMs), nullopt when the text is not a valid time.
    static std::optional<QDateTime> isoTime(const QString &text);

private:
    QJsonValue container(const QString &key, QJsonValue::Type type, bool required);

    QJsonObject m_object;
    QString m_path;
    QString *m_error;
};

} // namespace vigil::services
