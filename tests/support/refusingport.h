#pragma once

// A loopback TCP port that refuses every connection and that nobody else can take while this
// object lives: a socket bound to 127.0.0.1 that never listens (the kernel answers a SYN with a
// reset, as for a closed port).
//
// Why not "listen on port 0, note the port, close": the port goes back to the kernel's
// ephemeral pool, and under ctest -j another test process's in-process server (bound to port 0)
// can be given it while this test's client still polls it. That server then records the stray
// requests: HaproxyStatsClientUnit counted two requests for one in CI (2026-12-05).
//
// RefusingPort() takes a fresh ephemeral port; RefusingPort(port) takes over a port that a test
// server has just closed, so that a member "killed" by closing its server stays dead.

#include <QtGlobal>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace vigil::test {

class RefusingPort
{
public:
    RefusingPort() { bindTo(0); }
    explicit RefusingPort(quint16 port) { bindTo(port); }
    ~RefusingPort()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    RefusingPort(const RefusingPort &) = delete;
    RefusingPort &operator=(const RefusingPort &) = delete;

    bool held() const { return m_port != 0; }
    quint16 port() const { return m_port; }

private:
    void bindTo(quint16 port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (m_fd < 0)
            return;
        // A port a test server just closed may still have connections in TIME_WAIT. A fresh
        // port goes without: no other socket may then bind it, even with SO_REUSEADDR.
        const int one = 1;
        if (port != 0)
            ::setsockopt(m_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(port);
        socklen_t length = sizeof a;
        if (::bind(m_fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 ||
            ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&a), &length) != 0) {
            ::close(m_fd);
            m_fd = -1;
            return;
        }
        m_port = ntohs(a.sin_port);
    }

    int m_fd = -1;
    quint16 m_port = 0;
};

} // namespace vigil::test
