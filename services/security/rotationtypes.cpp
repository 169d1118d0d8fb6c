#include "services/security/rotationtypes.h"

namespace vigil::services {

QString RotationRole::refusal() const
{
    if (usedByPatroni || replication)
        return Tr::tr("Patroni logs in as %1 (replication, rewind or its own superuser "
                      "connection) with the password in its own configuration "
                      "(postgresql.authentication in patroni.yml on every member). Rotating it "
                      "here would break replication or failover. Change the password there on "
                      "every member first, then reload Patroni; Vigil does not rotate this role.")
            .arg(name);
    return {};
}

const RotationRole *RotationTarget::role(const QString &name) const
{
    for (const RotationRole &r : roles)
        if (r.name == name)
            return &r;
    return nullptr;
}

QString RotationTarget::encryptionWarning() const
{
    if (passwordEncryption.compare(QLatin1String("md5"), Qt::CaseInsensitive) != 0)
        return {};
    return Tr::tr("password_encryption is md5 on the leader. Vigil stores a SCRAM-SHA-256 "
                  "verifier regardless, but psql's \\password and other tools would store MD5: "
                  "set password_encryption to scram-sha-256 in Patroni's configuration.");
}

bool RotationReport::failed() const
{
    for (const RotationStep &s : steps)
        if (s.outcome == RotationStep::Outcome::Failed)
            return true;
    return false;
}

bool RotationReport::manualWorkLeft() const
{
    for (const RotationStep &s : steps)
        if (s.outcome == RotationStep::Outcome::Skipped && !s.detail.isEmpty())
            return true;
    return false;
}

QString RotationReport::outcomeName() const
{
    if (!passwordChanged)
        return QStringLiteral("failed");
    return failed() ? QStringLiteral("partial") : QStringLiteral("ok");
}

QString RotationReport::toText() const
{
    QStringList lines;
    for (const RotationStep &s : steps) {
        const QString mark = s.outcome == RotationStep::Outcome::Done      ? Tr::tr("done")
                             : s.outcome == RotationStep::Outcome::Skipped ? Tr::tr("skipped")
                                                                           : Tr::tr("FAILED");
        lines.append(s.detail.isEmpty() ? Tr::tr("%1: %2").arg(s.name, mark)
                                        : Tr::tr("%1: %2. %3").arg(s.name, mark, s.detail));
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace vigil::services
