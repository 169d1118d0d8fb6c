#include "services/core/error.h"

namespace vigil::services {

QString ServiceError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return Tr::tr("no error");
    case Kind::Connect:
        return Tr::tr("connection failed");
    case Kind::Auth:
        return Tr::tr("authentication failed");
    case Kind::Timeout:
        return Tr::tr("timed out");
    case Kind::Query:
        return Tr::tr("query failed");
    case Kind::Http:
        return Tr::tr("HTTP error");
    case Kind::Parse:
        return Tr::tr("unreadable answer");
    case Kind::Refused:
        return Tr::tr("refused");
    case Kind::Cancelled:
        return Tr::tr("cancelled");
    }
    return {};
}

QString ServiceError::toText() const
{
    if (!isError())
        return {};
    QString text = what.isEmpty() ? kindName(kind) : Tr::tr("%1: %2").arg(what, kindName(kind));
    if (!host.isEmpty())
        text = Tr::tr("%1 (on %2)").arg(text, host);
    if (!code.isEmpty())
        text = Tr::tr("%1 [%2]").arg(text, code);
    if (!message.isEmpty())
        text = Tr::tr("%1: %2").arg(text, message);
    return text;
}

} // namespace vigil::services
