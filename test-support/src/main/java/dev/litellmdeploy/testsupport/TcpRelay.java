package dev.litellmdeploy.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay in front of a port, for cutting a connection in the middle of something:
 * {@link #cut()} closes every relayed connection at once. Bytes towards the target can be
 * throttled so that an upload takes long enough to be cut.
 */
public final class TcpRelay implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong upstreamBytes = new AtomicLong();
    private final int bytesPerSecond;
    private volatile int targetPort;

    public TcpRelay(String targetHost, int targetPort, int upstreamBytesPerSecond) throws IOException {
        this.bytesPerSecond = upstreamBytesPerSecond;
        this.targetPort = targetPort;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket target;
                    try {
                        target = new Socket(targetHost, this.targetPort);
                    } catch (IOException refused) {
                        client.close();
                        continue;
                    }
                    sockets.add(client);
                    sockets.add(target);
                    pump(client, target, true);
                    pump(target, client, false);
                } catch (IOException e) {
                    return;
                }
            }
        }, "relay-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Sends new connections to another port (the same host after a reboot that moved its mapped port). */
    public void retarget(int port) {
        this.targetPort = port;
    }

    public long upstreamBytes() {
        return upstreamBytes.get();
    }

    private void pump(Socket from, Socket to, boolean upstream) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[4096];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                    if (upstream) {
                        upstreamBytes.addAndGet(n);
                        if (bytesPerSecond > 0) {
                            Thread.sleep(Math.max(1, n * 1000L / bytesPerSecond));
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                // cut or closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Drops every relayed connection now (both sides see a reset or EOF). */
    public void cut() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
