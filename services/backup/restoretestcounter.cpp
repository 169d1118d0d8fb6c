#include "services/backup/restoretestcounter.h"

#include "services/postgres/pgrowreader.h"
#include "services/postgres/pgsession.h"
#include "services/postgres/sqlresource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <memory>

namespace vigil::services {

namespace {

// A table of a large database may take minutes to read whole.
constexpr std::chrono::milliseconds kCountDeadline(30 * 60 * 1000);

struct CountRun
{
    QPointer<PgSession> session;
    QList<RestoreTableCheck> *tables;
    CountSide side;
    std::function<void(int, const QString &)> progress;
    std::function<void()> done;
};

void countFrom(const std::shared_ptr<CountRun> &run, int index)
{
    if (!run->session)
        return;
    if (index >= run->tables->size())
        return run->done();
    const RestoreTableCheck &t = run->tables->at(index);
    run->progress(index, t.qualifiedName());
    const QByteArray columns =
        QJsonDocument(QJsonArray::fromStringList(t.columns)).toJson(QJsonDocument::Compact);
    run->session->exec(
        sqlResource(QStringLiteral("restore_test_count")),
        {t.schema, t.name, QString::fromUtf8(columns)},
        [run, index](const PgResult &r, const ServiceError &e) {
            RestoreTableCheck &table = (*run->tables)[index];
            TableFigures &f = run->side == CountSide::Source ? table.source : table.restored;
            if (e) {
                f.error = e.message.isEmpty() ? e.toText() : e.message;
            } else {
                const PgRowReader reader(r);
                f.rows = reader.row(0).integer("row_count");
                f.checksum = reader.row(0).text("checksum");
                if (!f.rows)
                    f.error = Tr::tr("The count returned no row.");
            }
            countFrom(run, index + 1);
        },
        kCountDeadline);
}

} // namespace

PgConnectionSettings withRestoreTestOptions(PgConnectionSettings settings)
{
    settings.overrides.append(
        {QStringLiteral("options"),
         QStringLiteral("-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres "
                        "-c extra_float_digits=3 -c bytea_output=hex")});
    return settings;
}

QList<RestoreTableCheck> restoreTestTables(const PgResult &result)
{
    QList<RestoreTableCheck> out;
    const PgRowReader reader(result);
    for (int i = 0; i < reader.rowCount(); ++i) {
        const auto row = reader.row(i);
        RestoreTableCheck t;
        t.schema = row.text("schema_name");
        t.name = row.text("table_name");
        for (const QJsonValue &v : QJsonDocument::fromJson(row.text("columns").toUtf8()).array())
            t.columns << v.toString();
        t.sourceBytes = row.integer("bytes").value_or(0);
        out.append(t);
    }
    return out;
}

void countRestoreTestTables(PgSession *session, QList<RestoreTableCheck> *tables, CountSide side,
                            std::function<void(int, const QString &)> progress,
                            std::function<void()> done)
{
    auto run = std::make_shared<CountRun>(
        CountRun{session, tables, side, std::move(progress), std::move(done)});
    countFrom(run, 0);
}

} // namespace vigil::services
