#pragma once

#include <QString>

namespace vigil::test {

// A CA of its own that signed nothing the sandbox uses ("Not The Sandbox CA"), and a client
// certificate (CN vigil, as the sandbox's) with its key, signed by it: the files a profile holds
// when it trusts the wrong CA, or presents a certificate the server does not trust. Made with the
// openssl command into `dir` (blocking: call it before the event loop is measured).
struct ForeignCa
{
    QString caFile, clientCert, clientKey;
    QString error; // what failed; empty when the files were made

    static ForeignCa make(const QString &dir);
    bool ok() const { return error.isEmpty(); }
};

} // namespace vigil::test
