// The floor under bench_cpu.sh: what ONE HTTP GET costs the client's CPU through Qt's
// QNetworkAccessManager (the one HTTP stack Vigil uses), against a bare QTcpSocket speaking
// HTTP/1.0 to the same server, both sequential, on one Patroni REST endpoint. Patroni 3.0.2
// answers HTTP/1.0 and closes the connection, so every request is a new TCP connection either
// way. CPU = getrusage(RUSAGE_SELF), all threads (QNAM runs HTTP in a thread of its own).
//
// Usage: vigil_bench_http URL [REQUESTS]   (e.g. http://127.0.0.1:54320/patroni 300)
#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QUrl>
#include <cstdio>
#include <functional>
#include <sys/resource.h>

namespace {

double cpuSeconds()
{
    rusage r{};
    getrusage(RUSAGE_SELF, &r);
    return double(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
           double(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

// Runs `requests` GETs one after another (after 10 unmeasured ones); µs of CPU per request.
double measure(int requests, const std::function<void(std::function<void()>)> &get)
{
    const int warmUp = 10;
    int done = 0;
    double start = 0;
    double result = 0;
    QEventLoop loop;
    std::function<void()> next = [&] {
        if (done == warmUp)
            start = cpuSeconds();
        if (done == warmUp + requests) {
            result = (cpuSeconds() - start) * 1e6 / requests;
            loop.quit();
            return;
        }
        get([&] {
            ++done;
            QMetaObject::invokeMethod(&loop, next, Qt::QueuedConnection);
        });
    };
    next();
    loop.exec();
    return result;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s URL [REQUESTS]\n", argv[0]);
        return 2;
    }
    const QUrl url(QString::fromLocal8Bit(argv[1]));
    const int requests = argc > 2 ? std::max(10, std::atoi(argv[2])) : 300;
    int failures = 0;

    QNetworkAccessManager nam;
    const double viaNam = measure(requests, [&](std::function<void()> done) {
        QNetworkReply *r = nam.get(QNetworkRequest(url));
        QObject::connect(r, &QNetworkReply::finished, r, [r, done, &failures] {
            if (r->error() != QNetworkReply::NoError || r->readAll().isEmpty())
                ++failures;
            r->deleteLater();
            done();
        });
    });

    const QByteArray request = "GET " + url.path(QUrl::FullyEncoded).toLatin1() +
                               " HTTP/1.0\r\nHost: " + url.authority().toLatin1() + "\r\n\r\n";
    const double viaSocket = measure(requests, [&](std::function<void()> done) {
        auto *s = new QTcpSocket;
        auto *got = new QByteArray;
        QObject::connect(s, &QTcpSocket::connected, s, [s, request] { s->write(request); });
        QObject::connect(s, &QTcpSocket::readyRead, s, [s, got] { got->append(s->readAll()); });
        QObject::connect(s, &QTcpSocket::disconnected, s, [s, got, done, &failures] {
            if (!got->startsWith("HTTP/1."))
                ++failures;
            delete got;
            s->deleteLater();
            done();
        });
        QObject::connect(s, &QTcpSocket::errorOccurred, s, [s, got, done, &failures] {
            if (s->state() == QAbstractSocket::UnconnectedState && got->isEmpty()) {
                ++failures;
                delete got;
                s->deleteLater();
                done();
            }
        });
        s->connectToHost(url.host(), quint16(url.port(80)));
    });

    std::printf("HTTP GET %s, %d sequential requests each way:\n", qPrintable(url.toString()),
                requests);
    std::printf("  QNetworkAccessManager: %.0f us CPU per request\n", viaNam);
    std::printf("  bare QTcpSocket (HTTP/1.0): %.0f us CPU per request\n", viaSocket);
    if (failures > 0)
        std::printf("  (%d requests failed: the figures are not reliable)\n", failures);
    return failures > 0 ? 1 : 0;
}
