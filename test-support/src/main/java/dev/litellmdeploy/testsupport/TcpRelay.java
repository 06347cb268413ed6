package dev.litellmdeploy.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay in front of a port, for cutting a connection in the middle of something:
 * {@link #cut()} closes every relayed connection at once. Bytes towards the target can be
 * throttled so that an upload takes long enough to be cut, and a relay made by
 * {@link #withRoundTrip} puts a fixed round-trip time between its two sides: each direction holds
 * every chunk for half of it in a delay line (a FIFO, so byte order is kept and bandwidth is not
 * limited), as a network path's latency does. Any TCP client can use it (our deployer, OpenSSH,
 * Ansible): it only needs the relay's port. (netem would do the same in a namespace, but the
 * test machines' kernel has no sch_netem: "Specified qdisc kind is unknown".)
 */
public final class TcpRelay implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong upstreamBytes = new AtomicLong();
    private final int bytesPerSecond;
    private final long oneWayNanos;
    private volatile int targetPort;

    public TcpRelay(String targetHost, int targetPort, int upstreamBytesPerSecond) throws IOException {
        this(targetHost, targetPort, upstreamBytesPerSecond, Duration.ZERO);
    }

    /** A relay that adds {@code roundTrip} to every round trip through it (half each way). */
    public static TcpRelay withRoundTrip(String targetHost, int targetPort, Duration roundTrip) throws IOException {
        return new TcpRelay(targetHost, targetPort, 0, roundTrip);
    }

    private TcpRelay(String targetHost, int targetPort, int upstreamBytesPerSecond, Duration roundTrip) throws IOException {
        this.bytesPerSecond = upstreamBytesPerSecond;
        this.oneWayNanos = roundTrip.toNanos() / 2;
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
                    client.setTcpNoDelay(true);
                    target.setTcpNoDelay(true);
                    sockets.add(client);
                    sockets.add(target);
                    AtomicInteger open = new AtomicInteger(2);
                    pump(client, target, true, open);
                    pump(target, client, false, open);
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

    /** Copies from -> to; {@code open} counts the connection's directions still running (delay mode closes at 0). */
    private void pump(Socket from, Socket to, boolean upstream, AtomicInteger open) {
        DelayLine line = oneWayNanos > 0 ? new DelayLine(from, to, oneWayNanos, open) : null;
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try {
                // not try-with-resources: closing a socket's stream closes the socket, and in delay mode
                // the bytes still in the line must reach it first
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (line != null) {
                        line.send(Arrays.copyOf(buffer, n));
                    } else {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
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
                if (line != null) {
                    line.end(); // the end of the stream arrives after the delay too
                } else {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    /**
     * One direction's latency: chunks are written to {@code to} in order, each {@code delay} after it was read;
     * the end of the stream is passed on (half-close) after the delay too, and the last direction to end closes both.
     */
    private static final class DelayLine {
        private record Chunk(long due, byte[] bytes) { }

        private static final byte[] END = new byte[0];
        private final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        private final long delay;

        DelayLine(Socket from, Socket to, long delay, AtomicInteger open) {
            this.delay = delay;
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = to.getOutputStream();
                    while (true) {
                        Chunk c = queue.take();
                        long wait = c.due() - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        if (c.bytes() == END) {
                            to.shutdownOutput();
                            break;
                        }
                        out.write(c.bytes());
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    closeQuietly(from); // cut or reset: the other direction ends too
                    closeQuietly(to);
                } finally {
                    if (open.decrementAndGet() == 0) {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                }
            }, "relay-delay");
            writer.setDaemon(true);
            writer.start();
        }

        void send(byte[] bytes) {
            queue.add(new Chunk(System.nanoTime() + delay, bytes));
        }

        void end() {
            queue.add(new Chunk(System.nanoTime() + delay, END));
        }
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
