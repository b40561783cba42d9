package org.portcullis.metrics;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code [portcullis] metrics_bind}: {@code GET /metrics} without authentication on an address of
 * its own (plain HTTP), for a Prometheus that has no Keystone credentials. Serves nothing else.
 * Metrics name no secret, but they do describe the service: bind it where only the scraper reaches.
 */
public final class MetricsServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private MetricsServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    public static MetricsServer start(InetSocketAddress bind, Metrics metrics) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("metrics");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(bind.getHostString());
        connector.setPort(bind.getPort());
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                boolean path = "/metrics".equals(request.getHttpURI().getPath());
                boolean get = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
                int status = !path ? 404 : get ? 200 : 405;
                byte[] body = status == 200 ? metrics.scrape()
                        : (status == 404 ? "only /metrics is served here\n" : "only GET\n").getBytes(StandardCharsets.UTF_8);
                response.setStatus(status);
                if (status == 405) {
                    response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                }
                response.getHeaders().put(HttpHeader.CONTENT_TYPE,
                        status == 200 ? Metrics.CONTENT_TYPE : "text/plain; charset=utf-8");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                response.write(true, "HEAD".equals(request.getMethod()) ? null : ByteBuffer.wrap(body), callback);
                return true;
            }
        });
        server.setStopTimeout(2_000);
        server.start();
        return new MetricsServer(server, connector);
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
